#!/usr/bin/env bash
# Usage: test_import.sh RIDGELINE_BINARY PYTHON3
# `ridgeline import` as a user meets it (docs/import.md): each shipped sample format imported,
# placed by `ridgeline roofline` with FLOPs, bytes and time worked out by hand from the sample;
# the same file twice adds nothing; a malformed file is one FILE:LINE line, imports nothing of
# itself and does not stop the others; bad options exit 2 before anything is stored.
set -u
bin=$1
py=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
data="$here/../importers/data"
run_timeout=60
source "$here/cli_test_lib.sh"
export RIDGELINE_DB="$tmp/results.sqlite"  # never the user's database

measurements() {
  "$py" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM measurements").fetchone()[0])' "$RIDGELINE_DB"
}

# --- Bad options: exit 2, one line naming the field, nothing stored.
run 2 import "$data/ncu/raw_h200.csv" --format nvprof
grep -qF -- "--format: 'nvprof' is not a format" "$tmp/err" || fail "--format message: $(cat "$tmp/err")"
run 2 import "$data/ncu/raw_h200.csv" --device h999
grep -qF -- "--device: no catalog card 'h999'" "$tmp/err" || fail "--device message"
run 2 import "$data/ncu/raw_h200.csv" --kernel-filter 'gemm('
grep -qF -- "--kernel-filter:" "$tmp/err" || fail "--kernel-filter message"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "--kernel-filter: more than one line on stderr"
[ ! -e "$RIDGELINE_DB" ] || [ "$(measurements)" -eq 0 ] || fail "bad options stored something"

# --- A good file and a malformed one on one command line: the good one is imported, the bad one
# is named with its line, exit 2.
run 2 import "$data/ncu/raw_h200.csv" "$data/ncu/malformed_value.csv"
grep -qF "raw_h200.csv: 3 launches from ncu-raw (3 placeable), card h200" "$tmp/out" ||
  fail "ncu import summary: $(cat "$tmp/out")"
grep -qF "malformed_value.csv:3: dram__bytes_read.sum: expected a number, got '12.5x'" "$tmp/err" ||
  fail "malformed file message: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "malformed file: more than one line on stderr"
[ "$(measurements)" -eq 3 ] || fail "wanted 3 measurements after the ncu import, got $(measurements)"

# --- The same content again, under another name: nothing added.
cp "$data/ncu/raw_h200.csv" "$tmp/renamed.csv"
run 0 import "$tmp/renamed.csv"
grep -qF "already imported" "$tmp/out" || fail "re-import not reported: $(cat "$tmp/out")"
[ "$(measurements)" -eq 3 ] || fail "re-import added rows: $(measurements)"

# --- Placed on the card's roofs with the hand-worked numbers (raw_h200.csv, launch ID 0):
# FLOPs f32 simt = 2 x 1,073,741,824 (ffma) + 33,554,432 (fmul) = 2,181,038,080;
# DRAM bytes = 12.58 Mbyte + 4.19 Kbyte = 12,584,190; time = 812.48 us.
run 0 roofline --device h200 --format json
"$py" - "$tmp/out" <<'PY' || fail "ncu placement numbers"
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["placements"]
        if r["kernel"].startswith("void gemm<float, 128")]
assert len(rows) == 2, rows  # two launches of one kernel, kept apart
p = rows[0]
flops, dram, t = 2 * 1073741824 + 33554432, 12.58e6 + 4.19e3, 812.48e-6
assert p["variant"] == "imported:ncu" and p["counts_source"] == "ncu", p
assert (p["precision"], p["unit"]) == ("f32", "simt"), p
assert abs(p["achieved_flop_per_s"] / (flops / t) - 1) < 1e-9, p
ai = [l for l in p["levels"] if l["level"] == "dram"][0]["arithmetic_intensity_flop_per_byte"]
assert abs(ai / (flops / dram) - 1) < 1e-9, ai
assert abs(p["attainable_flop_per_s"] - 67e12) < 1, p  # h200 card: f32 simt 67 TFLOP/s
PY

# --- A file that does not name its device needs --device: refused whole, one line.
run 2 import "$data/ncu/details_names.csv"
grep -qF "the file does not name the device it ran on: pass --device CARD" "$tmp/err" ||
  fail "no-device refusal: $(cat "$tmp/err")"
[ "$(measurements)" -eq 3 ] || fail "a refused file stored rows: $(measurements)"

# --- --json import: one document per call.
run 0 --json import "$data/ncu/details_names.csv" --device h200
"$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="ridgeline.import/1"; f=d["files"][0]; assert f["format"]=="ncu-details" and f["launches"]>0 and f["error"]=="", f' "$tmp/out" ||
  fail "--json import document: $(cat "$tmp/out")"

# --- Cards no Ridgeline kernel runs on. ridgeline-csv naming its device (MLU590, matched to the
# mlu590 card): gemm_f16_4096 launch 1 = 137,438,953,472 f16 tensor + 16,777,216 f32 simt FLOPs in
# 812.5 us over 100,663,296 DRAM bytes. The card publishes no roofs, so it is stored, not placed,
# and the placement says which roof is missing.
run 0 import "$data/ridgeline-csv/mlu590_gemm.csv"
grep -qF "3 launches from ridgeline-csv (3 placeable), card mlu590" "$tmp/out" ||
  fail "ridgeline-csv summary: $(cat "$tmp/out")"
run 0 roofline --device mlu590 --format json
"$py" - "$tmp/out" <<'PY' || fail "ridgeline-csv: placement without roofs"
import json, sys
rows = [r for r in json.load(open(sys.argv[1]))["placements"] if r["kernel"] == "gemm_f16_4096"]
assert len(rows) == 2, rows
assert rows[0]["why_not"] == "no f16 tensor compute roof in the datasheet roofs of mlu590", rows[0]
PY
run 0 export --format json --variant imported:ridgeline-csv
"$py" - "$tmp/out" <<'PY' || fail "ridgeline-csv stored numbers"
import json, sys
m = json.load(open(sys.argv[1]))["measurements"][0]
assert m["kernel"] == "gemm_f16_4096" and m["dtype"] == "f16", m
assert abs(m["time_s"]["median"] - 812.5e-6) < 1e-15, m["time_s"]
flops = {(f["precision"], f["unit"]): f["count"] for f in m["work"]["flops"]}
assert flops == {("f16", "tensor"): 137438953472, ("f32", "simt"): 16777216}, flops
assert {b["level"]: b["count"] for b in m["work"]["bytes"]} == {"dram": 100663296}, m["work"]
assert m["work"]["source"] == "ridgeline-csv", m["work"]
PY

# Ascend: an `msprof op` folder on the 910B card. Cube 2 x 67,108,864 f16 FLOPs (matrix roof),
# vector 65,536 f32, DRAM (1664 + 256) KiB, 24.68 us.
run 0 import "$data/msprof/op_matmul_f16" --device ascend_910b
grep -qF "1 launches from msprof-op (1 placeable), card ascend_910b" "$tmp/out" ||
  fail "msprof op summary: $(cat "$tmp/out")"
run 0 import "$data/msprof/op_summary_pipe_utilization.csv" --device ascend_910b
grep -qF "from msprof-summary (0 placeable)" "$tmp/out" || fail "op_summary: $(cat "$tmp/out")"
run 0 roofline --device ascend_910b --format json
"$py" - "$tmp/out" <<'PY' || fail "msprof placement numbers"
import json, sys
rows = json.load(open(sys.argv[1]))["placements"]
placed = [r for r in rows if r["placed"]]
assert len(placed) == 1, placed
p = placed[0]
flops = 2 * 67108864 + 65536
assert (p["precision"], p["unit"], p["variant"]) == ("f16", "tensor", "imported:msprof"), p
assert abs(p["achieved_flop_per_s"] / (flops / 24.68e-6) - 1) < 1e-9, p
ai = [l for l in p["levels"] if l["level"] == "dram"][0]["arithmetic_intensity_flop_per_byte"]
assert abs(ai / (flops / ((1664 + 256) * 1024)) - 1) < 1e-9, ai
ratios = [r for r in rows if not r["placed"]]
assert len(ratios) == 4 and all("ratios" in r["why_not"] for r in ratios), ratios
PY
run 0 roofline --device ascend_910b
grep -qF "not placed:" "$tmp/out" && grep -qF "ratios" "$tmp/out" || fail "text roofline: unplaced reason"
# The same folder onto another card is another import; onto the same card again, nothing.
run 0 import "$data/msprof/op_matmul_f16" --device ascend_910c
grep -qF "card ascend_910c" "$tmp/out" || fail "re-import onto another card: $(cat "$tmp/out")"
run 0 import "$data/msprof/op_matmul_f16" --device ascend_910b
grep -qF "already imported" "$tmp/out" || fail "msprof re-import: $(cat "$tmp/out")"

# AMD: a rocprof-compute workload folder names its GPU (sysinfo.csv: MI300X, gfx942 formulas).
# Dispatch 0: f64 simt 64 x 2 x 2048 (FMA) + f64 tensor 512 x 16384 (MFMA) in 50 us; DRAM
# 128 x 500 (bubbles) + 64 x (8000 - 100) + 32 x 100 (reads) + 64 x 2000 (writes) = 700,800 B.
run 0 import "$data/rocprof-compute/mi300x"
grep -qF "from rocprof-compute (2 placeable), card mi300x" "$tmp/out" ||
  fail "rocprof-compute summary: $(cat "$tmp/out")"
# rocprof v1 results.csv does not name its GPU: the MI250X card's gfx90a formulas. saxpy dispatch
# 0: f32 simt 64 x 2 x 16384 in 45 us; DRAM 64 x 131072 + 64 x 65536 B.
run 0 import "$data/rocprof/results.csv" --device mi250x
grep -qF "3 launches from rocprof (3 placeable), card mi250x" "$tmp/out" ||
  fail "rocprof v1 summary: $(cat "$tmp/out")"
# rocprofv3: the agent_info.csv beside the counter file names the GPU (MI300X).
run 0 import "$data/rocprof/mi300_counter_collection.csv"
grep -qF "3 launches from rocprofv3 (3 placeable), card mi300x" "$tmp/out" ||
  fail "rocprofv3 summary: $(cat "$tmp/out")"
run 0 roofline --device mi300x --format json
# rocprofv3 dispatch 1: bf16 tensor 512 x 65536 + f32 simt 64 x 2048 FLOPs in 12 us; DRAM
# 128 x 1024 (bubbles) + 64 x 6144 (reads) + 64 x 4096 (writes) bytes.
"$py" - "$tmp/out" <<'PY' || fail "rocprofv3 placement numbers"
import json, sys
rows = [p for p in json.load(open(sys.argv[1]))["placements"] if p["variant"] == "imported:rocprofv3"]
assert len(rows) == 3, rows
p = rows[0]
flops, dram = 512 * 65536 + 64 * 2048, 128 * 1024 + 64 * 6144 + 64 * 4096
assert (p["precision"], p["unit"]) == ("bf16", "tensor"), p
assert abs(p["achieved_flop_per_s"] / (flops / 12e-6) - 1) < 1e-9, p
ai = [l for l in p["levels"] if l["level"] == "dram"][0]["arithmetic_intensity_flop_per_byte"]
assert abs(ai / (flops / dram) - 1) < 1e-9, ai
PY
"$py" - "$tmp/out" <<'PY' || fail "rocprof-compute placement numbers"
import json, sys
rows = [p for p in json.load(open(sys.argv[1]))["placements"]
        if p["variant"] == "imported:rocprof-compute"]
assert len(rows) == 2 and all(p["placed"] for p in rows), rows
p = rows[0]
flops = 64 * 2 * 2048 + 512 * 16384
dram = 128 * 500 + 64 * (8000 - 100) + 32 * 100 + 64 * 2000
assert (p["precision"], p["unit"]) == ("f64", "tensor"), p
assert abs(p["achieved_flop_per_s"] / (flops / 50e-6) - 1) < 1e-9, p
ai = [l for l in p["levels"] if l["level"] == "dram"][0]["arithmetic_intensity_flop_per_byte"]
assert abs(ai / (flops / dram) - 1) < 1e-9, ai
PY
run 0 roofline --device mi250x --format json
"$py" - "$tmp/out" <<'PY' || fail "rocprof v1 placement numbers"
import json, sys
rows = [p for p in json.load(open(sys.argv[1]))["placements"] if p["variant"] == "imported:rocprof"]
assert len(rows) == 3, rows
p = rows[0]
flops = 64 * 2 * 16384
assert (p["precision"], p["unit"]) == ("f32", "simt"), p
assert abs(p["achieved_flop_per_s"] / (flops / 45e-6) - 1) < 1e-9, p
ai = [l for l in p["levels"] if l["level"] == "dram"][0]["arithmetic_intensity_flop_per_byte"]
assert abs(ai / (flops / (64 * 131072 + 64 * 65536)) - 1) < 1e-9, ai
PY

finish "import"
