#pragma once
// The results database: one SQLite file (WAL) holding devices, their roofs (datasheet and
// measured) and measurements, grouped into runs. Schema, migrations and the reader guarantee are
// in docs/database.md.
//
// Every write is one transaction. Readers see a run's rows only once the run is complete, so a
// run that is still being written, or whose process was killed, is never half-visible.
// One `database` object is one connection: use it from one thread at a time; several processes
// may open the same file at once (writers queue on the write lock for up to `busy_timeout`).
#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "profiler/measurement.hpp"
#include "profiler/roofs.hpp"
#include "storage/detail/connection.hpp"
#include "storage/device_identity.hpp"
#include "storage/import_record.hpp"
#include "storage/measurement_filter.hpp"
#include "storage/nightly_record.hpp"
#include "storage/run_record.hpp"
#include "storage/stored_measurement.hpp"
#include "storage/tuning_record.hpp"

namespace ridgeline::storage {

struct open_options {
  // How long a writer waits for another process's write transaction before failing. Transactions
  // here last milliseconds; 10 s absorbs a slow disk or a checkpoint.
  std::chrono::milliseconds busy_timeout{10000};
  // The time written into runs, measurements and measured roofs: UTC ISO 8601 with milliseconds.
  // Replaceable so that golden-file tests get fixed times; empty = the system clock.
  std::function<std::string()> clock;
};

class database {
 public:
  // Opens or creates the file (and its parent directories), switches it to WAL, turns foreign
  // keys on and applies pending migrations. Throws ridgeline::runtime_error — without writing
  // anything to the file — when it is not an SQLite database, is another application's database,
  // or has a schema newer than this build knows ("DB: schema version N is newer than this build's
  // M; upgrade ridgeline").
  static database open(const std::string& path, open_options options = {});

  database(database&&) = default;
  database& operator=(database&&) = default;
  ~database() = default;

  const std::string& path() const { return db_.path(); }
  int schema_version();                                     // after open: latest_schema_version()
  int version_at_open() const { return version_at_open_; }  // 0 for a new file
  static int latest_schema_version();                       // the newest this build knows

  // --- Writes. Each call is one transaction.

  // The device's id, inserting it when new. A catalog id given here replaces a stored one; an
  // absent one keeps it.
  std::int64_t device_id(const device_identity& device);

  // One complete run in one transaction: the run (status complete), its device and every
  // measurement, or nothing at all. For `ridgeline run`. Returns the run id.
  std::int64_t record(const device_identity& device,
                      const std::vector<profiler::measurement>& measurements, const run_info& run);

  // Stores a roof set (source datasheet or measured) as one complete run. Returns the run id.
  // `provenance` is free text, e.g. the catalog file or the ceilings sweep's parameters.
  std::int64_t record_roofs(const device_identity& device, const profiler::roof_set& roofs,
                            const run_info& run, const std::string& provenance);

  // A run written one measurement at a time (the tuner, long series): each call commits on its
  // own, so a killed process loses at most the measurement it was writing, and a resumed run
  // finds everything committed before. See run_writer for the RAII form.
  std::int64_t begin_run(const run_info& run);
  std::int64_t add_measurement(std::int64_t run_id, std::int64_t device_id,
                               const profiler::measurement& m);
  void finish_run(std::int64_t run_id, run_status status);

  // --- Imported files (storage/database_import.cpp): other profilers' results, one run per file.

  // Stores one imported file in one transaction: a complete run, the devices and every
  // measurement, and its imports row. Returns nullopt, writing nothing, when a file with the same
  // content_sha256 was imported before with the same device_option (the check is inside the
  // transaction, so two importers of one file cannot both add it).
  std::optional<std::int64_t> record_import(const std::vector<imported_row>& rows,
                                            const run_info& run, const import_record& file);
  // Every imported file, oldest first.
  std::vector<import_record> imports();

  // --- Tuning runs (storage/database_tuning.cpp). A tuning run is a run written one
  // measurement at a time (add_measurement) plus one tuning_runs row.

  // Starts a run (running) and its tuning row, in one transaction. Returns the run id.
  std::int64_t begin_tuning_run(const device_identity& device, const run_info& run,
                                const tuning_setup& setup);
  // The latest unfinished (running, or failed: interrupted) tuning run of this device with the
  // same case, software, strategy, options and seed — what `--resume` continues. A run whose
  // process is still alive on this host is not offered: two tuners must not share a run.
  std::optional<tuning_run_record> resumable_tuning_run(const device_identity& device,
                                                        const tuning_setup& setup);
  // Makes an unfinished run `running` again under this process, ready for add_measurement.
  void reopen_run(std::int64_t run_id);
  // Ends a tuning run in one transaction: how it stopped, its best measurement, the number of
  // evaluations, its pace (evaluations per minute; none when nothing was measured), and the run's
  // final status.
  void finish_tuning_run(std::int64_t run_id, run_status status, const std::string& stop_reason,
                         std::optional<std::int64_t> best_measurement_id, std::int64_t evaluations,
                         std::optional<double> evaluations_per_minute = std::nullopt);
  // Every tuning run (any status), oldest first.
  std::vector<tuning_run_record> tuning_runs();
  // The best configuration of every complete tuning run of kernel/variant/dtype that found one,
  // on any device: what wisdom chooses from. A nightly case's tuning run counts only once its
  // night finished with its checks passed (docs/nightly.md, "Wisdom").
  std::vector<tuned_result> tuned_results(const std::string& kernel, const std::string& variant,
                                          const std::string& dtype);

  // --- Nightly runs (storage/database_nightly.cpp, docs/nightly.md).

  // Starts a nightly run (running) and its nightly_runs row, in one transaction.
  std::int64_t begin_nightly_run(const device_identity& device, const run_info& run,
                                 const nightly_setup& setup);
  // The latest unfinished nightly run of this device with the same job (name and content): what a
  // restarted job continues. A run whose process is still alive on this host is not offered.
  std::optional<nightly_run_record> resumable_nightly_run(const device_identity& device,
                                                          const nightly_setup& setup);
  // Commits one entry (one transaction). Returns its id.
  std::int64_t add_nightly_entry(const nightly_entry_record& entry);
  // Ends a nightly run in one transaction: its flags, verdict, report path and final status.
  void finish_nightly_run(std::int64_t run_id, run_status status,
                          std::optional<nightly_verdict> verdict,
                          const std::vector<nightly_flag_record>& flags,
                          const std::string& report_path);
  // Every nightly run (any status), oldest first; `hardware_type` empty = all.
  std::vector<nightly_run_record> nightly_runs(const std::string& hardware_type = "");
  std::vector<nightly_entry_record> nightly_entries(std::int64_t nightly_run_id);
  std::vector<nightly_flag_record> nightly_flags(std::int64_t nightly_run_id);

  // --- Reads. Each is one SELECT, i.e. one consistent snapshot.

  std::vector<profiler::measurement> measurements(const measurement_filter& filter = {});
  std::vector<stored_measurement> stored_measurements(const measurement_filter& filter = {});
  std::vector<run_record> runs();
  std::optional<device_identity> device(std::int64_t device_id);

  // The device's roofs of one source from its latest complete run that stored any; none when
  // there are none. roof_set::device is the catalog id when known, else the device name;
  // roof_set::measured_at is when measured roofs were recorded.
  std::optional<profiler::roof_set> roofs(const device_identity& device,
                                          profiler::roof_source source);

  // {"schema": "ridgeline.results/1", "measurements": [...]}: the document `ridgeline --json run`
  // prints (docs/json-schema.md), built by the same profiler::to_json.
  nlohmann::ordered_json export_json(const measurement_filter& filter = {});
  // CSV with the columns of csv_columns() (csv_export.hpp, docs/database.md).
  std::string export_csv(const measurement_filter& filter = {});

  // PRAGMA integrity_check: "ok", or SQLite's list of problems one per line.
  std::string integrity_check();

 private:
  database(detail::connection db, open_options options, int version_at_open);
  std::string now() const;
  std::int64_t insert_run(const run_info& run, run_status status);
  std::int64_t upsert_device(const device_identity& device);
  // The device's row id when it is stored (its six identity fields); a read never inserts it.
  std::optional<std::int64_t> stored_device_id(const device_identity& device);
  std::int64_t insert_measurement(std::int64_t run_id, std::int64_t device_id,
                                  const profiler::measurement& m);
  // Sets a running run's final status and time, inside the caller's transaction.
  void mark_finished(std::int64_t run_id, run_status status);

  detail::connection db_;
  open_options options_;
  int version_at_open_ = 0;
};

}  // namespace ridgeline::storage
