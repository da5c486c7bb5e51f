#!/usr/bin/env bash
# Usage: test_merge.sh RIDGELINE_BINARY PYTHON3
# `ridgeline merge` as a user meets it (docs/database.md, "Merging databases"): two databases
# written by real `ridgeline run` calls merged into one, whose export has the rows of both; merging
# again changes not a byte; a running run waits; a bad source is one line, exit 1, and leaves the
# sources before it merged; a source of another schema version is refused; usage errors exit 2.
set -u
bin=$1
py=$2
run_timeout=60
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/cli_test_lib.sh"
export RIDGELINE_DB="$tmp/unused.sqlite"  # never the user's database

csv_rows() {  # data rows of the database's CSV export
  "$bin" --db "$1" export --format csv 2>/dev/null | tail -n +2 | wc -l
}

sql() {  # sql DB QUERY: the first column of the first row
  "$py" -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])' "$1" "$2"
}

# --- Two machines' databases (here: two files written on this one).
a="$tmp/node-a.sqlite"
b="$tmp/node-b.sqlite"
run 0 --db "$a" run gemm --problem m=32,n=32,k=32 --max-time 0.05
run 0 --db "$a" run gemm --problem m=16,n=24,k=8 --max-time 0.05
run 0 --db "$b" run gemm --problem m=32,n=32,k=32 --max-time 0.05
want=$(($(csv_rows "$a") + $(csv_rows "$b")))
[ "$want" -eq 3 ] || fail "wanted 3 measurements in the two sources, got $want"

# --- Merged: one line per source, every row once.
m="$tmp/fleet/merged.sqlite"
run 0 merge "$a" "$b" -o "$m"
grep -qF "$a: 2 runs added (2 measurements, 0 roofs, 1 new device), 0 already present, 0 running runs skipped" "$tmp/out" ||
  fail "summary of a: $(cat "$tmp/out")"
grep -qF "$b: 1 run added (1 measurement, 0 roofs, 0 new devices), 0 already present" "$tmp/out" ||
  fail "summary of b: $(cat "$tmp/out")"
[ "$(wc -l <"$tmp/out")" -eq 2 ] || fail "wanted one line per source: $(cat "$tmp/out")"
[ "$(csv_rows "$m")" -eq "$want" ] || fail "merged export has $(csv_rows "$m") rows, wanted $want"
[ "$(sql "$m" 'SELECT count(*) FROM devices')" -eq 1 ] || fail "one machine's device merged twice"

# --- Again, and the merged file into itself: nothing added, not a byte changed.
cp "$m" "$tmp/before.sqlite"
run 0 merge "$a" "$b" "$m" -o "$m"
grep -qF "$m: 0 runs added (0 measurements, 0 roofs, 0 new devices), 3 already present" "$tmp/out" ||
  fail "re-merge summary: $(cat "$tmp/out")"
cmp -s "$m" "$tmp/before.sqlite" || fail "re-merging changed the merged file"
[ "$(csv_rows "$m")" -eq "$want" ] || fail "re-merge changed the export"

# --- --json: the ridgeline.merge/1 document.
run 0 --json merge "$a" -o "$m"
"$py" - "$tmp/out" <<'PY' || fail "--json document: $(cat "$tmp/out")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "ridgeline.merge/1", d
(s,) = d["sources"]
assert s["runs_added"] == 0 and s["runs_already_present"] == 2 and s["runs_skipped_running"] == 0, s
assert set(s) == {"path", "runs_added", "runs_already_present", "runs_skipped_running",
                  "measurements_added", "roofs_added", "devices_added"}, s
PY

# --- A run still running (a killed process's) is not merged; once finished, it is.
c="$tmp/node-c.sqlite"
run 0 --db "$c" run gemm --problem m=8,n=8,k=8 --max-time 0.05
"$py" -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("UPDATE runs SET status = '"'running'"', finished_at = NULL"); db.commit()' "$c"
run 0 merge "$c" -o "$m"
grep -qF "0 runs added (0 measurements, 0 roofs, 0 new devices), 0 already present, 1 running run skipped" "$tmp/out" ||
  fail "running run: $(cat "$tmp/out")"
"$py" -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("UPDATE runs SET status = '"'complete'"', finished_at = started_at"); db.commit()' "$c"
run 0 merge "$c" -o "$m"
grep -qF "1 run added" "$tmp/out" || fail "finished run not merged: $(cat "$tmp/out")"
[ "$(csv_rows "$m")" -eq $((want + 1)) ] || fail "merged export has $(csv_rows "$m") rows, wanted $((want + 1))"

# --- A bad source: one line naming it, exit 1, the sources before it stay merged.
echo "not a database" >"$tmp/notes.txt"
m2="$tmp/merged2.sqlite"
run 1 merge "$a" "$tmp/notes.txt" "$b" -o "$m2"
grep -qF "ridgeline: merge: $tmp/notes.txt: not an SQLite database" "$tmp/err" || fail "bad source message: $(cat "$tmp/err")"
one_line_on_stderr "bad source"
grep -qF "$a: 2 runs added" "$tmp/out" || fail "the source before the bad one not reported: $(cat "$tmp/out")"
[ "$(csv_rows "$m2")" -eq 2 ] || fail "wanted a's 2 rows after the bad source, got $(csv_rows "$m2")"
[ "$(sql "$m2" 'SELECT count(*) FROM runs')" -eq 2 ] || fail "a source after the bad one was merged"
run 1 --json merge "$b" "$tmp/notes.txt" -o "$m2"
"$py" - "$tmp/out" "$tmp/notes.txt" <<'PY' || fail "--json with a bad source: $(cat "$tmp/out")"
import json, sys
d = json.load(open(sys.argv[1]))
good, bad = d["sources"]
assert good["runs_added"] == 1, good
assert bad == {"path": sys.argv[2], "error": "merge: %s: not an SQLite database" % sys.argv[2]}, bad
PY
one_line_on_stderr "bad source with --json"
run 1 merge "$tmp/absent.sqlite" -o "$m2"
grep -qF "merge: $tmp/absent.sqlite: no such file" "$tmp/err" || fail "missing source: $(cat "$tmp/err")"
[ ! -e "$tmp/absent.sqlite" ] || fail "merge created a missing source"

# --- Another schema version: refused, the output untouched.
old="$tmp/old.sqlite"
cp "$b" "$old"
"$py" -c 'import sqlite3,sys; db=sqlite3.connect(sys.argv[1]); db.execute("PRAGMA user_version = 4"); db.commit()' "$old"
cp "$m" "$tmp/before.sqlite"
run 1 merge "$old" -o "$m"
grep -qF "merge: $old: schema version 4, this build writes 5; open it once with this ridgeline to migrate it" "$tmp/err" ||
  fail "schema mismatch message: $(cat "$tmp/err")"
one_line_on_stderr "schema mismatch"
cmp -s "$m" "$tmp/before.sqlite" || fail "a refused source changed the output"

# --- Usage: exit 2.
run 2 merge "$a"
grep -qF -- "--output" "$tmp/err" || fail "missing -o: $(cat "$tmp/err")"
run 2 merge -o "$m"
one_line_on_stderr "no sources"

finish "merge CLI"
