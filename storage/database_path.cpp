#include "storage/database_path.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
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

bool is_postgresql_url(const std::string& path) {
  return path.rfind("postgresql://", 0) == 0 || path.rfind("postgres://", 0) == 0;
}

std::string url_without_password(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const std::size_t authority = scheme_end + 3;
  const std::size_t authority_end = std::min(url.find_first_of("/?", authority), url.size());
  std::string out = url.substr(0, authority);
  std::string host_part = url.substr(authority, authority_end - authority);
  // The user part ends at the last '@' (a password may itself hold '@' unencoded).
  if (const std::size_t at = host_part.rfind('@'); at != std::string::npos) {
    const std::string user = host_part.substr(0, at);
    out += user.substr(0, user.find(':')) + host_part.substr(at);
  } else {
    out += host_part;
  }
  std::string rest = url.substr(authority_end);
  const std::size_t query = rest.find('?');
  if (query == std::string::npos) return out + rest;
  out += rest.substr(0, query);
  std::string kept;
  std::size_t start = query + 1;
  while (start <= rest.size()) {
    std::size_t end = rest.find('&', start);
    if (end == std::string::npos) end = rest.size();
    const std::string parameter = rest.substr(start, end - start);
    if (!parameter.empty() && parameter.rfind("password=", 0) != 0) {
      kept += (kept.empty() ? "?" : "&") + parameter;
    }
    start = end + 1;
  }
  return out + kept;
}

}  // namespace ridgeline::storage
