//! The XLSX workbook compliance leads work in: a summary sheet (coverage per
//! framework and per repository), then one sheet per framework with a row
//! per control and repository, a frozen header, autofilter and status
//! colours.

use chrono::Datelike;
use plasma_models::compliance::{Coverage, ImplementationStatus};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use super::tables::{row_fields, CSV_HEADER};
use super::{MatrixExport, Row};

/// Column headers of a framework sheet (the CSV columns, readable).
pub const SHEET_HEADER: [&str; 16] = [
    "Framework",
    "Control",
    "Group",
    "Title",
    "Repository",
    "Applicable",
    "Not applicable because",
    "Status",
    "Owner",
    "Narrative",
    "Last reviewed",
    "Evidence",
    "ADRs",
    "Threats",
    "Mapped credit",
    "Mapped from",
];

const _: () = assert!(SHEET_HEADER.len() == CSV_HEADER.len());

/// Fill colour per status (RGB): green, light green, amber, blue, grey;
/// not assessed is red.
pub fn status_colour(status: Option<ImplementationStatus>) -> u32 {
    match status {
        Some(ImplementationStatus::Implemented) => 0xC6EFCE,
        Some(ImplementationStatus::Alternative) => 0xE2F0D9,
        Some(ImplementationStatus::Partial) => 0xFFEB9C,
        Some(ImplementationStatus::Planned) => 0xDDEBF7,
        Some(ImplementationStatus::NotApplicable) => 0xEDEDED,
        None => 0xFFC7CE,
    }
}

/// Excel sheet names: at most 31 characters, none of `[]:*?/\`, unique.
fn sheet_name(id: &str, taken: &[String]) -> String {
    let clean: String = id
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&name)) || name == "Summary" {
        name = format!("{clean}~{n}");
        n += 1;
    }
    name
}

fn coverage_rows(
    sheet: &mut Worksheet,
    start: u32,
    title: &str,
    rows: &[Coverage],
    label: impl Fn(&Coverage) -> String,
    bold: &Format,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(start, 0, title, bold)?;
    let header = [
        "Name",
        "Cells",
        "Implemented",
        "Alternative",
        "Partial",
        "Planned",
        "Not assessed",
        "Not applicable",
        "Coverage %",
        "With mappings %",
    ];
    for (col, h) in (0u16..).zip(header) {
        sheet.write_string_with_format(start + 1, col, h, bold)?;
    }
    let mut row = start + 2;
    for c in rows {
        sheet.write_string(row, 0, label(c))?;
        for (col, v) in (1u16..).zip([
            c.cells,
            c.implemented,
            c.alternative,
            c.partial,
            c.planned,
            c.not_assessed,
            c.not_applicable,
        ]) {
            sheet.write_number(row, col, v)?;
        }
        sheet.write_number(row, 8, c.percent)?;
        sheet.write_number(row, 9, c.percent_with_mappings)?;
        row += 1;
    }
    Ok(row + 1)
}

/// Fill for a coverage percentage: green from 80 %, amber from 50 %, else red.
pub fn heat_colour(percent: f64) -> u32 {
    if percent >= 80.0 {
        0xC6EFCE
    } else if percent >= 50.0 {
        0xFFEB9C
    } else {
        0xFFC7CE
    }
}

/// Frameworks down, repositories across, own coverage % in each cell.
fn heat_map(
    sheet: &mut Worksheet,
    start: u32,
    export: &MatrixExport<'_>,
    bold: &Format,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(
        start,
        0,
        "Heat map: coverage % by framework and repository",
        bold,
    )?;
    for (col, repo) in (1u16..).zip(export.repositories) {
        sheet.write_string_with_format(start + 1, col, repo, bold)?;
    }
    for (row, f) in (start + 2..).zip(&export.frameworks) {
        sheet.write_string(row, 0, &f.id)?;
        for (col, repo) in (1u16..).zip(export.repositories) {
            let found = export.coverage.heat_map.iter().find(|c| {
                c.framework.as_deref() == Some(f.id.as_str())
                    && c.repository.as_deref() == Some(repo.as_str())
            });
            if let Some(c) = found {
                let fill = Format::new().set_background_color(heat_colour(c.percent));
                sheet.write_number_with_format(row, col, c.percent, &fill)?;
            }
        }
    }
    Ok(())
}

fn write_framework_sheet(
    sheet: &mut Worksheet,
    rows: &[Row<'_>],
    header: &Format,
) -> Result<(), XlsxError> {
    for (col, h) in (0u16..).zip(SHEET_HEADER) {
        sheet.write_string_with_format(0, col, h, header)?;
    }
    let formats: Vec<(Option<ImplementationStatus>, Format)> = ImplementationStatus::ALL
        .iter()
        .map(|s| Some(*s))
        .chain([None])
        .map(|s| (s, Format::new().set_background_color(status_colour(s))))
        .collect();
    for (i, r) in rows.iter().enumerate() {
        let row = u32::try_from(i + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
        for (col, value) in (0u16..).zip(row_fields(r)) {
            if col == 7 {
                let status = r.status();
                let fmt = formats.iter().find(|(s, _)| *s == status).map(|(_, f)| f);
                match fmt {
                    Some(f) => sheet.write_string_with_format(row, col, value, f)?,
                    None => sheet.write_string(row, col, value)?,
                };
            } else if !value.is_empty() {
                sheet.write_string(row, col, value)?;
            }
        }
    }
    let last = u32::try_from(rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last.max(1), 15)?;
    for (col, width) in [
        (0u16, 14.0),
        (1, 14.0),
        (2, 24.0),
        (3, 44.0),
        (4, 26.0),
        (7, 15.0),
        (8, 18.0),
        (9, 50.0),
        (11, 60.0),
    ] {
        sheet.set_column_width(col, width)?;
    }
    Ok(())
}

/// The workbook as bytes.
pub fn matrix_xlsx(export: &MatrixExport<'_>) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let day = ExcelDateTime::from_ymd(
        u16::try_from(export.generated.year()).unwrap_or(2000),
        u8::try_from(export.generated.month()).unwrap_or(1),
        u8::try_from(export.generated.day()).unwrap_or(1),
    )?;
    book.set_properties(
        &DocProperties::new()
            .set_title(format!("Compliance matrix: {}", export.workspace))
            .set_creation_datetime(&day),
    );
    let bold = Format::new().set_bold();
    let header = Format::new().set_bold().set_background_color(0xD9E1F2);

    let summary = book.add_worksheet();
    summary.set_name("Summary")?;
    summary.write_string_with_format(
        0,
        0,
        format!(
            "Compliance matrix: {} ({})",
            export.workspace, export.generated
        ),
        &bold,
    )?;
    let next = coverage_rows(
        summary,
        2,
        "Coverage by framework",
        &export.coverage.frameworks,
        |c| c.framework.clone().unwrap_or_default(),
        &bold,
    )?;
    let next = coverage_rows(
        summary,
        next,
        "Coverage by repository",
        &export.coverage.repositories,
        |c| c.repository.clone().unwrap_or_default(),
        &bold,
    )?;
    heat_map(summary, next, export, &bold)?;
    summary.set_column_width(0, 32.0)?;

    let mut names = Vec::new();
    for f in &export.frameworks {
        let name = sheet_name(&f.id, &names);
        names.push(name.clone());
        let rows: Vec<Row<'_>> = export.rows(f).collect();
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        write_framework_sheet(sheet, &rows, &header)?;
    }
    book.save_to_buffer()
}
