//! Import, export and search at 1,000 and 10,000 generated ADRs.
//! `cargo bench -p plasma-workbench`; figures are recorded in the README.

use std::path::Path;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use plasma_workbench::{export_files, generate::generate_adrs, Workbench};
use tokio::runtime::Runtime;

fn prepared(rt: &Runtime, dir: &Path, n: u32) -> Workbench {
    let src = dir.join(format!("src-{n}"));
    if !src.exists() {
        export_files(&generate_adrs(n), &src).expect("write generated ADRs");
    }
    rt.block_on(async {
        let wb = Workbench::open(&dir.join(format!("prepared-{n}.db")))
            .await
            .expect("open");
        if wb.list_full_adrs().await.expect("list").is_empty() {
            wb.import_adrs(&src).await.expect("import");
        }
        wb
    })
}

fn adr_benches(c: &mut Criterion) {
    let rt = Runtime::new().expect("tokio runtime");
    let tmp = tempfile::tempdir().expect("temp dir");
    let mut import = c.benchmark_group("adr_import");
    import.sample_size(10);
    for n in [1_000u32, 10_000] {
        let src = tmp.path().join(format!("src-{n}"));
        export_files(&generate_adrs(n), &src).expect("write generated ADRs");
        let mut run = 0u32;
        import.bench_with_input(BenchmarkId::from_parameter(n), &src, |b, src| {
            b.iter(|| {
                run += 1;
                let db = tmp.path().join(format!("import-{n}-{run}.db"));
                rt.block_on(async {
                    let wb = Workbench::open(&db).await.expect("open");
                    wb.import_adrs(src).await.expect("import")
                })
            })
        });
    }
    import.finish();

    let mut export = c.benchmark_group("adr_export");
    export.sample_size(10);
    for n in [1_000u32, 10_000] {
        let wb = prepared(&rt, tmp.path(), n);
        let mut run = 0u32;
        export.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter(|| {
                run += 1;
                let out = tmp.path().join(format!("export-{n}-{run}"));
                rt.block_on(wb.export_adrs(&out)).expect("export")
            })
        });
    }
    export.finish();

    let wb = prepared(&rt, tmp.path(), 10_000);
    let mut search = c.benchmark_group("adr_search_10000");
    for query in ["kubernetes", "rollback canary", "decision 9999", "secr"] {
        search.bench_function(query, |b| {
            b.iter(|| rt.block_on(wb.search(query)).expect("search"))
        });
    }
    search.finish();
}

criterion_group!(benches, adr_benches);
criterion_main!(benches);
