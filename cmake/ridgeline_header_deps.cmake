# fmt (header-only mode), CLI11 and nlohmann_json as INTERFACE targets over one include directory,
# named like the targets their own CMake packages export, so nothing else changes; yaml-cpp (a
# compiled library) as the shared library carried in ../lib beside that directory.
foreach(header fmt/format.h CLI/CLI.hpp nlohmann/json.hpp)
  if(NOT EXISTS "${RIDGELINE_HEADER_DEPS}/${header}")
    message(FATAL_ERROR "RIDGELINE_HEADER_DEPS: ${RIDGELINE_HEADER_DEPS}/${header} not found")
  endif()
endforeach()
add_library(fmt::fmt INTERFACE IMPORTED)
target_include_directories(fmt::fmt INTERFACE "${RIDGELINE_HEADER_DEPS}")
target_compile_definitions(fmt::fmt INTERFACE FMT_HEADER_ONLY=1)
add_library(CLI11::CLI11 INTERFACE IMPORTED)
target_include_directories(CLI11::CLI11 INTERFACE "${RIDGELINE_HEADER_DEPS}")
add_library(nlohmann_json::nlohmann_json INTERFACE IMPORTED)
target_include_directories(nlohmann_json::nlohmann_json INTERFACE "${RIDGELINE_HEADER_DEPS}")

set(RIDGELINE_CARRIED_YAML_CPP "${RIDGELINE_HEADER_DEPS}/../lib/libyaml-cpp.so")
if(EXISTS "${RIDGELINE_CARRIED_YAML_CPP}" AND EXISTS "${RIDGELINE_HEADER_DEPS}/yaml-cpp/yaml.h")
  add_library(yaml-cpp SHARED IMPORTED)
  set_target_properties(yaml-cpp PROPERTIES
    IMPORTED_LOCATION "${RIDGELINE_CARRIED_YAML_CPP}"
    INTERFACE_INCLUDE_DIRECTORIES "${RIDGELINE_HEADER_DEPS}")
endif()

set(RIDGELINE_CARRIED_SQLITE "${RIDGELINE_HEADER_DEPS}/../lib/libsqlite3.so")
if(EXISTS "${RIDGELINE_CARRIED_SQLITE}" AND EXISTS "${RIDGELINE_HEADER_DEPS}/sqlite3.h")
  add_library(SQLite::SQLite3 SHARED IMPORTED GLOBAL)
  set_target_properties(SQLite::SQLite3 PROPERTIES
    IMPORTED_LOCATION "${RIDGELINE_CARRIED_SQLITE}"
    INTERFACE_INCLUDE_DIRECTORIES "${RIDGELINE_HEADER_DEPS}")
endif()

# OpenSSL's libcrypto (SHA-256 of imported files, service/import_results.cpp).
set(RIDGELINE_CARRIED_CRYPTO "${RIDGELINE_HEADER_DEPS}/../lib/libcrypto.so")
if(EXISTS "${RIDGELINE_CARRIED_CRYPTO}" AND EXISTS "${RIDGELINE_HEADER_DEPS}/openssl/evp.h")
  add_library(OpenSSL::Crypto SHARED IMPORTED GLOBAL)
  set_target_properties(OpenSSL::Crypto PROPERTIES
    IMPORTED_LOCATION "${RIDGELINE_CARRIED_CRYPTO}"
    INTERFACE_INCLUDE_DIRECTORIES "${RIDGELINE_HEADER_DEPS}")
endif()
