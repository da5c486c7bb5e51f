#pragma once
// The recorded-space file formats. Each importer takes the parsed document and the path (for
// messages); malformed content is a usage_error naming the path and the JSON field.
//
// - Kernel Tuner cache: {tune_params_keys, tune_params, cache: {"v1,v2,...": {<param>: value,
//   time: ms | "CompilationFailedConfig"|"RuntimeFailedConfig"|"InvalidConfig"|...}}}.
// - KTT output: {Metadata: {TimeUnit, Device}, Results: [{Configuration: [{Name, Value}],
//   Status: "Ok"|..., ComputationResults: [{Duration}]}]}; a configuration's time is the sum of
//   its ComputationResults' Durations (one per kernel function it launched).
// - T4 (the Open Autotuning Results Schema, github.com/odgaard/TuningSchema, branch T4):
//   {schema_version, results: [{configuration: {name: value}, objectives: [name],
//   invalidity: "correct"|"timeout"|"compile"|"runtime"|"correctness"|"constraints",
//   correctness, measurements: [{name, value, unit}]}]}; the time is the measurement named by
//   objectives[0].
#include <nlohmann/json.hpp>
#include <string>

#include "tuner/replay/recorded_space.hpp"

namespace ridgeline::tuner::replay {

recorded_space import_kernel_tuner_cache(const nlohmann::json& doc, const std::string& path);
recorded_space import_ktt_output(const nlohmann::json& doc, const std::string& path);
recorded_space import_t4_results(const nlohmann::json& doc, const std::string& path);

// Reads the file (plain or gzip) and picks the importer by the document's top-level fields.
recorded_space load_recorded_space(const std::string& path);

namespace detail {
// Seconds per unit: s, ms, us, µs, ns and KTT's Seconds/Milliseconds/Microseconds/Nanoseconds.
double seconds_per(const std::string& unit, const std::string& path, const std::string& field);
// The member `key` of `obj`, which must be an object; a usage_error naming `field` otherwise.
const nlohmann::json& member(const nlohmann::json& obj, const char* key, const std::string& path,
                             const std::string& field);
}  // namespace detail

}  // namespace ridgeline::tuner::replay
