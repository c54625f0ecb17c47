#!/usr/bin/env bash
# Frame times of the diagram editor in the real app: the Tauri build's
# WebKitGTK webview, driven over WebDriver (tauri-driver + WebKitWebDriver)
# under Xvfb, with no GPU (software rendering, as on a VM or CI runner).
#   bench/diagram-webkit.sh [N ...]          default: 1000
# For each N, a generated model of N elements, N flows and 3 % as many
# nested trust boundaries (pytm JSON, imported and laid out by
# `plasma threats import --format pytm`, which also runs the STRIDE rules, so
# threat badges show) is opened in the editor; the driver
# (tests/integration/e2e_diagram_bench.rs, an ignored test) injects a
# requestAnimationFrame recorder and measures load, pan and zoom of the fitted
# diagram, pan at 100 %, dragging one element, select all and moving them all,
# and opening an element's property panel. It prints median / p95 / max frame
# interval and frames over 50 ms per action. Results: bench-results/diagram-webkit.txt.
# PLASMA_E2E_APP=path measures an existing build instead of building.
# Experiments: PLASMA_BENCH_VARIANTS, lines of `label=css`, pans at 100 %
# once more under each style sheet (an empty css is the baseline) and stops:
# what each part of the canvas costs WebKit to paint.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes="${*:-1000}"
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}

for tool in tauri-driver WebKitWebDriver xvfb-run dbus-run-session; do
  command -v "$tool" >/dev/null || { echo "needs $tool (see README: end-to-end tests)" >&2; exit 1; }
done
if [ -z "${PLASMA_E2E_APP:-}" ]; then
  echo "==> building the UI and the desktop app (debug, custom-protocol)"
  (cd ui && npm run -s build >/dev/null)
  cargo build -q -p plasma-desktop --features plasma-desktop/custom-protocol
  PLASMA_E2E_APP="$CARGO_TARGET_DIR/debug/plasma-plan"
fi
cargo build -q -p plasma-cli --bin plasma
cargo test -q -p plasma-tests --test integration --no-run

mkdir -p bench-results
out=bench-results/diagram-webkit.txt
{
  echo "# $(date -u '+%F %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) before the run"
  echo "# WebKitGTK $(dpkg-query -W -f '${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo '?'), Xvfb 1440x900x24, app $(basename "$PLASMA_E2E_APP")"
} | tee "$out"
# stdout: the driver's table; stderr (driver and app logs): beside it.
if ! PLASMA_E2E=1 PLASMA_E2E_APP="$PLASMA_E2E_APP" PLASMA_BENCH_SIZES="$sizes" \
  dbus-run-session -- xvfb-run -a -s "-screen 0 1440x900x24" \
  cargo test -q -p plasma-tests --test integration e2e_diagram_bench::e2e_diagram_bench \
  -- --ignored --exact --nocapture --test-threads=1 2>"$out.log" | grep --line-buffered -v '^running \|^test result\|^$' | tee -a "$out"; then
  grep -A3 'panicked' "$out.log" >&2 || tail -20 "$out.log" >&2
  exit 1
fi
echo "# load average $(cut -d' ' -f1-3 /proc/loadavg) after the run" | tee -a "$out"
