#pragma once
// The JSON form of a measurement: schema "ridgeline.measurement/1", documented in
// docs/json-schema.md. Units are in the key names (seconds, FLOP, bytes, per second); 64-bit counts
// are plain JSON integers (exact in Python and in any int64 parser; JavaScript readers lose
// exactness above 2^53, i.e. beyond ~9e15 FLOPs per launch).
#include <nlohmann/json.hpp>
#include <vector>

#include "profiler/measurement.hpp"
#include "profiler/placement.hpp"

namespace ridgeline::profiler {

inline constexpr const char* measurement_schema = "ridgeline.measurement/1";

nlohmann::ordered_json to_json(const measurement& m);

// The sub-objects whose keys are their members' names, for the writer above and the database
// reader (storage/detail/measurement_codec.cpp): j = check, j.get<check_result>(). JSON has no
// NaN: a NaN error (a check over poisoned output) is written as null, which from_json refuses;
// the reader turns null back into NaN first.
void to_json(nlohmann::ordered_json& j, const check_result& c);
void from_json(const nlohmann::ordered_json& j, check_result& c);
void to_json(nlohmann::ordered_json& j, const rotation_info& r);
void from_json(const nlohmann::ordered_json& j, rotation_info& r);

// A roofline placement (key "roofline" of a measurement in `run --json`, an array: one per roof
// set).
nlohmann::ordered_json to_json(const placement& p);

// {"schema": "ridgeline.results/1", "measurements": [...]} — what `--json` prints.
nlohmann::ordered_json to_json(const std::vector<measurement>& ms);

}  // namespace ridgeline::profiler
