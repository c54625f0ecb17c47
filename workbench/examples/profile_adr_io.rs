//! Where the time of `plasma adr import` + `plasma adr export` goes, phase by
//! phase, in one process: `profile_adr_io [N] [ROUNDS]` (default 1000, 5).
//! Prints the median of ROUNDS for each phase. The phases re-do the steps the
//! workbench takes through public APIs, so they add up only roughly to the
//! end-to-end figures printed last.

use std::time::{Duration, Instant};

use plasma_exports::adr_markdown::{self, Classified};
use plasma_exports::graph_export;
use plasma_models::Adr;
use plasma_storage::ImportItem;
use plasma_workbench::{export_files, generate::generate_adrs, Workbench};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:8.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().map_or(Ok(1000), |a| a.parse())?;
    let rounds: usize = args.next().map_or(Ok(5), |a| a.parse())?;
    // The CLI runs on a current-thread runtime, the desktop app (and the
    // criterion bench) on a multi-thread one: PLASMA_RT=multi picks that.
    let rt = if std::env::var("PLASMA_RT").as_deref() == Ok("multi") {
        tokio::runtime::Runtime::new()?
    } else {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
    };
    let tmp = tempfile::tempdir()?;
    let src = tmp.path().join("src");
    export_files(&generate_adrs(n), &src)?;
    for extra in ["index.md", "decision-graph.mmd", "decision-graph.dot"] {
        std::fs::remove_file(src.join(extra))?;
    }

    let mut t: std::collections::BTreeMap<&str, Vec<Duration>> = Default::default();
    let mut add = |k: &'static str, d: Duration| t.entry(k).or_default().push(d);
    for round in 0..rounds {
        let db = tmp.path().join(format!("r{round}.db"));
        // -- import, phase by phase
        let s = Instant::now();
        let wb = rt.block_on(Workbench::open(&db))?;
        let ws = rt.block_on(wb.current_workspace())?;
        add("i1 open + migrate + workspace", s.elapsed());

        let s = Instant::now();
        let mut names: Vec<_> = std::fs::read_dir(&src)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()?;
        names.sort();
        let files: Vec<(String, String)> = names
            .into_iter()
            .map(|name| {
                let text = std::fs::read_to_string(src.join(&name))?;
                Ok((name, text))
            })
            .collect::<std::io::Result<_>>()?;
        add("i2 read files", s.elapsed());

        let s = Instant::now();
        let mut items = Vec::with_capacity(files.len());
        for (name, text) in &files {
            if let Classified::Adr(p) = adr_markdown::parse_file(name, text)? {
                items.push(ImportItem {
                    number: p.number.unwrap_or_default(),
                    draft: p.draft,
                    source_path: name.clone(),
                });
            }
        }
        add("i3 parse Markdown (parse_file)", s.elapsed());

        let s = Instant::now();
        let adrs: Vec<Adr> = items
            .iter()
            .map(|i| Adr::new(ws.id, i.number, i.draft.clone(), chrono::Utc::now()))
            .collect();
        let json: usize = adrs
            .iter()
            .map(|a| serde_json::to_string(a).map(|j| j.len()))
            .sum::<Result<usize, _>>()?;
        add("i4 (est.) Adr JSON serialization x1", s.elapsed());
        let _ = json;

        let s = Instant::now();
        rt.block_on(wb.store().import_adrs(ws.id, items))?;
        add("i5 Store::import_adrs (1 tx)", s.elapsed());
        drop(wb);

        // -- export, phase by phase, from the database just written
        let s = Instant::now();
        let wb = rt.block_on(Workbench::open(&db))?;
        add("e1 open", s.elapsed());
        let s = Instant::now();
        let adrs = rt.block_on(wb.list_full_adrs())?;
        add("e2 list_full_adrs (SELECT + JSON decode)", s.elapsed());
        let s = Instant::now();
        let names: std::collections::BTreeMap<u32, String> = adrs
            .iter()
            .map(|a| (a.number, adr_markdown::file_name(a)))
            .collect();
        let resolve = |n: u32| names.get(&n).cloned();
        let rendered: Vec<(String, String)> = adrs
            .iter()
            .map(|a| {
                (
                    adr_markdown::file_name(a),
                    adr_markdown::render_madr4_with(a, &resolve),
                )
            })
            .collect();
        add("e3 render MADR 4 (in memory)", s.elapsed());
        let s = Instant::now();
        let extra = [
            adr_markdown::render_index(&adrs),
            graph_export::mermaid(&adrs),
            graph_export::dot(&adrs),
        ];
        add("e4 index.md + mermaid + dot", s.elapsed());
        let s = Instant::now();
        let out = tmp.path().join(format!("raw-{round}"));
        std::fs::create_dir_all(&out)?;
        for (name, text) in &rendered {
            std::fs::write(out.join(name), text)?;
        }
        add("e5 write files (plain write)", s.elapsed());
        let s = Instant::now();
        let out2 = tmp.path().join(format!("raw2-{round}"));
        std::fs::create_dir_all(&out2)?;
        for (name, text) in &rendered {
            let tmpf = out2.join(format!(".{name}.tmp"));
            std::fs::write(&tmpf, text)?;
            std::fs::rename(&tmpf, out2.join(name))?;
        }
        add("e6 write files (write + rename)", s.elapsed());
        drop((extra, wb));

        // -- end to end, as the CLI does it
        let db2 = tmp.path().join(format!("e2e-{round}.db"));
        let s = Instant::now();
        let wb = rt.block_on(Workbench::open(&db2))?;
        rt.block_on(wb.import_adrs(&src))?;
        add("x1 Workbench::import_adrs end to end", s.elapsed());
        drop(wb);
        let s = Instant::now();
        let wb = rt.block_on(Workbench::open(&db2))?;
        rt.block_on(wb.export_adrs(&tmp.path().join(format!("out-{round}"))))?;
        add("x2 Workbench::export_adrs end to end", s.elapsed());
    }
    println!("{n} ADRs, median of {rounds} rounds");
    for (k, v) in t {
        println!("  {k:44} {}", ms(median(v)));
    }
    Ok(())
}
