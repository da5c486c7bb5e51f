#include "storage/database_path.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "core/error.hpp"

namespace ridgeline::storage {

namespace {

std::string env(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

std::string home_directory() {
  std::string home = env("HOME");
  if (!home.empty()) return home;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir) return pw->pw_dir;
  return "";
}

}  // namespace

std::string default_database_path(const std::string& cli_value) {
  if (!cli_value.empty()) return cli_value;
  if (std::string db = env("RIDGELINE_DB"); !db.empty()) return db;
  std::string data = env("XDG_DATA_HOME");
  if (data.empty() || data.front() != '/') {
    const std::string home = home_directory();
    if (home.empty()) {
      throw runtime_error("DB: no database path: pass --db, set RIDGELINE_DB, or set HOME");
    }
    data = home + "/.local/share";
  }
  if (data.back() == '/') data.pop_back();
  return data + "/ridgeline/ridgeline.sqlite";
}

}  // namespace ridgeline::storage
