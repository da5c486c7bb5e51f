#pragma once
// `ridgeline wisdom export --device-type TYPE`: the best tuned configuration of every case tuned
// on one hardware type, as one versioned JSON document an application loads at start-up
// (schema ridgeline.wisdom-export/1, docs/wisdom-export.md; the reader an application drops in is
// include/ridgeline/wisdom_file.hpp). Building the document lives here, so every front end writes
// the same file; the CLI only prints or writes it.
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "kernels/runtime.hpp"
#include "storage/database.hpp"

namespace ridgeline::service {

inline constexpr const char* wisdom_export_schema = "ridgeline.wisdom-export/1";
inline constexpr const char* wisdom_export_version = "1.0";  // major = the schema's /1

// The software a result is compared with to tell whether it is stale: canonical key and its
// facts as a JSON object text (service/software_identity.hpp).
struct reference_software {
  std::string key;
  std::string json;
};

// This build's software on every backend the runtime has, keyed by the Kokkos execution space
// name stored with tuning runs ("OpenMP", "Cuda").
std::map<std::string, reference_software> software_by_backend(const kernels::runtime& rt);

struct wisdom_export_request {
  // A nightly hardware-type label, else a catalog card id, else a device name (exactly): the
  // first kind of name that matches any device in the database decides.
  std::string hardware_type;
  std::string kernel;  // only this kernel; empty = all
  // The current software per backend (software_by_backend). A backend without an entry is
  // compared with the software of its newest tuning run among the matched devices.
  std::map<std::string, reference_software> current_software;
  std::string generated_at;  // UTC ISO 8601; empty = now
};

// The document. usage_error naming --device-type (with the known types) when nothing matches,
// naming --kernel when it is not a registered kernel. A type that matches but has no complete,
// checked tuning result gives a document with no entries.
nlohmann::ordered_json wisdom_export(storage::database& db, const wisdom_export_request& request);

// Writes `text` to `path` through a temporary file in the same directory and a rename, so a
// reader sees the old file or the new one, never half of one. runtime_error naming `option` and
// the path when it cannot.
void write_file_atomically(const std::string& path, const std::string& text,
                           const std::string& option);

}  // namespace ridgeline::service
