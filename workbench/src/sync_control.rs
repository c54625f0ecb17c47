//! Progress and cancellation of long syncs, without any shell's types: a
//! shell passes a [`ProgressReporter`] (the desktop a Tauri channel, the CLI
//! standard error) and keeps a [`CancelToken`] to stop the sync between
//! requests.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use plasma_sync::apply::Observer;
use plasma_sync::SyncError;
use serde::{Deserialize, Serialize};
use specta::Type;

/// One step of a publish or a pull: "document 2 of 5, upload docs/adr/0002-x.md".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Type)]
pub struct SyncProgress {
    /// "publish" or "pull".
    pub operation: String,
    /// 1-based position of the current document (or pull step).
    pub step: u32,
    /// Documents (or pull steps) in this sync, as far as known now.
    pub total: u32,
    /// The document being worked on (`adr:3`, a title), or "" for a general step.
    pub document: String,
    /// The request about to be sent.
    pub request: String,
}

/// Receives progress; called from worker threads, so it must be cheap.
pub trait ProgressReporter: Send + Sync {
    fn report(&self, progress: SyncProgress);
}

impl<F: Fn(SyncProgress) + Send + Sync> ProgressReporter for F {
    fn report(&self, progress: SyncProgress) {
        self(progress)
    }
}

/// Shared flag a shell sets to stop a sync at the next request boundary.
#[derive(Debug, Clone, Default)]
pub struct CancelToken(Arc<AtomicBool>);

impl CancelToken {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Both handles set the same flag.
    pub fn same_as(&self, other: &CancelToken) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// What a long sync reports to and listens to.
#[derive(Clone)]
pub struct SyncControl {
    pub progress: Arc<dyn ProgressReporter>,
    pub cancel: CancelToken,
}

impl Default for SyncControl {
    fn default() -> Self {
        SyncControl::new(|_: SyncProgress| {}, CancelToken::default())
    }
}

impl SyncControl {
    pub fn new(progress: impl ProgressReporter + 'static, cancel: CancelToken) -> SyncControl {
        SyncControl {
            progress: Arc::new(progress),
            cancel,
        }
    }

    pub(crate) fn step(
        &self,
        operation: &str,
        step: usize,
        total: usize,
        document: &str,
        request: &str,
    ) {
        self.progress.report(SyncProgress {
            operation: operation.to_string(),
            step: u32::try_from(step).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
            document: document.to_string(),
            request: request.to_string(),
        });
    }

    /// The observer for one draft's publish: reports each request and stops
    /// at the next cancellable one once the token is set.
    pub(crate) fn publish_observer(
        &self,
        step: usize,
        total: usize,
        document: &str,
    ) -> PublishObserver {
        PublishObserver {
            control: self.clone(),
            step,
            total,
            document: document.to_string(),
        }
    }
}

pub(crate) struct PublishObserver {
    control: SyncControl,
    step: usize,
    total: usize,
    document: String,
}

impl Observer for PublishObserver {
    fn before(&self, request: &str, can_stop: bool) -> plasma_sync::Result<()> {
        if can_stop && self.control.cancel.is_cancelled() {
            return Err(SyncError::Cancelled(request.to_string()));
        }
        self.control
            .step("publish", self.step, self.total, &self.document, request);
        Ok(())
    }
}
