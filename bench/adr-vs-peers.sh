#!/usr/bin/env bash
# Times the whole `plasma adr import` + `plasma adr export` process against the
# tools people use today, on the same generated folder of MADR files, in the
# same run (this machine is shared and noisy: compare ratios, not seconds).
#   bench/adr-vs-peers.sh [N ...]        default: 1000
# Peers: adr-log 2.2.0 (index), @meza/adr-tools 2.0.3 (table of contents),
# installed into a throwaway folder. Needs hyperfine (apt) and node/npm.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000}")
work=$(mktemp -d /tmp/plasma-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT

command -v hyperfine >/dev/null || { echo "==> apt: installing hyperfine"; apt-get install -y -qq hyperfine >/dev/null; }
cargo build -q --release -p plasma-cli -p plasma-workbench --example generate_adrs
plasma="$PWD/target/release/plasma"
gen="$PWD/target/release/examples/generate_adrs"

echo "==> npm: installing peers into $work/peers"
mkdir -p "$work/peers"
(cd "$work/peers" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent adr-log@2.2.0 @meza/adr-tools@2.0.3 >/dev/null)
adrlog="$work/peers/node_modules/.bin/adr-log"
mezaadr="$work/peers/node_modules/.bin/adr"

mkdir -p bench-results
for n in "${sizes[@]}"; do
  src="$work/src-$n"
  "$gen" "$n" "$src" >/dev/null
  # @meza/adr-tools finds its folder through .adr-dir in the working directory.
  meza_home="$work/meza-$n"; mkdir -p "$meza_home/doc"; cp -r "$src" "$meza_home/doc/adr"
  echo "doc/adr" > "$meza_home/.adr-dir"
  echo "==> $n ADRs"
  hyperfine --warmup 1 --runs 5 --export-json "bench-results/adr-$n.json" \
    --prepare "rm -rf $work/db-$n.db* $work/out-$n" \
    -n "plasma import+export" "$plasma --db $work/db-$n.db adr import $src && $plasma --db $work/db-$n.db adr export $work/out-$n" \
    -n "adr-log index" "$adrlog -d $src -i $work/adr-log-index-$n.md" \
    -n "@meza/adr-tools toc" "cd $meza_home && $mezaadr generate toc > $work/meza-toc-$n.md"
  python3 - "bench-results/adr-$n.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours = r["plasma import+export"]["mean"]
for name, x in r.items():
    print(f"  {name:24s} {x['mean']*1000:9.1f} ms ± {x['stddev']*1000:6.1f}   ratio to plasma: {x['mean']/ours:6.2f}x")
PY
done
