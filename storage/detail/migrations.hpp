#pragma once
// The schema, as an ordered list of forward migrations (docs/database.md, "Migrations").
// PRAGMA user_version holds the number of the last migration applied; migration N takes a database
// from version N-1 to N inside one transaction, so a crash leaves the file at N-1 or N, never
// between. Published migrations are never edited: a change is a new entry at the end.
#include <cstdint>
#include <vector>

#include "storage/detail/connection.hpp"

namespace ridgeline::storage::detail {

// PRAGMA application_id of a Ridgeline database: "RDLN" (0x52444c4e), so `file` and a reader can
// tell it from any other SQLite file.
inline constexpr std::int32_t application_id = 0x52444c4e;

struct migration {
  int version;          // 1, 2, ... in order
  const char* summary;  // one line, for docs and messages
  const char* sql;      // run as one script inside the migration's transaction
};

const std::vector<migration>& migrations();
int latest_version();  // migrations().back().version

// Applies every migration above the file's version, each in its own transaction (re-reading the
// version inside it, so two processes opening a fresh file at once apply each step once).
// The caller has already refused a file whose version is newer than latest_version().
void migrate(connection& db);

// PRAGMA user_version as stored in the file (a read).
int user_version(connection& db);

}  // namespace ridgeline::storage::detail
