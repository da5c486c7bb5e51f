# Finding Kokkos (docs/design.md, "Kokkos for a plain `pip install`"), in this order:
#  1. find_package(Kokkos 3.4): Kokkos_ROOT (CMake or environment), Kokkos_DIR,
#     CMAKE_PREFIX_PATH, the system prefixes.
#  2. When that fails and the user named no Kokkos (no Kokkos_ROOT, no Kokkos_DIR): Ridgeline's own,
#     the prefix `scripts/kokkos-build --prefix-only openmp` prints (the cache of
#     scripts/kokkos-build: $RIDGELINE_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/ridgeline), if
#     a Kokkos is installed there.
#  3. Otherwise `scripts/kokkos-build openmp` builds it there (Debian's Trilinos source package,
#     fetched with apt-get; its output is shown), unless RIDGELINE_NO_KOKKOS_BOOTSTRAP is ON (CMake
#     option, or a true value in the environment), which stops with what to do instead.
# So `pip install <checkout or sdist>` needs no environment variable. Defines what
# find_package(Kokkos) defines; RIDGELINE_KOKKOS_FALLBACK_DIR records a Kokkos_DIR found by 2/3.

option(RIDGELINE_NO_KOKKOS_BOOTSTRAP
  "When no Kokkos is found, fail instead of building Ridgeline's own with scripts/kokkos-build"
  OFF)
# The environment's switch counts at every configure (a cached option would keep its first value).
set(_rl_no_bootstrap OFF)
if(RIDGELINE_NO_KOKKOS_BOOTSTRAP OR "$ENV{RIDGELINE_NO_KOKKOS_BOOTSTRAP}")
  set(_rl_no_bootstrap ON)
endif()

set(_rl_kokkos_script "${PROJECT_SOURCE_DIR}/scripts/kokkos-build")
set(_rl_kokkos_todo
  "Point at an installed Kokkos >= 3.4: -DKokkos_ROOT=/path/to/prefix (pip: `Kokkos_ROOT=/path pip install .`, or `-C cmake.define.Kokkos_ROOT=/path`), or build Ridgeline's own with `scripts/kokkos-build openmp` (Kokkos 3.4.01 from Debian's Trilinos source package into ~/.cache/ridgeline; docs/kokkos-build.md) and run this again.")

# A Kokkos_DIR that an earlier configure found by the fallback, whose install has since gone
# (the cache was cleared): search again rather than treat it as the user's choice.
if(RIDGELINE_KOKKOS_FALLBACK_DIR AND Kokkos_DIR STREQUAL RIDGELINE_KOKKOS_FALLBACK_DIR
   AND NOT EXISTS "${Kokkos_DIR}/KokkosConfig.cmake")
  message(STATUS "Kokkos: ${Kokkos_DIR} is gone; looking again")
  unset(Kokkos_DIR CACHE)
  unset(RIDGELINE_KOKKOS_FALLBACK_DIR CACHE)
endif()

# Did the user name a Kokkos? Then it is that one or an error, never a silent substitute.
set(_rl_kokkos_named "")
if(NOT "${Kokkos_ROOT}" STREQUAL "")
  set(_rl_kokkos_named "Kokkos_ROOT=${Kokkos_ROOT}")
elseif(NOT "$ENV{Kokkos_ROOT}" STREQUAL "")
  set(_rl_kokkos_named "Kokkos_ROOT=$ENV{Kokkos_ROOT} (environment)")
elseif(Kokkos_DIR AND NOT Kokkos_DIR MATCHES "-NOTFOUND$"
       AND NOT Kokkos_DIR STREQUAL "${RIDGELINE_KOKKOS_FALLBACK_DIR}")
  set(_rl_kokkos_named "Kokkos_DIR=${Kokkos_DIR}")
endif()

# A Kokkos_ROOT given after the fallback had found Ridgeline's own: the cached Kokkos_DIR would win
# over it (find_package does not search while Kokkos_DIR is valid), so forget that one.
if(_rl_kokkos_named MATCHES "^Kokkos_ROOT" AND RIDGELINE_KOKKOS_FALLBACK_DIR
   AND Kokkos_DIR STREQUAL RIDGELINE_KOKKOS_FALLBACK_DIR)
  unset(Kokkos_DIR CACHE)
  unset(RIDGELINE_KOKKOS_FALLBACK_DIR CACHE)
endif()

find_package(Kokkos 3.4 QUIET)

if(Kokkos_FOUND)
  if(RIDGELINE_KOKKOS_FALLBACK_DIR AND Kokkos_DIR STREQUAL RIDGELINE_KOKKOS_FALLBACK_DIR)
    message(STATUS "Kokkos ${Kokkos_VERSION}: ${Kokkos_DIR} (Ridgeline's own, from scripts/kokkos-build)")
  else()
    message(STATUS "Kokkos ${Kokkos_VERSION}: ${Kokkos_DIR}")
  endif()
  return()
endif()

# Why find_package said no, for the error messages: the configs it looked at and their versions.
function(_rl_kokkos_considered out)
  set(text "")
  list(LENGTH Kokkos_CONSIDERED_CONFIGS n)
  if(n GREATER 0)
    math(EXPR last "${n} - 1")
    foreach(i RANGE ${last})
      list(GET Kokkos_CONSIDERED_CONFIGS ${i} cfg)
      list(GET Kokkos_CONSIDERED_VERSIONS ${i} ver)
      string(APPEND text "\n  ${cfg} (version ${ver})")
    endforeach()
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
_rl_kokkos_considered(_rl_considered)
if(_rl_considered)
  set(_rl_considered " It considered, and rejected:${_rl_considered}\n")
endif()

if(_rl_kokkos_named)
  message(FATAL_ERROR
    "No Kokkos >= 3.4 at ${_rl_kokkos_named}.${_rl_considered} Fix or unset it: without "
    "Kokkos_ROOT/Kokkos_DIR, CMake uses Ridgeline's own Kokkos (scripts/kokkos-build openmp), "
    "building it when missing. ${_rl_kokkos_todo}")
endif()
if(CMAKE_CXX_COMPILER MATCHES "nvcc_wrapper|hipcc")
  message(FATAL_ERROR
    "No Kokkos >= 3.4 found, and the compiler ${CMAKE_CXX_COMPILER} needs a Kokkos built for the "
    "device, which this configure does not build on its own: -DKokkos_ROOT=$(scripts/kokkos-build "
    "cuda) (or hip; docs/kokkos-build.md).${_rl_considered}")
endif()
find_program(RIDGELINE_BASH bash)
if(NOT RIDGELINE_BASH OR NOT EXISTS "${_rl_kokkos_script}")
  message(FATAL_ERROR
    "No Kokkos >= 3.4 found (Kokkos_ROOT, Kokkos_DIR and CMAKE_PREFIX_PATH name none), and "
    "Ridgeline's own cannot be looked for: needs bash (${RIDGELINE_BASH}) and "
    "${_rl_kokkos_script}.${_rl_considered} ${_rl_kokkos_todo}")
endif()

# The script builds with $CXX (default c++): this configure's compiler, so Kokkos and Ridgeline
# agree (kokkos-build treats a CXX that is the c++ on PATH as the default).
set(_rl_kokkos_env "${CMAKE_COMMAND}" -E env "CXX=${CMAKE_CXX_COMPILER}")
message(STATUS "Kokkos: find_package found none (no Kokkos_ROOT, Kokkos_DIR or CMAKE_PREFIX_PATH "
               "names one); looking for Ridgeline's own: scripts/kokkos-build --prefix-only openmp")
execute_process(
  COMMAND ${_rl_kokkos_env} "${RIDGELINE_BASH}" "${_rl_kokkos_script}" --prefix-only openmp
  OUTPUT_VARIABLE _rl_kokkos_prefix ERROR_VARIABLE _rl_kokkos_state
  RESULT_VARIABLE _rl_rc
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_STRIP_TRAILING_WHITESPACE)
if(NOT _rl_rc EQUAL 0 OR _rl_kokkos_prefix STREQUAL "")
  message(FATAL_ERROR
    "scripts/kokkos-build --prefix-only openmp failed (${_rl_rc}): ${_rl_kokkos_state}\n"
    "${_rl_kokkos_todo}")
endif()
message(STATUS "${_rl_kokkos_state}")

file(GLOB _rl_cfgs "${_rl_kokkos_prefix}/lib*/cmake/Kokkos/KokkosConfig.cmake")
if(NOT _rl_cfgs)
  if(_rl_no_bootstrap)
    message(FATAL_ERROR
      "No Kokkos >= 3.4 found, none installed in ${_rl_kokkos_prefix} (Ridgeline's own), and "
      "RIDGELINE_NO_KOKKOS_BOOTSTRAP is ON, so it is not built here.${_rl_considered} "
      "${_rl_kokkos_todo} Or turn RIDGELINE_NO_KOKKOS_BOOTSTRAP off and this configure builds it.")
  endif()
  message(STATUS
    "Kokkos: building Ridgeline's own into ${_rl_kokkos_prefix}: scripts/kokkos-build openmp "
    "(Kokkos 3.4.01, OpenMP + Serial, from Debian's Trilinos source package: apt-get downloads "
    "~170 MB once, then a minute or so of compiling; RIDGELINE_NO_KOKKOS_BOOTSTRAP=ON stops "
    "here instead)")
  # stderr (the script's progress and the Kokkos build) goes straight to this configure's output.
  execute_process(
    COMMAND ${_rl_kokkos_env} "${RIDGELINE_BASH}" "${_rl_kokkos_script}" openmp
    OUTPUT_VARIABLE _rl_built RESULT_VARIABLE _rl_rc OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(NOT _rl_rc EQUAL 0)
    message(FATAL_ERROR
      "scripts/kokkos-build openmp failed (exit ${_rl_rc}; its output is above). ${_rl_kokkos_todo}")
  endif()
  set(_rl_kokkos_prefix "${_rl_built}")
endif()

find_package(Kokkos 3.4 QUIET PATHS "${_rl_kokkos_prefix}" NO_DEFAULT_PATH)
if(NOT Kokkos_FOUND)
  _rl_kokkos_considered(_rl_considered)
  message(FATAL_ERROR
    "${_rl_kokkos_prefix} (scripts/kokkos-build openmp) holds no usable Kokkos >= 3.4; "
    "considered:${_rl_considered}\nDelete it and run scripts/kokkos-build openmp again, or: "
    "${_rl_kokkos_todo}")
endif()
set(RIDGELINE_KOKKOS_FALLBACK_DIR "${Kokkos_DIR}" CACHE INTERNAL
  "Kokkos_DIR found through scripts/kokkos-build (cmake/ridgeline_kokkos.cmake)")
message(STATUS "Kokkos ${Kokkos_VERSION}: ${Kokkos_DIR} (Ridgeline's own, from scripts/kokkos-build; "
               "-DKokkos_ROOT=... selects another)")
