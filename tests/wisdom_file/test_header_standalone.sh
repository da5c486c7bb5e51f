#!/usr/bin/env bash
# Usage: test_header_standalone.sh CXX HEADER NLOHMANN_INCLUDE_DIR PROGRAM WISDOM_FILE
# include/ridgeline/wisdom_file.hpp is what an application copies into its tree: it must include
# nothing but standard headers and nlohmann/json, and compile as C++17 with only those. The header
# and nlohmann's headers are copied into an empty directory, the program is compiled against that
# directory alone (warnings as errors), and run on a real export (the golden file).
set -u
cxx=$1
header=$2
nlohmann=$3
program=$4
wisdom=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# Every #include is <standard> (no slash, no dot) or <nlohmann/...>.
others=$(grep -E '^[[:space:]]*#[[:space:]]*include' "$header" |
  grep -vE '#[[:space:]]*include[[:space:]]*<[a-z_]+>' |
  grep -vE '#[[:space:]]*include[[:space:]]*<nlohmann/[a-z_]+\.hpp>')
[ -z "$others" ] || fail "the header includes more than the standard library and nlohmann: $others"

[ -f "$nlohmann/nlohmann/json.hpp" ] || { echo "FAIL: no nlohmann/json.hpp under $nlohmann"; exit 1; }
mkdir -p "$tmp/include/ridgeline"
cp "$header" "$tmp/include/ridgeline/wisdom_file.hpp"
cp -r "$nlohmann/nlohmann" "$tmp/include/"
if ! "$cxx" -std=c++17 -Wall -Wextra -Wpedantic -Werror -I"$tmp/include" "$program" \
  -o "$tmp/reader" 2>"$tmp/err"; then
  fail "does not compile standalone:"
  head -20 "$tmp/err"
fi

if [ -x "$tmp/reader" ]; then
  out=$("$tmp/reader" "$wisdom" gemm kokkos_tiled f32 m=2048 n=2048 k=2048)
  [ "$out" = "exact tile_m=128,layout=row" ] || fail "exact lookup: '$out'"
  out=$("$tmp/reader" "$wisdom" gemm kokkos_tiled f32 m=3000 n=2048 k=2048)
  [ "$out" = "nearest_shape tile_m=128,layout=row" ] || fail "nearest lookup: '$out'"
  out=$("$tmp/reader" "$wisdom" gemm kokkos_tiled f64 m=2048 n=2048 k=2048)
  [ "$out" = "none" ] || fail "f64 lookup: '$out'"
  sed 's#ridgeline.wisdom-export/1#ridgeline.wisdom-export/2#' "$wisdom" >"$tmp/v2.json"
  "$tmp/reader" "$tmp/v2.json" gemm kokkos_tiled f32 m=1 n=1 k=1 >/dev/null 2>"$tmp/err" &&
    fail "a version 2 file was read"
  grep -qF "this reader reads version 1 only" "$tmp/err" || fail "version 2 message: $(cat "$tmp/err")"
fi

[ "$failures" -eq 0 ] && echo "PASS" || exit 1
