#!/usr/bin/env bash
# scripts/device-profile.sh — on a lent GPU, after scripts/device-check.sh has shown a kernel far
# under its roof: Nsight Compute's stall, occupancy and memory sections for one launch of each
# default GPU kernel, and a few GEMM shapes timed, to say *why* before changing code. Uses the
# prebuilt binary of scripts/device-prepare --prebuild (carry .device-bin, .device-deps).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
out=${OUT:-device-out}
mkdir -p "$out"
export LD_LIBRARY_PATH=$PWD/.device-bin/lib:/usr/local/cuda/lib64:/usr/local/cuda/extras/CUPTI/lib64${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export RIDGELINE_DB=/tmp/profile.sqlite
R=.device-bin/ridgeline
sections=(--section SpeedOfLight --section LaunchStats --section Occupancy --section WarpStateStats
  --section MemoryWorkloadAnalysis_Tables --section ComputeWorkloadAnalysis --section SchedulerStats)
profile() {  # NAME KERNEL_REGEX RIDGELINE_ARGS...
  local name=$1 regex=$2
  shift 2
  timeout 150 ncu --clock-control none --kernel-name-base demangled "${sections[@]}" -k "regex:$regex" --launch-count 1 \
    "$R" run "$@" --backend cuda --max-time 0.05 --counters none >"$out/ncu_$name.txt" 2>&1
  echo "ncu $name rc=$?"
}
# RIDGELINE_PROFILE_VERIFY=1: only check the default GEMM and grouped MoE GEMM at odd shapes
# against the host reference and time them at 4096^3 / DeepSeek-V3 (after a kernel change).
if [ -n "${RIDGELINE_PROFILE_VERIFY:-}" ]; then
  for dtype in f32 f64; do
    for shape in m=257,n=129,k=31,beta=0.5 m=131,n=67,k=263 m=1,n=1,k=1 m=1000,n=3,k=17 \
      m=16,n=4096,k=4096 m=512,n=512,k=512; do
      echo "check gemm $dtype $shape: $(timeout 120 "$R" run gemm --backend cuda --problem "$shape" \
        --dtype "$dtype" --check-only --counters none 2>&1 | grep -E "^  (status|check|params)" | tr -s ' ' | tr '\n' ' ')"
    done
    routing=tokens=77,experts=16,top_k=4,groups=4,topk_groups=2,scoring=1,hidden=96,intermediate=40
    for k in moe_grouped_gemm moe_layer; do
      echo "check $k $dtype: $(timeout 120 "$R" run "$k" --backend cuda --problem "$routing" \
        --dtype "$dtype" --check-only --counters none 2>&1 | grep -E "^  (status|check)" | tr -s ' ' | tr '\n' ' ')"
    done
    echo "time gemm $dtype 4096: $(timeout 60 "$R" run gemm --backend cuda --problem m=4096,n=4096,k=4096 \
      --dtype "$dtype" --max-time 1 --counters none 2>&1 | grep -E "^  (params|rate)" | tr -s ' ' | tr '\n' ' ')"
    [ "$dtype" = f32 ] && echo "time moe_grouped_gemm $dtype dsv3 2048: $(timeout 90 "$R" run moe_grouped_gemm --backend cuda \
      --preset deepseek-v3 --tokens 2048 --dtype "$dtype" --max-time 2 --counters none 2>&1 | grep -E "^  (params|rate)" | tr -s ' ' | tr '\n' ' ')"
  done
  exit 0
fi
profile gemm_f32_4096 'gemm_resident' gemm --problem m=4096,n=4096,k=4096 --dtype f32
profile gemm_f64_4096 'gemm_resident' gemm --problem m=4096,n=4096,k=4096 --dtype f64
[ -n "${RIDGELINE_PROFILE_ALL:-}" ] && {
  profile attn_decode 'attention|flash' attention --problem batch=1,hq=32,hkv=4,sq=1,skv=32768,d=128,causal=1
  profile moe_grouped 'grouped' moe_grouped_gemm --preset deepseek-v3 --tokens 2048
}
# Register-tile and K-step shapes of the registers structure at 4096^3 (one line each).
base=accumulate=registers,team_size=1,vector_length=1,panel_layout=rows,stage=l0
i=0
sweep() {  # DTYPE PARAMS
  i=$((i + 1))
  timeout 60 "$R" --json run gemm --backend cuda --problem m=4096,n=4096,k=4096 --dtype "$1" \
    --max-time 1 --counters none --params "$base,$2" >"$out/time_$1_4096_$i.json" 2>&1
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["measurements"][0]; print(sys.argv[2], sys.argv[3], m["status"], m["time_s"] and round(m["derived"]["flop_per_s"]/1e12,2), "TFLOP/s")' \
    "$out/time_$1_4096_$i.json" "$1" "$2" 2>&1 | tail -1
}
for p in tile_m=128,tile_n=128,tile_k=8,reg_m=8,reg_n=8 tile_m=128,tile_n=128,tile_k=16,reg_m=8,reg_n=8 \
  tile_m=128,tile_n=64,tile_k=8,reg_m=8,reg_n=4 tile_m=128,tile_n=64,tile_k=16,reg_m=8,reg_n=4 \
  tile_m=64,tile_n=128,tile_k=16,reg_m=4,reg_n=8 tile_m=128,tile_n=256,tile_k=8,reg_m=8,reg_n=8 \
  tile_m=256,tile_n=128,tile_k=8,reg_m=8,reg_n=8 tile_m=128,tile_n=128,tile_k=16,reg_m=4,reg_n=8; do
  sweep f32 "$p"
done
for p in tile_m=128,tile_n=128,tile_k=8,reg_m=8,reg_n=8 tile_m=128,tile_n=64,tile_k=8,reg_m=8,reg_n=4 \
  tile_m=64,tile_n=64,tile_k=16,reg_m=4,reg_n=4 tile_m=64,tile_n=128,tile_k=8,reg_m=4,reg_n=8 \
  tile_m=128,tile_n=128,tile_k=8,reg_m=4,reg_n=8; do
  sweep f64 "$p"
done
for k in moe_grouped_gemm; do
  timeout 60 "$R" run "$k" --backend cuda --preset deepseek-v3 --tokens 2048 --max-time 2 --counters none 2>&1 | grep -E "rate|time"
done
for f in "$out"/ncu_*.txt; do
  echo "== $f"
  grep -E "Registers Per|Achieved Occupancy|Theoretical Occupancy|Block Limit|Compute \(SM\) Throughput|Memory Throughput|Duration|Bank Conflicts|No Eligible|Issued Warp|Local|Warp Cycles Per Issued|Shared Memory Configuration Size|Dynamic Shared|Static Shared|Threads  " "$f" | head -30
done
# Attention prefill (B=1, H=16, S=2048, D=128, non-causal): the default against the pre-issue-16
# shape (32 x 32 tiles in level-1 scratch) and mixes of the two.
before=tile_q=32,tile_k=32,reg_m=4,reg_n=8,team_size=8,vector_length=4,kv_chunk=512,scratch=l1,stage_k=scratch,team_map=nested
for p in default "$before" "${before/team_map=nested/team_map=flat}" "${before/kv_chunk=512/kv_chunk=auto}" \
  tile_q=16,tile_k=16,reg_m=4,reg_n=8,team_size=16,vector_length=4,kv_chunk=512,scratch=l0,stage_k=scratch,team_map=flat \
  tile_q=16,tile_k=16,reg_m=4,reg_n=8,team_size=16,vector_length=4,kv_chunk=auto,scratch=l1,stage_k=scratch,team_map=flat; do
  params=()
  [ "$p" != default ] && params=(--params "$p")
  for problem in batch=1,hq=16,hkv=16,sq=2048,skv=2048,d=128,causal=0 batch=1,hq=32,hkv=4,sq=1,skv=32768,d=128,causal=1; do
    echo "attention $problem $p: $(timeout 60 "$R" run attention --backend cuda --problem "$problem" \
      --max-time 1 --counters none "${params[@]}" 2>&1 | grep -E "^  (time|status)" | tr -s ' ' | tr '\n' ' ')"
  done
done
