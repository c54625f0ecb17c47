//! A new workspace written with its first records in one transaction: a
//! first run's demo is stored whole or not at all, whatever stops the
//! process midway (a later start then seeds it again from nothing).

use plasma_models::compliance::Cell;
use plasma_models::roadmap::Initiative;
use plasma_models::slo::{DoraTarget, Slo};
use plasma_models::threat::{ThreatModel, ThreatSession};
use plasma_models::Workspace;

use crate::compliance::{save_cells_in, CellSave};
use crate::error::DbContext;
use crate::guarded::insert_workspace;
use crate::roadmap::{create_initiative_in, import_slos_in, save_dora_in};
use crate::session::create_session_in;
use crate::threat::create_model_in;
use crate::{read_workspaces, write_setting, ImportItem, Store, StoreError};

/// Everything a seeded workspace starts with.
#[derive(Debug, Clone)]
pub struct WorkspaceSeed {
    pub workspace: Workspace,
    pub adrs: Vec<ImportItem>,
    /// Each model with the sessions held on it.
    pub threat_models: Vec<(ThreatModel, Vec<ThreatSession>)>,
    pub cells: Vec<Cell>,
    /// In dependency order: each is checked against those before it.
    pub initiatives: Vec<Initiative>,
    pub slos: Vec<Slo>,
    pub dora_targets: Vec<DoraTarget>,
    /// (key, value) settings written with it, such as a "seeded" mark.
    pub settings: Vec<(String, String)>,
}

impl Store {
    /// Creates the seed's workspace and every record of it in one write
    /// transaction, unless `check`, given every workspace as stored under
    /// the write lock, refuses. Any failure writes nothing.
    pub async fn seed_workspace<E, F>(
        &self,
        seed: &WorkspaceSeed,
        check: F,
    ) -> std::result::Result<(), E>
    where
        E: From<StoreError>,
        F: FnOnce(&[Workspace]) -> std::result::Result<(), E>,
    {
        let op = "seeding a workspace";
        let ws = &seed.workspace;
        ws.validate().map_err(StoreError::from)?;
        let mut tx = self.write_tx(op).await?;
        check(&read_workspaces(&mut tx).await?)?;
        insert_workspace(&mut tx, ws).await?;
        crate::adr::import_in(&mut tx, ws.id, seed.adrs.clone(), |_, items| {
            Ok::<_, StoreError>(items)
        })
        .await?;
        for (model, sessions) in &seed.threat_models {
            create_model_in(&mut tx, model).await?;
            for session in sessions {
                create_session_in(&mut tx, session).await?;
            }
        }
        let saves: Vec<CellSave> = seed
            .cells
            .iter()
            .map(|cell| CellSave {
                cell: cell.clone(),
                expected_revision: 0,
            })
            .collect();
        save_cells_in(&mut tx, ws.id, &saves).await?;
        for initiative in &seed.initiatives {
            create_initiative_in(&mut tx, initiative).await?;
        }
        import_slos_in(&mut tx, &seed.slos, &ws.name).await?;
        save_dora_in(&mut tx, ws.id, 0, &seed.dora_targets).await?;
        for (key, value) in &seed.settings {
            write_setting(&mut tx, key, value).await?;
        }
        Ok(tx.commit().await.db(op)?)
    }
}
