#!/usr/bin/env bash
# Usage: test_tune_abandon.sh RIDGELINE_BINARY PYTHON3
# Tuning when an evaluation is expensive (issue 16), on the CPU without timing luck: the
# RIDGELINE_TEST_SLOWDOWN hook makes chosen configurations far slower (hundreds of milliseconds
# against a tiny GEMM's microseconds), and
#   - a configuration whose first launch is over --abandon-factor (3) x the best so far is
#     abandoned after that one launch: stored as status timeout, timing stop_reason abandoned, one
#     launch, reason "abandoned after 1 launch: ...", labelled with test_slowdown_us;
#   - a resumed run answers it from the database: it is not measured again (the hook is unset on
#     resume, so a retry would store it as ok);
#   - --abandon-factor 0 measures the same configuration fully (so the abandonment above comes
#     from the factor, not from the hook);
#   - evaluations per minute is in the JSON and text output and stored with the tuning run;
#   - a malformed hook is one line naming the variable, exit 2, and no run written.
# Which configurations to slow is read from a first run's proposal order (the random strategy's
# proposals depend only on its seed), so the test does not depend on the GEMM's axes.
set -u
bin=$1
py=$2
run_timeout=120
source "$(dirname "${BASH_SOURCE[0]}")/cli_test_lib.sh"
trap '[ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
unset RIDGELINE_TEST_SLOWDOWN RIDGELINE_DB

sql() {  # DB SQL -> the first column of each row
  "$py" -c 'import sqlite3,sys
for row in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(row[0])' "$1" "$2"
}
case=(tune gemm --problem m=24,n=16,k=8 --strategy random --seed 11
  --max-time 0.02 --warmup 0.002 --check best)
base=("${case[@]}" --budget 10)

# --- The proposal order, unslowed: row 1 is the default configuration, then each evaluation.
run 0 --db "$tmp/order.sqlite" "${base[@]}" --abandon-factor 0
sql "$tmp/order.sqlite" "SELECT params_text FROM measurements ORDER BY id" >"$tmp/order.txt"
# A: an axis value the default lacks, first at row i >= 2 (abandoned there). B: an axis value no
# row before j > i has: its first launch is held for a minute, so the run can be killed there
# with rows 1..j-1 committed, A's abandoned row among them.
read -r slow_a row_a hold_b row_b < <("$py" - "$tmp/order.txt" <<'PY'
import sys
rows = [set(line.strip().split(",")) for line in open(sys.argv[1]) if line.strip()]
for i in range(1, len(rows)):
    for a in sorted(rows[i] - rows[0]):
        if any(a in rows[k] for k in range(1, i)):
            continue
        for j in range(i + 1, len(rows)):
            for b in sorted(rows[j]):
                if all(b not in rows[k] for k in range(j)):
                    print(a, i + 1, b, j + 1)
                    sys.exit(0)
sys.exit("no pair of axis values to slow: " + repr(rows))
PY
)
[ -n "${row_b:-}" ] || { fail "could not choose configurations to slow"; finish tune_abandon; }
echo "slowing $slow_a (first at row $row_a), holding at $hold_b (row $row_b)"

# --- Abandoned after one launch, then the run is killed while held at B.
db="$tmp/tune.sqlite"
RIDGELINE_TEST_SLOWDOWN="gemm@$slow_a=300000,gemm@$hold_b=60000000" \
  "$bin" --db "$db" "${base[@]}" >"$tmp/killed.out" 2>"$tmp/killed.err" &
pid=$!
for _ in $(seq 1 600); do  # up to 60 s for rows 1..row_b-1
  [ "$(sql "$db" 'SELECT count(*) FROM measurements' 2>/dev/null || echo 0)" -ge $((row_b - 1)) ] &&
    break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null || fail "the slowed run ended before it reached the held configuration: $(cat "$tmp/killed.err")"
kill -9 "$pid"
wait "$pid" 2>/dev/null
pid=
[ "$(sql "$db" 'SELECT count(*) FROM measurements')" -eq $((row_b - 1)) ] ||
  fail "expected $((row_b - 1)) committed rows before the held configuration"
where_a="instr(',' || params_text || ',', ',$slow_a,') > 0"
"$py" - "$db" "$where_a" <<'PY' || fail "the slowed configuration was not stored as abandoned"
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT status, reason, stop_reason, sample_count, warmup_launches, "
                  "time_median_s, provenance_json FROM measurements WHERE " + sys.argv[2]).fetchall()
assert rows, "no row of the slowed configuration"
for status, reason, stop, samples, warmups, median, provenance in rows:
    assert status == "timeout", (status, reason)
    assert reason.startswith("abandoned after 1 launch: the fastest took "), reason
    assert stop == "abandoned" and samples == 1 and warmups == 1, (stop, samples, warmups)
    assert median >= 0.3, median  # the one launch it took: the planted 300 ms
    assert json.loads(provenance)["test_slowdown_us"] == "300000", provenance
others = db.execute("SELECT count(*) FROM measurements WHERE NOT (" + sys.argv[2] + ") "
                    "AND status = 'ok'").fetchone()[0]
assert others >= 1, "no configuration ran normally"
PY
committed="SELECT id || ' ' || params_text || ' ' || status || ' ' || reason FROM measurements WHERE id < $row_b ORDER BY id"
sql "$db" "$committed" >"$tmp/committed.before"

# --- Resumed without the hook: the abandoned configuration is answered from the database.
run 0 --db "$db" --json "${base[@]}" --resume
cp "$tmp/out" "$tmp/resumed.json"
sql "$db" "$committed" | cmp -s - "$tmp/committed.before" ||
  fail "rows committed before the kill (the abandoned one among them) changed on resume"
[ "$(sql "$db" 'SELECT count(*) - count(DISTINCT params_text) FROM measurements')" = 0 ] ||
  fail "a configuration was measured twice"
"$py" - "$tmp/resumed.json" "$db" $((row_b - 1)) <<'PY' || fail "resumed JSON / stored pace: $(head -c 600 "$tmp/resumed.json")"
import json, sqlite3, sys
doc = json.load(open(sys.argv[1]))
db = sqlite3.connect(sys.argv[2])
assert doc["resumed"] and doc["stop_reason"] == "budget", doc["stop_reason"]
rows = db.execute("SELECT count(*) FROM measurements").fetchone()[0]
# Measured now: every row but those committed before the kill, which were reused.
assert doc["measured_evaluations"] == rows - int(sys.argv[3]), (doc["measured_evaluations"], rows)
pace = doc["evaluations_per_minute"]
assert isinstance(pace, float) and pace > 0, pace
assert abs(pace - doc["measured_evaluations"] / (doc["seconds"] / 60)) <= 1e-6 * pace, pace
stored = db.execute("SELECT t.evaluations_per_minute FROM tuning_runs t JOIN runs r "
                    "ON r.id = t.run_id WHERE r.status = 'complete'").fetchall()
assert len(stored) == 1 and abs(stored[0][0] - pace) <= 1e-9 * pace, (stored, pace)
assert db.execute("PRAGMA user_version").fetchone()[0] == 5
PY

# --- --abandon-factor 0: the same slowed configuration is timed fully (text output).
db0="$tmp/never.sqlite"
RIDGELINE_TEST_SLOWDOWN="gemm@$slow_a=300000" run 0 --db "$db0" "${case[@]}" \
  --budget $((row_a - 1)) --abandon-factor 0
grep -q ", 0 abandoned)" "$tmp/out" || fail "abandoned with --abandon-factor 0: $(cat "$tmp/out")"
grep -qE "^  pace +[0-9.e+]+ evaluations/minute \([0-9]+ measured\)$" "$tmp/out" ||
  fail "no pace line in the text report: $(cat "$tmp/out")"
[ "$(sql "$db0" "SELECT status || ' ' || stop_reason FROM measurements WHERE $where_a")" = "ok time_cap" ] ||
  fail "with --abandon-factor 0 the slowed configuration was not timed: $(sql "$db0" "SELECT status, reason FROM measurements WHERE $where_a")"

# --- A malformed hook: one line naming the variable, usage exit code, nothing written.
RIDGELINE_TEST_SLOWDOWN="gemm@$slow_a" run 2 --db "$tmp/bad.sqlite" "${base[@]}"
grep -q "^ridgeline: RIDGELINE_TEST_SLOWDOWN: 'gemm@" "$tmp/err" || fail "hook error: $(cat "$tmp/err")"
one_line_on_stderr "malformed RIDGELINE_TEST_SLOWDOWN"
[ "$(sql "$tmp/bad.sqlite" 'SELECT count(*) FROM runs' 2>/dev/null || echo 0)" = 0 ] ||
  fail "a malformed hook left a run behind"

finish tune_abandon
