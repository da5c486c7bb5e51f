#!/usr/bin/env bash
# scripts/device-check.sh — everything Ridgeline checks on a lent GPU machine, in one call.
#
# Prepare on the development machine:  scripts/device-prepare [--prebuild]
#   (fills .kokkos-src, .device-deps; --prebuild also .device-bin, the sm_90 binary built here)
# Then, with the device tool:  run  command="bash scripts/device-check.sh"
#                                   carry=[".kokkos-src", ".device-deps", ".device-bin"]  timeout_s≈540
# It builds Kokkos-CUDA (HOPPER90, patched for CUDA 13) from the carried source, builds the
# ridgeline CLI for sm_90 with the carried dependencies (fmt/CLI11/nlohmann headers, yaml-cpp and
# SQLite headers + shared libraries: the GPU machine reaches no package registry and has no
# OpenBLAS), then on the GPU: `devices`, `run gemm --check` at odd and decode shapes, timed runs
# at 1024/4096 in f32/f64, `ceilings`, the roofline SVG/CSV of this run against the card's
# datasheet and measured roofs, one Nsight Compute pass over one tiled-GEMM launch (FLOP and DRAM
# counters vs the analytic work model), gemm's `vendor` variant (cuBLAS: f32 without TF32, f64,
# bf16/f16 on tensor cores; checked at odd shapes and K = 4096, timed at 4096^3, CUPTI FLOPs by
# unit). Results database: results.sqlite in the archive $OUT/device-results.tar.gz; the short
# table printed last is what to copy into docs/device-runs.md. Leaves the card's settings alone.
set -uo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
# The device tool brings back only a limited number of files: work in a scratch folder and leave
# one archive (plus the summary and log) under $OUT at the end, whatever happens.
final_out=${OUT:-$repo/device-out}
out=$(mktemp -d /tmp/ridgeline-device-check.XXXXXX)
mkdir -p "$final_out"
pack() {
  tar -czf "$final_out/device-results.tar.gz" -C "$out" . 2>/dev/null
  cp "$out/summary.txt" "$out/log.txt" "$final_out/" 2>/dev/null
  true
}
trap pack EXIT
log() { printf '[device-check %s] %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$out/log.txt" >&2; }

for need in .kokkos-src/CMakeLists.txt .device-deps/include/fmt/format.h; do
  [ -f "$need" ] || { log "missing $need: run scripts/device-prepare and carry it"; exit 1; }
done

log "card and driver"
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm,clocks.mem \
  --format=csv >"$out/nvidia-smi.csv" 2>&1
nvcc --version | tail -2 >"$out/nvcc.txt"
cat "$out/nvidia-smi.csv" >&2

# Device time is scarce: `scripts/device-prepare --prebuild` builds the sm_90 binary on the
# development machine into .device-bin/ with a hash of the sources it was built from. It is used
# when the hash matches this tree and it runs here; otherwise everything is built here.
export RIDGELINE_CACHE=$repo/.device-cache
export RIDGELINE_KOKKOS_SRC=$repo/.kokkos-src
export RIDGELINE_CUDA_ARCH=HOPPER90
export RIDGELINE_DB=$out/results.sqlite
R=
prebuilt_path=$repo/.device-bin/lib:/usr/local/cuda/lib64:/usr/local/cuda/targets/x86_64-linux/lib
prebuilt_path=$prebuilt_path:/usr/local/cuda/extras/CUPTI/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
if [ -z "${RIDGELINE_DEVICE_CHECK_BUILD_ONLY:-}" ] && [ -x .device-bin/ridgeline ] &&
  [ "$(cat .device-bin/source-hash 2>/dev/null)" = "$(scripts/device-source-hash)" ] &&
  LD_LIBRARY_PATH=$prebuilt_path .device-bin/ridgeline devices >/dev/null 2>"$out/prebuilt.err"; then
  export LD_LIBRARY_PATH=$prebuilt_path
  R=.device-bin/ridgeline
  log "using the carried prebuilt ridgeline (sources $(scripts/device-source-hash)): no build here"
else
  [ -x .device-bin/ridgeline ] && log "carried binary not usable (stale or does not run: $(tail -1 "$out/prebuilt.err" 2>/dev/null)): building"
log "Kokkos 3.4.01 for CUDA (HOPPER90)"
start=$SECONDS
prefix=$(scripts/kokkos-build cuda 2>"$out/kokkos-build.log") || {
  log "Kokkos build failed"; tail -30 "$out/kokkos-build.log" >&2; exit 1; }
log "Kokkos built in $((SECONDS - start)) s: $prefix"

log "ridgeline for sm_90"
start=$SECONDS
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if ! { cmake -S . -B build-device "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DKokkos_ROOT="$prefix" -DCMAKE_CXX_COMPILER="$prefix/bin/nvcc_wrapper" \
  -DRIDGELINE_BUILD_TESTS=OFF -DRIDGELINE_WITH_OPENBLAS=OFF -DCMAKE_DISABLE_FIND_PACKAGE_PostgreSQL=ON \
  -DRIDGELINE_HEADER_DEPS="$repo/.device-deps/include" &&
  cmake --build build-device --parallel "$(nproc)" --target ridgeline; } >"$out/build.log" 2>&1; then
  log "ridgeline build failed"; tail -40 "$out/build.log" >&2; exit 1
fi
log "ridgeline built in $((SECONDS - start)) s"
R=build-device/cli/ridgeline
fi
if [ -n "${RIDGELINE_DEVICE_CHECK_BUILD_ONLY:-}" ]; then
  log "build only (RIDGELINE_DEVICE_CHECK_BUILD_ONLY): stopping before the GPU steps"
  exit 0
fi

"$R" devices | tee "$out/devices.txt" >&2
"$R" --json devices >"$out/devices.json"

run_kernel_case() {  # NAME KERNEL ARGS... — one JSON file per case; a failure is recorded, not fatal
  local name=$1 kernel=$2
  shift 2
  timeout 120 "$R" --json run "$kernel" --backend cuda --counters none "$@" >"$out/$name.json" \
    2>"$out/$name.err"
  echo "$name rc=$?" >>"$out/cases.txt"
}
run_case() { local name=$1; shift; run_kernel_case "$name" gemm "$@"; }

# The GPU default before issue 16 (gemm_tiled.cpp's git history).
accumulate_c=accumulate=c,tile_m=64,tile_n=64,tile_k=32,reg_m=4,reg_n=4,team_size=16,vector_length=16,stage=l0,panel_layout=rows
log "correctness: odd, degenerate and decode shapes, both dtypes, both panel layouts"
for dtype in f32 f64; do
  for shape in m=1,n=1,k=1 m=257,n=129,k=31 m=131,n=67,k=263 m=1,n=4096,k=4096 \
    m=16,n=4096,k=4096 m=1000,n=3,k=17; do
    run_case "check_${dtype}_${shape//[=,]/_}" --problem "$shape" --dtype "$dtype" --check-only
  done
  # The micro panel layout and unstaged panels exist in the accumulate=c structure only (the
  # registers default refuses them as invalid_config), so they are checked on that structure.
  run_case "check_${dtype}_micro" --problem m=257,n=129,k=31 --dtype "$dtype" --check-only \
    --params "${accumulate_c/panel_layout=rows/panel_layout=micro}"
  run_case "check_${dtype}_direct" --problem m=257,n=129,k=31 --dtype "$dtype" --check-only \
    --params "${accumulate_c/stage=l0/stage=none}"
  # The structure before issue 16 (partial sums added into C every K step), checked and timed
  # beside the registers default so the run shows what the new structure bought.
  run_case "check_${dtype}_accumulate_c" --problem m=257,n=129,k=31 --dtype "$dtype" --check-only \
    --params "$accumulate_c"
done

log "timing: the GPU default configuration, checked at 1024, timed at 1024 and 4096"
for dtype in f32 f64; do
  run_case "time_${dtype}_1024" --problem m=1024,n=1024,k=1024 --dtype "$dtype" --check
  run_case "time_${dtype}_4096" --problem m=4096,n=4096,k=4096 --dtype "$dtype" --max-time 3
  run_case "time_${dtype}_4096_accumulate_c" --problem m=4096,n=4096,k=4096 --dtype "$dtype" \
    --max-time 3 --params "$accumulate_c"
  run_case "time_${dtype}_decode16" --problem m=16,n=8192,k=8192 --dtype "$dtype" --max-time 2
done

log "vendor GEMM (cuBLAS): f32 without TF32 (pedantic), f64, bf16/f16 on tensor cores with f32 C"
# Checked at an odd shape with beta != 0 (C read; the row-major operand swap) and at K = 4096 (the
# accumulation length of the timed shape); timed at 4096^3 unchecked. The reference runs on one
# host thread here (the CUDA build's host space is Serial): on the busy 2-core development VM a
# 1024^3 check took 5 s in f32 (f64 accumulation) and 84 s in f64 (long double), so a 4096^3 check
# (64x) does not fit the device budget; 256x256x4096 costs 1/16 of 1024^3.
for dtype in f32 f64 bf16 f16; do
  run_case "check_vendor_${dtype}_odd" --variant vendor --problem m=257,n=129,k=31,beta=0.5 \
    --dtype "$dtype" --check-only
  run_case "check_vendor_${dtype}_k4096" --variant vendor --problem m=256,n=256,k=4096 \
    --dtype "$dtype" --check-only
  run_case "time_vendor_${dtype}_4096" --variant vendor --problem m=4096,n=4096,k=4096 \
    --dtype "$dtype" --max-time 3
done

log "tuning GEMM on the GPU: default strategy, ${RIDGELINE_TUNE_SECONDS:-100} s per dtype, best vs default"
# --check none while tuning: the reference runs on the host (minutes at 4096^3); the best
# configuration is checked right after at odd and mid sizes, where the reference is quick.
for dtype in f32 f64; do
  timeout 400 "$R" --json tune gemm --backend cuda --problem m=4096,n=4096,k=4096 --dtype "$dtype" \
    --time "${RIDGELINE_TUNE_SECONDS:-100}" --max-time 0.3 --warmup 0.01 --check none \
    >"$out/tune_${dtype}_4096.json" 2>"$out/tune_${dtype}_4096.err"
  echo "tune_${dtype}_4096 rc=$?" >>"$out/cases.txt"
  best=$(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["best"]; print(",".join(f"{k}={v}" for k,v in b["params"].items()))' \
    "$out/tune_${dtype}_4096.json" 2>/dev/null)
  if [ -n "$best" ]; then
    for shape in m=257,n=129,k=31 m=1024,n=1024,k=1024 m=1000,n=3,k=17; do
      run_case "tuned_check_${dtype}_${shape//[=,]/_}" --problem "$shape" --dtype "$dtype" \
        --check-only --params "$best"
    done
    run_case "tuned_time_${dtype}_4096" --problem m=4096,n=4096,k=4096 --dtype "$dtype" \
      --max-time 3 --params "$best"
    "$R" --json wisdom gemm --backend cuda --problem m=4096,n=4096,k=4096 --dtype "$dtype" \
      >"$out/wisdom_${dtype}_4096.json" 2>&1
  fi
done

log "attention on the GPU: checks at odd shapes (host reference), then prefill and decode timed"
for dtype in f32 f64; do
  for shape in batch=2,hq=8,hkv=2,sq=131,skv=131,d=67,causal=1 batch=1,hq=4,hkv=4,sq=77,skv=300,d=64,causal=1 \
    batch=1,hq=8,hkv=1,sq=1,skv=4099,d=128,causal=0; do
    for variant in kokkos_flash unfused; do
      run_kernel_case "check_attn_${variant}_${dtype}_${shape//[=,]/_}" attention --variant "$variant" \
        --problem "$shape" --dtype "$dtype" --check-only
    done
  done
done
for causal in 0 1; do
  for variant in kokkos_flash unfused; do
    run_kernel_case "time_attn_prefill_${variant}_causal${causal}" attention --variant "$variant" \
      --problem batch=1,hq=16,hkv=16,sq=2048,skv=2048,d=128,causal=$causal --max-time 1
  done
done
run_kernel_case time_attn_decode_kokkos_flash attention --variant kokkos_flash \
  --problem batch=1,hq=32,hkv=4,sq=1,skv=32768,d=128,causal=1 --max-time 1
# The GPU default before issue 16 (32 x 32 tiles in scratch level 1, fixed 512-key chunks, nested
# team map), timed beside the new one so the run shows what split-KV sizing and shared memory bought.
attn_before_16=tile_q=32,tile_k=32,reg_m=4,reg_n=8,team_size=8,vector_length=4,kv_chunk=512
attn_before_16=$attn_before_16,scratch=l1,stage_k=scratch,team_map=nested
run_kernel_case time_attn_decode_kokkos_flash_before_16 attention --variant kokkos_flash \
  --problem batch=1,hq=32,hkv=4,sq=1,skv=32768,d=128,causal=1 --max-time 1 --params "$attn_before_16"

log "MoE routing stages on the GPU: checks at a small routed shape, timings at DeepSeek-V3"
routing=tokens=77,experts=16,top_k=4,groups=4,topk_groups=2,scoring=1
run_kernel_case check_moe_gating_f32 moe_gating --problem "$routing" --check-only
for k in moe_permute moe_combine; do
  run_kernel_case "check_${k}_f32" "$k" --problem "$routing,hidden=96" --check-only
done
for k in moe_grouped_gemm moe_layer; do
  run_kernel_case "check_${k}_f32" "$k" --problem "$routing,hidden=96,intermediate=40" --check-only
done
# f64 too: run C (docs/device-runs.md) found moe_layer f64 crashing on CUDA where f32 passed.
for k in moe_grouped_gemm moe_layer; do
  run_kernel_case "check_${k}_f64" "$k" --problem "$routing,hidden=96,intermediate=40" --dtype f64 \
    --check-only
done
for k in moe_gating moe_permute moe_combine; do
  run_kernel_case "time_${k}_dsv3_16384" "$k" --preset deepseek-v3 --tokens 16384 --max-time 1
done
run_kernel_case time_moe_grouped_gemm_dsv3_2048 moe_grouped_gemm --preset deepseek-v3 --tokens 2048 \
  --max-time 2

log "measured ceilings on the GPU (FP32/FP64 FMA peaks, HBM load/copy/triad)"
timeout 180 "$R" --json ceilings --backend cuda >"$out/ceilings.json" 2>"$out/ceilings.err" ||
  log "ceilings failed (see ceilings.err)"

log "roofline: this run's GEMM results against the card's datasheet and measured roofs"
python3 - "$out" <<'EOF2'
import glob, json, os, sys
out = sys.argv[1]
doc = {"schema": "ridgeline.results/1", "measurements": []}
for path in sorted(glob.glob(os.path.join(out, "time_*.json")) + glob.glob(os.path.join(out, "tuned_time_*.json"))):
    try:
        doc["measurements"] += json.load(open(path))["measurements"]
    except Exception:
        pass
json.dump(doc, open(os.path.join(out, "results.json"), "w"), indent=1)
EOF2
card=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(next((b["catalog"]["card"] for b in d["backends"] if b["id"]=="cuda"), ""))' "$out/devices.json" 2>/dev/null)
roofline_args=(--input "$out/results.json")
[ -n "$card" ] && roofline_args+=(--device "$card")
[ -s "$out/ceilings.json" ] && roofline_args+=(--ceilings "$out/ceilings.json")
"$R" roofline "${roofline_args[@]}" --format svg --output "$out/roofline.svg" 2>>"$out/log.txt"
"$R" roofline "${roofline_args[@]}" --format csv >"$out/roofline.csv" 2>>"$out/log.txt"

if command -v ncu >/dev/null; then
  log "Nsight Compute: one tiled-GEMM launch, f32 1024^3 (FLOP and DRAM counters)"
  metrics=sm__sass_thread_inst_executed_op_ffma_pred_on.sum,sm__sass_thread_inst_executed_op_fadd_pred_on.sum
  metrics=$metrics,sm__sass_thread_inst_executed_op_fmul_pred_on.sum,dram__bytes_read.sum
  metrics=$metrics,dram__bytes_write.sum,gpu__time_duration.sum,sm__cycles_elapsed.avg.per_second
  metrics=$metrics,lts__t_bytes.sum,l1tex__t_bytes.sum
  timeout 180 ncu --clock-control none --cache-control none --kernel-name-base demangled -k regex:'gemm_(tiled|resident)_functor' \
    --launch-count 1 --metrics "$metrics" --csv --print-units base \
    "$R" run gemm --backend cuda --problem m=1024,n=1024,k=1024 --max-time 0.05 --counters none \
    >"$out/ncu_gemm_f32_1024.csv" 2>"$out/ncu.err" || log "ncu failed (see ncu.err)"
fi

log "CUPTI counter pass in ridgeline run (user replay) vs the analytic model"
for dtype in f32 f64; do
  timeout 120 "$R" run gemm --backend cuda --problem m=1024,n=1024,k=1024 --dtype "$dtype" \
    --max-time 0.2 --counters cupti >"$out/counters_gemm_${dtype}_1024.txt" 2>&1
  timeout 120 "$R" --json run gemm --backend cuda --problem m=1024,n=1024,k=1024 --dtype "$dtype" \
    --max-time 0.2 --counters cupti >"$out/counters_gemm_${dtype}_1024.json" 2>>"$out/counters.err"
done
# The vendor variant: only the counter of the declared (precision, unit) is read, so a FLOPs
# ratio near 1 confirms the unit (tensor for f64/bf16/f16, simt for pedantic f32) and near 0 says
# cuBLAS ran on the other units.
for dtype in f32 f64 bf16 f16; do
  timeout 120 "$R" --json run gemm --variant vendor --backend cuda --problem m=1024,n=1024,k=1024 \
    --dtype "$dtype" --max-time 0.2 --counters cupti >"$out/counters_vendor_gemm_${dtype}_1024.json" \
    2>>"$out/counters.err"
done
timeout 120 "$R" --json run attention --backend cuda \
  --problem batch=1,hq=32,hkv=4,sq=1,skv=32768,d=128,causal=1 --max-time 0.2 --counters cupti \
  >"$out/counters_attn_decode.json" 2>>"$out/counters.err"
grep -h -A4 "^  counts" "$out"/counters_gemm_*_1024.txt >&2

if python3 -c 'import torch; assert torch.cuda.is_available()' 2>/dev/null; then
  log "vendor references through PyTorch (cuBLAS; TF32 off for f32): same-run baselines"
  timeout 120 python3 - "$out" <<'EOF3' 2>>"$out/log.txt" || log "torch references failed"
import json, os, sys, torch
torch.backends.cuda.matmul.allow_tf32 = False
def timed(fn, reps=20):
    fn(); torch.cuda.synchronize()
    ts = []
    for _ in range(reps):
        a, b = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        a.record(); fn(); b.record(); b.synchronize(); ts.append(a.elapsed_time(b) / 1e3)
    return sorted(ts)[len(ts) // 2]
res = {"torch": torch.__version__, "cuda": torch.version.cuda,
       "card": torch.cuda.get_device_name(), "allow_tf32": False, "cases": []}
for dt, n in ((torch.float32, 4096), (torch.float64, 4096), (torch.bfloat16, 8192), (torch.float32, 1024),
              (torch.bfloat16, 4096), (torch.float16, 4096)):  # bf16/f16: C in bf16/f16 here, f32 in ridgeline
    a = torch.randn(n, n, device="cuda", dtype=dt); b = torch.randn(n, n, device="cuda", dtype=dt)
    t = timed(lambda: a @ b)
    res["cases"].append({"op": "matmul", "dtype": str(dt), "n": n, "median_s": t, "flop_per_s": 2 * n**3 / t})
x = torch.randn(1 << 29, device="cuda"); y = torch.empty_like(x)  # 2 GiB each
t = timed(lambda: y.copy_(x))
res["cases"].append({"op": "copy", "bytes": 2 * x.numel() * 4, "median_s": t, "byte_per_s": 2 * x.numel() * 4 / t})
json.dump(res, open(os.path.join(sys.argv[1], "torch_reference.json"), "w"), indent=1)
EOF3
fi

log "summary"
python3 - "$out" <<'EOF' | tee "$out/summary.txt"
import csv, glob, json, os, sys
out = sys.argv[1]
print(f"{'case':<34} {'status':<14} {'check':<7} {'median':>10} {'GFLOP/s':>9} {'GB/s':>8}")
for path in sorted(glob.glob(os.path.join(out, "check_*.json")) +
                   glob.glob(os.path.join(out, "time_*.json")) +
                   glob.glob(os.path.join(out, "tuned_*.json"))):
    name = os.path.basename(path)[:-5]
    try:
        m = json.load(open(path))["measurements"][0]
    except Exception:
        err_path = path[:-5] + ".err"
        err = open(err_path).read().strip().splitlines() if os.path.exists(err_path) else []
        print(f"{name:<34} {'ERROR':<14} {(err[-1] if err else '')[:60]}")
        continue
    t = m["time_s"]
    check = "-" if m["check"] is None else ("pass" if m["check"]["passed"] else "FAIL")
    med = f"{t['median'] * 1e3:.3f} ms" if t else "-"
    print(f"{name:<34} {m['status']:<14} {check:<7} {med:>10} "
          f"{m['derived']['flop_per_s'] / 1e9:>9.1f} {m['derived']['dram_byte_per_s'] / 1e9:>8.1f}")
ceil = os.path.join(out, "ceilings.json")
if os.path.exists(ceil) and os.path.getsize(ceil) > 0:
    c = json.load(open(ceil))
    for x in c["ceilings"]:
        if x["kind"] == "compute" or x["kernel"] == "load":
            unit = "TFLOP/s" if x["kind"] == "compute" else "TB/s"
            print(f"ceiling {x['kernel']:<6} {x['precision']} {x['level'] or '-':<5} "
                  f"max {x['max'] / 1e12:.3f} {unit} (mean {x['mean'] / 1e12:.3f})")
for path in sorted(glob.glob(os.path.join(out, "tune_*.json"))):
    try:
        t = json.load(open(path))
        d, b = t["default"]["time_s"]["median"], t["best"]["time_s"]["median"]
        print(f"{os.path.basename(path)[:-5]}: {t['evaluations']} evaluated in {t['seconds']:.0f} s "
              f"({t['stop_reason']}); default {d * 1e3:.2f} ms -> best {b * 1e3:.2f} ms "
              f"({d / b:.2f}x), {t['best']['derived']['flop_per_s'] / 1e12:.2f} TFLOP/s; "
              f"{', '.join(f'{k}={v}' for k, v in t['best']['params'].items())}")
    except Exception as e:
        print(f"{os.path.basename(path)}: no result ({e})")
for path in sorted(glob.glob(os.path.join(out, "counters_*.json"))):
    try:
        m = json.load(open(path))["measurements"][0]
        c = m["work"].get("counted")
        if not c:
            print(f"{os.path.basename(path)[:-5]}: no counted values")
            continue
        raw = c.get("raw", {})
        ffma = raw.get("sm__sass_thread_inst_executed_op_ffma_pred_on.sum")
        units = ", ".join(f"{f['precision']} {f['unit']}" for f in c.get("flops", []))
        print(f"{os.path.basename(path)[:-5]}: source {c.get('source')} ({c.get('replay')}, "
              f"{c.get('passes')} passes); FLOPs ({units}) counted/analytic {c.get('flops_ratio_to_analytic')}; "
              f"DRAM bytes counted/analytic {c.get('dram_bytes_ratio_to_analytic')}"
              + (f"; FFMA {ffma:.6g}" if ffma is not None else ""))
    except Exception as e:
        print(f"{os.path.basename(path)}: unreadable ({e})")
ref = os.path.join(out, "torch_reference.json")
if os.path.exists(ref):
    for c in json.load(open(ref))["cases"]:
        if c["op"] == "matmul":
            print(f"torch matmul {c['dtype']:<15} n={c['n']:<5} {c['flop_per_s'] / 1e12:8.2f} TFLOP/s")
        else:
            print(f"torch copy {c['bytes'] / 2**30:.0f} GiB moved: {c['byte_per_s'] / 1e12:.3f} TB/s")
ncu = os.path.join(out, "ncu_gemm_f32_1024.csv")
if os.path.exists(ncu):
    rows = [r for r in csv.reader(l for l in open(ncu) if l.startswith('"'))]
    if rows:
        head, vals = rows[0], rows[1:]
        name_i, value_i = head.index("Metric Name"), head.index("Metric Value")
        got = {r[name_i]: float(r[value_i].replace(",", "")) for r in vals}
        flops = 2 * got.get("sm__sass_thread_inst_executed_op_ffma_pred_on.sum", 0) + \
            got.get("sm__sass_thread_inst_executed_op_fadd_pred_on.sum", 0) + \
            got.get("sm__sass_thread_inst_executed_op_fmul_pred_on.sum", 0)
        analytic = 2 * 1024 ** 3
        print(f"ncu f32 1024^3: counted FLOPs {flops:.4g} vs analytic {analytic:.4g} "
              f"(ratio {flops / analytic:.4f}); DRAM bytes "
              f"{got.get('dram__bytes_read.sum', 0) + got.get('dram__bytes_write.sum', 0):.4g} "
              f"vs minimal {3 * 4 * 1024 ** 2:.4g}")
EOF
