//! Import, export and search at 1,000 and 10,000 generated ADRs.
//! `cargo bench -p plasma-workbench --bench adr`; figures are in the README.
//!
//! - `adr_import/N`: open a new database (migrations included) and import a
//!   folder of N MADR 4 files, as `plasma adr import` does.
//! - `adr_export/N`: read the N records and write them, `index.md` and the
//!   graph files to a new folder, as `plasma adr export` does.
//! - `adr_search_10000/QUERY`: one Ctrl+K search (top 50) over 10,000 records.
//!
//! Each timed run gets a fresh database or folder; a sample's files are
//! removed after the sample (not timed), so a run leaves nothing behind.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode};
use plasma_workbench::generate::{generate_adrs, SEARCH_QUERIES};
use plasma_workbench::{export_files, Workbench};
use tokio::runtime::Runtime;

const SIZES: [u32; 2] = [1_000, 10_000];

/// A folder of `n` generated MADR 4 files, without our own index and graph
/// files (the same input `bench/adr-vs-peers.sh` gives every tool).
fn source_dir(root: &Path, n: u32) -> PathBuf {
    let src = root.join(format!("src-{n}"));
    if !src.exists() {
        export_files(&generate_adrs(n), &src).expect("write generated ADRs");
        for extra in ["index.md", "decision-graph.mmd", "decision-graph.dot"] {
            std::fs::remove_file(src.join(extra)).expect("remove generated extras");
        }
    }
    src
}

fn remove_db(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(p));
    }
}

/// A database holding the `n` records, imported once.
fn prepared(rt: &Runtime, root: &Path, n: u32) -> Workbench {
    let src = source_dir(root, n);
    rt.block_on(async {
        let wb = Workbench::open(&root.join(format!("prepared-{n}.db")))
            .await
            .expect("open");
        if wb.list_full_adrs().await.expect("list").is_empty() {
            let report = wb.import_adrs(&src).await.expect("import");
            assert_eq!(report.created.len(), n as usize, "every file imported");
        }
        wb
    })
}

fn adr_benches(c: &mut Criterion) {
    let rt = Runtime::new().expect("tokio runtime");
    let tmp = tempfile::tempdir().expect("temp dir");
    let root = tmp.path();

    let mut import = c.benchmark_group("adr_import");
    import.sample_size(10).sampling_mode(SamplingMode::Flat);
    for n in SIZES {
        let src = source_dir(root, n);
        import.bench_with_input(BenchmarkId::from_parameter(n), &src, |b, src| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let dbs: Vec<PathBuf> = (0..iters)
                    .map(|i| root.join(format!("import-{n}-{i}.db")))
                    .collect();
                for db in &dbs {
                    remove_db(db);
                    let start = Instant::now();
                    let report = rt.block_on(async {
                        let wb = Workbench::open(db).await.expect("open");
                        wb.import_adrs(src).await.expect("import")
                    });
                    total += start.elapsed();
                    assert_eq!(report.created.len(), n as usize);
                }
                dbs.iter().for_each(|db| remove_db(db));
                total
            })
        });
    }
    import.finish();

    let mut export = c.benchmark_group("adr_export");
    export.sample_size(10).sampling_mode(SamplingMode::Flat);
    for n in SIZES {
        let wb = prepared(&rt, root, n);
        export.bench_function(BenchmarkId::from_parameter(n), |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                let outs: Vec<PathBuf> = (0..iters)
                    .map(|i| root.join(format!("export-{n}-{i}")))
                    .collect();
                for out in &outs {
                    let _ = std::fs::remove_dir_all(out);
                    let start = Instant::now();
                    let report = rt.block_on(wb.export_adrs(out)).expect("export");
                    total += start.elapsed();
                    assert_eq!(report.files.len(), n as usize + 3);
                }
                for out in &outs {
                    std::fs::remove_dir_all(out).expect("remove export");
                }
                total
            })
        });
    }
    export.finish();

    let wb = prepared(&rt, root, 10_000);
    let mut search = c.benchmark_group("adr_search_10000");
    search.sample_size(30);
    for query in SEARCH_QUERIES {
        search.bench_function(query, |b| {
            b.iter(|| rt.block_on(wb.search(query)).expect("search"))
        });
    }
    search.finish();
}

criterion_group!(benches, adr_benches);
criterion_main!(benches);
