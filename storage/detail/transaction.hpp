#pragma once
// A write transaction: BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless committed.
// IMMEDIATE takes the write lock up front, so a second writer waits in the busy handler
// (busy_timeout) at BEGIN. A DEFERRED transaction that reads first and writes later can instead
// fail with SQLITE_BUSY_SNAPSHOT, which no timeout retries.
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
