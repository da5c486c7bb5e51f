// `ridgeline merge` (storage/merge.cpp): two machines' databases written with the library's own
// API (the nightly tables by raw SQL) merged into one. The comparison reads every column of every
// table from the schema (PRAGMA table_info), with each id replaced by the content of the row it
// names, so a column or table that merge failed to copy, or an id it failed to translate, shows
// up as a difference without this file knowing about it.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "storage/database.hpp"
#include "storage/merge.hpp"
#include "tests/profiler/sample_measurement.hpp"
#include "tests/storage/storage_test_support.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline::storage {
namespace {

using ridgeline::test::expect_error;

// ---- Reading a database as content: table -> multiset of rows, ids resolved.

class content_reader {
 public:
  explicit content_reader(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << path << ": " << sqlite3_errmsg(db_);
    }
  }
  ~content_reader() { sqlite3_close(db_); }
  content_reader(const content_reader&) = delete;
  content_reader& operator=(const content_reader&) = delete;

  // Every table's rows as text. With `finished_only`, rows of running runs (and rows referring to
  // them) are left out, as merge leaves them; devices are always kept.
  std::map<std::string, std::multiset<std::string>> read(bool finished_only) {
    finished_only_ = finished_only;
    std::map<std::string, std::multiset<std::string>> out;
    for (const auto& table : column(
             "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
      auto& rows = out[table];
      for (const auto& rowid : column("SELECT rowid FROM \"" + table + "\"")) {
        const auto row = resolve(table, "rowid", rowid);
        if (row) rows.insert(*row);
      }
    }
    return out;
  }

  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
      const auto* text = sqlite3_column_text(s, 0);
      out.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  struct shape {
    std::vector<std::string> columns;
    std::set<std::string> own_key;  // the row's own integer id: not content
    std::map<std::string, std::pair<std::string, std::string>> refers;  // column -> (table, column)
  };

  // A cell as exact text: doubles in hex, so a rounded copy would differ.
  static std::string cell(sqlite3_stmt* s, int i) {
    switch (sqlite3_column_type(s, i)) {
      case SQLITE_NULL:
        return "NULL";
      case SQLITE_INTEGER:
        return std::to_string(sqlite3_column_int64(s, i));
      case SQLITE_FLOAT: {
        char text[64];
        std::snprintf(text, sizeof text, "%a", sqlite3_column_double(s, i));
        return text;
      }
      default:
        return "'" +
               std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, i)),
                           static_cast<std::size_t>(sqlite3_column_bytes(s, i))) +
               "'";
    }
  }

  const shape& shape_of(const std::string& table) {
    auto found = shapes_.find(table);
    if (found != shapes_.end()) return found->second;
    shape sh;
    sh.columns = column("SELECT name FROM pragma_table_info('" + table + "') ORDER BY cid");
    for (const auto& fk : column("SELECT \"from\" || '|' || \"table\" || '|' || \"to\" FROM "
                                 "pragma_foreign_key_list('" +
                                 table + "')")) {
      const auto a = fk.find('|');
      const auto b = fk.find('|', a + 1);
      sh.refers[fk.substr(0, a)] = {fk.substr(a + 1, b - a - 1), fk.substr(b + 1)};
    }
    // A single-column INTEGER PRIMARY KEY that is no reference is the row's own id.
    const auto pk = column("SELECT name FROM pragma_table_info('" + table + "') WHERE pk > 0");
    if (pk.size() == 1 && !sh.refers.count(pk[0])) sh.own_key.insert(pk[0]);
    return shapes_[table] = sh;
  }

  // The row of `table` whose `key` is `value`, as "table{column=value,...}" with references
  // replaced by the rows they name; nullopt when the row belongs to a running run.
  std::optional<std::string> resolve(const std::string& table, const std::string& key,
                                     const std::string& value) {
    const std::string memo_key = table + "|" + key + "|" + value;
    if (auto m = memo_.find(memo_key); m != memo_.end()) return m->second;
    const shape& sh = shape_of(table);
    std::string select;
    for (const auto& c : sh.columns) select += (select.empty() ? "" : ", ") + ("\"" + c + "\"");
    const std::string sql =
        "SELECT " + select + " FROM \"" + table + "\" WHERE \"" + key + "\" = " + value;
    sqlite3_stmt* s = nullptr;
    std::optional<std::string> out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
      return out;
    }
    if (sqlite3_step(s) != SQLITE_ROW) {
      ADD_FAILURE() << "dangling reference: " << sql;
      sqlite3_finalize(s);
      return out;
    }
    std::vector<std::string> cells;
    for (int i = 0; i < static_cast<int>(sh.columns.size()); ++i) cells.push_back(cell(s, i));
    sqlite3_finalize(s);

    std::string text = table + "{";
    bool keep = true;
    for (std::size_t i = 0; i < sh.columns.size(); ++i) {
      const std::string& name = sh.columns[i];
      if (sh.own_key.count(name)) continue;
      if (table == "runs" && name == "status" && cells[i] == "'running'" && finished_only_) {
        keep = false;
      }
      std::string v = cells[i];
      const auto ref = sh.refers.find(name);
      if (ref != sh.refers.end() && v != "NULL") {
        const auto target = resolve(ref->second.first, ref->second.second, v);
        if (!target) keep = false;
        v = target.value_or("(running)");
      }
      text += name + "=" + v + ";";
    }
    if (keep) out = text + "}";
    memo_[memo_key] = out;
    return out;
  }

  sqlite3* db_ = nullptr;
  bool finished_only_ = false;
  std::map<std::string, shape> shapes_;
  std::map<std::string, std::optional<std::string>> memo_;
};

std::map<std::string, std::multiset<std::string>> contents(const std::string& path,
                                                           bool finished_only = false) {
  return content_reader(path).read(finished_only);
}

// out == a + b, table by table; devices (one row per identity in any file) as a set union.
void expect_sum(const std::string& out, const std::vector<std::string>& sources) {
  const auto merged = contents(out);
  std::map<std::string, std::multiset<std::string>> want;
  for (const auto& source : sources) {
    for (const auto& [table, rows] : contents(source, true)) {
      auto& w = want[table];
      for (const auto& r : rows) {
        if (table != "devices" || !w.count(r)) w.insert(r);
      }
    }
  }
  ASSERT_EQ(merged.size(), want.size());
  for (const auto& [table, rows] : want) {
    const auto& got = merged.at(table);
    EXPECT_EQ(got.size(), rows.size()) << table;
    EXPECT_TRUE(got == rows) << table << ": merged rows differ from the sources'";
    int shown = 0;  // a few of each, rows are long
    for (const auto& r : rows) {
      if (!got.count(r) && shown++ < 2) ADD_FAILURE() << "missing: " << r;
    }
    for (const auto& r : got) {
      if (!rows.count(r) && shown++ < 4) ADD_FAILURE() << "extra: " << r;
    }
  }
}

std::string count(const std::string& path, const std::string& table) {
  return test::raw_db(path).scalar("SELECT count(*) FROM " + table);
}

// ---- Two machines.

profiler::measurement timed(const std::string& kernel, double median_s) {
  auto m = profiler::test::sample_measurement();
  m.kernel = kernel;
  m.timing->summary.median = median_s;
  return m;
}

profiler::roof_set roofs(double scale) {
  profiler::roof_set r;
  r.source = profiler::roof_source::measured;
  r.compute = {{"f32", "simt", 1e12 * scale, "measured"}, {"f64", "simt", 5e11 * scale, "m"}};
  r.bandwidth = {{"dram", 5e10 * scale, "measured"}};
  return r;
}

tuning_setup setup() {
  tuning_setup t;
  t.what = {"gemm",
            "kokkos_tiled",
            "f32",
            "OpenMP",
            "m=257,n=129,k=31,alpha=0.5",
            R"({"m":257,"n":129,"k":31,"alpha":0.5})"};
  t.software_key = "compiler=GNU 12.2.0";
  t.software_json = R"({"compiler":"GNU 12.2.0"})";
  t.strategy = "random";
  t.strategy_options = "";
  t.seed = 18446744073709551615ull;
  t.stop_json = "{}";
  t.floor_time_s = 1e-3;
  return t;
}

struct nightly_ids {
  std::int64_t run = 0;
  std::int64_t tuning_run = 0;
};

// A nightly run as docs/database.md (version 4) describes it, written by raw SQL beside the
// library: its run, a tuning run (its own run) whose best and default configurations the entry
// points at, the previous best re-measured in the nightly run itself, a flag. Left running unless
// `finish`.
std::string id_or_null(std::optional<std::int64_t> id) {
  return id ? std::to_string(*id) : "NULL";
}

void insert_nightly_run(test::raw_db& raw, std::int64_t run, std::int64_t device) {
  raw.exec(
      "INSERT INTO nightly_runs (run_id, device_id, job_name, job_path, job_sha256, "
      "hardware_type, software_key, software_json) VALUES (" +
      std::to_string(run) + ", " + std::to_string(device) +
      ", 'job', '/jobs/job.yaml', 'abc', 'epyc', 'compiler=GNU 12.2.0', '{}')");
}

void insert_entry(test::raw_db& raw, std::int64_t run, std::int64_t tuning_run, std::int64_t best,
                  std::optional<std::int64_t> default_config,
                  std::optional<std::int64_t> previous_best,
                  std::optional<std::int64_t> previous_run) {
  raw.exec(
      "INSERT INTO nightly_entries (nightly_run_id, entry_key, kernel, variant, dtype, "
      "backend, problem_text, problem_json, tuning_run_id, best_measurement_id, "
      "default_measurement_id, previous_best_measurement_id, previous_nightly_run_id, "
      "checks_passed, note) VALUES (" +
      std::to_string(run) + ", 'gemm/f32', 'gemm', 'kokkos_tiled', 'f32', 'OpenMP', " +
      "'m=257', '{}', " + std::to_string(tuning_run) + ", " + std::to_string(best) + ", " +
      id_or_null(default_config) + ", " + id_or_null(previous_best) + ", " +
      id_or_null(previous_run) + ", 1, '')");
}

// A nightly run as docs/database.md (version 4) describes it, written by raw SQL beside the
// library: its run, a tuning run (its own run) whose best and default configurations the entry
// points at, the previous best re-measured in the nightly run itself, a flag. Left running unless
// `finish`.
nightly_ids nightly(database& db, const std::string& path, const device_identity& dev,
                    std::optional<std::int64_t> previous, bool finish) {
  nightly_ids ids;
  ids.run = db.begin_run({"ridgeline nightly job.yaml"});
  const std::int64_t device = db.device_id(dev);
  test::raw_db raw(path);
  insert_nightly_run(raw, ids.run, device);
  ids.tuning_run = db.begin_tuning_run(dev, {"ridgeline nightly job.yaml"}, setup());
  const auto slow = db.add_measurement(ids.tuning_run, device, timed("gemm", 3e-3));
  const auto best = db.add_measurement(ids.tuning_run, device, timed("gemm", 2e-3));
  db.finish_tuning_run(ids.tuning_run, run_status::complete, "budget", best, 2);
  const auto again = db.add_measurement(ids.run, device, timed("gemm", 2.5e-3));
  insert_entry(raw, ids.run, ids.tuning_run, best, slow, again, previous);
  raw.exec(
      "INSERT INTO nightly_flags (nightly_run_id, entry_key, test, effect, p_value, "
      "compared_json, message) VALUES (" +
      std::to_string(ids.run) +
      ", 'gemm/f32', 'mann_whitney', 0.0625, NULL, '[1,2]', 'gemm/f32: 6.25% slower')");
  if (finish) db.finish_run(ids.run, run_status::complete);
  return ids;
}

import_record import_of(const std::string& sha) {
  import_record r;
  r.content_sha256 = sha;
  r.path = "/data/" + sha + ".csv";
  r.format = "ncu-raw";
  r.tool = "ncu";
  r.tool_version = "2025.3.0";
  return r;
}

struct machine {
  std::string path;
  std::int64_t open_nightly = 0;  // a nightly run left running
};

// One machine's database: plain runs, roofs, a tuning run, an import, complete and open nightly
// runs, a failed run and a killed (running) one. `options` may fix the clock, so that runs of one
// process share their start time and only their identity's later parts tell them apart.
machine build(const std::string& path, const std::string& host, open_options options = {}) {
  machine m{path};
  database db = database::open(path, std::move(options));
  device_identity dev = test::sample_device();
  dev.host = host;
  dev.catalog_id = "epyc_9b14";
  db.record(dev, {timed("gemm", 1e-3), timed("stream", 4e-3)}, {"ridgeline run gemm"});
  db.record(dev, {timed("gemm", 1.5e-3)}, {"ridgeline run gemm"});  // same command again
  db.record_roofs(dev, roofs(1), {"ridgeline ceilings"}, "sweep " + host);
  const auto first = nightly(db, path, dev, std::nullopt, true);
  nightly(db, path, dev, first.run, true);
  m.open_nightly = nightly(db, path, dev, first.run, false).run;
  imported_row row;
  row.device = {"gpu", "NVIDIA", "NVIDIA H200", "sm_90", "imported:ncu", "", "h200"};
  row.record = timed("imported_kernel", 5e-4);
  db.record_import({row}, {"ridgeline import x.csv"}, import_of("sha-" + host));
  const auto failed = db.begin_run({"ridgeline run failed"});
  db.add_measurement(failed, db.device_id(dev), timed("failed", 6e-3));
  db.finish_run(failed, run_status::failed);
  const auto killed = db.begin_run({"ridgeline run killed"});
  db.add_measurement(killed, db.device_id(dev), timed("killed", 7e-3));
  // Another machine wrote it: its runs carry that host.
  test::raw_db(path).exec("UPDATE runs SET host = '" + host + "'");
  return m;
}

TEST(Merge, EveryRowOfTwoMachinesLandsOnceWithItsReferences) {
  test::temp_dir dir;
  const machine a = build(dir.file("a.sqlite"), "node-a", test::fixed_clock());
  const machine b = build(dir.file("b.sqlite"), "node-b");
  const std::string out = dir.file("fleet/fleet.sqlite");
  const auto summaries = merge_databases({a.path, b.path}, out);
  ASSERT_EQ(summaries.size(), 2u);
  for (const auto& s : summaries) {
    // 2 runs, roofs, 2 nightly runs with their 2 tuning runs, a tuning run of the open nightly,
    // the import, the failed run; the open nightly run and the killed run wait.
    EXPECT_EQ(s.runs_added, 10) << s.path;
    EXPECT_EQ(s.runs_already_present, 0);
    EXPECT_EQ(s.runs_skipped_running, 2);
    EXPECT_EQ(s.measurements_added, 3 + 2 * 3 + 2 + 1 + 1);
    EXPECT_EQ(s.roofs_added, 3);
  }
  EXPECT_EQ(summaries[0].devices_added, 2);  // the CPU of node-a and the imported H200
  EXPECT_EQ(summaries[1].devices_added, 1);  // the H200 is the same device in both
  expect_sum(out, {a.path, b.path});
  // Per machine: 2 finished nightly runs with an entry and a flag each, 3 tuning runs, 1 import.
  EXPECT_EQ(count(out, "nightly_runs"), "4");
  EXPECT_EQ(count(out, "nightly_entries"), "4");
  EXPECT_EQ(count(out, "nightly_flags"), "4");
  EXPECT_EQ(count(out, "tuning_runs"), "6");
  EXPECT_EQ(count(out, "imports"), "2");
  EXPECT_EQ(database::open(out).integrity_check(), "ok");
  EXPECT_EQ(test::raw_db(out).scalar("PRAGMA foreign_key_check"), "");
  // The library reads the merged file like any other.
  EXPECT_EQ(database::open(out).export_json()["measurements"].size(),
            database::open(a.path).export_json()["measurements"].size() +
                database::open(b.path).export_json()["measurements"].size());
}

TEST(Merge, MergingAgainAddsNothingNotEvenBytes) {
  test::temp_dir dir;
  const machine a = build(dir.file("a.sqlite"), "node-a", test::fixed_clock());
  const machine b = build(dir.file("b.sqlite"), "node-b");
  const std::string out = dir.file("fleet.sqlite");
  merge_databases({a.path, b.path}, out);
  const std::string bytes = test::file_bytes(out);
  for (const auto& s : merge_databases({a.path, b.path, out}, out)) {
    EXPECT_EQ(s.runs_added, 0) << s.path;
    EXPECT_EQ(s.measurements_added, 0);
    EXPECT_EQ(s.devices_added, 0);
  }
  EXPECT_EQ(merge_databases({out}, out)[0].runs_already_present, 20);  // into itself
  EXPECT_EQ(test::file_bytes(out), bytes);

  // A fleet file into another: each machine's file first, then the fleets both ways.
  const std::string fleet_a = dir.file("fleet_a.sqlite");
  const std::string fleet_b = dir.file("fleet_b.sqlite");
  merge_databases({a.path}, fleet_a);
  merge_databases({b.path, a.path}, fleet_b);
  const auto into_a = merge_databases({fleet_b}, fleet_a)[0];
  EXPECT_EQ(into_a.runs_added, 10);  // b's only
  EXPECT_EQ(into_a.runs_already_present, 10);
  expect_sum(fleet_a, {a.path, b.path});
  expect_sum(fleet_b, {a.path, b.path});
  EXPECT_EQ(merge_databases({fleet_a}, fleet_b)[0].runs_added, 0);
}

TEST(Merge, ARunningRunIsMergedOnceItHasFinished) {
  test::temp_dir dir;
  const machine a = build(dir.file("a.sqlite"), "node-a", test::fixed_clock());
  const std::string out = dir.file("fleet.sqlite");
  merge_databases({a.path}, out);
  const std::string before = count(out, "nightly_entries");
  {
    database db = database::open(a.path, test::fixed_clock());
    db.finish_run(a.open_nightly, run_status::complete);
  }
  // Its entry points at its tuning run, merged the first time: the measurement ids it names are
  // translated to that copy's.
  const auto s = merge_databases({a.path}, out)[0];
  EXPECT_EQ(s.runs_added, 1);
  EXPECT_EQ(s.runs_already_present, 10);
  EXPECT_EQ(s.runs_skipped_running, 1);  // the killed run, still running
  EXPECT_EQ(s.measurements_added, 1);
  EXPECT_EQ(std::stoi(count(out, "nightly_entries")), std::stoi(before) + 1);
  expect_sum(out, {a.path});
}

TEST(Merge, AFinishedRunPointingAtARunningOneWaitsForIt) {
  test::temp_dir dir;
  const std::string a = dir.file("a.sqlite");
  const std::string out = dir.file("fleet.sqlite");
  database db = database::open(a);
  const auto dev = test::sample_device();
  const auto tuning = db.begin_tuning_run(dev, {"ridgeline tune gemm"}, setup());
  const auto device = db.device_id(dev);
  const auto best = db.add_measurement(tuning, device, timed("gemm", 2e-3));
  const auto night = db.begin_run({"ridgeline nightly job.yaml"});
  {
    test::raw_db raw(a);
    insert_nightly_run(raw, night, device);
    insert_entry(raw, night, tuning, best, std::nullopt, std::nullopt, std::nullopt);
  }
  db.finish_run(night, run_status::complete);
  const auto first = merge_databases({a}, out)[0];
  EXPECT_EQ(first.runs_added, 0);
  EXPECT_EQ(first.runs_skipped_running, 2);  // the tuning run, and the nightly run waiting on it
  EXPECT_EQ(count(out, "runs"), "0");
  db.finish_tuning_run(tuning, run_status::complete, "budget", best, 1);
  const auto second = merge_databases({a}, out)[0];
  EXPECT_EQ(second.runs_added, 2);
  EXPECT_EQ(second.runs_skipped_running, 0);
  expect_sum(out, {a});
}

TEST(Merge, ARefusedSourceIsOneLineAndLeavesTheOutputAsItWas) {
  test::temp_dir dir;
  const machine a = build(dir.file("a.sqlite"), "node-a");
  const machine b = build(dir.file("b.sqlite"), "node-b");
  const std::string out = dir.file("fleet.sqlite");
  merge_databases({a.path}, out);
  const std::string bytes = test::file_bytes(out);

  const std::string old = dir.file("old.sqlite");
  build(old, "node-old");
  test::raw_db(old).exec("PRAGMA user_version = 4");
  expect_error<runtime_error>([&] { merge_databases({old}, out); },
                              {"merge: " + old +
                               ": schema version 4, this build writes 5; open "
                               "it once with this ridgeline to migrate it"});
  test::raw_db(old).exec("PRAGMA user_version = 6");
  expect_error<runtime_error>(
      [&] { merge_databases({old}, out); },
      {"merge: " + old + ": schema version 6 is newer than this build's 5"});
  const std::string text = dir.file("notes.txt");
  std::ofstream(text) << "not a database\n";
  expect_error<runtime_error>([&] { merge_databases({text}, out); },
                              {"merge: " + text + ": not an SQLite database"});
  const std::string other = dir.file("other.sqlite");
  test::raw_db(other).exec("PRAGMA application_id = 42; CREATE TABLE t (x)");
  expect_error<runtime_error>([&] { merge_databases({other}, out); },
                              {"merge: " + other +
                               ": not a Ridgeline database (application_id "
                               "0x2a, expected 0x52444c4e)"});
  expect_error<runtime_error>([&] { merge_databases({dir.file("absent.sqlite")}, out); },
                              {"absent.sqlite: no such file"});
  EXPECT_FALSE(std::filesystem::exists(dir.file("absent.sqlite")));
  // A hand-altered table (a column this build does not have) is refused too.
  const std::string altered = dir.file("altered.sqlite");
  build(altered, "node-x");
  test::raw_db(altered).exec("ALTER TABLE roofs ADD COLUMN extra TEXT");
  expect_error<runtime_error>([&] { merge_databases({altered}, out); },
                              {"merge: " + altered + ": table 'roofs' has columns"});
  EXPECT_EQ(test::file_bytes(out), bytes);

  // Sources before the refused one stay merged, the ones after it are not touched.
  try {
    merge_databases({b.path, text, dir.file("later.sqlite")}, out);
    ADD_FAILURE() << "no error";
  } catch (const runtime_error& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;  // one line
  }
  expect_sum(out, {a.path, b.path});
  EXPECT_FALSE(std::filesystem::exists(dir.file("later.sqlite")));
}

TEST(Merge, DevicesAndImportsAreIdentifiedByTheirUniqueColumns) {
  test::temp_dir dir;
  const std::string a = dir.file("a.sqlite");
  const std::string b = dir.file("b.sqlite");
  const std::string out = dir.file("fleet.sqlite");
  imported_row row;
  row.device = {"gpu", "NVIDIA", "NVIDIA H200", "sm_90", "imported:ncu", "", std::nullopt};
  row.record = timed("k", 5e-4);
  {
    // The output knows the card without a catalog id, then learns it from b; a's own device keeps
    // the catalog id the output already has.
    database db = database::open(a);
    db.record_import({row}, {"ridgeline import x.csv"}, import_of("same-file"));
    device_identity cpu = test::sample_device();
    cpu.catalog_id = "kept";
    db.device_id(cpu);
  }
  {
    database db = database::open(b);
    row.device.catalog_id = "h200";
    db.record_import({row}, {"ridgeline import /elsewhere/x.csv"}, import_of("same-file"));
    import_record onto_card = import_of("same-file");
    onto_card.device_option = "h200";
    db.record_import({row}, {"ridgeline import x.csv --device h200"}, onto_card);
    device_identity cpu = test::sample_device();
    cpu.catalog_id = "other";
    db.device_id(cpu);
  }
  merge_databases({a}, out);
  const auto s = merge_databases({b}, out)[0];
  // The same file with the same card choice was imported on both machines: stored once. Naming a
  // card is another import.
  EXPECT_EQ(s.runs_already_present, 1);
  EXPECT_EQ(s.runs_added, 1);
  EXPECT_EQ(s.devices_added, 0);
  test::raw_db raw(out);
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM imports"), "2");
  EXPECT_EQ(raw.scalar("SELECT count(*) FROM devices"), "2");
  EXPECT_EQ(raw.scalar("SELECT catalog_id FROM devices WHERE kind = 'gpu'"), "h200");
  EXPECT_EQ(raw.scalar("SELECT catalog_id FROM devices WHERE kind = 'cpu'"), "kept");
}

TEST(Merge, AColumnALaterMigrationAddsIsCopied) {
  // What a later migration adding a column looks like to merge: both files have it.
  test::temp_dir dir;
  const machine a = build(dir.file("a.sqlite"), "node-a");
  const std::string out = dir.file("fleet.sqlite");
  { database::open(out); }
  for (const auto& path : {a.path, out}) {
    test::raw_db(path).exec("ALTER TABLE measurements ADD COLUMN energy_j REAL");
  }
  test::raw_db(a.path).exec("UPDATE measurements SET energy_j = id * 0.1");
  merge_databases({a.path}, out);
  expect_sum(out, {a.path});
  EXPECT_EQ(test::raw_db(out).scalar("SELECT count(*) FROM measurements WHERE energy_j > 0"),
            test::raw_db(out).scalar("SELECT count(*) FROM measurements"));
}

TEST(Merge, ATableMergeDoesNotKnowStopsItBeforeAnythingIsWritten) {
  test::temp_dir dir;
  const machine a = build(dir.file("a.sqlite"), "node-a");
  const std::string out = dir.file("fleet.sqlite");
  { database::open(out); }
  test::raw_db(out).exec("CREATE TABLE energy (run_id INTEGER REFERENCES runs (id), joules REAL)");
  const std::string bytes = test::file_bytes(out);
  try {
    merge_databases({a.path}, out);
    ADD_FAILURE() << "no error";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("table 'energy'"), std::string::npos) << e.what();
  }
  EXPECT_EQ(test::file_bytes(out), bytes);
}

}  // namespace
}  // namespace ridgeline::storage
