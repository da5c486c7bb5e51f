#include "tuner/replay/json_file.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

#ifdef RIDGELINE_HAVE_ZLIB
#include <zlib.h>
#endif

namespace ridgeline::tuner::replay {

namespace {

std::string read_plain(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string read_gzip(const std::string& path) {
#ifdef RIDGELINE_HAVE_ZLIB
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) throw usage_error(fmt::format("{}: cannot open", path));
  std::string out;
  char buf[1 << 16];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  int err = Z_OK;
  const char* msg = gzerror(f, &err);
  const bool broken = n < 0 || (err != Z_OK && err != Z_STREAM_END);
  const std::string why = broken ? msg : "";
  gzclose(f);
  if (broken) throw usage_error(fmt::format("{}: corrupt gzip data ({})", path, why));
  return out;
#else
  throw runtime_error(fmt::format(
      "{}: is gzip-compressed, and this build has no zlib (install zlib1g-dev and rebuild, or "
      "gunzip the file)",
      path));
#endif
}

}  // namespace

nlohmann::json read_json_file(const std::string& path) {
  std::FILE* probe = std::fopen(path.c_str(), "rb");
  if (probe == nullptr) throw usage_error(fmt::format("{}: cannot read the file", path));
  unsigned char magic[2] = {0, 0};
  const std::size_t got = std::fread(magic, 1, 2, probe);
  std::fclose(probe);
  const bool gzip = got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  const std::string text = gzip ? read_gzip(path) : read_plain(path);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw usage_error(fmt::format("{}: malformed JSON at byte {}", path, e.byte));
  }
}

}  // namespace ridgeline::tuner::replay
