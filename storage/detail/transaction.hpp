#pragma once
// A write transaction holding the database's one writer lock from its first statement, so a
// check followed by an insert (an import's duplicate check, a resume's lookup, a migration's
// version read) is never raced by another writer. ROLLBACK on destruction unless committed.
// SQLite: BEGIN IMMEDIATE takes the write lock up front, so a second writer waits in the busy
// handler (busy_timeout) at BEGIN; a DEFERRED transaction that reads first and writes later can
// instead fail with SQLITE_BUSY_SNAPSHOT, which no timeout retries.
// PostgreSQL: BEGIN, then a transaction-scoped advisory lock with Ridgeline's key, waited for up
// to lock_timeout (docs/database.md, "PostgreSQL").
#include "storage/detail/connection.hpp"

namespace ridgeline::storage::detail {

class transaction {
 public:
  explicit transaction(connection& db);
  ~transaction();
  transaction(const transaction&) = delete;
  transaction& operator=(const transaction&) = delete;

  void commit();

 private:
  connection& db_;
  bool open_ = true;
};

}  // namespace ridgeline::storage::detail
