#!/usr/bin/env bash
# Times `plasma threats generate` against pytm on the same generated model of
# N elements, in the same run (the machine is shared and noisy: compare the
# ratios, not the seconds).
#   bench/threats-vs-pytm.sh [N ...]          default: 1000 5000
# One model per N is written as pytm's JSON input (what `pytm.json.load`
# reads, and what `plasma threats import --format pytm` reads): N elements in
# all, counted the way pytm counts them: about 3 % trust boundaries, 47 %
# actors, servers, processes, lambdas and data stores, 50 % data flows between
# them, carrying 20 data assets.
# pytm 1.4.0 is installed into a throwaway virtualenv; its run is
#   python tm.py --json OUT      (tm.py: load the model, tm.process())
# which loads the model, checks it, resolves every threat rule against every
# element and writes the findings as JSON. Plasma's side:
#   plasma threats import MODEL.json --format pytm   (into a new database)
#   plasma threats generate NAME                      (STRIDE rules, stored)
#   plasma threats report NAME --out DIR              (Markdown, SVG, Mermaid,
#                                                      DOT, CSV)
# Needs hyperfine (apt), python3 with venv, GNU time (/usr/bin/time, apt
# `time`) for peak memory. Results: bench-results/threats-N.{json,txt}.
# PLASMA_BIN=/path/to/plasma runs an existing binary instead of building.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 5000}")
# shellcheck disable=SC2206 # "1000 5000" as the default splits on purpose
sizes=(${sizes[*]})
runs=${RUNS:-5}
work=$(mktemp -d "${TMPDIR:-/tmp}/plasma-pytm.XXXXXX")
trap 'rm -rf "$work"' EXIT

sudo_=""; [ "$(id -u)" -eq 0 ] || sudo_=sudo
command -v hyperfine >/dev/null || $sudo_ apt-get install -y -qq hyperfine >/dev/null
[ -x /usr/bin/time ] || $sudo_ apt-get install -y -qq time >/dev/null
python3 -c 'import venv, ensurepip' 2>/dev/null || $sudo_ apt-get install -y -qq python3-venv >/dev/null

# PLASMA_BIN=path times another build (say, the previous release) instead.
if [ -n "${PLASMA_BIN:-}" ]; then
  plasma=$PLASMA_BIN
else
  cargo build -q --release -p plasma-cli --bin plasma
  plasma="${CARGO_TARGET_DIR:-$PWD/target}/release/plasma"
fi

echo "==> pip: pytm 1.4.0 into a throwaway virtualenv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check pytm==1.4.0 >/dev/null
py="$work/venv/bin/python"
echo "    $("$py" --version), pytm $("$py" -c 'import importlib.metadata as m; print(m.version("pytm"))'), $(hyperfine --version), $(nproc) cores, $(date -u +%F)"

# pytm's entry point: the model comes from the JSON file, the rest is pytm's
# own command line (`--json OUT`).
cat >"$work/tm.py" <<'PY'
import sys
from pytm import json as pytm_json

model = sys.argv.pop(1)
with open(model, encoding="utf8") as f:
    tm = pytm_json.load(f)
tm.process()
PY

# The model: deterministic, so every run and both tools see the same one.
gen_model() { # n out
  python3 - "$1" "$2" <<'PY'
import json, random, sys
n, out = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(n)
boundaries = max(2, n * 3 // 100)
nodes = max(4, (n - boundaries) * 47 // 97)
flows = n - boundaries - nodes
kinds = ["Actor", "Server", "Process", "Lambda", "Datastore"]
data = [{"name": f"Data {i}",
         "classification": ["PUBLIC", "RESTRICTED", "SENSITIVE", "SECRET"][i % 4],
         "isPII": i % 5 == 0, "isCredentials": i % 7 == 0, "lifetime": "LONG"}
        for i in range(20)]
bs = []
for i in range(boundaries):
    b = {"name": f"Zone {i}"}
    if i >= 2:
        b["inBoundary"] = f"Zone {rnd.randrange(i)}"
    bs.append(b)
elements = []
for i in range(nodes):
    kind = kinds[i % len(kinds)]
    e = {"__class__": kind, "name": f"{kind} {i}", "inBoundary": f"Zone {rnd.randrange(boundaries)}"}
    if kind == "Server":
        e["isWebApplication"] = i % 2 == 0
        e["sanitizesInput"] = i % 3 == 0
    if kind in ("Server", "Process", "Lambda"):
        e["hasAccessControl"] = i % 4 != 0
        e["isHardened"] = i % 6 == 0
    if kind == "Datastore":
        e["isEncrypted"] = i % 2 == 0
        e["storesPII"] = i % 3 == 0
        e["isSQL"] = i % 2 == 1
    elements.append(e)
fl = []
pairs = set()  # pytm refuses two flows with the same source and sink
for i in range(flows):
    a, b = rnd.sample(range(nodes), 2)
    while (a, b) in pairs:
        a, b = rnd.sample(range(nodes), 2)
    pairs.add((a, b))
    f = {"name": f"Flow {i}", "source": elements[a]["name"], "sink": elements[b]["name"],
         "protocol": ["HTTPS", "HTTP", "gRPC", "SQL", "AMQP"][i % 5],
         "dstPort": [443, 80, 8443, 5432, 5672][i % 5],
         "isEncrypted": i % 5 in (0, 2),
         "authenticatesSource": i % 3 != 0,
         "data": [f"Data {rnd.randrange(20)}"]}
    fl.append(f)
json.dump({"name": f"Generated {n}", "description": f"{n} elements",
           "isOrdered": True, "onDuplicates": "IGNORE",
           "boundaries": bs, "data": data, "elements": elements, "flows": fl},
          open(out, "w"), indent=1)
print(f"{boundaries} boundaries, {nodes} nodes, {flows} flows")
PY
}

# Peak resident memory of one command, in MiB.
peak_mib() {
  /usr/bin/time -f '%M' -o "$work/rss" "$@" >/dev/null 2>&1
  echo $(( $(cat "$work/rss") / 1024 ))
}

mkdir -p bench-results
for n in "${sizes[@]}"; do
  model="$work/model-$n.json"
  echo "==> $n elements: $(gen_model "$n" "$model")"
  name="Generated $n"
  ready="$work/ready-$n.db"  # imported, never generated: copied before each timed generate
  "$plasma" --db "$ready" threats import "$model" --format pytm >/dev/null
  db="$work/db-$n.db"
  fresh="rm -f $db $db-wal $db-shm && cp $ready $db"
  "$plasma" --db "$ready" threats report "$name" --out "$work/report-probe" >/dev/null 2>&1 || true
  hyperfine --style basic --warmup 1 --runs "$runs" --export-json "bench-results/threats-$n.json" \
    -n "pytm --json" --prepare "rm -f $work/pytm-$n.json" \
    "$py $work/tm.py $model --json $work/pytm-$n.json" \
    -n "plasma threats generate" --prepare "$fresh" \
    "$plasma --db $db threats generate '$name'" \
    -n "plasma import+generate" --prepare "rm -f $db $db-wal $db-shm" \
    "$plasma --db $db threats import $model --format pytm && $plasma --db $db threats generate '$name'" \
    -n "plasma threats report" --prepare "$fresh && $plasma --db $db threats generate '$name' && rm -rf $work/report-$n" \
    "$plasma --db $db threats report '$name' --out $work/report-$n" \
    >"bench-results/threats-$n.txt"

  # Like for like: both produced threats for this model.
  pytm_findings=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["findings"]))' "$work/pytm-$n.json")
  eval "$fresh"
  "$plasma" --db "$db" threats generate "$name" >/dev/null
  ours=$("$plasma" --db "$db" threats list "$name" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
  svg=$(find "$work/report-$n" -name '*.svg' -printf '%s bytes' | head -1)
  echo "    pytm findings: $pytm_findings; plasma threats: $ours; report files: $(ls "$work/report-$n" | wc -l) ($svg SVG)"
  [ "$pytm_findings" -gt 0 ] && [ "$ours" -gt 0 ] || { echo "    !! a tool found no threats" >&2; exit 1; }

  pytm_rss=$(peak_mib "$py" "$work/tm.py" "$model" --json "$work/pytm-rss.json")
  eval "$fresh"
  gen_rss=$(peak_mib "$plasma" --db "$db" threats generate "$name")
  rep_rss=$(peak_mib "$plasma" --db "$db" threats report "$name" --out "$work/report-rss-$n")

  python3 - "bench-results/threats-$n.json" "$pytm_rss" "$gen_rss" "$rep_rss" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
pytm_rss, gen_rss, rep_rss = map(int, sys.argv[2:5])
rss = {"pytm --json": pytm_rss, "plasma threats generate": gen_rss, "plasma threats report": rep_rss}
pytm = r["pytm --json"]["median"]
print(f"    {'command':26s} {'median':>10s} {'mean ± sd':>20s}  {'pytm / it':>9s}  {'peak RSS':>9s}")
for name, x in r.items():
    mem = f"{rss[name]:6d} MiB" if name in rss else ""
    print(f"    {name:26s} {x['median']*1000:8.1f} ms {x['mean']*1000:9.1f} ± {x['stddev']*1000:6.1f} ms  {pytm/x['median']:8.1f}x  {mem:>9s}")
gen = r["plasma threats generate"]["median"]
print(f"    => generate is {pytm/gen:.0f}x faster than pytm with {gen_rss/pytm_rss:.2f} of its peak memory")
PY
done
