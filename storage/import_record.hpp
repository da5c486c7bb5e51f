#pragma once
// An imported profiler file as stored (table `imports`, docs/database.md): which file, in which
// format, from which tool, under which run. Its launches are the run's measurements.
#include <cstdint>
#include <string>

#include "profiler/measurement.hpp"
#include "storage/device_identity.hpp"

namespace ridgeline::storage {

struct import_record {
  std::int64_t run_id = 0;     // set when read back
  std::string content_sha256;  // of the file's bytes (a directory: of its files, in name order)
  // The card the user named (--device), "" when the cards were matched from the file's device
  // names. With the hash, the duplicate key: the same file again with the same choice adds
  // nothing; naming another card imports it again, onto that card.
  std::string device_option;
  std::string path;    // as given to the importer
  std::string format;  // importers::imported_file::format
  std::string tool;
  std::string tool_version;   // "" when the file does not state it
  std::int64_t launches = 0;  // measurements stored
};

// One launch to store, on the device it ran on (one file may hold several GPUs).
struct imported_row {
  device_identity device;
  profiler::measurement record;
};

}  // namespace ridgeline::storage
