#!/usr/bin/env bash
# Usage: test_tune_resume.sh RIDGELINE_BINARY PYTHON3
# The kill-and-resume contract of `ridgeline tune` (issue 4): a tuning run killed with SIGKILL
# part-way and continued with --resume measures nothing it had committed, finishes, and wisdom
# then answers from it (exact, not stale) with the run's provenance; the killed rows stay
# invisible to ordinary readers until the resumed run completes.
set -u
bin=$1
py=$2
tmp=$(mktemp -d)
trap '[ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null' EXIT
export RIDGELINE_DB="$tmp/tune.sqlite"
fail() { echo "FAIL: $*"; exit 1; }
count() {  # SQL -> one number
  "$py" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' \
    "$RIDGELINE_DB" "$1" 2>/dev/null || echo 0
}
base=(tune gemm --problem m=96,n=80,k=72 --strategy random --seed 7
  --max-time 0.05 --warmup 0.005 --check best --abandon-factor 0)
args=("${base[@]}" --budget 24)

"$bin" "${args[@]}" >"$tmp/first.out" 2>"$tmp/first.err" &
pid=$!
for _ in $(seq 1 600); do  # up to 60 s for the first 5 committed evaluations
  [ "$(count 'SELECT count(*) FROM measurements')" -ge 5 ] && break
  kill -0 "$pid" 2>/dev/null || fail "the first run ended before it could be killed"
  sleep 0.1
done
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
killed_rows=$(count 'SELECT count(*) FROM measurements')
[ "$killed_rows" -ge 5 ] || fail "only $killed_rows rows committed before the kill"
[ "$(count "SELECT status FROM runs WHERE id = 1")" = running ] || fail "killed run is not 'running'"
"$bin" export --format csv | grep -q "m=96" && fail "rows of the killed run are visible to readers"

"$bin" "${args[@]}" --resume >"$tmp/second.out" 2>"$tmp/second.err" ||
  fail "resume exited non-zero: $(cat "$tmp/second.err")"
grep -q "tuning run 1 (resumed)" "$tmp/second.out" || fail "did not resume run 1: $(head -2 "$tmp/second.out")"
reused=$(sed -n 's/.*; \([0-9]*\) answered from the database/\1/p' "$tmp/second.out")
[ "${reused:-0}" -ge "$killed_rows" ] || fail "answered $reused from the database, $killed_rows were committed"
[ "$(count 'SELECT count(*) FROM runs')" = 1 ] || fail "resume started a second run"
dup=$(count 'SELECT count(*) - count(DISTINCT params_text) FROM measurements WHERE run_id = 1')
[ "$dup" = 0 ] || fail "$dup configurations measured twice"
[ "$(count "SELECT status FROM runs WHERE id = 1")" = complete ] || fail "resumed run not complete"
[ "$(count "SELECT stop_reason FROM tuning_runs WHERE run_id = 1")" = budget ] || fail "stop reason"
best=$(count "SELECT m.params_text FROM tuning_runs t JOIN measurements m ON m.id = t.best_measurement_id")
[ -n "$best" ] && [ "$best" != 0 ] || fail "no best measurement recorded"
[ "$(count "SELECT m.check_passed FROM tuning_runs t JOIN measurements m ON m.id = t.best_measurement_id")" = 1 ] ||
  fail "the best configuration was not checked against the reference"

# A second resume finds nothing unfinished and starts a new run.
"$bin" "${base[@]}" --budget 2 --resume >"$tmp/third.out" 2>&1 || fail "third run failed: $(cat "$tmp/third.out")"
grep -q "tuning run 2:" "$tmp/third.out" || fail "a finished run was resumed again"

# Wisdom: exact answer from the tuned run, with provenance; another shape -> nearest_shape;
# another dtype -> the kernel default.
"$bin" --json wisdom gemm --problem m=96,n=80,k=72 >"$tmp/w.json" || fail "wisdom failed"
"$py" - "$tmp/w.json" "$best" <<'PY' || fail "wisdom exact: $(cat "$tmp/w.json")"
import json, sys
w = json.load(open(sys.argv[1]))
assert w["level"] == "exact" and not w["stale"], w
assert w["tuning_run_id"] in (1, 2) and w["strategy"] == "random", w
assert w["tuned_software"]["compiler"], w
PY
"$bin" --json wisdom gemm --problem m=100,n=80,k=72 | "$py" -c 'import json,sys; w=json.load(sys.stdin); assert w["level"]=="nearest_shape", w' ||
  fail "wisdom nearest shape"
"$bin" --json wisdom gemm --problem m=96,n=80,k=72 --dtype f64 | "$py" -c 'import json,sys; w=json.load(sys.stdin); assert w["level"]=="kernel_default" and "tile_m=" in w["params"], w' ||
  fail "wisdom default"
echo "kill-and-resume: $killed_rows committed before SIGKILL, $reused answered from the database on resume; wisdom exact/nearest/default OK"
