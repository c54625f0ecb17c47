//! Time of one search (top 50 with snippets), as the app and the criterion
//! bench call it: `profile_search DB [N] [ROUNDS] [QUERY]` (default 10000,
//! 200, the queries of `SEARCH_QUERIES`; a QUERY runs only that one, for a
//! profiler).
//! Imports N generated ADRs into DB first when it holds none, so two builds
//! can be compared on the same file. Prints, per query, the median wall time
//! and the process CPU time per search (from /proc, Linux only), measured in
//! rounds that alternate the queries.

use std::time::{Duration, Instant};

use plasma_workbench::generate::{generate_adrs, SEARCH_QUERIES};
use plasma_workbench::{export_files, Workbench};

/// utime + stime of this process in clock ticks (usually 10 ms).
fn cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = after.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    // Fields 14 and 15 of stat; index 11 and 12 after the command name.
    field(11).unwrap_or(0) + field(12).unwrap_or(0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = std::path::PathBuf::from(args.next().ok_or("usage: profile_search DB [N] [ROUNDS]")?);
    let n: u32 = args.next().map_or(Ok(10_000), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(200), |a| a.parse())?;
    let only = args.next();
    let queries: Vec<&str> = match &only {
        Some(q) => vec![q.as_str()],
        None => SEARCH_QUERIES.to_vec(),
    };
    let rt = tokio::runtime::Runtime::new()?;
    let wb = rt.block_on(Workbench::open(&db))?;
    if rt.block_on(wb.list_adrs(&Default::default()))?.is_empty() {
        let tmp = tempfile::tempdir()?;
        let src = tmp.path().join("src");
        export_files(&generate_adrs(n), &src)?;
        for extra in ["index.md", "decision-graph.mmd", "decision-graph.dot"] {
            std::fs::remove_file(src.join(extra))?;
        }
        rt.block_on(wb.import_adrs(&src))?;
    }
    for q in &queries {
        for _ in 0..5 {
            rt.block_on(wb.search(q))?;
        }
    }
    let mut wall: Vec<Vec<Duration>> = vec![Vec::new(); queries.len()];
    let mut ticks = vec![0u64; queries.len()];
    for _ in 0..rounds {
        for (i, q) in queries.iter().enumerate() {
            let t0 = cpu_ticks();
            let s = Instant::now();
            let hits = rt.block_on(wb.search(q))?;
            wall[i].push(s.elapsed());
            ticks[i] += cpu_ticks() - t0;
            std::hint::black_box(hits);
        }
    }
    let tick_ms = 10.0;
    println!("search over {}, {rounds} rounds", db.display());
    for (i, q) in queries.iter().enumerate() {
        let w = &mut wall[i];
        w.sort();
        println!(
            "  {q:18} median {:6.2} ms wall   {:6.2} ms CPU per search",
            w[w.len() / 2].as_secs_f64() * 1000.0,
            ticks[i] as f64 * tick_ms / rounds as f64
        );
    }
    Ok(())
}
