#!/usr/bin/env bash
# Usage: test_nightly.sh RIDGELINE_BINARY PYTHON3
# `ridgeline nightly` as a team runs it (docs/nightly.md): a job for this CPU end to end; the
# unchanged job run three more times flags nothing; a planted slowdown of one kernel is flagged
# with exit code 3 and shown first in the report; a job killed with SIGKILL continues without
# measuring again what it committed; two jobs on one database do not collide; a second start of a
# running job is refused; a bad job file is one line per problem and exit 2.
set -u
bin=$1
py=$2
run_timeout=300
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/cli_test_lib.sh"
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$tmp"' EXIT  # the background jobs too
export RIDGELINE_DB="$tmp/nightly.sqlite"  # never the user's database
unset RIDGELINE_TEST_SLOWDOWN

sql() { # sql QUERY: the first column of the first row
  "$py" -c 'import sqlite3,sys; r=sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone(); print(r[0] if r else "")' \
    "$RIDGELINE_DB" "$1"
}

# A job small enough to run many times: a GEMM of ~35 us and a MoE gating step. The threshold is
# the one this shared 2-vCPU VM needs (docs/nightly.md, "Choosing min_effect"): 90% slower. An
# unchanged night of the 128^3 GEMM once read 26% slower than the first (33 -> 42 us, a fresh-clone
# CI run on 2026-12-05), so 25% flagged noise. The planted delay below (400 us) is about ten
# times the GEMM's time, far beyond either.
cat >"$tmp/job.yaml" <<'EOF'
schema: ridgeline.nightly/1
name: cli-test
hardware_type: test-cpu
report: reports
regression:
  min_effect: 0.9
  max_p_value: 0.001
  history: 10
  min_history: 4
defaults:
  strategy: random
  budget: 4
  seed: 7
entries:
  - kernel: gemm
    variant: kokkos_tiled
    dtypes: [f32]
    problems: ["m=128,n=128,k=128"]
  - kernel: moe_gating
    variant: kokkos
    dtypes: [f32]
    presets: {model: qwen3-30b-a3b, tokens: [16]}
EOF
gemm_key="gemm/kokkos_tiled/f32/m=128,n=128,k=128"

# --- Bad job file: every problem, one line each, exit 2, nothing stored.
cat >"$tmp/bad.yaml" <<'EOF'
schema: ridgeline.nightly/1
name: bad
defaults: {budget: 0}
entries:
  - kernel: gemmm
    problems: ["m=1"]
EOF
run 2 nightly "$tmp/bad.yaml"
grep -q "bad.yaml:3: defaults.budget" "$tmp/err" || fail "bad budget not named: $(cat "$tmp/err")"
grep -q "bad.yaml:5: entries\[0\].kernel" "$tmp/err" || fail "bad kernel not named: $(cat "$tmp/err")"
[ ! -e "$RIDGELINE_DB" ] || [ "$(sql 'SELECT count(*) FROM runs')" = 0 ] || fail "a bad job stored runs"

# --- First night, then the unchanged job three more times: nothing flagged.
for night in 1 2 3 4; do
  run 0 --json nightly "$tmp/job.yaml"
  "$py" - "$tmp/out" "$night" <<'EOF' || fail "night $night: see above"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["schema"] == "ridgeline.nightly/1", doc
assert doc["verdict"] == "pass", (sys.argv[2], doc["verdict"], doc["flags"])
assert doc["hardware_type"] == "test-cpu"
assert len(doc["cases"]) == 2 and all(c["checks_passed"] for c in doc["cases"]), doc["cases"]
if sys.argv[2] != "1":  # from the second night on, the previous best is re-measured
    assert all(c["previous_best_time_median_s"] for c in doc["cases"]), doc["cases"]
EOF
done
[ "$(sql "SELECT count(*) FROM nightly_runs WHERE verdict = 'pass'")" = 4 ] || fail "4 passing nights expected"

# --- A planted slowdown of the GEMM: flagged, exit 3, first in the report.
RIDGELINE_TEST_SLOWDOWN="gemm=400" run 3 --json nightly "$tmp/job.yaml"
"$py" - "$tmp/out" "$gemm_key" <<'EOF' || fail "planted slowdown: see above"
import json, sys
doc = json.load(open(sys.argv[1]))
assert doc["verdict"] == "regression", doc["verdict"]
keys = {f["case"] for f in doc["flags"]}
assert keys == {sys.argv[2]}, keys  # the GEMM, and only the GEMM
mw = [f for f in doc["flags"] if f["test"] == "mann_whitney"]
assert mw and mw[0]["effect"] > 0.5 and mw[0]["p_value"] < 1e-3, mw
assert "the same configuration got slower" in mw[0]["message"] or "configuration" in mw[0]["message"]
EOF
report_md=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["report_markdown"])' "$tmp/out")
[ -f "$report_md" ] || fail "no Markdown report at '$report_md'"
first_section=$(grep -m1 '^## ' "$report_md")
[ "$first_section" = "## Regressions" ] || fail "the report does not start with the regressions: $first_section"
awk '/^## Regressions/{on=1;next} /^## /{on=0} on' "$report_md" | grep -qF "$gemm_key" ||
  fail "the regression is not listed under Regressions"
grep -q "REGRESSION" "${report_md%.md}.html" || fail "the HTML report does not say REGRESSION"
[ "$(sql "SELECT count(*) FROM measurements WHERE provenance_json LIKE '%test_slowdown_us%'")" -gt 0 ] ||
  fail "planted measurements do not say so in their provenance"
[ "$(sql "SELECT count(*) FROM measurements WHERE provenance_json LIKE '%test_slowdown_us%' AND kernel != 'gemm'")" = 0 ] ||
  fail "the slowdown leaked into another kernel"
# Without the plant the regression is still there (the baseline is the last good night, and the
# planted night is not good), so the next unplanted night compares with night 4 and passes.
run 0 nightly "$tmp/job.yaml"

# --- Killed mid-way: the restarted job continues the same nightly run.
cat >"$tmp/long.yaml" <<'EOF'
schema: ridgeline.nightly/1
name: cli-test-long
hardware_type: test-cpu
regression: {min_effect: 0.9, max_p_value: 0.001}  # its cases share test-cpu's series
defaults: {strategy: random, budget: 3, seed: 1}
entries:
  - kernel: moe_gating
    variant: kokkos
    dtypes: [f32]
    presets: {model: qwen3-30b-a3b, tokens: [16]}
  - kernel: gemm
    variant: kokkos_tiled
    dtypes: [f32]
    problems: ["m=96,n=96,k=96"]
  - kernel: gemm
    variant: kokkos_tiled
    dtypes: [f64]
    problems: ["m=512,n=512,k=512"]
    budget: 40
EOF
"$bin" nightly "$tmp/long.yaml" >"$tmp/long.out" 2>"$tmp/long.err" &
pid=$!
for _ in $(seq 1 600); do # until the first two cases are committed (<= 60 s)
  n=$(sql "SELECT count(*) FROM nightly_entries e JOIN nightly_runs n ON n.run_id = e.nightly_run_id WHERE n.job_name = 'cli-test-long'" 2>/dev/null)
  [ "${n:-0}" -ge 2 ] && break
  sleep 0.1
done
# A second start while the first is alive is refused with one line.
run 1 nightly "$tmp/long.yaml"
grep -q "already running" "$tmp/err" || fail "second start not refused: $(cat "$tmp/err")"
kill -9 "$pid"
wait "$pid" 2>/dev/null
committed=$(sql "SELECT count(*) FROM nightly_entries e JOIN nightly_runs n ON n.run_id = e.nightly_run_id WHERE n.job_name = 'cli-test-long'")
[ "$committed" -ge 2 ] || fail "only $committed cases committed before the kill"
tuning_before=$(sql "SELECT count(*) FROM tuning_runs WHERE problem_text LIKE 'm=96,%'")
sed -i 's/budget: 40/budget: 3/' "$tmp/long.yaml"  # a changed job is a new night...
run 0 nightly "$tmp/long.yaml"
grep -q "resuming" "$tmp/err" && fail "a changed job file resumed the old night"
sed -i 's/budget: 3$/budget: 40/' "$tmp/long.yaml" # ...the same job again continues the killed one
"$py" - "$tmp/long.yaml" <<'EOF'
import re, sys
text = open(sys.argv[1]).read()
# the entries' own budget lines: only the last entry had 40
assert text.count("budget: 40") == 1, text
EOF
run 0 nightly "$tmp/long.yaml"
grep -q "resuming nightly run" "$tmp/err" || fail "the killed night was not resumed: $(head -3 "$tmp/err")"
grep -q "committed before, not measured again" "$tmp/err" || fail "committed cases measured again"
[ "$(sql "SELECT count(*) FROM tuning_runs WHERE problem_text LIKE 'm=96,%'")" = $((tuning_before + 1)) ] ||
  fail "the committed m=96 case was tuned again on resume"
[ "$(sql "SELECT count(*) FROM runs WHERE status = 'running'")" = 0 ] || fail "a run is left running"

# --- Two jobs at once on one database: both complete, the file is intact.
sed 's/name: cli-test$/name: cli-test-b/; s/hardware_type: test-cpu/hardware_type: test-cpu-b/' \
  "$tmp/job.yaml" >"$tmp/job_b.yaml"
"$bin" nightly "$tmp/job.yaml" >"$tmp/a.out" 2>&1 &
a=$!
"$bin" nightly "$tmp/job_b.yaml" >"$tmp/b.out" 2>&1 &
b=$!
wait $a
rc_a=$?
wait $b
rc_b=$?
# Two jobs on two cores disturb each other's timing: a flag (3) is possible, a failure is not.
{ [ $rc_a -eq 0 ] || [ $rc_a -eq 3 ]; } || fail "concurrent job A exit $rc_a: $(tail -3 "$tmp/a.out")"
{ [ $rc_b -eq 0 ] || [ $rc_b -eq 3 ]; } || fail "concurrent job B exit $rc_b: $(tail -3 "$tmp/b.out")"
[ "$(sql 'PRAGMA integrity_check')" = ok ] || fail "integrity_check after concurrent jobs"
[ "$(sql "SELECT count(*) FROM nightly_runs WHERE job_name = 'cli-test-b' AND verdict IS NOT NULL")" = 1 ] ||
  fail "job B did not finish its night"

finish "nightly CLI"
