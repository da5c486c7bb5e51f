// rocprofv3 output parsers (profiler/counters/rocprof_output.cpp) on recorded files written from
// rocprofiler-sdk's documentation (tests/profiler/data/rocprof/README.md).
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "profiler/counters/rocprof_output.hpp"
#include "tests/profiler/test_rocprof_helpers.hpp"

namespace ridgeline::profiler::counters {
namespace {

using testing::data_file;
using testing::temp_dir;
using testing::write_file;

// What message parsing `file` fails with ("" when it parses).
std::string failure(const std::string& file) {
  try {
    read_counter_output(data_file(file));
  } catch (const runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(RocprofOutput, CsvGivesOneRecordPerDispatchWithEveryCounter) {
  const auto d = read_counter_output(data_file("counter_collection.csv"));
  ASSERT_EQ(d.size(), 9u);  // 3 setup dispatches + 3 launches x 2
  for (std::size_t i = 0; i < d.size(); ++i) {
    EXPECT_EQ(d[i].dispatch_id, i + 1);
    EXPECT_EQ(d[i].agent, "Agent 1");
    EXPECT_EQ(d[i].counters.size(), 4u);
    EXPECT_GT(d[i].end_ns, d[i].start_ns);
  }
  // Kernel names keep their commas (quoted fields).
  EXPECT_NE(d[3].kernel_name.find("flash_functor<float>, Kokkos::TeamPolicy"), std::string::npos);
  EXPECT_EQ(d[3].kernel_id, 17u);
  EXPECT_DOUBLE_EQ(d[3].counters.at("SQ_INSTS_VALU_FMA_F32"), 3000);
  EXPECT_DOUBLE_EQ(d[4].counters.at("SQ_INSTS_VALU_ADD_F32"), 10);
  EXPECT_EQ(d[3].end_ns - d[3].start_ns, 10400u);
}

TEST(RocprofOutput, JsonDescribesTheSameDispatchesAsTheCsv) {
  const auto csv = read_counter_output(data_file("counter_collection.csv"));
  const auto js = read_counter_output(data_file("results.json"));
  ASSERT_EQ(js.size(), csv.size());
  for (std::size_t i = 0; i < js.size(); ++i) {
    EXPECT_EQ(js[i].dispatch_id, csv[i].dispatch_id);
    EXPECT_EQ(js[i].kernel_id, csv[i].kernel_id);
    EXPECT_EQ(js[i].kernel_name, csv[i].kernel_name);
    EXPECT_EQ(js[i].start_ns, csv[i].start_ns);
    EXPECT_EQ(js[i].end_ns, csv[i].end_ns);
    EXPECT_EQ(js[i].agent, "2");  // the agent handle
    ASSERT_EQ(js[i].counters.size(), csv[i].counters.size());
    for (const auto& [name, v] : csv[i].counters) EXPECT_DOUBLE_EQ(js[i].counters.at(name), v);
  }
  // The flash FMA count arrives as 8 per-XCC records; the record is their sum.
  EXPECT_DOUBLE_EQ(js[3].counters.at("SQ_INSTS_VALU_FMA_F32"), 3000);
}

TEST(RocprofOutput, OlderCsvStyleParses) {
  const auto d = read_counter_output(data_file("counter_collection_rocm62.csv"));
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].agent, "4");
  EXPECT_DOUBLE_EQ(d[0].counters.at("TCC_EA0_RDREQ_sum"), 16384);
  EXPECT_EQ(d[1].kernel_name, "say \"hi\" kernel");
  EXPECT_DOUBLE_EQ(d[1].counters.at("TCC_BUBBLE_sum"), 12);
  EXPECT_EQ(d[1].end_ns, 317095767022957u);
}

TEST(RocprofOutput, MalformedFilesNameTheFileAndTheLine) {
  EXPECT_NE(
      failure("bad_field_count.csv").find("bad_field_count.csv:3: 18 fields, the header has 19"),
      std::string::npos)
      << failure("bad_field_count.csv");
  EXPECT_NE(
      failure("bad_value.csv").find("bad_value.csv:4: Counter_Value: expected a number, got 'n/a'"),
      std::string::npos)
      << failure("bad_value.csv");
  EXPECT_NE(
      failure("missing_column.csv").find("missing_column.csv:1: missing column 'Counter_Value'"),
      std::string::npos)
      << failure("missing_column.csv");
  EXPECT_NE(failure("unclosed_quote.csv").find("unclosed_quote.csv:2:"), std::string::npos)
      << failure("unclosed_quote.csv");
  EXPECT_NE(failure("truncated.json").find("truncated.json:120: malformed JSON"), std::string::npos)
      << failure("truncated.json");
  EXPECT_NE(failure("unknown_counter.json")
                .find("counter_collection[2].records[0].counter_id: 999 is not in counters"),
            std::string::npos)
      << failure("unknown_counter.json");
  EXPECT_NE(failure("missing.csv").find("missing.csv: cannot read"), std::string::npos);
}

TEST(RocprofOutput, StructuralJsonProblemsNameTheirPath) {
  auto message = [](const std::string& text) {
    try {
      parse_counter_json(text, "x.json");
    } catch (const runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(message("{}"), "x.json: rocprofiler-sdk-tool: missing (not rocprofv3 JSON output?)");
  EXPECT_EQ(message(R"({"rocprofiler-sdk-tool": [{"counters": [], "kernel_symbols": []}]})"),
            "x.json: rocprofiler-sdk-tool[0].callback_records: missing");
  EXPECT_EQ(message(R"({"rocprofiler-sdk-tool": [{"counters": [], "kernel_symbols": [],
      "callback_records": {"counter_collection": [{"dispatch_data": {"dispatch_info":
      {"agent_id": {"handle": 1}, "dispatch_id": -3, "kernel_id": 1}}, "records": []}]}}]})"),
            "x.json: rocprofiler-sdk-tool[0].callback_records.counter_collection[0].dispatch_data."
            "dispatch_info.dispatch_id: expected a non-negative integer");
  EXPECT_EQ(message(""), "x.json:1: malformed JSON (byte 1)");
}

TEST(RocprofOutput, CsvEdgeCases) {
  EXPECT_THROW(parse_counter_csv("", "e.csv"), runtime_error);
  const std::string header = "Dispatch_Id,Kernel_Name,Counter_Name,Counter_Value\n";
  // Header only: no dispatches (a run whose kernels were all filtered out).
  EXPECT_TRUE(parse_counter_csv(header, "h.csv").empty());
  // A repeated (dispatch, counter) row is summed, like JSON's per-dimension records.
  const auto d = parse_counter_csv(header + "7,k,C,1.5\n7,k,C,2.5\n8,k,C,1\n", "r.csv");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_DOUBLE_EQ(d[0].counters.at("C"), 4.0);
  EXPECT_EQ(d[0].end_ns, 0u);  // no timestamp columns
  EXPECT_THROW(parse_counter_csv(header + "x,k,C,1\n", "r.csv"), runtime_error);
  EXPECT_THROW(parse_counter_csv(header + "1,k,C,inf\n", "r.csv"), runtime_error);
  EXPECT_THROW(parse_counter_csv(header + "1,k\"x\",C,1\n", "r.csv"), runtime_error);
}

TEST(RocprofOutput, FindsOutputAtAnyDepth) {
  temp_dir dir;
  write_file(dir / "pass-1/host/pass_counter_collection.csv", "x");
  write_file(dir / "pass-1/pmc_1/pass_counter_collection.csv", "x");
  write_file(dir / "pass-1/pass_agent_info.csv", "x");
  write_file(dir / "pass-1/pass_results.json", "x");
  const auto csv = find_counter_outputs(dir / "pass-1", "csv");
  ASSERT_EQ(csv.size(), 2u);
  EXPECT_NE(csv[0].find("host/pass_counter_collection.csv"), std::string::npos);
  EXPECT_EQ(find_counter_outputs(dir / "pass-1", "json").size(), 1u);
  EXPECT_TRUE(find_counter_outputs(dir / "nowhere", "csv").empty());
}

}  // namespace
}  // namespace ridgeline::profiler::counters
