// The import service: launches become measurements on the right device and card, bad options are
// refused before anything is read, each file is one transaction, and the same content twice adds
// nothing. Samples: tests/importers/data (hand-written from the tools' documented layouts).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "../support/expect_error.hpp"
#include "core/error.hpp"
#include "roofline/device_catalog.hpp"
#include "service/import_results.hpp"

namespace ridgeline::service {
namespace {

namespace fs = std::filesystem;
using ridgeline::test::expect_error;

const roofline::device_catalog& catalog() {
  static const roofline::device_catalog c = roofline::load_catalog(RIDGELINE_DEVICE_CATALOG_DIR);
  return c;
}

std::string provenance(const profiler::measurement& m, const std::string& key) {
  for (const auto& [k, v] : m.provenance) {
    if (k == key) return v;
  }
  return "<absent>";
}

importers::imported_file two_launches() {
  importers::imported_file f;
  f.path = "/data/report.csv";
  f.format = "ncu-raw";
  f.tool = "ncu";
  f.tool_version = "2025.3.1";
  f.metrics_file = "configs/metrics/nvidia/sm_90.yaml";
  importers::imported_launch a;
  a.kernel = "void gemm<float, 128>(float*, int)";
  a.line = 4;
  a.launch = "0";
  a.device = "NVIDIA H200";
  a.host = "node7";
  a.time_s = 2e-3;
  a.work.flops = {{"f32", "simt", 1000}, {"i8", "tensor", 5000}};
  a.work.bytes = {{"dram", 400}};
  a.raw = {{"dram__bytes_read.sum", 300}, {"dram__bytes_write.sum", 100}};
  importers::imported_launch b = a;
  b.line = 5;
  b.launch = "1";
  b.time_s.reset();
  b.work = {};
  b.unplaceable = "ncu details page without raw counter names";
  f.launches = {a, b};
  return f;
}

TEST(ImportService, LaunchesBecomeMeasurementsOfTheCard) {
  const auto rows = to_measurements(two_launches(), catalog().find("h200"));
  ASSERT_EQ(rows.size(), 2u);  // two launches of one kernel stay two measurements
  const auto& d = rows[0].device;
  EXPECT_EQ(d.kind, "gpu");
  EXPECT_EQ(d.name, "NVIDIA H200");  // as the file names it
  EXPECT_EQ(d.arch, "sm_90");        // from the card's arch text
  EXPECT_EQ(d.backend, "imported:ncu");
  EXPECT_EQ(d.host, "node7");
  EXPECT_EQ(d.catalog_id, std::optional<std::string>("h200"));
  const auto& m = rows[0].record;
  EXPECT_EQ(m.kernel, "void gemm<float, 128>(float*, int)");
  EXPECT_EQ(m.variant, "imported:ncu");
  EXPECT_EQ(m.counts_source, "ncu");
  EXPECT_EQ(m.dtype, "int8");  // the dominant precision, in the catalog's spelling
  ASSERT_EQ(m.work.flops.size(), 2u);
  EXPECT_EQ(m.work.flops[1].precision, "int8");
  ASSERT_TRUE(m.timing.has_value());
  EXPECT_EQ(m.timing->samples, std::vector<double>{2e-3});
  EXPECT_DOUBLE_EQ(m.timing->summary.median, 2e-3);
  EXPECT_EQ(m.timing->stopped, profiler::stop_reason::application);
  ASSERT_TRUE(m.counted.has_value());
  EXPECT_EQ(m.counted->raw.size(), 2u);
  EXPECT_EQ(m.counted->metrics_file, "configs/metrics/nvidia/sm_90.yaml");
  EXPECT_EQ(provenance(m, "file"), "/data/report.csv");
  EXPECT_EQ(provenance(m, "line"), "4");
  EXPECT_EQ(provenance(m, "launch"), "0");
  EXPECT_EQ(provenance(m, "tool_version"), "2025.3.1");
  EXPECT_EQ(provenance(m, "card"), "h200");
  EXPECT_TRUE(m.reason.empty());

  const auto& u = rows[1].record;
  EXPECT_FALSE(u.timing.has_value());
  EXPECT_EQ(u.reason, "ncu details page without raw counter names");
  EXPECT_EQ(provenance(u, "launch"), "1");
}

TEST(ImportService, WithoutACardTheToolSaysWhatKindOfDevice) {
  auto f = two_launches();
  f.launches[0].device.clear();
  const auto rows = to_measurements(f, nullptr);
  EXPECT_EQ(rows[0].device.kind, "gpu");
  EXPECT_EQ(rows[0].device.vendor, "NVIDIA");
  EXPECT_EQ(rows[0].device.name, "unnamed device");
  EXPECT_FALSE(rows[0].device.catalog_id.has_value());
  EXPECT_EQ(rows[0].device.arch, "");
  f.tool = "msprof";
  EXPECT_EQ(to_measurements(f, nullptr)[0].device.kind, "npu");
}

class ImportServiceDb : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("ridgeline-import-" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir); }
  void TearDown() override { fs::remove_all(dir); }
  storage::database open() { return storage::database::open((dir / "r.sqlite").string()); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream((dir / name).string()) << text;
    return (dir / name).string();
  }
};

TEST_F(ImportServiceDb, BadOptionsAreRefusedBeforeAnythingIsRead) {
  auto db = open();
  import_request r;
  r.paths = {"/nonexistent"};
  r.format = "nvprof";
  expect_error<usage_error>([&] { import_results(db, catalog(), r); }, {"--format: 'nvprof'"});
  r.format = "auto";
  r.device = "h999";
  expect_error<usage_error>([&] { import_results(db, catalog(), r); },
                            {"--device: no catalog card 'h999'"});
  r.device.clear();
  r.kernel_filter = "gemm(";
  expect_error<usage_error>([&] { import_results(db, catalog(), r); }, {"--kernel-filter:"});
  r.kernel_filter.clear();
  r.paths.clear();
  expect_error<usage_error>([&] { import_results(db, catalog(), r); }, {"FILE:"});
  EXPECT_TRUE(db.runs().empty());
}

TEST_F(ImportServiceDb, AnUnknownFileIsRefusedAndTheOthersGoOn) {
  auto db = open();
  import_request r;
  r.paths = {write("notes.txt", "hello\n"), (dir / "absent.csv").string()};
  const auto s = import_results(db, catalog(), r);
  ASSERT_EQ(s.files.size(), 2u);
  EXPECT_NE(s.files[0].error.find("not a recognised profiler output"), std::string::npos)
      << s.files[0].error;
  EXPECT_NE(s.files[1].error.find("no such file"), std::string::npos) << s.files[1].error;
  EXPECT_TRUE(s.any_refused());
  EXPECT_TRUE(db.runs().empty());
}

}  // namespace
}  // namespace ridgeline::service
