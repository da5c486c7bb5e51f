#pragma once
// Golden-file comparison for the exports. RIDGELINE_UPDATE_GOLDEN=1 rewrites the file instead
// (then read the diff by eye, check it against docs/database.md, and bump the schema version if a
// reader could break).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "tests/storage/storage_test_support.hpp"

namespace ridgeline::storage::test {

inline void expect_golden(const std::string& name, const std::string& actual) {
  const std::string path = std::string(RIDGELINE_TEST_DATA_DIR) + "/" + name;
  if (std::getenv("RIDGELINE_UPDATE_GOLDEN")) {
    std::ofstream(path, std::ios::binary) << actual;
    GTEST_SKIP() << "rewrote " << path;
  }
  const std::string golden = file_bytes(path);
  EXPECT_FALSE(golden.empty()) << "missing " << path;
  EXPECT_EQ(actual, golden) << "differs from " << path;
}

}  // namespace ridgeline::storage::test
