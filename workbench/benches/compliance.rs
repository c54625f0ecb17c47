//! Compliance exports of a 1,500-control × 50-repository matrix (75,000
//! control-repository pairs, ~60,000 cells with narratives and evidence):
//! `cargo bench -p plasma-workbench --bench compliance`; figures in the
//! README. Peak memory per format is measured with
//! `/usr/bin/time -v target/release/examples/profile_compliance_export FORMAT`.
//!
//! Each format is rendered from the same in-memory matrix (what
//! `plasma compliance export` does after reading the database), plus the
//! evidence pack's index and the roll-ups all of them start from.

use std::time::Duration;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion};
use plasma_models::compliance::MatrixView;
use plasma_workbench::compliance::ComplianceFormat;
use plasma_workbench::{generate::generate_matrix, render_compliance};

fn exports(c: &mut Criterion) {
    let snap = generate_matrix(1_500, 50);
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).expect("date");
    let mut group = c.benchmark_group("compliance_1500x50");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("coverage_and_gaps", |b| {
        b.iter(|| {
            let cells = snap.plain_cells();
            let view =
                MatrixView::new(&snap.frameworks, &snap.mappings, &snap.repositories, &cells);
            let report = view.coverage(&["bench"]);
            let gaps = plasma_models::compliance::gaps(&view, &["bench"]);
            (report, gaps.len())
        })
    });
    for (name, format) in [
        ("csv", ComplianceFormat::Csv),
        ("markdown", ComplianceFormat::Md),
        ("oscal", ComplianceFormat::Oscal),
        ("xlsx", ComplianceFormat::Xlsx),
    ] {
        group.bench_function(name, |b| {
            b.iter(|| {
                render_compliance(&snap, None, format, today)
                    .expect("render")
                    .len()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, exports);
criterion_main!(benches);
