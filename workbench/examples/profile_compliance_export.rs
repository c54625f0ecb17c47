//! One compliance export of a generated matrix, for peak-memory
//! measurement: `/usr/bin/time -v profile_compliance_export FORMAT
//! [CONTROLS] [REPOSITORIES]` (FORMAT: csv, md, oscal, xlsx or none;
//! default 1,500 × 50). Prints the time and the output size; "none" only
//! builds the matrix, the baseline the other figures include.

use std::time::Instant;

use chrono::NaiveDate;
use plasma_workbench::compliance::ComplianceFormat;
use plasma_workbench::{generate::generate_matrix, render_compliance};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let format = args.next().unwrap_or_else(|| "xlsx".into());
    let controls: u32 = args.next().map_or(Ok(1_500), |a| a.parse())?;
    let repos: u32 = args.next().map_or(Ok(50), |a| a.parse())?;
    let snap = generate_matrix(controls, repos);
    let format = match format.as_str() {
        "csv" => ComplianceFormat::Csv,
        "md" => ComplianceFormat::Md,
        "oscal" => ComplianceFormat::Oscal,
        "xlsx" => ComplianceFormat::Xlsx,
        "none" => {
            println!("{} cells generated", snap.cells.len());
            return Ok(());
        }
        other => return Err(format!("unknown format {other}").into()),
    };
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).ok_or("date")?;
    let start = Instant::now();
    let bytes = render_compliance(&snap, None, format, today)?;
    println!(
        "{} cells, {:.1} MB in {:.2} s",
        snap.cells.len(),
        bytes.len() as f64 / 1e6,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
