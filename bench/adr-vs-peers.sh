#!/usr/bin/env bash
# Times the whole `plasma adr import` + `plasma adr export` process against the
# tools people use today, on the same generated folder of MADR files, in the
# same run (this machine is shared and noisy: compare ratios, not seconds).
#   bench/adr-vs-peers.sh [N ...]        default: 1000
# Peers, installed into a throwaway folder:
#   adr-log 2.2.0          `adr-log -d DIR -i DIR/index.md`  (writes an index of DIR)
#   @meza/adr-tools 2.0.3  `adr generate toc`                (writes DIR/decisions.md;
#                                                             DIR comes from .adr-dir)
# Each tool works on its own copy of the same folder. After timing, every
# output is checked to list all N ADRs, so the comparison is like for like.
# Needs hyperfine (apt) and node/npm. Results: bench-results/adr-N.json.
# PLASMA_BEFORE=/path/to/plasma adds that binary's import+export, import and
# export to the same run (an earlier release, for a before/after in one go).
# Scratch files go to $TMPDIR (default /tmp): TMPDIR=/dev/shm takes the disk
# out of the comparison, which on a shared VM is the noisiest part.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000}")
runs=${RUNS:-10}
work=$(mktemp -d "${TMPDIR:-/tmp}/plasma-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! command -v hyperfine >/dev/null; then
  echo "==> apt: installing hyperfine"
  sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_=sudo
  $sudo_ apt-get install -y -qq hyperfine >/dev/null
fi
# Two commands: `--example` alone would build no binary.
cargo build -q --release -p plasma-cli --bin plasma
cargo build -q --release -p plasma-workbench --example generate_adrs
target="${CARGO_TARGET_DIR:-$PWD/target}"
plasma="$target/release/plasma"
gen="$target/release/examples/generate_adrs"

echo "==> npm: installing peers into $work/peers"
mkdir -p "$work/peers"
(cd "$work/peers" && npm init -y >/dev/null &&
  npm install --no-audit --no-fund --silent adr-log@2.2.0 @meza/adr-tools@2.0.3 >/dev/null 2>&1)
adrlog="$work/peers/node_modules/.bin/adr-log"
mezaadr="$work/peers/node_modules/.bin/adr"
echo "    node $(node --version), $(hyperfine --version), $(nproc) cores, $(date -u +%F)"

# Fails the run when a tool's output does not list all n ADRs.
check() { # name file n pattern
  local lines entries
  lines=$(wc -l <"$2")
  entries=$(grep -cE "$4" "$2" || true)
  printf '    %-24s %-52s %6d lines, %6d ADR entries\n' "$1" "${2#"$work"/}" "$lines" "$entries"
  [ "$entries" -eq "$3" ] || { echo "    !! $1 lists $entries ADRs, expected $3" >&2; exit 1; }
}

mkdir -p bench-results
for n in "${sizes[@]}"; do
  src="$work/src-$n"
  "$gen" "$n" "$src" >/dev/null
  adrlog_dir="$work/adr-log-$n"; cp -r "$src" "$adrlog_dir"
  # @meza/adr-tools finds its folder through .adr-dir in the working directory.
  meza_home="$work/meza-$n"; mkdir -p "$meza_home/doc"; cp -r "$src" "$meza_home/doc/adr"
  echo "doc/adr" >"$meza_home/.adr-dir"
  # A database imported once, for `plasma adr export` timed alone.
  "$plasma" --db "$work/ready-$n.db" adr import "$src" >/dev/null
  before=()
  if [ -n "${PLASMA_BEFORE:-}" ]; then
    b=$PLASMA_BEFORE
    "$b" --db "$work/ready-before-$n.db" adr import "$src" >/dev/null
    before=(
      -n "before import+export" "$b --db $work/db-$n.db adr import $src >/dev/null && $b --db $work/db-$n.db adr export $work/out-$n >/dev/null"
      -n "before import" "$b --db $work/db-$n.db adr import $src"
      -n "before export" "$b --db $work/ready-before-$n.db adr export $work/out-ready-$n"
    )
  fi
  echo "==> $n ADRs"
  hyperfine --style basic --warmup 1 --runs "$runs" --export-json "bench-results/adr-$n.json" \
    --prepare "rm -rf $work/db-$n.db $work/db-$n.db-wal $work/db-$n.db-shm $work/out-$n $work/out-ready-$n" \
    -n "plasma import+export" "$plasma --db $work/db-$n.db adr import $src >/dev/null && $plasma --db $work/db-$n.db adr export $work/out-$n >/dev/null" \
    -n "plasma import" "$plasma --db $work/db-$n.db adr import $src" \
    -n "plasma export" "$plasma --db $work/ready-$n.db adr export $work/out-ready-$n" \
    "${before[@]}" \
    -n "adr-log index" "$adrlog -d $adrlog_dir -i $adrlog_dir/index.md" \
    -n "@meza/adr-tools toc" "cd $meza_home && $mezaadr generate toc" \
    >"bench-results/adr-$n.txt"

  echo "    outputs (each must list all $n ADRs):"
  "$plasma" --db "$work/db-$n.db" adr import "$src" >/dev/null # the last prepare removed it
  "$plasma" --db "$work/db-$n.db" adr export "$work/out-$n" >/dev/null
  check "plasma index.md" "$work/out-$n/index.md" "$n" '\]\([0-9]{4,}-[^)]*\.md\)'
  printf '    %-24s %d NNNN-*.md files\n' "plasma export" "$(find "$work/out-$n" -name '[0-9]*.md' | wc -l)"
  check "adr-log index" "$adrlog_dir/index.md" "$n" '^\* \[ADR-[0-9]+\]\([0-9]{4,}-[^)]*\.md\)'
  check "@meza/adr-tools toc" "$meza_home/doc/adr/decisions.md" "$n" '^- \[[^]]+\]\([0-9]{4,}-[^)]*\.md\)'

  python3 - "bench-results/adr-$n.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
ours = r["plasma import+export"]["median"]
print(f"    {'command':24s} {'median':>9s}    {'mean ± sd':>18s}   median / plasma import+export")
for name, x in r.items():
    print(f"    {name:24s} {x['median']*1000:7.1f} ms  {x['mean']*1000:8.1f} ± {x['stddev']*1000:5.1f} ms   {x['median']/ours:6.2f}x")
PY
done
