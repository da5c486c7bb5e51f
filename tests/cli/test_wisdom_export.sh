#!/usr/bin/env bash
# Usage: test_wisdom_export.sh RIDGELINE_BINARY PYTHON3
# `ridgeline wisdom export` as a user meets it (docs/wisdom-export.md): a real short tune, then the
# export for this machine's device type (its catalog card, else its device name as `ridgeline
# devices --json` shows it) to stdout and to a file; `ridgeline wisdom KERNEL` keeps working beside
# the subcommand; a wrong --device-type is one line naming the option and the known types, exit 2.
set -u
bin=$1
py=$2
run_timeout=120
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
source "$here/cli_test_lib.sh"
db="$tmp/results.sqlite"
export RIDGELINE_DB="$tmp/never-used.sqlite"  # every call names --db; never the user's database

# --- The positional KERNEL and the export subcommand side by side.
run 2 --db "$db" wisdom
grep -qF "kernel is required" "$tmp/err" || fail "wisdom without a kernel: $(cat "$tmp/err")"
run 2 --db "$db" wisdom export
grep -qF -- "--device-type is required" "$tmp/err" || fail "export without --device-type: $(cat "$tmp/err")"
run 2 --db "$db" wisdom export --device-type x --problem m=64  # a case option: not the export's
grep -qF -- "--problem: not an option of \`wisdom export\`" "$tmp/err" || fail "export --problem: $(cat "$tmp/err")"
one_line_on_stderr "export --problem"
run 0 --db "$db" wisdom gemm --problem m=64,n=64,k=64
grep -q "^gemm kokkos_tiled f32: " "$tmp/out" || fail "wisdom gemm: $(cat "$tmp/out")"
grep -qF "kernel_default" "$tmp/out" || fail "wisdom gemm before tuning: $(cat "$tmp/out")"

# --- A real short tune; wisdom KERNEL now answers from it.
run 0 --db "$db" tune gemm --problem m=64,n=64,k=64 --budget 5
run 0 --db "$db" wisdom gemm --problem m=64,n=64,k=64
grep -qF "source   exact" "$tmp/out" || fail "wisdom gemm after tuning: $(cat "$tmp/out")"

# This machine's device type as `ridgeline devices --json` shows it: the default backend's catalog
# card, else (a host backend) the CPU model, which is the stored device name.
run 0 devices --json
type=$("$py" - "$tmp/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
b = [b for b in d["backends"] if b["default"]][0]
print(b["catalog"]["card"] or (d["cpu"]["model"] if b["host"] else ""))
PY
)
[ -n "$type" ] || fail "no device type from ridgeline devices --json"

# --- To stdout: the documented schema, with the tuned best.
run 0 --db "$db" wisdom export --device-type "$type"
cp "$tmp/out" "$tmp/stdout.json"
"$py" - "$tmp/stdout.json" "$type" <<'PY' || fail "export document"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == "ridgeline.wisdom-export/1" and d["version"].startswith("1."), d
assert d["hardware_type"]["name"] == sys.argv[2], d["hardware_type"]
assert d["hardware_type"]["matched_by"] in ("catalog_id", "device_name"), d["hardware_type"]
assert len(d["devices"]) == 1 and d["generated_at"].endswith("Z"), d
assert len(d["entries"]) == 1, d["entries"]
e = d["entries"][0]
assert (e["kernel"], e["variant"], e["dtype"]) == ("gemm", "kokkos_tiled", "f32"), e
assert e["backend"] in d["software"] and d["software"][e["backend"]]["source"] == "this_build", d
assert (e["problem"]["m"], e["problem"]["n"], e["problem"]["k"]) == (64, 64, 64), e["problem"]
assert e["problem_text"].startswith("m=64,n=64,k=64"), e
assert e["params"] and e["params_text"] == ",".join(f"{k}={v}" for k, v in e["params"].items()), e
assert e["time_median_s"] > 0 and e["flop_per_s"] > 0, e
assert e["stale"] is False and e["software_key"] == d["software"][e["backend"]]["key"], e
assert e["tuning_run_id"] == 1 and e["check"] in ("passed", "not_checked"), e
assert e["device"]["name"] == d["devices"][0]["name"], e
PY

# --- To a file (global options after the subcommand too): one summary line, the same document.
mkdir -p "$tmp/out-dir"
run 0 wisdom export --device-type "$type" -o "$tmp/out-dir/wisdom.json" --db "$db"
grep -qF "wrote 1 entry for hardware type '$type'" "$tmp/out" || fail "export -o summary: $(cat "$tmp/out")"
"$py" - "$tmp/stdout.json" "$tmp/out-dir/wisdom.json" <<'PY' || fail "file differs from stdout"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
a.pop("generated_at"); b.pop("generated_at")
assert a == b
PY
[ "$(ls -A "$tmp/out-dir")" = "wisdom.json" ] || fail "left files beside the export: $(ls -A "$tmp/out-dir")"

# --- --kernel: only that kernel (none tuned: an empty document and a note), an unknown one named.
run 0 --db "$db" wisdom export --device-type "$type" --kernel attention
"$py" -c 'import json,sys; assert json.load(open(sys.argv[1]))["entries"] == []' "$tmp/out" ||
  fail "--kernel attention: entries"
grep -qF "no complete, checked tuning result" "$tmp/err" || fail "--kernel attention note: $(cat "$tmp/err")"
run 2 --db "$db" wisdom export --device-type "$type" --kernel gemmm
grep -qF -- "--kernel: 'gemmm' is not a kernel" "$tmp/err" || fail "--kernel gemmm: $(cat "$tmp/err")"
one_line_on_stderr "--kernel gemmm"

# --- A wrong --device-type: one line naming the option and the types the database knows.
run 2 --db "$db" wisdom export --device-type no-such-gpu
grep -qF -- "--device-type: no device of type 'no-such-gpu'" "$tmp/err" || fail "bad type: $(cat "$tmp/err")"
grep -qF -- "'$type'" "$tmp/err" || fail "bad type: known types not listed: $(cat "$tmp/err")"
one_line_on_stderr "bad --device-type"
[ ! -s "$tmp/out" ] || fail "bad --device-type wrote to stdout"

# --- An output that cannot be written: one line naming --output, exit 1.
run 1 --db "$db" wisdom export --device-type "$type" -o "$tmp/missing-dir/w.json"
grep -qF -- "--output: cannot write in" "$tmp/err" || fail "unwritable output: $(cat "$tmp/err")"
one_line_on_stderr "unwritable --output"

finish "wisdom export CLI"
