#include "profiler/provenance.hpp"

#include <unistd.h>

#include <cstdlib>
#include <ctime>

#include "core/build_info.hpp"
#include "profiler/cpu_info.hpp"

namespace ridgeline::profiler {

std::string utc_now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

provenance_list host_provenance() {
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) != 0) host[0] = '\0';
  const auto env = [](const char* name) {
    const char* v = std::getenv(name);
    return std::string(v ? v : "unset");
  };
  const build_info& b = this_build();
  return {{"date", utc_now_iso8601()},
          {"host", host},
          {"cpu_model", this_cpu().model},
          {"ridgeline_version", b.version},
          {"git_revision", b.git_revision},
          {"compiler", b.compiler},
          {"build_type", b.build_type},
          {"isa_flags", b.isa_flags},
          {"OMP_PROC_BIND", env("OMP_PROC_BIND")},
          {"OMP_PLACES", env("OMP_PLACES")}};
}

}  // namespace ridgeline::profiler
