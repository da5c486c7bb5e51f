#pragma once
// Shared by the storage suites: a temporary directory removed afterwards, a device, a fixed
// clock, a file's bytes, and a raw SQLite handle for setting up files the library would refuse
// to write (a newer schema version, another application's database).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "storage/database.hpp"
#include "storage/detail/connection.hpp"
#include "storage/device_identity.hpp"

namespace ridgeline::storage::test {

class temp_dir {
 public:
  temp_dir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "ridgeline-storage-XXXXXX");
    if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
    path_ = pattern;
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

inline device_identity sample_device() {
  return {"cpu", "AuthenticAMD", "AMD EPYC 9B14", "znver4", "OpenMP", "testhost", std::nullopt};
}

// Every timestamp the database writes: fixed, so exports compare byte for byte.
inline open_options fixed_clock() {
  open_options o;
  o.clock = [] { return std::string("2026-11-26T07:12:03.000Z"); };
  return o;
}

inline std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The engines a suite's test bodies run on (one body, both engines): an SQLite file, and a
// PostgreSQL database when RIDGELINE_TEST_PG_URL names one (tests/storage/test_postgresql.sh
// starts a throwaway server and sets it; without it those tests skip).
enum class engine_under_test { sqlite, postgresql };

// How gtest (and so ctest's test names) print the parameter.
inline void PrintTo(engine_under_test engine, std::ostream* os) {
  *os << (engine == engine_under_test::sqlite ? "sqlite" : "postgresql");
}

inline std::string engine_name(const ::testing::TestParamInfo<engine_under_test>& info) {
  return info.param == engine_under_test::sqlite ? "sqlite" : "postgresql";
}

// A fresh, empty PostgreSQL schema in the database RIDGELINE_TEST_PG_URL names, as a URL that
// makes it the connection's current schema; "" when the variable is unset. Each test gets its own
// schema, so tests never see each other's rows; the server is thrown away afterwards.
inline std::string fresh_postgresql_database() {
  const char* base = std::getenv("RIDGELINE_TEST_PG_URL");
  if (base == nullptr || *base == '\0') return "";
  static int counter = 0;
  const std::string schema = "test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  detail::connection admin = detail::connection::postgresql(base, 10000);
  admin.exec("CREATE SCHEMA " + schema);
  std::string url = base;
  url += url.find('?') == std::string::npos ? '?' : '&';
  return url + "options=-csearch_path%3D" + schema;
}

// Where a test's database lives on `engine`: `dir`/`name`, or a fresh PostgreSQL schema ("" when
// no server was given: the caller skips).
inline std::string fresh_database(engine_under_test engine, const temp_dir& dir,
                                  const std::string& name) {
  return engine == engine_under_test::sqlite ? dir.file(name) : fresh_postgresql_database();
}

// The words each engine uses for a failed constraint, for tests that check the message.
inline std::string check_failed_words(engine_under_test engine) {
  return engine == engine_under_test::sqlite ? "CHECK constraint failed"
                                             : "violates check constraint";
}
inline std::string unique_failed_words(engine_under_test engine) {
  return engine == engine_under_test::sqlite ? "UNIQUE" : "violates unique constraint";
}
inline std::string foreign_key_failed_words(engine_under_test engine) {
  return engine == engine_under_test::sqlite ? "FOREIGN KEY" : "violates foreign key constraint";
}

// A test body run on both engines: `location` is its fresh database (skipped on PostgreSQL when no
// server was given). Suites derive a fixture of their name from it and instantiate it with
// RIDGELINE_ON_BOTH_ENGINES.
class on_both_engines : public ::testing::TestWithParam<engine_under_test> {
 protected:
  void SetUp() override {
    if (location.empty()) GTEST_SKIP() << "RIDGELINE_TEST_PG_URL is not set";
  }
  temp_dir dir;
  std::string location = fresh_database(GetParam(), dir, "test.sqlite");
};

#define RIDGELINE_ON_BOTH_ENGINES(suite)                                            \
  INSTANTIATE_TEST_SUITE_P(                                                         \
      Engines, suite,                                                               \
      ::testing::Values(::ridgeline::storage::test::engine_under_test::sqlite,      \
                        ::ridgeline::storage::test::engine_under_test::postgresql), \
      ::ridgeline::storage::test::engine_name)

// A raw connection, bypassing the library.
class raw_db {
 public:
  explicit raw_db(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) ADD_FAILURE() << sqlite3_errmsg(db_);
  }
  ~raw_db() { sqlite3_close(db_); }
  raw_db(const raw_db&) = delete;
  raw_db& operator=(const raw_db&) = delete;

  void exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (message ? message : "?");
      sqlite3_free(message);
    }
  }
  // The first column of the first row, as text ("" when no row).
  std::string scalar(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
      out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace ridgeline::storage::test
