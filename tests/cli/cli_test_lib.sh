# Sourced by the CLI tests (tests/cli/test_*.sh) after they set `bin` (the ridgeline binary) and,
# optionally, `run_timeout` (seconds per call, default 120). Gives them a temporary folder `$tmp`
# removed on exit, a failure counter, and:
#   fail MESSAGE...      count a failure and say it
#   run WANT ARGS...     ridgeline ARGS with a timeout, stdout in $tmp/out, stderr in $tmp/err;
#                        a failure when the exit code is not WANT or the process crashed
#   one_line_on_stderr WHAT   a failure unless the last run said exactly one line on stderr
#   finish NAME          the verdict line and the exit code
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

run() {
  local want=$1
  shift
  timeout "${run_timeout:-120}" "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [ "$got" -eq "$want" ] || {
    fail "ridgeline $*: exit $got, wanted $want"
    sed 's/^/    /' "$tmp/out" "$tmp/err" | head -20
  }
  if grep -qiE "terminate called|aborted|segmentation|core dumped" "$tmp/err"; then
    fail "ridgeline $*: crashed"
  fi
}

one_line_on_stderr() {
  [ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "$1: not one line on stderr: $(cat "$tmp/err")"
}

finish() {
  if [ "$failures" -gt 0 ]; then
    echo "$1: $failures failure(s)"
    exit 1
  fi
  echo "$1: all checks passed"
  exit 0
}
