#pragma once
// Where the results database lives, first match wins:
//   1. `cli_value` (the --db option), when not empty;
//   2. $RIDGELINE_DB, when set and not empty;
//   3. $XDG_DATA_HOME/ridgeline/ridgeline.sqlite, when XDG_DATA_HOME is an absolute path
//      (the XDG spec says to ignore a relative one);
//   4. $HOME/.local/share/ridgeline/ridgeline.sqlite (HOME from the password database when unset).
// Only computes the path; database::open creates the parent directories.
// A path that starts with postgresql:// or postgres:// names a PostgreSQL database instead of a
// file (docs/database.md, "PostgreSQL").
#include <string>

namespace ridgeline::storage {

// Throws ridgeline::runtime_error when none of the four gives a path.
std::string default_database_path(const std::string& cli_value);

// True for "postgresql://..." and "postgres://..." (libpq's two URI prefixes).
bool is_postgresql_url(const std::string& path);

// The URL as messages show it: without the password of its user part ("user:secret@host") or a
// password=... query parameter. Anything else (user, host, port, database) is kept, so a message
// still says which server and database it is about.
std::string url_without_password(const std::string& url);

}  // namespace ridgeline::storage
