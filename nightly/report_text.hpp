#pragma once
// What the nightly reports (nightly/report.hpp, one run) and the fleet report
// (nightly/fleet_report.hpp, one night of every hardware type) say the same way: times, GFLOP/s,
// % of attainable, folder names, the generation time, and how files are written.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "profiler/measurement.hpp"
#include "profiler/roofs.hpp"
#include "storage/device_identity.hpp"

namespace ridgeline::nightly {

// A hardware type as a file or folder name: letters, digits, '.', '-' and '_' kept, the rest '_';
// "unnamed" when empty.
std::string folder_name(const std::string& text);

// Writes (replaces) the file. Throws ridgeline::runtime_error naming the path on failure.
void write_text_file(const std::filesystem::path& path, const std::string& content);

// The median time per launch with a unit ("12.3 ms"); "—" when the measurement is absent or not ok.
std::string seconds_text(const std::optional<profiler::measurement>& m);

// Achieved GFLOP/s of an ok measurement (profiler::derive).
double gflops(const profiler::measurement& m);

// "% of attainable" under the roofs: measured ceilings when among them (what the machine really
// reaches), else the datasheet. Says why instead when there are no roofs, the point cannot be
// placed, or a roof lies below the achieved point.
std::string attainable_text(const std::optional<profiler::measurement>& m,
                            const std::vector<profiler::roof_set>& roofs);

// "Intel(R) Xeon(R) Processor, OpenMP backend, host vm" (arch and catalog card when known).
std::string device_text(const storage::device_identity& d);

// Now, UTC ISO 8601 to the second ("2026-01-31T02:00:00Z").
std::string utc_now();

}  // namespace ridgeline::nightly
