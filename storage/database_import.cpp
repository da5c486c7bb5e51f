// The imported-files half of `database` (schema version 3): see import_record.hpp and
// docs/database.md.
#include "core/error.hpp"
#include "storage/database.hpp"
#include "storage/detail/statement.hpp"
#include "storage/detail/transaction.hpp"

namespace ridgeline::storage {

std::optional<std::int64_t> database::record_import(const std::vector<imported_row>& rows,
                                                    const run_info& run,
                                                    const import_record& file) {
  detail::transaction tx(db_);  // BEGIN IMMEDIATE: the duplicate check and the rows are one write
  {
    detail::statement seen(
        db_, "SELECT run_id FROM imports WHERE content_sha256 = ? AND device_option = ?");
    seen.push(file.content_sha256).push(file.device_option);
    if (seen.step()) return std::nullopt;  // rolled back: nothing was written
  }
  const std::int64_t run_id = insert_run(run, run_status::complete);
  for (const auto& row : rows) {
    insert_measurement(run_id, upsert_device(row.device), row.record);
  }
  detail::statement s(db_,
                      "INSERT INTO imports (run_id, content_sha256, device_option, path, format, "
                      "tool, tool_version, launches) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  s.push(run_id)
      .push(file.content_sha256)
      .push(file.device_option)
      .push(file.path)
      .push(file.format)
      .push(file.tool);
  s.push(file.tool_version).push(static_cast<std::int64_t>(rows.size()));
  s.run();
  tx.commit();
  return run_id;
}

std::vector<import_record> database::imports() {
  detail::statement s(db_,
                      "SELECT run_id, content_sha256, device_option, path, format, tool, "
                      "tool_version, launches FROM imports ORDER BY run_id");
  std::vector<import_record> out;
  while (s.step()) {
    out.push_back({s.integer(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6),
                   s.integer(7)});
  }
  return out;
}

}  // namespace ridgeline::storage
