// Where the database lives: --db, then $RIDGELINE_DB, then the XDG data directory.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <optional>
#include <string>

#include "storage/database_path.hpp"

namespace ridgeline::storage {
namespace {

// Sets (or unsets, with nullopt) one variable for a scope, restoring it afterwards.
class scoped_env {
 public:
  scoped_env(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = getenv(name)) old_ = old;
    if (value) {
      setenv(name, value->c_str(), 1);
    } else {
      unsetenv(name);
    }
  }
  ~scoped_env() {
    if (old_) {
      setenv(name_, old_->c_str(), 1);
    } else {
      unsetenv(name_);
    }
  }
  scoped_env(const scoped_env&) = delete;
  scoped_env& operator=(const scoped_env&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(DatabasePath, CommandLineWins) {
  scoped_env db("RIDGELINE_DB", "/env/r.sqlite");
  scoped_env xdg("XDG_DATA_HOME", "/xdg");
  EXPECT_EQ(default_database_path("/cli/r.sqlite"), "/cli/r.sqlite");
  EXPECT_EQ(default_database_path("relative.sqlite"), "relative.sqlite");
}

TEST(DatabasePath, EnvironmentVariableNext) {
  scoped_env db("RIDGELINE_DB", "/env/r.sqlite");
  scoped_env xdg("XDG_DATA_HOME", "/xdg");
  EXPECT_EQ(default_database_path(""), "/env/r.sqlite");
}

TEST(DatabasePath, XdgDataHomeNext) {
  scoped_env db("RIDGELINE_DB", "");  // empty counts as unset
  scoped_env xdg("XDG_DATA_HOME", "/xdg/data/");
  EXPECT_EQ(default_database_path(""), "/xdg/data/ridgeline/ridgeline.sqlite");
}

TEST(DatabasePath, HomeLocalShareLast) {
  scoped_env db("RIDGELINE_DB", std::nullopt);
  scoped_env home("HOME", "/home/someone");
  {
    scoped_env xdg("XDG_DATA_HOME", std::nullopt);
    EXPECT_EQ(default_database_path(""), "/home/someone/.local/share/ridgeline/ridgeline.sqlite");
  }
  {
    scoped_env xdg("XDG_DATA_HOME", "relative/dir");  // the XDG spec: ignore relative paths
    EXPECT_EQ(default_database_path(""), "/home/someone/.local/share/ridgeline/ridgeline.sqlite");
  }
}

TEST(DatabasePath, NoHomeFallsBackToThePasswordDatabase) {
  scoped_env db("RIDGELINE_DB", std::nullopt);
  scoped_env xdg("XDG_DATA_HOME", std::nullopt);
  scoped_env home("HOME", std::nullopt);
  const std::string path = default_database_path("");
  EXPECT_EQ(path.rfind("/.local/share/ridgeline/ridgeline.sqlite"),
            path.size() - std::string("/.local/share/ridgeline/ridgeline.sqlite").size())
      << path;
}

}  // namespace
}  // namespace ridgeline::storage
