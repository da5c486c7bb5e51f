#!/usr/bin/env bash
# ctest nightly.stats.reference: make (or reuse) the reference venv, then compare the C++
# regression statistics (PROBE) with scipy and apache-otava on the generated series.
# Usage: run_reference.sh REPO PROBE. Exit 77 (skipped) only when the venv cannot be made because
# the package index is unreachable (scripts/stats-reference-env says why).
set -euo pipefail
repo=$1
probe=$2
status=0
python=$("$repo/scripts/stats-reference-env") || status=$?
if [ "$status" -ne 0 ]; then
  [ "$status" -eq 77 ] && echo "nightly.stats.reference: skipped (see the line above)"
  exit "$status"
fi
exec "$python" "$repo/tests/nightly/reference/compare_with_references.py" "$probe"
