#pragma once
// One card of the device catalog (configs/devices/<id>.yaml, schema in docs/device-catalog.md):
// identity, how to recognise it on a running machine, and its datasheet roofs — compute per
// precision and per unit (SIMT/vector and tensor/matrix are different roofs), bandwidth per memory
// level — plus optional economics. Every number is a `quantity` with a unit, a source and a
// confidence; a roof may be listed with confidence `unknown` and no value.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "profiler/roofs.hpp"
#include "roofline/quantity.hpp"

namespace ridgeline::roofline {

enum class device_kind { cpu, gpu, npu, accelerator };
const char* to_string(device_kind k);
std::optional<device_kind> parse_device_kind(std::string_view text);

// The names the catalog accepts, in the order documentation lists them. Precisions and levels
// are the same strings the work models and measured ceilings use ("f32", "dram", ...).
const std::vector<std::string>& catalog_precisions();  // f64 f32 tf32 bf16 f16 fp8 int8
const std::vector<std::string>& catalog_units();       // simt tensor
const std::vector<std::string>& catalog_levels();      // l1 shared l2 llc dram

struct compute_entry {
  std::string precision;  // one of catalog_precisions()
  std::string unit;       // "simt" (vector/SIMT units) or "tensor" (matrix units)
  quantity rate;          // FLOP/s (operations per second for int8)
};

struct bandwidth_entry {
  std::string level;  // one of catalog_levels(); "dram" is the device's main memory, DDR or HBM
  quantity rate;      // bytes/s
};

// How a CPU is recognised. A VM or container often hides the exact model ("AMD EPYC"), and a
// CPU's roofs scale with the cores it is given, so a rule can pin the ISA (flags present and
// absent), the CPUID signature or ARM main ID, and the core, socket and logical CPU counts as well
// as the model. Patterns are ECMAScript regular expressions searched (not anchored unless written
// with ^...$) in the model name. Integer conditions use -1 (ids) or 0 (counts) for "any".
struct cpu_match_rule {
  std::string vendor;                     // exact vendor ("AuthenticAMD", "ARM"); empty = any
  std::string model_pattern;              // empty only when implementer and part are given
  std::vector<std::string> flags;         // all must be present
  std::vector<std::string> absent_flags;  // none may be present
  int family = -1;                        // x86 `cpu family`
  int model_number = -1;                  // x86 `model`
  int implementer = -1;                   // ARM `CPU implementer` (0x41 Arm, 0x48 HiSilicon)
  int part = -1;                          // ARM `CPU part` (0xd4f Neoverse V2)
  int physical_cores = 0;                 // all sockets together
  int sockets = 0;
  int logical_cpus = 0;

  int constraints() const;  // how many conditions the rule states (its specificity)
};

struct device_card {
  std::string id;     // the file's stem: "h100_sxm"
  std::string file;   // the file it was read from
  std::string name;   // "NVIDIA H100 SXM5 80GB", unique in a catalog
  int name_line = 0;  // where `name` is in `file`, for messages
  std::string vendor;
  device_kind kind = device_kind::gpu;
  std::string arch;
  std::string note;

  // Recognition: a CPU card has cpu_match; every other kind has a device-name pattern
  // (ECMAScript regex, case-insensitive, searched in the CUDA/HIP/vendor device name).
  std::optional<cpu_match_rule> cpu_match;
  std::string device_name_pattern;

  std::string memory_type;  // "HBM3", "DDR5", ... (may be empty)
  std::optional<quantity> memory_capacity;
  std::vector<compute_entry> compute;
  std::vector<bandwidth_entry> bandwidth;
  std::optional<quantity> board_power;
  std::optional<roofline::price> price;

  // The listed entry, known or unknown; nullptr when the card does not list it at all.
  const quantity* find_compute(std::string_view precision, std::string_view unit) const;
  const quantity* find_bandwidth(std::string_view level) const;
};

// The card's known roofs as the analysis consumes them (source: datasheet). Unknown roofs are
// left out, so a placement against them says "no ... roof" instead of using a made-up number.
profiler::roof_set datasheet_roofs(const device_card& card);

}  // namespace ridgeline::roofline
