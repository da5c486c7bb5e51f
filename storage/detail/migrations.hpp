#pragma once
// The schema, as an ordered list of forward migrations (docs/database.md, "Migrations").
// PRAGMA user_version holds the number of the last migration applied; migration N takes a database
// from version N-1 to N inside one transaction, so a crash leaves the file at N-1 or N, never
// between. Published migrations are never edited: a change is a new entry at the end.
// On PostgreSQL the same list is applied, its DDL translated by postgresql_ddl(), and the version
// and application marker live in a one-row table `ridgeline_schema` (docs/database.md).
#include <cstdint>
#include <string>
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

// PRAGMA user_version as stored in the file (a read); on PostgreSQL ridgeline_schema.version, 0
// when the table does not exist.
int user_version(connection& db);

// What a database says about itself before it is touched, read without writing: the schema
// version, the application marker (SQLite's application_id; on PostgreSQL ridgeline_schema's
// application_id column) and whether it holds any tables (SQLite: any at all; PostgreSQL: in the
// connection's current schema).
struct schema_header {
  int version = 0;
  std::int32_t application_id = 0;
  bool has_tables = false;
};
schema_header read_schema_header(connection& db);

// A migration's SQLite DDL as PostgreSQL DDL, mechanically: a generated row id
// (`INTEGER PRIMARY KEY` not followed by REFERENCES) becomes a 64-bit identity column, a key that
// is another table's id (`INTEGER PRIMARY KEY REFERENCES`) a plain BIGINT key, INTEGER BIGINT
// (SQLite's integers are 64-bit), REAL DOUBLE PRECISION. Only these upper-case words outside
// quotes are rewritten; anything else must already be SQL both engines read.
std::string postgresql_ddl(const std::string& sqlite_ddl);

// Every column of every Ridgeline table, as the engine describes it, in a form that is the same for
// both engines when their schemas agree: "table.column type [not null] [primary key]", types
// folded to integer / real / text. Tables and columns in name order. For the test that keeps the
// two engines' schemas from drifting apart.
std::vector<std::string> describe_columns(connection& db);

}  // namespace ridgeline::storage::detail
