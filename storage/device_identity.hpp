#pragma once
// What a measurement or a roof was taken on. The six identity fields together are unique in the
// database (a CPU model on two hosts is two devices: their roofs differ with cores, memory and
// firmware); the catalog card is an attribute, filled in when detection matched one.
#include <optional>
#include <string>

namespace ridgeline::storage {

struct device_identity {
  std::string kind;     // "cpu", "gpu", "npu", "accelerator" (roofline::device_kind names)
  std::string vendor;   // "AuthenticAMD", "NVIDIA", ...
  std::string name;     // the model as the system reports it ("AMD EPYC 9B14", "NVIDIA H100 ...")
  std::string arch;     // "znver4", "sm_90", ...; may be empty
  std::string backend;  // the Kokkos execution space used on it ("OpenMP", "Cuda")
  std::string host;     // host name
  std::optional<std::string> catalog_id;  // configs/devices/<id>.yaml, when detection matched
};

}  // namespace ridgeline::storage
