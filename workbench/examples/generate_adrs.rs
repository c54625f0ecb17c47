//! Writes N generated ADRs as MADR 4 files: `generate_adrs N DIR`.
//! Used by `bench/adr-vs-peers.sh` to give every tool the same input.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let n: u32 = args.next().ok_or("usage: generate_adrs N DIR")?.parse()?;
    let dir = std::path::PathBuf::from(args.next().ok_or("usage: generate_adrs N DIR")?);
    let adrs = plasma_workbench::generate::generate_adrs(n);
    let report = plasma_workbench::export_files(&adrs, &dir)?;
    // The index and graph files are ours; peers must build their own.
    for extra in ["index.md", "decision-graph.mmd", "decision-graph.dot"] {
        std::fs::remove_file(dir.join(extra))?;
    }
    println!("wrote {} ADRs to {}", report.files.len() - 3, dir.display());
    Ok(())
}
