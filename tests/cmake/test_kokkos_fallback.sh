#!/usr/bin/env bash
# How the configure finds Kokkos with no environment variables (cmake/ridgeline_kokkos.cmake), as
# a plain `pip install` meets it: configure-only runs of this project under `env -i`, with the
# kernels on and the Python module, CLI and tests off. Never builds Kokkos (the bootstrap is off).
#  1. a Kokkos_ROOT that holds no Kokkos is an error naming it;
#  2. an empty cache with RIDGELINE_NO_KOKKOS_BOOTSTRAP=1 is an error saying what to do, and
#     creates nothing;
#  3. Ridgeline's own Kokkos (the prefix of `scripts/kokkos-build --prefix-only openmp`) is found,
#     and found again by a second configure. Exit 77 (skipped) when the cache holds none.
# Usage: test_kokkos_fallback.sh SOURCE_DIR WORK_DIR CMAKE CXX_COMPILER GENERATOR MAKE_PROGRAM
#        WITH_OPENBLAS HEADER_DEPS
set -euo pipefail
src=$1 work=$2 cmake=$3 cxx=$4 generator=$5 make_program=$6 openblas=$7 header_deps=${8:-}

rm -rf "$work"
mkdir -p "$work"
# The variables that choose the cache are kept (they name where Ridgeline's own Kokkos is).
clean_env=(env -i "HOME=$HOME" "PATH=/usr/local/bin:/usr/bin:/bin")
for v in RIDGELINE_CACHE XDG_CACHE_HOME; do
  [ -z "${!v:-}" ] || clean_env+=("$v=${!v}")
done
args=(-G "$generator" -DCMAKE_MAKE_PROGRAM="$make_program" -DCMAKE_CXX_COMPILER="$cxx"
      -DRIDGELINE_BUILD_PYTHON=OFF -DRIDGELINE_BUILD_CLI=OFF -DRIDGELINE_BUILD_TESTS=OFF
      -DRIDGELINE_WITH_OPENBLAS="$openblas" -DRIDGELINE_HEADER_DEPS="$header_deps")

fail() { echo "FAIL: $*" >&2; exit 1; }
# CMake wraps its error messages: search a log with its lines joined.
says() { # LOG TEXT
  tr -s ' \n' ' ' <"$1" | grep -qF -- "$2"
}
configure() { # NAME ENV... -- CMAKE_ARGS...; output in $work/NAME.log, returns cmake's status
  local name=$1 envs=() ; shift
  while [ "$1" != -- ]; do envs+=("$1"); shift; done
  shift
  "${clean_env[@]}" "${envs[@]}" "$cmake" -S "$src" -B "$work/$name" "${args[@]}" "$@" \
    >"$work/$name.log" 2>&1
}
# A Kokkos that find_package finds by itself (a system install) makes cases 2 and 3 moot.
found_elsewhere() { # LOG
  grep -q '^-- Kokkos [0-9.]*: ' "$1" && ! grep -q "Ridgeline's own" "$1"
}

# 1. A Kokkos_ROOT without Kokkos.
if configure bad_root -- -DKokkos_ROOT="$work/no-kokkos-here"; then
  fail "configure with Kokkos_ROOT=$work/no-kokkos-here succeeded (log: $work/bad_root.log)"
fi
says "$work/bad_root.log" "No Kokkos >= 3.4 at Kokkos_ROOT=$work/no-kokkos-here" ||
  fail "no error naming Kokkos_ROOT (log: $work/bad_root.log)"
echo "ok: a Kokkos_ROOT without Kokkos is an error naming it"

# 2. Empty cache, bootstrap off (the environment's switch, as `RIDGELINE_NO_KOKKOS_BOOTSTRAP=1 pip
#    install .` sets it).
empty=$work/empty-cache
if configure no_bootstrap RIDGELINE_CACHE="$empty" RIDGELINE_NO_KOKKOS_BOOTSTRAP=1 --; then
  if found_elsewhere "$work/no_bootstrap.log"; then
    echo "skip: find_package finds a Kokkos of this machine; the fallback is not reached"
    exit 77
  fi
  fail "configure with an empty cache and the bootstrap off succeeded (log: $work/no_bootstrap.log)"
fi
log=$work/no_bootstrap.log
for text in "none installed in $empty/kokkos-3.4.01-openmp" "RIDGELINE_NO_KOKKOS_BOOTSTRAP is ON" \
            "-DKokkos_ROOT="; do
  says "$log" "$text" || fail "the error does not say '$text' (log: $log)"
done
[ ! -e "$empty" ] || fail "--prefix-only created $empty"
echo "ok: no Kokkos and the bootstrap off is an error saying what to do"

# 3. Ridgeline's own Kokkos, found in the cache.
prefix=$("${clean_env[@]}" bash "$src/scripts/kokkos-build" --prefix-only openmp 2>/dev/null)
if ! compgen -G "$prefix/lib*/cmake/Kokkos/KokkosConfig.cmake" >/dev/null; then
  echo "skip: no Kokkos installed in $prefix (scripts/kokkos-build openmp builds it)"
  exit 77
fi
configure own RIDGELINE_NO_KOKKOS_BOOTSTRAP=1 -- ||
  fail "configure with Ridgeline's own Kokkos in $prefix failed (log: $work/own.log)"
if found_elsewhere "$work/own.log"; then
  echo "skip: find_package finds a Kokkos of this machine; the fallback is not reached"
  exit 77
fi
grep -q "^-- Kokkos [0-9.]*: $prefix/lib[^/]*/cmake/Kokkos (Ridgeline's own" "$work/own.log" ||
  fail "no 'Kokkos ...: $prefix/lib/cmake/Kokkos (Ridgeline's own' line (log: $work/own.log)"
"${clean_env[@]}" "$cmake" "$work/own" >"$work/own-again.log" 2>&1 ||
  fail "a second configure failed (log: $work/own-again.log)"
grep -q "^-- Kokkos [0-9.]*: $prefix/lib[^/]*/cmake/Kokkos (Ridgeline's own" "$work/own-again.log" ||
  fail "a second configure did not keep Ridgeline's own Kokkos (log: $work/own-again.log)"
echo "ok: Ridgeline's own Kokkos in $prefix is found with a clean environment"
