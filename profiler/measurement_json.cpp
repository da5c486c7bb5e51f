#include "profiler/measurement_json.hpp"

namespace ridgeline::profiler {

namespace {

nlohmann::ordered_json timing_json(const timing_result& t) {
  nlohmann::ordered_json j;
  j["median"] = t.summary.median;
  j["min"] = t.summary.min;
  j["max"] = t.summary.max;
  j["mean"] = t.summary.mean;
  j["q1"] = t.summary.q1;
  j["q3"] = t.summary.q3;
  j["relative_spread"] = t.summary.relative_spread;
  j["samples"] = t.samples;
  j["launches_per_sample"] = t.batch;
  j["warmup_launches"] = t.warmup_launches;
  j["warmup"] = t.warmup_seconds;
  j["stop_reason"] = to_string(t.stopped);
  j["timer"] = t.timer;
  return j;
}

// The members of a check and of a rotation in their JSON order, each named by its key: one list
// for writing (to_json) and reading (from_json). `C` is the struct, const or not.
template <class C, class F>
void check_fields(C& c, F&& field) {
  field("passed", c.passed);
  field("reference", c.reference);
  field("bound", c.bound);
  field("max_abs_error", c.max_abs_error);
  field("max_error_over_bound", c.max_error_over_bound);
  field("elements", c.elements);
  field("bad_elements", c.bad_elements);
  field("first_bad", c.first_bad);
  field("seed", c.seed);
}

template <class C, class F>
void rotation_fields(C& r, F&& field) {
  field("copies", r.copies);
  field("inputs_cold", r.inputs_cold);
  field("working_set_bytes", r.working_set_bytes);
  field("cache", r.cache);
  field("cache_bytes", r.cache_bytes);
}

// The "flops" and "bytes" lists of a work model; `bytes_kind` says how the bytes were obtained
// ("minimal": the analytic model's compulsory traffic; "counted": hardware counters).
void put_work(nlohmann::ordered_json& j, const work_model& w, const char* bytes_kind) {
  j["flops"] = nlohmann::ordered_json::array();
  for (const auto& f : w.flops) {
    j["flops"].push_back({{"precision", f.precision}, {"unit", f.unit}, {"count", f.count}});
  }
  j["bytes"] = nlohmann::ordered_json::array();
  for (const auto& b : w.bytes) {
    j["bytes"].push_back({{"level", b.level}, {"kind", bytes_kind}, {"count", b.count}});
  }
}

// Optional `work.counted` (docs/json-schema.md): the counter pass's result beside the analytic
// model, with counted/analytic ratios for totals and DRAM bytes (null when analytic is 0).
nlohmann::ordered_json counted_json(const counted_work& c, const work_model& analytic) {
  nlohmann::ordered_json j;
  j["source"] = c.source;
  j["replay"] = c.replay;
  j["passes"] = c.passes;
  j["metrics_file"] = c.metrics_file;
  j["device_id"] = c.device_id;
  put_work(j, c.work, "counted");
  const auto ratio = [](std::uint64_t counted, std::uint64_t model) {
    return model > 0
               ? nlohmann::ordered_json(static_cast<double>(counted) / static_cast<double>(model))
               : nlohmann::ordered_json();
  };
  j["flops_ratio_to_analytic"] = ratio(c.work.total_flops(), analytic.total_flops());
  j["dram_bytes_ratio_to_analytic"] = ratio(c.work.bytes_at("dram"), analytic.bytes_at("dram"));
  auto& clocks = j["clocks_hz"] = nlohmann::ordered_json::object();
  for (const auto& [name, hz] : c.clocks_hz) clocks[name] = hz;
  j["time_s"] = c.time_s ? nlohmann::ordered_json(*c.time_s) : nlohmann::ordered_json();
  auto& raw = j["raw"] = nlohmann::ordered_json::object();
  for (const auto& [name, v] : c.raw) raw[name] = v;
  return j;
}

}  // namespace

nlohmann::ordered_json to_json(const measurement& m) {
  nlohmann::ordered_json j;
  j["schema"] = measurement_schema;
  j["kernel"] = m.kernel;
  j["variant"] = m.variant;
  j["dtype"] = m.dtype;
  j["backend"] = m.backend;
  auto& problem = j["problem"] = nlohmann::ordered_json::object();
  for (const auto& p : m.problem) {
    if (p.integer) {
      problem[p.name] = static_cast<std::int64_t>(p.value);
    } else {
      problem[p.name] = p.value;
    }
  }
  auto& params = j["params"] = nlohmann::ordered_json::object();
  for (const auto& [name, value] : m.params) params[name] = value;
  j["status"] = to_string(m.outcome);
  j["reason"] = m.reason;
  j["time_s"] = m.timing ? timing_json(*m.timing) : nlohmann::ordered_json();

  auto& work = j["work"];
  work["source"] = m.counts_source;
  put_work(work, m.work, "minimal");
  if (m.counted) work["counted"] = counted_json(*m.counted, m.work);

  const derived_metrics d = derive(m);
  j["derived"] = {{"flop_per_s", d.flop_per_s},
                  {"dram_byte_per_s", d.dram_byte_per_s},
                  {"arithmetic_intensity_flop_per_byte", d.arithmetic_intensity}};
  j["check"] = m.check ? nlohmann::ordered_json(*m.check) : nlohmann::ordered_json();
  j["rotation"] = m.rotation;
  auto& prov = j["provenance"] = nlohmann::ordered_json::object();
  for (const auto& [key, value] : m.provenance) prov[key] = value;
  return j;
}

void to_json(nlohmann::ordered_json& j, const check_result& c) {
  check_fields(c, [&](const char* key, const auto& value) { j[key] = value; });
}

void from_json(const nlohmann::ordered_json& j, check_result& c) {
  check_fields(c, [&](const char* key, auto& value) { j.at(key).get_to(value); });
}

void to_json(nlohmann::ordered_json& j, const rotation_info& r) {
  rotation_fields(r, [&](const char* key, const auto& value) { j[key] = value; });
}

void from_json(const nlohmann::ordered_json& j, rotation_info& r) {
  rotation_fields(r, [&](const char* key, auto& value) {
    // Stored rows from before the cache was recorded lack these two keys: they read as unknown.
    const std::string k = key;
    if ((k == "cache" || k == "cache_bytes") && !j.contains(key)) return;
    j.at(key).get_to(value);
  });
}

nlohmann::ordered_json to_json(const placement& p) {
  nlohmann::ordered_json j;
  j["placed"] = p.placed;
  j["why_not"] = p.why_not;
  j["device"] = p.device;
  j["roof_source"] = to_string(p.source);
  j["counts_source"] = p.counts_source;
  j["precision"] = p.precision;
  j["unit"] = p.unit;
  j["compute_roof_flop_per_s"] = p.compute_roof_flop_per_s;
  j["levels"] = nlohmann::ordered_json::array();
  for (const auto& l : p.levels) {
    j["levels"].push_back({{"level", l.level},
                           {"arithmetic_intensity_flop_per_byte", l.flop_per_byte},
                           {"roof_flop_per_s", l.roof_flop_per_s}});
  }
  j["attainable_flop_per_s"] = p.attainable_flop_per_s;
  j["bound"] = p.bound;
  j["achieved_flop_per_s"] = p.achieved_flop_per_s;
  j["fraction_of_attainable"] = p.fraction_of_attainable;
  j["headroom"] = p.headroom;
  j["roof_below_achieved"] = p.roof_below_achieved;
  j["roof_below_achieved_reason"] = p.roof_below_achieved_reason;
  return j;
}

nlohmann::ordered_json to_json(const std::vector<measurement>& ms) {
  nlohmann::ordered_json j;
  j["schema"] = "ridgeline.results/1";
  j["measurements"] = nlohmann::ordered_json::array();
  for (const auto& m : ms) j["measurements"].push_back(to_json(m));
  return j;
}

}  // namespace ridgeline::profiler
