#!/usr/bin/env bash
# Usage: test_postgresql.sh RIDGELINE TEST_STORAGE TEST_NIGHTLY_RUNNER POSTGRES_LOCALHOST
# The shared store (docs/database.md, "PostgreSQL") against a real server: a throwaway cluster
# (scripts/postgres-localhost) serves
#  1. the storage and nightly-storage GoogleTest bodies on the PostgreSQL engine (each test in a
#     schema of its own) and the PostgreSQL-only tests (RIDGELINE_TEST_PG_URL);
#  2. the CLI: a connection failure is one line without the password; two `ridgeline nightly`
#     writers at once both finish; a third killed with SIGKILL mid-way leaves a running night that
#     the restarted job resumes; `export --format csv` shows the rows; merge refuses a server.
# Exit 77 (skipped) when no PostgreSQL server binaries are installed.
set -u
bin=$1
test_storage=$2
test_nightly=$3
pg_script=$4
tmp=$(mktemp -d)
# The server's folder of its own: as root the server runs as `postgres`, which cannot enter $tmp.
pgdir=$(mktemp -d /tmp/ridgeline-pg.XXXXXX)
cleanup() {
  kill $(jobs -p) 2>/dev/null
  wait 2>/dev/null
  "$pg_script" stop "$pgdir"
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

url=$("$pg_script" start "$pgdir")
rc=$?
[ $rc -eq 77 ] && { echo "SKIP: no PostgreSQL server here"; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL: scripts/postgres-localhost start: exit $rc"; exit 1; }
psql="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/psql"
sql() { # sql QUERY: the first column of the first row
  "$psql" "$url" -Atq -c "$1" | head -n 1
}

# --- 1. The storage suites on PostgreSQL.
RIDGELINE_TEST_PG_URL="$url" "$test_storage" --gtest_brief=1 \
  --gtest_filter='*/postgresql:PostgreSQL*' >"$tmp/gtest.out" 2>&1 ||
  { fail "storage suites on PostgreSQL"; tail -n 30 "$tmp/gtest.out"; }
grep -q "SKIPPED" "$tmp/gtest.out" && fail "PostgreSQL tests skipped although a server runs"
RIDGELINE_TEST_PG_URL="$url" "$test_nightly" --gtest_brief=1 --gtest_filter='*/postgresql' \
  >"$tmp/gtest.out" 2>&1 || { fail "nightly storage on PostgreSQL"; tail -n 30 "$tmp/gtest.out"; }

# --- 2. The CLI. Never the user's database: every command names the URL.
export RIDGELINE_DB="$url"
unset RIDGELINE_TEST_SLOWDOWN

# A server that cannot be reached: one line naming the URL without its password, exit 1.
"$bin" --db "postgresql://ridgeline:hunter2@127.0.0.1:1/nothing" export --format csv \
  >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "unreachable server: exit $rc, wanted 1"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "unreachable server: not one line: $(cat "$tmp/err")"
grep -q "DB: postgresql://ridgeline@127.0.0.1:1/nothing: cannot connect: connection to server" "$tmp/err" ||
  fail "unreachable server message: $(cat "$tmp/err")"
grep -q hunter2 "$tmp/err" && fail "the password was printed"

# Two jobs at once, different names and hardware types: both finish their night.
job() { # job NAME HARDWARE_TYPE [LAST ENTRY BUDGET]: a small job file
  cat >"$tmp/$1.yaml" <<YAML
schema: ridgeline.nightly/1
name: $1
hardware_type: $2
report: reports-$1
regression: {min_effect: 0.9, max_p_value: 0.001}  # min_effect: as test_nightly.sh
defaults: {strategy: random, budget: 3, seed: 7}
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
    problems: ["m=${4:-128},n=${4:-128},k=${4:-128}"]
    budget: ${3:-3}
YAML
}
job pg-a type-a
job pg-b type-b
"$bin" --db "$url" nightly "$tmp/pg-a.yaml" >"$tmp/a.out" 2>&1 &
a=$!
"$bin" --db "$url" nightly "$tmp/pg-b.yaml" >"$tmp/b.out" 2>&1 &
b=$!
wait $a
rc_a=$?
wait $b
rc_b=$?
# Two jobs on two cores disturb each other's timing: a flag (3) is possible, a failure is not.
{ [ $rc_a -eq 0 ] || [ $rc_a -eq 3 ]; } || fail "concurrent job A exit $rc_a: $(tail -3 "$tmp/a.out")"
{ [ $rc_b -eq 0 ] || [ $rc_b -eq 3 ]; } || fail "concurrent job B exit $rc_b: $(tail -3 "$tmp/b.out")"
for name in pg-a pg-b; do
  [ "$(sql "SELECT count(*) FROM nightly_runs n JOIN runs r ON r.id = n.run_id WHERE n.job_name = '$name' AND n.verdict IS NOT NULL AND r.status = 'complete'")" = 1 ] ||
    fail "job $name did not finish its night"
  [ "$(sql "SELECT count(*) FROM nightly_entries e JOIN nightly_runs n ON n.run_id = e.nightly_run_id WHERE n.job_name = '$name'")" = 3 ] ||
    fail "job $name did not commit its 3 cases"
done

# Killed mid-way with SIGKILL: the night stays running with what it committed; the restarted job
# resumes it without measuring the committed cases again.
job pg-long type-a 40 384
"$bin" --db "$url" nightly "$tmp/pg-long.yaml" >"$tmp/long.out" 2>"$tmp/long.err" &
pid=$!
committed_query="SELECT count(*) FROM nightly_entries e JOIN nightly_runs n ON n.run_id = e.nightly_run_id WHERE n.job_name = 'pg-long'"
for _ in $(seq 1 600); do # until the first two cases are committed (<= 60 s)
  n=$(sql "$committed_query" 2>/dev/null)
  [ "${n:-0}" -ge 2 ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$pid" 2>/dev/null || fail "the long job ended before it could be killed: $(tail -3 "$tmp/long.err")"
kill -9 "$pid"
wait "$pid" 2>/dev/null
committed=$(sql "$committed_query")
[ "$committed" -ge 2 ] || fail "only $committed cases committed before the kill"
[ "$(sql "SELECT r.status FROM nightly_runs n JOIN runs r ON r.id = n.run_id WHERE n.job_name = 'pg-long'")" = running ] ||
  fail "the killed night is not left running"
"$bin" --db "$url" nightly "$tmp/pg-long.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
{ [ $rc -eq 0 ] || [ $rc -eq 3 ]; } || fail "resumed job exit $rc: $(tail -3 "$tmp/err")"
grep -q "resuming nightly run" "$tmp/err" || fail "the killed night was not resumed: $(head -3 "$tmp/err")"
grep -q "committed before, not measured again" "$tmp/err" || fail "committed cases measured again"
[ "$(sql "SELECT count(*) FROM nightly_runs WHERE job_name = 'pg-long'")" = 1 ] ||
  fail "the restart began a new night instead of resuming"
[ "$(sql "$committed_query")" = 3 ] || fail "the resumed night does not hold its 3 cases"
[ "$(sql "SELECT count(*) FROM runs WHERE status = 'running'")" = 0 ] || fail "a run is left running"

# Export: every measurement of a complete run, as CSV.
"$bin" --db "$url" export --format csv >"$tmp/export.csv" 2>"$tmp/err" || fail "export: $(cat "$tmp/err")"
rows=$(($(wc -l <"$tmp/export.csv") - 1))
want=$(sql "SELECT count(*) FROM measurements m JOIN runs r ON r.id = m.run_id WHERE r.status = 'complete'")
[ "$rows" -gt 0 ] && [ "$rows" = "$want" ] || fail "export has $rows rows, the database $want"
head -n 1 "$tmp/export.csv" | grep -q "^measurement_id,run_id," || fail "export header: $(head -n 1 "$tmp/export.csv")"
grep -q ",gemm,kokkos_tiled,f64," "$tmp/export.csv" || fail "export lacks the f64 GEMM rows"

# Merge stays between SQLite files.
"$bin" merge "$url" -o "$tmp/fleet.sqlite" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc -eq 1 ] || fail "merge from a server: exit $rc, wanted 1"
grep -q "merge reads SQLite files only" "$tmp/err" || fail "merge message: $(cat "$tmp/err")"

if [ "$failures" -gt 0 ]; then
  echo "$failures failure(s)"
  exit 1
fi
echo "PostgreSQL shared store: all checks passed"
