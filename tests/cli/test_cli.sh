#!/usr/bin/env bash
# Usage: test_cli.sh RIDGELINE_BINARY PYTHON3
# Each case: expected exit code, a text stderr (or stdout) must contain, and the arguments.
# Every failure must be exactly one line on stderr — no crash, no abort, no hang (60 s cap).
set -u
bin=$1
py=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# Test catalogs whose one card matches every CPU: no case may depend on a catalog card for the
# machine the tests run on (a Xeon VM with a hidden model name has none).
high="$here/catalogs/any_cpu_high"
low="$here/catalogs/any_cpu_low"  # roofs far below any CPU: "roof below achieved", never a %
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
expect 2 stderr "--dtype: unknown dtype 'fp8' (expected f32, f64, bf16 or f16)" run gemm --problem "$small" --dtype fp8
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
# bf16/f16 run only on matrix units (gemm's vendor variant on cuda): every host variant records
# invalid_config with the reason; tune refuses before anything runs. vendor on a host stays OpenBLAS.
expect 1 stdout "vendor on openmp is OpenBLAS, which computes in f32 and f64 only; bf16" run gemm --problem "$small" --variant vendor --dtype bf16
expect 1 stdout "kokkos_tiled computes in f32 and f64 only; f16" run gemm --problem "$small" --dtype f16
expect 1 stdout "reference computes in f32 and f64 only; bf16" run gemm --problem "$small" --variant reference --dtype bfloat16
expect 1 stdout "kokkos_flash computes in f32 and f64 only; f16" run attention --problem hq=2,hkv=2,sq=4,skv=4,d=8 --dtype half
expect 1 stderr "--dtype: kokkos_tiled computes in f32 and f64 only; bf16" tune gemm --problem "$small" --dtype bf16 --budget 2
expect 0 stdout '"blas": "OpenBLAS' --json run gemm --problem "$small" --variant vendor --check --max-time 0.05
# Success paths.
expect 0 stdout "check   passed" run gemm --problem m=257,n=129,k=31 --dtype f64 --check --max-time 0.2
expect 0 stdout "vendor" run gemm --problem m=64,n=64,k=64 --variant kokkos_tiled,vendor --check --max-time 0.2
expect 0 stdout "backend  openmp" devices
expect 0 stdout "catalog  CPU: " devices
expect 0 stdout "% of attainable" --catalog "$high" run gemm --problem m=128,n=128,k=128 --max-time 0.1
# Global options after the verb, as users type them.
expect 0 stdout '"schema": "ridgeline.results/1"' run gemm --problem "$small" --max-time 0.05 --json --db "$tmp/after.sqlite"
if [ -s "$tmp/after.sqlite" ]; then passes=$((passes + 1)); else echo "FAIL: --db after the verb was not used"; failures=$((failures + 1)); fi
expect 0 stdout "catalog  CPU: " devices --catalog "$high"
# A roof below the achieved point is an error of the roofs: named, never printed as a percentage.
expect 0 stdout "roof    roof below achieved: this roof set is wrong or stale (datasheet card any_cpu_low)" --catalog "$low" --db "$tmp/low.sqlite" run gemm --problem m=128,n=128,k=128 --max-time 0.1
if grep -q "of attainable" "$tmp/out"; then
  echo "FAIL: a placement above its roof was printed as a percentage"; failures=$((failures + 1))
else
  passes=$((passes + 1))
fi
expect 0 stdout "stopped: roof_below_achieved" --catalog "$low" --db "$tmp/low.sqlite" tune gemm --problem "$small" --within-roof 5 --max-time 0.02
expect 0 stdout "roof     roof below achieved: this roof set is wrong or stale (datasheet card any_cpu_low)" --catalog "$low" --db "$tmp/low.sqlite" tune gemm --problem "$small" --budget 2 --max-time 0.02
if grep -q "roofline's attainable" "$tmp/out"; then
  echo "FAIL: a floor from a roof below the achieved was reported as a % of roof"; failures=$((failures + 1))
else
  passes=$((passes + 1))
fi
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
expect 0 stdout "counts_source,roof_below_achieved" roofline --input "$tmp/run.json" --ceilings "$tmp/ceil.json" --format csv
expect 0 stdout '"roof_below_achieved":' roofline --input "$tmp/run.json" --ceilings "$tmp/ceil.json" --format json
expect 0 stdout ",true" --catalog "$low" roofline --input "$tmp/run.json" --format csv
expect 0 stdout "    roof below achieved: this roof set is wrong or stale (datasheet card any_cpu_low)" --catalog "$low" roofline --input "$tmp/run.json"
expect 0 stdout '"schema": "ridgeline.roofline/1"' roofline --input "$tmp/run.json" --format json
expect 0 stderr "wrote $tmp/chart.svg (2 measurements, 2 roof sets)" --catalog "$high" roofline --input "$tmp/run.json" --ceilings "$tmp/ceil.json" --format svg --output "$tmp/chart.svg"
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
  "$bin" --catalog "$high" roofline --input "$tmp/exported.json" --format csv | grep -q "m=32,n=32,k=32"; then
  passes=$((passes + 1))
else
  echo "FAIL: export -> roofline --input round trip"; failures=$((failures + 1))
fi
sqlite3 "$tmp/newer.sqlite" "PRAGMA user_version = 99; CREATE TABLE t(x);"
expect 1 stderr "newer than this build" --db "$tmp/newer.sqlite" run gemm --problem "$small"
echo "not a database" >"$tmp/junk.sqlite"
expect 1 stderr "junk.sqlite" --db "$tmp/junk.sqlite" run gemm --problem "$small"

# attention: checked runs of every variant, inconsistent problems, recorded refusals.
expect 0 stdout "check   passed" run attention --problem hq=8,hkv=2,sq=1,skv=777,d=67,causal=1 --check --max-time 0.1
expect 0 stdout "unfused" run attention --problem batch=2,hq=4,hkv=1,sq=33,skv=40,d=64,causal=1 --dtype f64 --variant kokkos_flash,unfused,reference --check --max-time 0.1
expect 2 stderr "--problem: hq=6 is not a multiple of hkv=4" run attention --problem hq=6,hkv=4,sq=1,skv=8,d=8
expect 2 stderr "--problem: d must be >= 1 (got 0)" run attention --problem hq=4,hkv=4,sq=1,skv=8,d=0
expect 2 stderr "--problem: causal must be 0 or 1" run attention --problem hq=4,hkv=4,sq=1,skv=8,d=8,causal=3
expect 2 stderr "--problem: missing 'hkv'" run attention --problem hq=4,sq=1,skv=8,d=8
expect 1 stdout "score matrix needs" run attention --problem hq=16,hkv=16,sq=1048576,skv=1048576,d=1 --variant unfused
expect 1 stdout "violates: tile_q is a multiple of reg_m" run attention --problem hq=4,hkv=4,sq=8,skv=8,d=8 --params tile_q=4,reg_m=8

# MoE routing and problem presets: checked runs, presets with overrides, bad input naming the field.
moe="tokens=37,experts=16,top_k=4"
expect 0 stdout "check   passed" run moe_gating --problem "$moe,groups=4,topk_groups=2,scoring=1,routed_scale=2.5" --check --max-time 0.1
expect 0 stdout "check   passed" run moe_permute --problem "$moe,hidden=33,block=8" --variant kokkos,reference --check --max-time 0.1
expect 0 stdout "check   passed" run moe_grouped_gemm --problem "$moe,hidden=33,intermediate=19" --check --max-time 0.1
expect 0 stdout "check   passed" run moe_combine --problem "$moe,hidden=33" --dtype f64 --check --max-time 0.1
expect 0 stdout "check   passed" run moe_layer --problem "$moe,hidden=33,intermediate=19,routing=1" --check --max-time 0.1
expect 0 stdout "tokens=64,experts=256,top_k=8,groups=8,topk_groups=4,scoring=1" run moe_gating --preset deepseek-v3 --tokens 64 --check --max-time 0.1
expect 0 stdout "experts=8,top_k=2" run moe_layer --preset mixtral-8x7b --tokens 2 --problem hidden=64,intermediate=48 --check-only
expect 0 stdout "sq=1,skv=300" run attention --preset qwen3-30b-a3b --tokens 1 --problem skv=300 --check-only
expect 2 stderr "--preset: unknown preset 'gpt5' (presets: deepseek-v3, mixtral-8x7b, qwen3-30b-a3b)" run moe_layer --preset gpt5 --tokens 8
expect 2 stderr "--tokens: needs --preset" run moe_gating --tokens 8 --problem "$moe"
expect 2 stderr "--problem: top_k must be <= experts" run moe_gating --problem tokens=4,experts=4,top_k=5
expect 2 stderr "--problem: topk_groups must be <= groups" run moe_gating --problem tokens=4,experts=16,top_k=2,groups=4,topk_groups=8
expect 2 stderr "--problem: experts must be a multiple of groups" run moe_gating --problem tokens=4,experts=10,top_k=2,groups=4
mkdir -p "$tmp/presets"
printf 'schema: ridgeline.problem/1\nname: Mine\nsource: me\nmoe:\n  experts: {value: 8, source: s}\n' >"$tmp/presets/mine.yaml"
RIDGELINE_PROBLEMS="$tmp/presets" expect 2 stderr "mine.yaml:4: moe.top_k: missing" run moe_gating --preset mine --tokens 4

# replay: strategies on recorded spaces (the fixtures of tests/tuner/data).
spaces="$(cd "$(dirname "$0")/../tuner/data" && pwd)"
expect 0 stdout "fraction of optimum" replay "$spaces/ktt_rtx2080ti_subset.json.gz" --strategy random,genetic --repeats 3 --budget 30
expect 2 stderr "--strategy: unknown strategy 'bogus'" replay "$spaces/t4_ktt_subset.json" --strategy bogus
expect 2 stderr "--strategy-option: unknown option 'x' for strategy 'genetic'" replay "$spaces/t4_ktt_subset.json" --strategy genetic --strategy-option x=1
expect 2 stderr "missing.json: cannot read" replay "$tmp/missing.json"
echo '{"cache": ' >"$tmp/junk.json"
expect 2 stderr "junk.json: malformed JSON" replay "$tmp/junk.json"
if "$bin" --json replay "$spaces/kernel_tuner_a4000_subset.json" --strategy annealing --repeats 4 --budget 25 --seed 3 --trace "$tmp/trace.json" >"$tmp/j" 2>"$tmp/err" &&
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d["spaces"][0]["results"][0]; assert d["schema"]=="ridgeline.replay/1" and r["repeats"]==4 and r["budget"]==25; t=json.load(open(sys.argv[2]))["runs"]; assert len(t)==4 and all(len(x)==25 for x in t); assert t[0][0]["filter_width"]==15 and len(t[0][0])==10' "$tmp/j" "$tmp/trace.json"; then
  passes=$((passes + 1))
else
  echo "FAIL: replay --json --trace"; failures=$((failures + 1))
fi

# tune and wisdom: bad input is one line naming the field; nothing is written for it.
expect 2 stderr "--problem" tune gemm
expect 2 stderr "unknown kernel 'gemmx'" tune gemmx --problem "$small"
expect 2 stderr "--strategy: unknown strategy 'bogus'" tune gemm --problem "$small" --strategy bogus
expect 2 stderr "--strategy-option: unknown option 'x'" tune gemm --problem "$small" --strategy genetic --strategy-option x=1
expect 2 stderr "--budget: must be >= 1" tune gemm --problem "$small" --budget 0
expect 2 stderr "--time: 'soon' is not a positive duration" tune gemm --problem "$small" --time soon
expect 2 stderr "--within-roof: a percentage between 0 and 100" tune gemm --problem "$small" --within-roof 150
expect 2 stderr "--check: 'most' is not one of none, best, all" tune gemm --problem "$small" --check most
expect 2 stderr "--abandon-factor: must be > 1" tune gemm --problem "$small" --abandon-factor 0.5
expect 2 stderr "--abandon-factor: must be > 1" tune gemm --problem "$small" --cut 0.5  # earlier name
expect 2 stderr "--variant: vendor of gemm has no tunable axes" tune gemm --problem "$small" --variant vendor
expect 2 stderr "--problem: missing 'k'" wisdom gemm --problem m=8,n=8
expect 2 stderr "--variant: vendor of gemm has no tunable axes" wisdom gemm --problem m=8,n=8,k=9 --variant vendor
expect 0 stdout "kernel_default" wisdom gemm --problem m=8,n=8,k=9
expect 0 stdout "speedup" tune gemm --problem m=24,n=16,k=8 --budget 3 --max-time 0.02 --warmup 0.001
expect 0 stdout "exact" wisdom gemm --problem m=24,n=16,k=8
# The backend's launch limits are part of the space: no evaluation is spent on a configuration
# the OpenMP backend refuses (team sizes above its maximum), for every tunable kernel.
expect 0 stdout ", 0 invalid," tune attention --problem batch=1,hq=4,hkv=2,sq=40,skv=40,d=16,causal=1 --budget 5 --max-time 0.02 --warmup 0.001 --strategy random
expect 0 stdout ", 0 invalid," tune moe_gating --preset deepseek-v3 --tokens 32 --budget 5 --max-time 0.02 --warmup 0.001 --strategy random
expect 0 stdout ", 0 invalid," tune moe_layer --problem tokens=24,experts=8,top_k=2,groups=1,topk_groups=1,hidden=16,intermediate=8 --budget 4 --max-time 0.02 --warmup 0.001 --strategy random
expect 0 stdout ", 0 invalid," tune gemm --problem m=40,n=24,k=16 --budget 5 --max-time 0.02 --warmup 0.001 --strategy random
if "$bin" --json tune gemm --problem m=16,n=16,k=16 --budget 2 --max-time 0.02 --warmup 0.001 --strategy random >"$tmp/t.json" 2>"$tmp/err" &&
  "$py" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["schema"]=="ridgeline.tune/1" and d["stop_reason"]=="budget" and d["best"]["check"]["passed"] and d["evaluations"]==2, d' "$tmp/t.json"; then
  passes=$((passes + 1))
else
  echo "FAIL: tune --json"; failures=$((failures + 1))
fi

# rocprofv3 counters: on a host backend (no HIP here) one line on stderr, and the run goes on with
# timing + the analytic counts.
expect 0 stdout "% of attainable" run gemm --problem "$small" --counters rocprof --max-time 0.05
if grep -qF "ridgeline: counters: rocprofv3 counts HIP kernels, and this runs on OpenMP" "$tmp/err" &&
  [ "$(wc -l <"$tmp/err")" -eq 1 ]; then
  passes=$((passes + 1))
else
  echo "FAIL: --counters rocprof on OpenMP: wanted one line on stderr"; sed 's/^/    stderr: /' "$tmp/err" | head -5
  failures=$((failures + 1))
fi
expect 0 stderr "rocprofv3 counts HIP kernels" run gemm --problem "$small" --counters rocprofv3 --max-time 0.05
# The hidden child of a rocprofv3 pass: N launches, nothing timed, printed on stdout or stored.
runs_before=$(sqlite3 "$RIDGELINE_DB" "select count(*) from runs" 2>/dev/null)
expect 0 stderr "counter replay: 2 launches of gemm kokkos_tiled done" run gemm --problem "$small" --variant kokkos_tiled --seed 5 --counters none --counter-replay 2
runs_after=$(sqlite3 "$RIDGELINE_DB" "select count(*) from runs" 2>/dev/null)
if [ ! -s "$tmp/out" ] && [ "${runs_before:-0}" = "${runs_after:-0}" ]; then
  passes=$((passes + 1))
else
  echo "FAIL: --counter-replay printed to stdout or stored a run ($runs_before -> $runs_after)"; failures=$((failures + 1))
fi
expect 2 stderr "--counter-replay: needs --seed" run gemm --problem "$small" --counter-replay 2
expect 2 stderr "--counter-replay: needs exactly one --variant" run gemm --problem "$small" --variant kokkos_tiled,vendor --seed 1 --counter-replay 2

echo "$passes passed, $failures failed"
[ "$failures" -eq 0 ]
