//! Compliance matrices out (XLSX, CSV, Markdown, OSCAL component
//! definition, the evidence pack's index) and catalogs in (OSCAL catalog or
//! profile JSON, YAML or XML (`oscal_xml` maps XML to the JSON shape), CSV)
//! and matrix rows back from the CSV (`matrix_import`). Pure and deterministic: the date and ids come from
//! the caller, so the same matrix always gives the same bytes.

pub mod catalog_import;
pub mod evidence_pack;
pub mod matrix_import;
pub mod oscal;
pub mod oscal_assessment;
pub mod oscal_xml;
pub mod tables;
pub mod xlsx;

use chrono::NaiveDate;
use plasma_models::compliance::{
    Cell, Control, CoverageReport, Framework, ImplementationStatus, MappedCredit, MatrixView,
};
use uuid::Uuid;

/// What an export shows: some frameworks of a workspace's matrix.
pub struct MatrixExport<'a> {
    pub workspace_id: Uuid,
    pub workspace: &'a str,
    /// Stamped into the files (exports are reproducible for a given day).
    pub generated: NaiveDate,
    pub frameworks: Vec<&'a Framework>,
    pub repositories: &'a [String],
    /// Repository descriptions, by position in `repositories`.
    pub repository_descriptions: &'a [String],
    pub view: &'a MatrixView<'a>,
    pub coverage: CoverageReport,
}

/// One control in one repository, as every format lists it.
pub struct Row<'a> {
    pub framework: &'a Framework,
    pub control: &'a Control,
    pub repository: &'a str,
    pub cell: Option<&'a Cell>,
    pub best_credit: Option<MappedCredit>,
}

impl<'a> MatrixExport<'a> {
    /// Rows of one framework: controls in catalog order, then repositories.
    pub fn rows(&self, framework: &'a Framework) -> impl Iterator<Item = Row<'a>> + '_ {
        framework.controls.iter().flat_map(move |control| {
            self.repositories
                .iter()
                .map(move |repo| self.row(framework, control, repo))
        })
    }

    /// Rows of one framework in one repository, in catalog order.
    pub fn repository_rows(
        &self,
        framework: &'a Framework,
        repository: &'a str,
    ) -> impl Iterator<Item = Row<'a>> + '_ {
        framework
            .controls
            .iter()
            .map(move |control| self.row(framework, control, repository))
    }

    pub fn row(&self, framework: &'a Framework, control: &'a Control, repo: &'a str) -> Row<'a> {
        let cell = self.view.cell(&framework.id, &control.id, repo);
        let own_full = cell
            .and_then(Cell::effective_status)
            .is_some_and(|s| s.score() >= 1.0);
        Row {
            framework,
            control,
            repository: repo,
            cell,
            best_credit: if own_full {
                None
            } else {
                self.view
                    .mapped_credits(&framework.id, &control.id, repo)
                    .into_iter()
                    .next()
            },
        }
    }
}

/// The status as a word: the OSCAL state, or "not assessed".
pub fn status_label(status: Option<ImplementationStatus>) -> &'static str {
    status.map_or("not assessed", ImplementationStatus::oscal)
}

impl Row<'_> {
    pub fn status(&self) -> Option<ImplementationStatus> {
        self.cell.and_then(Cell::effective_status)
    }
}
