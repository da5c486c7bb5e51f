// The wisdom export (service/wisdom_export.hpp) from a database filled through the library's own
// write API, written to a file the way the CLI writes it, and read back by the header-only reader
// an application uses (include/ridgeline/wisdom_file.hpp).
#include <gtest/gtest.h>

#include <filesystem>
#include <ridgeline/wisdom_file.hpp>

#include "service/wisdom_export.hpp"
#include "tests/profiler/sample_measurement.hpp"
#include "tests/storage/golden.hpp"
#include "tests/storage/storage_test_support.hpp"
#include "tests/support/expect_error.hpp"

namespace ridgeline {
namespace {

using storage::test::temp_dir;
using test::expect_error;

const std::string current_sw = "ridgeline=0.1.0;compiler=GNU 12.2.0;backend=Cuda;cuda_driver=13.0";
const std::string old_sw = "ridgeline=0.0.9;compiler=GNU 12.2.0;backend=Cuda;cuda_driver=12.4";

storage::device_identity h100(const std::string& host) {
  return {"gpu", "NVIDIA", "NVIDIA H100 80GB HBM3", "sm_90", "Cuda", host, std::string("h100")};
}

storage::device_identity epyc() {
  return {"cpu", "AuthenticAMD", "AMD EPYC 9B14", "znver4", "OpenMP", "cpunode", std::nullopt};
}

struct tuned {
  storage::device_identity device;
  std::int64_t m = 2048;
  double best_s = 1e-3;
  std::string tile_m = "64";
  std::string software = current_sw;
  std::optional<bool> check_passed = true;  // nullopt: not checked
  storage::run_status status = storage::run_status::complete;
};

// One tuning run through the library's write API: begin, two evaluations, finish with the best.
std::int64_t add_tuning_run(storage::database& db, const tuned& t) {
  const std::string n = std::to_string(t.m);
  storage::tuning_setup setup;
  setup.what = {"gemm",
                "kokkos_tiled",
                "f32",
                t.device.backend,
                "m=" + n + ",n=2048,k=2048",
                R"({"k":2048.0,"m":)" + n + R"(.0,"n":2048.0})"};
  setup.software_key = t.software;
  setup.software_json = R"({"ridgeline":"x","backend":")" + t.device.backend + R"("})";
  setup.strategy = "forest";
  setup.strategy_options = "";
  setup.seed = 1;
  setup.stop_json = R"({"max_evaluations":2})";
  const std::int64_t run = db.begin_tuning_run(t.device, {"ridgeline tune gemm"}, setup);
  const std::int64_t device_id = db.device_id(t.device);
  auto m = profiler::test::sample_measurement();
  m.backend = t.device.backend;
  m.problem = {{"m", double(t.m), true}, {"n", 2048, true}, {"k", 2048, true}};
  m.params = {{"tile_m", "32"}, {"layout", "row"}};
  m.timing->summary.median = t.best_s * 3;
  db.add_measurement(run, device_id, m);
  m.params = {{"tile_m", t.tile_m}, {"layout", "row"}};
  m.timing->summary.median = t.best_s;
  if (t.check_passed) {
    m.check->passed = *t.check_passed;
  } else {
    m.check.reset();
  }
  const std::int64_t best = db.add_measurement(run, device_id, m);
  if (t.status != storage::run_status::running) {
    db.finish_tuning_run(run, t.status, "budget", best, 2);
  }
  return run;
}

service::wisdom_export_request request(const std::string& type) {
  service::wisdom_export_request r;
  r.hardware_type = type;
  r.current_software["Cuda"] = {current_sw, R"({"ridgeline":"0.1.0","backend":"Cuda"})"};
  r.generated_at = "2026-11-26T07:12:03Z";
  return r;
}

// A fleet database: two H100 hosts, one CPU node, and the runs an export must leave out.
struct fleet {
  temp_dir dir;
  storage::database db =
      storage::database::open(dir.file("fleet.sqlite"), storage::test::fixed_clock());
  std::int64_t node1_2048 = 0, node2_2048 = 0, stale_faster = 0, only_stale = 0, unchecked = 0;

  fleet() {
    node1_2048 = add_tuning_run(db, {h100("node1"), 2048, 2e-3, "64"});
    node2_2048 = add_tuning_run(db, {h100("node2"), 2048, 1.5e-3, "128"});
    // Faster, but tuned with other software: the current software's result wins.
    stale_faster = add_tuning_run(db, {h100("node1"), 2048, 1e-3, "256", old_sw});
    // Only other software for this problem: exported, marked stale.
    only_stale = add_tuning_run(db, {h100("node1"), 512, 1e-4, "16", old_sw});
    // No check made: exported, saying so.
    unchecked = add_tuning_run(db, {h100("node2"), 8192, 9e-2, "256", current_sw, std::nullopt});
    // Left out: a failed check, an unfinished run, a failed run, another device type.
    add_tuning_run(db, {h100("node1"), 1024, 1e-4, "8", current_sw, false});
    add_tuning_run(
        db, {h100("node1"), 4096, 1e-5, "8", current_sw, true, storage::run_status::running});
    add_tuning_run(db,
                   {h100("node2"), 4096, 1e-5, "8", current_sw, true, storage::run_status::failed});
    add_tuning_run(db, {epyc(), 2048, 1e-5, "8"});
  }
};

const nlohmann::ordered_json* entry_for(const nlohmann::ordered_json& doc, const std::string& p) {
  for (const auto& e : doc["entries"]) {
    if (e["problem_text"] == p) return &e;
  }
  return nullptr;
}

TEST(WisdomExport, BestCurrentResultPerCaseOfTheHardwareType) {
  fleet f;
  const auto doc = service::wisdom_export(f.db, request("h100"));
  EXPECT_EQ(doc["schema"], "ridgeline.wisdom-export/1");
  EXPECT_EQ(doc["version"], "1.0");
  EXPECT_EQ(doc["hardware_type"]["matched_by"], "catalog_id");
  EXPECT_EQ(doc["devices"].size(), 2u);  // node1 and node2, not the CPU node
  EXPECT_EQ(doc["software"]["Cuda"]["source"], "this_build");
  ASSERT_EQ(doc["entries"].size(), 3u) << doc.dump(2);  // 512, 2048, 8192

  const auto* e = entry_for(doc, "m=2048,n=2048,k=2048");
  ASSERT_TRUE(e);
  EXPECT_EQ((*e)["tuning_run_id"], f.node2_2048);  // the faster host; the stale run loses
  EXPECT_EQ((*e)["params"]["tile_m"], "128");
  EXPECT_EQ((*e)["params_text"], "tile_m=128,layout=row");
  EXPECT_EQ((*e)["problem"]["m"], 2048);
  EXPECT_TRUE((*e)["problem"]["m"].is_number_integer());
  EXPECT_DOUBLE_EQ((*e)["time_median_s"].get<double>(), 1.5e-3);
  EXPECT_DOUBLE_EQ((*e)["flop_per_s"].get<double>(), 4e9 / 1.5e-3);  // sample work: 4e9 FLOP
  EXPECT_EQ((*e)["stale"], false);
  EXPECT_EQ((*e)["check"], "passed");
  EXPECT_EQ((*e)["runs_considered"], 3);
  EXPECT_EQ((*e)["device"]["host"], "node2");

  const auto* s = entry_for(doc, "m=512,n=2048,k=2048");
  ASSERT_TRUE(s);
  EXPECT_EQ((*s)["stale"], true);
  EXPECT_EQ((*s)["software_key"], old_sw);
  EXPECT_EQ((*entry_for(doc, "m=8192,n=2048,k=2048"))["check"], "not_checked");
  EXPECT_FALSE(entry_for(doc, "m=1024,n=2048,k=2048"));  // failed its check
  EXPECT_FALSE(entry_for(doc, "m=4096,n=2048,k=2048"));  // unfinished and failed runs
}

TEST(WisdomExport, DocumentMatchesTheGoldenFile) {
  fleet f;
  auto doc = service::wisdom_export(f.db, request("h100"));
  doc["generator"] = {{"ridgeline", "golden"}, {"git_revision", "golden"}};  // varies by build
  storage::test::expect_golden("h100.wisdom.json", doc.dump(2) + "\n");
}

TEST(WisdomExport, HardwareTypeIsANightlyLabelElseACardElseADeviceName) {
  fleet f;
  // By device name: the CPU node.
  auto doc = service::wisdom_export(f.db, request("AMD EPYC 9B14"));
  EXPECT_EQ(doc["hardware_type"]["matched_by"], "device_name");
  ASSERT_EQ(doc["entries"].size(), 1u);
  EXPECT_EQ(doc["entries"][0]["backend"], "OpenMP");
  // No current software given for OpenMP: the newest tuning run's is the reference.
  EXPECT_EQ(doc["software"]["OpenMP"]["source"], "newest_tuning_run");
  EXPECT_EQ(doc["entries"][0]["stale"], false);

  // A nightly label names only the devices its nightly runs ran on: node1 here.
  storage::nightly_setup night;
  night.job_name = "h100-nightly";
  night.hardware_type = "h100-sxm";
  night.software_key = current_sw;
  f.db.begin_nightly_run(h100("node1"), {"ridgeline nightly job.yaml"}, night);
  doc = service::wisdom_export(f.db, request("h100-sxm"));
  EXPECT_EQ(doc["hardware_type"]["matched_by"], "nightly_label");
  ASSERT_EQ(doc["devices"].size(), 1u);
  EXPECT_EQ(doc["entries"][0]["device"]["host"], "node1");
  EXPECT_EQ((*entry_for(doc, "m=2048,n=2048,k=2048"))["tuning_run_id"], f.node1_2048);

  // --kernel: only that kernel; an unknown one is named.
  auto r = request("h100");
  r.kernel = "attention";
  EXPECT_TRUE(service::wisdom_export(f.db, r)["entries"].empty());
  r.kernel = "gemmm";
  test::expect_usage_error([&] { service::wisdom_export(f.db, r); }, {"--kernel", "'gemmm'"});
  test::expect_usage_error([&] { service::wisdom_export(f.db, request("b200")); },
                           {"--device-type", "'b200'", "'h100-sxm'", "'h100'", "'AMD EPYC 9B14'"});
}

TEST(WisdomFile, ReadsARealExportAndLooksUpExactThenNearest) {
  fleet f;
  const std::string path = f.dir.file("out/h100.wisdom.json");
  std::filesystem::create_directories(f.dir.file("out"));
  service::write_file_atomically(path, service::wisdom_export(f.db, request("h100")).dump(2),
                                 "--output");
  // Only the file itself: the temporary was renamed into place.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(f.dir.file("out")), {}), 1);

  const auto w = wisdom_file::load(path);
  EXPECT_EQ(w.hardware_type(), "h100");
  EXPECT_EQ(w.version(), "1.0");
  EXPECT_EQ(w.generated_at(), "2026-11-26T07:12:03Z");
  ASSERT_EQ(w.entries().size(), 3u);

  wisdom_query q{"gemm", "kokkos_tiled", "f32", "", {{"m", 2048}, {"n", 2048}, {"k", 2048}}};
  auto a = w.lookup(q);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->rule, wisdom_rule::exact);
  EXPECT_EQ(a->entry.params.at("tile_m"), "128");
  EXPECT_EQ(a->entry.param_int("tile_m"), 128);
  EXPECT_EQ(a->entry.tuning_run_id, f.node2_2048);
  EXPECT_EQ(a->entry.device_host, "node2");
  EXPECT_FALSE(a->entry.stale);

  // 3000 is nearer 2048 (ln 1.46) than 8192 (ln 2.73) in log space.
  q.problem["m"] = 3000;
  a = w.lookup(q);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->rule, wisdom_rule::nearest_shape);
  EXPECT_STREQ(to_string(a->rule), "nearest_shape");
  EXPECT_EQ(a->entry.problem_text, "m=2048,n=2048,k=2048");
  EXPECT_NEAR(a->shape_distance, std::log(3000.0 / 2048), 1e-12);
  // 1024 failed its check, so 600 goes to the stale 512.
  q.problem["m"] = 600;
  a = w.lookup(q);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->entry.problem_text, "m=512,n=2048,k=2048");
  EXPECT_TRUE(a->entry.stale);

  q.backend = "Cuda";
  EXPECT_TRUE(w.lookup(q));
  q.backend = "OpenMP";  // not in this file
  EXPECT_FALSE(w.lookup(q));
  q.backend = "";
  q.problem = {{"m", 2048}, {"n", 2048}};  // other fields: not comparable
  EXPECT_FALSE(w.lookup(q));
  q.problem = {{"m", 2048}, {"n", 2048}, {"k", 0}};
  EXPECT_FALSE(w.lookup(q));
  q = {"gemm", "kokkos_tiled", "f64", "", {{"m", 2048}, {"n", 2048}, {"k", 2048}}};
  EXPECT_FALSE(w.lookup(q));
  expect_error<wisdom_file_error>([&] { (void)a->entry.param_int("layout"); },
                                  {"'layout'", "'row'", "not an integer"});
  expect_error<wisdom_file_error>([&] { (void)a->entry.param_int("nope"); }, {"'nope'"});
}

TEST(WisdomFile, RefusesOtherSchemasVersionsAndBrokenEntriesNamingTheField) {
  auto doc = nlohmann::json::parse(
      storage::test::file_bytes(std::string(RIDGELINE_TEST_DATA_DIR) + "/h100.wisdom.json"));
  EXPECT_EQ(wisdom_file::parse(doc.dump(), "h100.json").entries().size(), 3u);
  auto refused = [&](nlohmann::json d, std::initializer_list<std::string> mentions) {
    expect_error<wisdom_file_error>([&] { wisdom_file::parse(d.dump(), "h100.json"); }, mentions);
  };
  auto d = doc;
  d["schema"] = "ridgeline.wisdom-export/2";
  d["version"] = "2.0";
  refused(d, {"h100.json", "version 2", "reads version 1"});
  d = doc;
  d["schema"] = "ridgeline.results/1";
  refused(d, {"h100.json", "ridgeline.results/1", "not a Ridgeline wisdom export"});
  d = doc;
  d["version"] = "2.1";
  refused(d, {"version '2.1'"});
  d = doc;
  d["version"] = "1.7";  // a minor version only adds fields
  d["entries"][0]["a_field_of_1_7"] = true;
  EXPECT_EQ(wisdom_file::parse(d.dump()).entries().size(), 3u);
  d = doc;
  d["entries"][1].erase("params");
  refused(d, {"h100.json: entries[1].params: missing"});
  d = doc;
  d["entries"][0]["problem"]["m"] = "big";
  refused(d, {"entries[0].problem.m: expected a number"});
  expect_error<wisdom_file_error>([] { wisdom_file::parse("{", "x.json"); }, {"x.json: not JSON"});
  expect_error<wisdom_file_error>([] { wisdom_file::load("/nonexistent/w.json"); },
                                  {"/nonexistent/w.json", "cannot open"});
}

TEST(WisdomFile, AtomicWriteNamesTheOptionWhenItCannot) {
  temp_dir dir;
  expect_error<runtime_error>(
      [&] { service::write_file_atomically(dir.file("missing/w.json"), "{}", "--output"); },
      {"--output", "missing"});
  const std::string path = dir.file("w.json");
  service::write_file_atomically(path, "old", "--output");
  service::write_file_atomically(path, "new", "--output");
  EXPECT_EQ(storage::test::file_bytes(path), "new");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir.path()), {}), 1);
}

}  // namespace
}  // namespace ridgeline
