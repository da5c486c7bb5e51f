#pragma once
// `ridgeline merge A.sqlite B.sqlite ... -o fleet.sqlite` (docs/database.md, "Merging databases"):
// combines results databases written on many machines into one. Every source row lands exactly
// once: runs are identified across files by (host, pid, started_at, command) — with the finished
// time, the kind of run and the order of ids telling apart runs of one process started in the same
// millisecond — devices by their six identity fields, imports by (content_sha256, device_option),
// and every other row by the run it belongs to, so merging the same source again, or a fleet file
// into itself or into another, adds nothing. Every column is copied as stored and every id is
// translated to the output's; both are read from the schema, so a column a later migration adds
// is carried without a change here.
// Only complete and failed runs are copied; a source's running runs are skipped and counted (they
// may still be written to), and so is a finished run whose rows point at a running one (a nightly
// entry naming a tuning run still in progress): both are added by a later merge once finished.
// A device already in the output keeps its catalog id; one it lacks is taken from the source.
// Each source is merged in one transaction of the output (BEGIN IMMEDIATE) from one read snapshot
// of the source, which is opened read-only: a failure leaves the output as it was before that
// source, and a source being written meanwhile is read as of one moment.
#include <cstdint>
#include <string>
#include <vector>

namespace ridgeline::storage {

struct merge_source_summary {
  std::string path;
  std::int64_t runs_added = 0;
  std::int64_t runs_already_present = 0;  // in the output before (by identity or import key)
  std::int64_t runs_skipped_running = 0;  // running, or pointing at a running run
  std::int64_t measurements_added = 0;
  std::int64_t roofs_added = 0;
  std::int64_t devices_added = 0;
};

// Merges each source into `output` (created when absent, migrated like any database), in order.
// Throws ridgeline::runtime_error with one line naming the source when a source is missing, not a
// Ridgeline database, or its schema version differs from this build's ("merge: B.sqlite: schema
// version 3, this build writes 4; open it once with this ridgeline to migrate it") — nothing of
// that source is written; sources before it stay merged, sources after it are not read.
// Throws std::logic_error, before writing anything, when this build's schema has a table or a
// reference merge does not know (a migration added it without extending storage/merge.cpp).
std::vector<merge_source_summary> merge_databases(const std::vector<std::string>& sources,
                                                  const std::string& output);

}  // namespace ridgeline::storage
