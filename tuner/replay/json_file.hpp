#pragma once
// Reading a recorded space's JSON, plain or gzip'd (recognised by its magic bytes, not its name).
#include <nlohmann/json.hpp>
#include <string>

namespace ridgeline::tuner::replay {

// A missing or unreadable file and malformed JSON are usage_errors naming the path (and the byte
// offset of the JSON error); a gzip file in a build without zlib is a runtime_error saying so.
nlohmann::json read_json_file(const std::string& path);

}  // namespace ridgeline::tuner::replay
