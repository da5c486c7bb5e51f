#!/usr/bin/env bash
# End to end: kp_demo (a Kokkos program that knows nothing of Ridgeline) run with the connector
# loaded must keep its stdout and exit code, and leave every labelled kernel in the results
# database with its invocation count, positive times and the work file's counts; `ridgeline
# roofline` must place the kernels with work and name the one without. Then a bad work file and an
# unwritable database: one clear "ridgeline_kp:" line each, the application unharmed.
# Usage: test_kokkos_tools.sh KP_DEMO LIBRIDGELINE_KP RIDGELINE PYTHON3
set -euo pipefail
demo=$1 lib=$2 ridgeline=$3 python=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

n=100003 repeat=7
export OMP_NUM_THREADS=2 OMP_PROC_BIND=false
unset KOKKOS_PROFILE_LIBRARY KOKKOS_TOOLS_LIBS RIDGELINE_KP_WORK

# Kokkos 3.4 reads KOKKOS_PROFILE_LIBRARY; KOKKOS_TOOLS_LIBS is the name from Kokkos 3.5 on.
with_tool() {
  KOKKOS_PROFILE_LIBRARY=$lib KOKKOS_TOOLS_LIBS=$lib "$@"
}

# --- The application alone: the reference output.
"$demo" $n $repeat >"$tmp/plain.out" 2>"$tmp/plain.err" || fail "kp_demo alone exited $?"

# --- With the connector and a work file for two of the four kernels.
cat >"$tmp/work.yaml" <<YAML
# Work per invocation: triad reads b and c and writes a; dot reads a and b.
kernels:
  "kp_demo::triad": {flops: $((2 * n)), precision: f64, unit: simt, bytes: $((24 * n))}
  "kp_demo::dot":
    flops: $((2 * n))
    precision: f64
    bytes: {dram: $((16 * n))}
YAML
export RIDGELINE_DB=$tmp/results.sqlite
rc=0
RIDGELINE_KP_WORK=$tmp/work.yaml with_tool "$demo" $n $repeat >"$tmp/tool.out" 2>"$tmp/tool.err" || rc=$?
cat "$tmp/tool.err" >&2
[ $rc -eq 0 ] || fail "kp_demo with the connector exited $rc"
cmp -s "$tmp/plain.out" "$tmp/tool.out" || fail "stdout differs with the connector loaded"
grep -q '^ridgeline_kp: stored 4 kernel(s), 22 invocation(s)' "$tmp/tool.err" ||
  fail "no 'stored 4 kernel(s), 22 invocation(s)' line (1 fill + 3 x $repeat)"
[ "$(grep -c '^ridgeline_kp: counters:' "$tmp/tool.err")" -eq 1 ] || fail "counters state not said exactly once"
[ "$(grep -vc '^ridgeline_kp: ' "$tmp/tool.err")" -eq "$(grep -c '' "$tmp/plain.err")" ] ||
  fail "the connector wrote stderr lines without its prefix"

"$ridgeline" export --format json >"$tmp/export.json"
"$ridgeline" roofline --format text >"$tmp/roofline.txt"
"$ridgeline" roofline --format json >"$tmp/roofline.json"
cat "$tmp/roofline.txt"
"$python" - "$tmp" $n $repeat "$demo" <<'PY'
import json, math, os, sys
tmp, n, repeat, demo = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
ms = json.load(open(os.path.join(tmp, "export.json")))["measurements"]
by = {m["kernel"]: m for m in ms}
expect = {"kp_demo::fill": ("parallel_for", 1), "kp_demo::triad": ("parallel_for", repeat),
          "kp_demo::dot": ("parallel_reduce", repeat),
          "kp_demo::prefix_sum": ("parallel_scan", repeat)}
assert sorted(by) == sorted(expect) and len(ms) == len(expect), \
    f"stored kernels {sorted(m['kernel'] for m in ms)}, expected {sorted(expect)} (no Kokkos:: internals)"
work = {"kp_demo::triad": (2 * n, {"dram": 24 * n}), "kp_demo::dot": (2 * n, {"dram": 16 * n})}
for label, (construct, count) in expect.items():
    m = by[label]
    t, p = m["time_s"], m["provenance"]
    assert m["status"] == "ok" and m["variant"] == "kokkos_tools", (label, m["status"], m["variant"])
    assert m["backend"] == "OpenMP", (label, m["backend"])
    assert m["params"] == {"construct": construct}, (label, m["params"])
    assert p["invocations"] == str(count) and len(t["samples"]) == count, \
        (label, p["invocations"], len(t["samples"]), count)
    assert all(s > 0 for s in t["samples"]) and t["median"] > 0 and t["min"] > 0, (label, t)
    assert t["min"] <= t["median"] <= t["max"], (label, t)
    assert math.isclose(float(p["total_time_s"]), sum(t["samples"]), rel_tol=1e-6), (label, p)
    assert t["stop_reason"] == "application" and t["launches_per_sample"] == 1, (label, t)
    assert "Kokkos-fenced" in t["timer"], t["timer"]
    assert p["source"] == "kokkos_tools" and p["application"] == os.path.realpath(demo), p
    assert p["args"] == f"{n} {repeat}", p["args"]
    assert p["global_fence"].startswith("requested and granted"), p["global_fence"]
    assert p["work_file"] == os.path.join(tmp, "work.yaml"), p["work_file"]
    if label in work:
        flops, bytes_ = work[label]
        w = m["work"]
        assert w["source"] == "work_file" and m["dtype"] == "f64", (label, w["source"], m["dtype"])
        assert w["flops"] == [{"precision": "f64", "unit": "simt", "count": flops}], (label, w)
        assert {b["level"]: b["count"] for b in w["bytes"]} == bytes_, (label, w)
        assert m["derived"]["flop_per_s"] > 0, (label, m["derived"])
    else:
        assert m["work"]["source"] == "none" and not m["work"]["flops"] and not m["work"]["bytes"], m["work"]

text = open(os.path.join(tmp, "roofline.txt")).read()
points, _, unplaced = text.partition("not placed:\n")
for label in work:
    assert f"{label} kokkos_tools f64:" in points, f"{label} not drawn on the text roofline"
for label in set(expect) - set(work):
    assert f"  {label} kokkos_tools: the measurement states no FLOPs" in unplaced, \
        f"{label} not listed as not placed with its reason"

rows = json.load(open(os.path.join(tmp, "roofline.json")))["placements"]
if rows:  # one row per (measurement, roof set); no rows when this machine has no roofs at all
    for r in rows:
        if r["kernel"] in work:
            assert r["placed"], r
        else:
            assert not r["placed"] and r["why_not"] == "the measurement states no FLOPs", r
    assert {r["kernel"] for r in rows} == set(expect), {r["kernel"] for r in rows}
else:
    print("roofline JSON: no roof sets for this machine; placement rows not checked")
print(f"ok: {len(ms)} kernels, invocations and work as expected")
PY

# --- The same device row as `ridgeline run` on this machine, so its measured roofs apply too.
"$ridgeline" run gemm --problem m=32,n=32,k=32 --max-time 0.05 >/dev/null
"$python" - "$RIDGELINE_DB" <<'PY'
import sqlite3, sys
devices = sqlite3.connect(sys.argv[1]).execute("SELECT kind, name, backend, catalog_id FROM devices").fetchall()
assert len(devices) == 1, f"the connector and ridgeline run stored different devices: {devices}"
PY

# --- A bad work file: one line naming the line and field; times are still stored, without work.
printf 'kernels:\n  "kp_demo::triad": {flops: lots, precision: f64}\n' >"$tmp/bad.yaml"
export RIDGELINE_DB=$tmp/bad.sqlite
rc=0
RIDGELINE_KP_WORK=$tmp/bad.yaml with_tool "$demo" $n $repeat >"$tmp/bad.out" 2>"$tmp/bad.err" || rc=$?
cat "$tmp/bad.err" >&2
[ $rc -eq 0 ] || fail "kp_demo with a bad work file exited $rc"
cmp -s "$tmp/plain.out" "$tmp/bad.out" || fail "stdout differs with a bad work file"
[ "$(grep -c '^ridgeline_kp: RIDGELINE_KP_WORK:' "$tmp/bad.err")" -eq 1 ] || fail "not exactly one work-file line"
grep -q "^ridgeline_kp: RIDGELINE_KP_WORK: $tmp/bad.yaml:2: kernels.kp_demo::triad.flops: expected a non-negative integer, got 'lots'" \
  "$tmp/bad.err" || fail "the work-file line does not name the field"
"$ridgeline" export --format json --kernel kp_demo::triad >"$tmp/bad.json"
"$python" - "$tmp/bad.json" $repeat <<'PY'
import json, sys
ms = json.load(open(sys.argv[1]))["measurements"]
assert len(ms) == 1 and ms[0]["work"]["source"] == "none" and not ms[0]["work"]["flops"], ms
assert len(ms[0]["time_s"]["samples"]) == int(sys.argv[2])
PY

# --- An unwritable database (its parent is a file; root is not stopped by permissions).
: >"$tmp/not_a_directory"
export RIDGELINE_DB=$tmp/not_a_directory/results.sqlite
rc=0
with_tool "$demo" $n $repeat >"$tmp/nodb.out" 2>"$tmp/nodb.err" || rc=$?
cat "$tmp/nodb.err" >&2
[ $rc -eq 0 ] || fail "kp_demo with an unwritable database exited $rc"
cmp -s "$tmp/plain.out" "$tmp/nodb.out" || fail "stdout differs with an unwritable database"
[ "$(grep -c "^ridgeline_kp: .*$tmp/not_a_directory" "$tmp/nodb.err")" -eq 1 ] ||
  fail "not exactly one line naming the database path"
grep -q '^ridgeline_kp: stored' "$tmp/nodb.err" && fail "claims to have stored results"
echo "PASS"
