#include "storage/detail/transaction.hpp"

#include "storage/detail/backend.hpp"

namespace ridgeline::storage::detail {

transaction::transaction(connection& db) : db_(db) {
  db_.backend().begin_write();
}

transaction::~transaction() {
  // Errors are ignored here: this runs while an exception unwinds, and a failed ROLLBACK leaves
  // the engine rolling back by itself when the connection closes.
  if (open_) db_.backend().rollback();
}

void transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace ridgeline::storage::detail
