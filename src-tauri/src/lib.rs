//! The desktop shell. Every command is one call into `plasma_workbench`;
//! this crate only wires Tauri, the window and the typed bindings.

mod commands;
#[cfg(test)]
mod security_tests;

use std::path::PathBuf;

use plasma_workbench::{resolve_db_path, Workbench};

/// `--db PATH` on the app's command line, as for the CLI.
fn db_flag() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--db" {
            return args.next().map(PathBuf::from);
        }
        if let Some(path) = arg.to_str().and_then(|a| a.strip_prefix("--db=")) {
            return Some(PathBuf::from(path));
        }
    }
    None
}

/// WebKitGTK's compositing mode backs a transformed layer as large as what it
/// holds: without a GPU (VMs, remote desktops, CI) a diagram of a few hundred
/// elements made the web process grow to gigabytes, and 1,000 to an
/// out-of-memory kill. Painting without compositing keeps memory to the
/// window. A user who sets the variable (to 0 on a machine with a GPU, say)
/// keeps their choice. Set before any thread starts, while nothing reads the
/// environment concurrently.
fn prefer_webkit_without_compositing() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}

pub fn run() {
    prefer_webkit_without_compositing();
    let builder = commands::specta_builder();
    let db = resolve_db_path(db_flag());
    let workbench = tauri::async_runtime::block_on(async {
        let wb = Workbench::open(&db).await?;
        wb.ensure_demo_workspace().await?;
        Ok::<_, plasma_workbench::WorkbenchError>(wb)
    });
    let workbench = match workbench {
        Ok(wb) => wb,
        Err(e) => {
            eprintln!("Plasma Plan cannot open its database {}: {e}", db.display());
            std::process::exit(1);
        }
    };
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(workbench)
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            Ok(())
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("Plasma Plan stopped: {e}");
        std::process::exit(1);
    }
}

pub use commands::specta_builder;
