#!/usr/bin/env bash
# Usage: test_slurm_nightly.sh RIDGELINE_BINARY SLURM_LOCALHOST_SCRIPT
# A fleet's night on a real Slurm (docs/nightly-slurm.md): a one-node cluster on this machine
# (scripts/slurm-localhost: munged, slurmctld, slurmd; partitions cpu_a and cpu_b standing for two
# hardware types), `ridgeline nightly JOB --slurm --submit`, then: each array task ran in its own
# partition into its own database, one complete nightly run each; the merge job merged both into
# fleet.sqlite and wrote the fleet report naming both types; merging again changes nothing; the
# daemons the test started are gone afterwards. Skipped (77) only when Slurm cannot be installed
# or run here (not root, no apt-get: scripts/slurm-localhost says which).
set -u
bin=$1
slurm=$2
tmp=$(mktemp -d /tmp/ridgeline-slurm-test-XXXXXX)
cluster=$tmp/cluster
shared=$tmp/shared
began=$SECONDS

cleanup() {
  "$slurm" stop "$cluster" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 143' TERM INT  # a ctest timeout still stops the daemons (the EXIT trap runs)
fail() {
  echo "FAIL: $*"
  for f in "$shared"/logs/*.out "$cluster"/log/*.log; do
    [ -f "$f" ] && { echo "--- $f"; tail -n 25 "$f"; }
  done
  exit 1
}
sql() {  # DB SQL -> the first column of each row
  python3 -c 'import sqlite3,sys
for r in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]): print(r[0])' "$1" "$2"
}

# --- The cluster.
"$slurm" start "$cluster" >"$tmp/start.out" 2>"$tmp/start.err"
rc=$?
if [ $rc -eq 77 ]; then
  echo "SKIP: $(tail -n 1 "$tmp/start.err")"
  exit 77
fi
[ $rc -eq 0 ] || { cat "$tmp/start.err"; fail "scripts/slurm-localhost start exited $rc"; }
eval "$(cat "$tmp/start.out")"  # export SLURM_CONF=...
[ -n "${SLURM_CONF:-}" ] || fail "slurm-localhost printed no SLURM_CONF"
daemons=$(cat "$cluster"/munged.pid "$cluster"/slurmctld.pid "$cluster"/slurmd.pid | tr '\n' ' ')
echo "cluster up after $((SECONDS - began)) s (daemons $daemons)"

# --- The job: two hardware types, one per partition; one tiny case.
cat >"$tmp/job.yaml" <<'EOF'
schema: ridgeline.nightly/1
name: slurm-localhost
hardware_types:
  - name: cpu-a
    partition: cpu_a
  - name: cpu-b
    partition: cpu_b
    time_limit: "20:00"
defaults:
  strategy: random
  budget: 3
  time: 30s
  seed: 1
entries:
  - kernel: gemm
    variant: kokkos_tiled
    dtypes: [f32]
    problems: ["m=64,n=64,k=64"]
EOF

# Without --submit: the scripts and the commands, nothing submitted.
"$bin" nightly "$tmp/job.yaml" --slurm --shared-dir "$shared" >"$tmp/dry.out" 2>&1 ||
  fail "--slurm exited non-zero: $(cat "$tmp/dry.out")"
grep -q "sbatch --parsable --hold $shared/nightly-array.sbatch" "$tmp/dry.out" ||
  fail "--slurm did not print the submission: $(cat "$tmp/dry.out")"
[ -z "$(squeue -h)" ] || fail "--slurm without --submit submitted something"
bash -n "$shared/nightly-array.sbatch" && bash -n "$shared/fleet-merge.sbatch" &&
  bash -n "$shared/submit.sh" || fail "a written script is not valid bash"

# --- Submit (one thread per task: the two tasks share this machine's cores).
"$bin" --threads 1 nightly "$tmp/job.yaml" --slurm --submit --shared-dir "$shared" \
  >"$tmp/submit.out" 2>"$tmp/submit.err" || fail "--submit: $(cat "$tmp/submit.out" "$tmp/submit.err")"
array=$(sed -n 's/^array job: \([0-9]*\)$/\1/p' "$tmp/submit.out")
merge=$(sed -n 's/^merge job: \([0-9]*\) .*/\1/p' "$tmp/submit.out")
[ -n "$array" ] && [ -n "$merge" ] || fail "no job ids in: $(cat "$tmp/submit.out")"
echo "submitted array job $array and merge job $merge after $((SECONDS - began)) s"

# --- Wait (at most 10 minutes) until neither the tasks nor the merge is queued or running.
deadline=$((SECONDS + 600))
while [ -n "$(squeue -h -r -j "$array,$merge" 2>/dev/null)" ]; do
  [ $SECONDS -lt $deadline ] || fail "jobs still queued after 10 min: $(squeue -r)"
  sleep 2
done
echo "all jobs done after $((SECONDS - began)) s"

job_field() {  # JOB FIELD -> the value of FIELD in `scontrol show job`
  scontrol show job "$1" | tr ' ' '\n' | sed -n "s/^$2=//p" | head -n 1
}
for task in 0 1; do
  state=$(job_field "${array}_$task" JobState)
  code=$(job_field "${array}_$task" ExitCode)
  # 0 pass, 3 regression: both are finished nights; a regression must not stop the merge.
  [ "$state" = COMPLETED ] || [ "$code" = 3:0 ] || fail "task $task: $state, exit $code"
done
[ "$(job_field "${array}_0" Partition)" = cpu_a ] || fail "task 0 did not run in cpu_a"
[ "$(job_field "${array}_1" Partition)" = cpu_b ] || fail "task 1 did not run in cpu_b"
[ "$(job_field "$merge" JobState)" = COMPLETED ] ||
  fail "merge job: $(job_field "$merge" JobState), exit $(job_field "$merge" ExitCode)"

# --- Each type's database: one complete nightly run of its own type.
for type in cpu-a cpu-b; do
  db=$shared/db/$type.sqlite
  [ -f "$db" ] || fail "no database $db"
  got=$(sql "$db" "SELECT n.hardware_type || ':' || r.status || ':' || n.verdict
                   FROM nightly_runs n JOIN runs r ON r.id = n.run_id")
  [ "$got" = "$type:complete:pass" ] || [ "$got" = "$type:complete:regression" ] ||
    fail "$db nightly runs: '$got'"
  [ "$(sql "$db" "SELECT count(*) FROM nightly_entries")" = 1 ] || fail "$db: not one entry"
  ls "$shared/reports/$type"/run-*.html >/dev/null 2>&1 || fail "no nightly report for $type"
done

# --- The merged database holds both nights; the fleet report names both types.
fleet=$shared/fleet.sqlite
[ -f "$fleet" ] || fail "no $fleet"
got=$(sql "$fleet" "SELECT n.hardware_type || ':' || r.status FROM nightly_runs n
                    JOIN runs r ON r.id = n.run_id ORDER BY n.hardware_type" | tr '\n' ' ')
[ "$got" = "cpu-a:complete cpu-b:complete " ] || fail "fleet.sqlite nightly runs: '$got'"
[ "$(sql "$fleet" "SELECT count(*) FROM nightly_entries")" = 2 ] || fail "fleet.sqlite: not 2 entries"
report=$shared/reports/fleet.html
[ -f "$report" ] && [ -f "$shared/reports/fleet.md" ] || fail "no fleet report in $shared/reports"
for type in cpu-a cpu-b; do
  grep -q "$type" "$report" || fail "the fleet report does not name $type"
  grep -q "href=\"$type/run-" "$report" || fail "the fleet report does not link $type's report"
done
grep -q "gemm/kokkos_tiled/f32/m=64,n=64,k=64" "$report" || fail "the fleet report lacks the case"
[ "$(grep -c '<svg' "$report")" -ge 1 ] || fail "the fleet report has no chart"

# --- Merging again changes nothing.
counts() {
  local t
  for t in runs devices measurements roofs nightly_runs nightly_entries nightly_flags; do
    printf '%s=%s ' "$t" "$(sql "$fleet" "SELECT count(*) FROM $t")"
  done
}
before=$(counts)
"$bin" merge "$shared/db/cpu-a.sqlite" "$shared/db/cpu-b.sqlite" -o "$fleet" >"$tmp/merge.out" 2>&1 ||
  fail "merge again: $(cat "$tmp/merge.out")"
after=$(counts)
[ "$before" = "$after" ] || fail "merging again changed fleet.sqlite: $before -> $after"

# --- The report again from the merged file, by hand, as the docs show.
"$bin" --db "$fleet" nightly "$tmp/job.yaml" --fleet-report --report-dir "$tmp/again" \
  >"$tmp/fleet.out" 2>&1 || fail "--fleet-report: $(cat "$tmp/fleet.out")"
grep -q "^cpu-b: nightly run" "$tmp/fleet.out" || fail "--fleet-report: $(cat "$tmp/fleet.out")"

# --- Stop: exactly the daemons started above end.
"$slurm" stop "$cluster" || fail "slurm-localhost stop failed"
for pid in $daemons; do
  [ -d "/proc/$pid" ] && fail "daemon $pid still runs after stop"
done
[ -d "$cluster" ] && fail "stop left $cluster behind"
echo "PASS in $((SECONDS - began)) s"
