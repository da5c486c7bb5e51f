#pragma once
// The import formats: each names itself, says whether a path looks like its output, and reads it.
// `--format auto` tries them in order and takes the first that recognises the path; a path no
// format recognises is refused with one line naming it and the formats tried.
#include <functional>
#include <string>
#include <vector>

#include "importers/imported_results.hpp"

namespace ridgeline::importers {

struct import_format {
  std::string name;         // the --format value: "ncu", "rocprof", "rocprof-compute", "msprof",
                            // "ridgeline-csv"
  std::string description;  // one line for --help and docs
  // True when the file or directory at `path` looks like this format's output (reads at most the
  // first lines: cheap and never throws).
  std::function<bool(const std::string& path)> recognises;
  // Reads everything; throws usage_error "FILE:LINE: problem" on malformed input.
  std::function<imported_file(const std::string& path, const read_context& context)> read;
};

const std::vector<import_format>& import_formats();
// nullptr when `name` is not a format.
const import_format* find_import_format(const std::string& name);
// The first format recognising `path`; throws usage_error "PATH: not a recognised profiler output
// (tried ncu, rocprof, ...)" when none does.
const import_format& detect_import_format(const std::string& path);

// Each format's reader (importers/<format>_reader.cpp).
imported_file read_ncu(const std::string& path, const read_context& context);
imported_file read_rocprof(const std::string& path, const read_context& context);
imported_file read_rocprof_compute(const std::string& path, const read_context& context);
imported_file read_msprof(const std::string& path, const read_context& context);
imported_file read_ridgeline_csv(const std::string& path, const read_context& context);
bool looks_like_ncu(const std::string& path);
bool looks_like_rocprof(const std::string& path);
bool looks_like_rocprof_compute(const std::string& path);
bool looks_like_msprof(const std::string& path);
bool looks_like_ridgeline_csv(const std::string& path);

}  // namespace ridgeline::importers
