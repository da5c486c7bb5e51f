#!/usr/bin/env bash
# Usage: test_cli.sh RIDGELINE_BINARY PYTHON3
# Each case: expected exit code, a text stderr (or stdout) must contain, and the arguments.
# Every failure must be exactly one line on stderr — no crash, no abort, no hang (60 s cap).
set -u
bin=$1
py=$2
failures=0
passes=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RIDGELINE_DB="$tmp/results.sqlite"  # never the user's database

expect() {  # expect CODE STREAM TEXT ARGS...
  local want=$1 stream=$2 text=$3
  shift 3
  timeout 60 "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  local where="$tmp/err"
  [ "$stream" = stdout ] && where="$tmp/out"
  local problem=""
  [ "$got" -eq "$want" ] || problem="exit $got, wanted $want"
  grep -qF -- "$text" "$where" || problem="$problem; '$text' not in $stream"
  if [ "$want" -eq 2 ] && [ "$(wc -l <"$tmp/err")" -ne 1 ]; then
    problem="$problem; stderr has $(wc -l <"$tmp/err") lines, wanted 1"
  fi
  if grep -qiE "terminate called|aborted|segmentation|core dumped" "$tmp/err"; then
    problem="$problem; crashed"
  fi
  if [ -n "$problem" ]; then
    echo "FAIL: ridgeline $*: $problem"
    sed 's/^/    stderr: /' "$tmp/err" | head -5
    failures=$((failures + 1))
  else
    passes=$((passes + 1))
  fi
}

small="m=8,n=8,k=8"
mkdir -p "$tmp/badcat"
printf 'schema: ridgeline.device/1\nname: Bad\nvendor: X\nkind: gpu\narch: y\nmatch: {device_name: "Bad"}\nspeed: 3\n' >"$tmp/badcat/bad.yaml"
# Usage errors: exit 2, one line naming the field.
expect 2 stderr "--problem" run gemm
expect 2 stderr "kernel" run --problem "$small"
expect 2 stderr "unknown kernel 'gemmx'" run gemmx --problem "$small"
expect 2 stderr "--variant: unknown variant 'nope'" run gemm --problem "$small" --variant nope
expect 2 stderr "--variant: empty item" run gemm --problem "$small" --variant kokkos_tiled,,vendor
expect 2 stderr "--dtype: unknown dtype 'f16'" run gemm --problem "$small" --dtype f16
expect 2 stderr "--problem: m must be >= 1 (got 0)" run gemm --problem m=0,n=8,k=8
expect 2 stderr "--problem: n must be >= 1 (got -4)" run gemm --problem m=8,n=-4,k=8
expect 2 stderr "--problem: expected name=value, got 'n'" run gemm --problem m=8,n
expect 2 stderr "--problem: missing 'k'" run gemm --problem m=8,n=8
expect 2 stderr "--problem: unknown field 'x'" run gemm --problem m=8,n=8,k=8,x=1
expect 2 stderr "--problem: k: expected an integer, got '8.5'" run gemm --problem m=8,n=8,k=8.5
expect 2 stderr "--problem: m: integer out of range" run gemm --problem m=99999999999999999999,n=8,k=8
expect 2 stderr "--params: unknown axis 'tile_q'" run gemm --problem "$small" --params tile_q=4
expect 2 stderr "--params: tile_m: expected an integer" run gemm --problem "$small" --params tile_m=big
expect 2 stderr "--params: unknown axis 'tile_m' (this variant has no tunable axes)" run gemm --problem "$small" --variant vendor --params tile_m=8
expect 2 stderr "--backend: 'cuda' is not enabled" run gemm --problem "$small" --backend cuda
expect 2 stderr "--threads" --threads 0 run gemm --problem "$small"
expect 2 stderr "--max-time: must be > 0" run gemm --problem "$small" --max-time -1
expect 2 stderr "frobnicate" frobnicate
# Runtime errors and recorded outcomes: exit 1.
expect 1 stderr "GiB available" run gemm --problem m=1048576,n=1048576,k=1048576
expect 1 stdout "invalid_config" run gemm --problem "$small" --params tile_m=7
expect 1 stdout "violates: tile_m is a multiple of reg_m" run gemm --problem "$small" --params tile_m=8,reg_m=6
expect 1 stdout "scratch level 0 needs" run gemm --problem "$small" --params stage=l0
# Success paths.
expect 0 stdout "check   passed" run gemm --problem m=257,n=129,k=31 --dtype f64 --check --max-time 0.2
expect 0 stdout "vendor" run gemm --problem m=64,n=64,k=64 --variant kokkos_tiled,vendor --check --max-time 0.2
expect 0 stdout "backend  openmp" devices
expect 0 stdout "catalog  CPU: " devices
expect 0 stdout "% of attainable" run gemm --problem m=128,n=128,k=128 --max-time 0.1
expect 2 stderr "/nonexistent" --catalog /nonexistent devices
expect 2 stderr "bad.yaml:" --catalog "$tmp/badcat" devices

# JSON must parse and carry the schema.
if "$bin" --json run gemm --problem m=33,n=17,k=9 --check --max-time 0.1 >"$tmp/j" 2>"$tmp/err" &&
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); m=d["measurements"][0]; assert d["schema"]=="ridgeline.results/1"; assert m["check"]["passed"]; assert m["time_s"]["median"]>0' "$tmp/j"; then
  passes=$((passes + 1))
else
  echo "FAIL: run --json did not produce the expected JSON"; failures=$((failures + 1))
fi
if "$bin" --json devices >"$tmp/j" 2>"$tmp/err" &&
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["cpu"]["logical_cpus"]>=1; assert d["backends"]' "$tmp/j"; then
  passes=$((passes + 1))
else
  echo "FAIL: devices --json"; failures=$((failures + 1))
fi

if "$bin" --json ceilings --quick --time-per-point 0.02 >"$tmp/j" 2>"$tmp/err" &&
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); k={(c["kernel"],c["precision"],c["level"]) for c in d["ceilings"]}; assert ("fma","f32","") in k and ("load","f64","dram") in k, k' "$tmp/j"; then
  passes=$((passes + 1))
else
  echo "FAIL: ceilings --quick --json"; failures=$((failures + 1))
fi
expect 2 stderr "--time-per-point" ceilings --time-per-point -1

# roofline: exported results and measured ceilings on the chart, in every format.
"$bin" --json run gemm --problem m=64,n=64,k=64 --variant kokkos_tiled,vendor --max-time 0.05 >"$tmp/run.json" 2>/dev/null
"$bin" --json ceilings --quick --time-per-point 0.02 >"$tmp/ceil.json" 2>/dev/null
expect 0 stdout "points:" roofline --input "$tmp/run.json" --ceilings "$tmp/ceil.json"
expect 0 stdout "fraction_of_attainable" roofline --input "$tmp/run.json" --ceilings "$tmp/ceil.json" --format csv
expect 0 stdout '"schema": "ridgeline.roofline/1"' roofline --input "$tmp/run.json" --format json
expect 0 stderr "wrote $tmp/chart.svg (2 measurements, 2 roof sets)" roofline --input "$tmp/run.json" --ceilings "$tmp/ceil.json" --format svg --output "$tmp/chart.svg"
if grep -q "</svg>" "$tmp/chart.svg" && grep -q "(measured)" "$tmp/chart.svg"; then passes=$((passes + 1)); else echo "FAIL: svg content"; failures=$((failures + 1)); fi
expect 2 stderr "--output: --format svg writes a file" roofline --input "$tmp/run.json" --format svg
expect 2 stderr "--input: cannot read" roofline --input "$tmp/missing.json"
expect 2 stderr "is not a ridgeline.results/1 document" roofline --input "$tmp/ceil.json"
expect 2 stderr "--device: no catalog card 'h999'" roofline --input "$tmp/run.json" --device h999
expect 2 stderr "--format" roofline --input "$tmp/run.json" --format png

# The results database: runs are stored, measured ceilings become roofs, roofline reads it.
expect 0 stdout "no measured roofs yet" run gemm --problem m=32,n=32,k=32 --max-time 0.05
expect 0 stdout "ceilings on openmp" ceilings --time-per-point 0.02 --max-bytes 256M
expect 0 stdout "measured roofs of" run gemm --problem m=32,n=32,k=32 --max-time 0.05
expect 0 stdout "m=32,n=32,k=32" roofline --format csv
stored=$(sqlite3 "$RIDGELINE_DB" "select count(*) from measurements m join runs r on r.id = m.run_id where r.status = 'complete'" 2>/dev/null)
if [ "${stored:-0}" -ge 2 ]; then passes=$((passes + 1)); else echo "FAIL: runs not stored ($stored)"; failures=$((failures + 1)); fi
expect 0 stdout '"schema": "ridgeline.results/1"' export
expect 0 stdout "m=32,n=32,k=32" export --format csv --kernel gemm
if "$bin" export >"$tmp/exported.json" 2>/dev/null &&
  "$bin" roofline --input "$tmp/exported.json" --format csv | grep -q "m=32,n=32,k=32"; then
  passes=$((passes + 1))
else
  echo "FAIL: export -> roofline --input round trip"; failures=$((failures + 1))
fi
sqlite3 "$tmp/newer.sqlite" "PRAGMA user_version = 99; CREATE TABLE t(x);"
expect 1 stderr "newer than this build" --db "$tmp/newer.sqlite" run gemm --problem "$small"
echo "not a database" >"$tmp/junk.sqlite"
expect 1 stderr "junk.sqlite" --db "$tmp/junk.sqlite" run gemm --problem "$small"

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
