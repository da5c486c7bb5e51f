#include "storage/detail/transaction.hpp"

#include <sqlite3.h>

namespace ridgeline::storage::detail {

transaction::transaction(connection& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

transaction::~transaction() {
  // Errors are ignored here: this runs while an exception unwinds, and a failed ROLLBACK leaves
  // SQLite rolling back by itself when the connection closes.
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace ridgeline::storage::detail
