#pragma once
// The host-side face of a kernel: what it computes on (its problem fields), its variants, each
// variant's parameter space and its work model. Nothing here includes Kokkos, so the CLI, the tuner
// and the Python bindings compile with a plain host compiler; the Kokkos code lives in the .cpp
// files of each kernel directory.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/key_value.hpp"
#include "kernels/dtype.hpp"
#include "profiler/measurement.hpp"
#include "profiler/workload.hpp"
#include "tuner/param_space.hpp"

namespace ridgeline::kernels {

using problem = std::vector<profiler::problem_value>;

// The value of `name` in a parsed problem (the kernel's own fields always exist after parsing).
double problem_get(const problem& p, const std::string& name);

struct problem_field {
  std::string name;
  bool integer = true;
  double min_value = 1;                 // smallest accepted value (integers: usually 1)
  std::optional<double> default_value;  // absent = required
  std::string description;
};

// One buffer of an instance's copy 0, named, for running a kernel on a caller's arrays
// (kernels/on_arrays.hpp): the caller's host data is copied in before the launch (input, inout)
// and out after it (output, inout).
struct instance_operand {
  enum class role { input, output, inout };
  std::string name;      // "a", "q", "x", ... (on_arrays.hpp lists each kernel's)
  void* data = nullptr;  // in the memory space of the backend the instance was prepared for
  std::size_t bytes = 0;
  role use = role::input;
};

// A prepared launch: buffers allocated (with the rotated copies the harness asked for), ready to
// be filled, checked and timed.
class kernel_instance : public profiler::workload {
 public:
  // Fresh random inputs (never zeros) in every copy, from `seed`.
  virtual void fill_inputs(std::uint64_t seed) = 0;
  // Poison the outputs of copy 0, launch once, compare with the kernel's reference in higher
  // precision. Leaves copy 0's outputs overwritten (the timing that follows does not care).
  virtual profiler::check_result check() = 0;
  // Facts about what this instance runs on beyond the backend (e.g. the BLAS library's build).
  virtual std::vector<std::pair<std::string, std::string>> provenance() const { return {}; }
  // Copy 0's operand buffers, for kernels callable on a caller's arrays; empty = not callable so.
  virtual std::vector<instance_operand> operands() { return {}; }
};

struct prepare_outcome {
  std::unique_ptr<kernel_instance> instance;  // null when the config is invalid here
  std::string invalid_reason;                 // why, e.g. "scratch 96 KiB > backend max 32 KiB"
};

struct launch_context {
  std::string backend;     // "openmp", "serial", "cuda", ...
  std::size_t copies = 1;  // buffer copies to rotate through
};

class variant {
 public:
  virtual ~variant() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  // Which compute roof judges its FLOPs in dtype `t` on `backend`: "simt" (vector/SIMT units) or
  // "tensor" (matrix units). run_kernel stamps it on the kernel's work model, so placement never
  // judges a vendor library on matrix units by the SIMT roof, nor the reverse.
  virtual std::string unit(dtype t, const std::string& backend) const {
    (void)t, (void)backend;
    return "simt";
  }
  // Empty when the variant computes in dtype `t` on `backend`, else why not; run_kernel records
  // the reason as invalid_config before anything is allocated. Default: f32 and f64 only.
  virtual std::string dtype_unsupported(dtype t, const std::string& backend) const;
  virtual const tuner::param_space& space() const = 0;
  // The default configuration on a backend for a dtype (GPU and CPU want very different team
  // shapes; a CPU's register tile holds a number of vectors, so its width in elements depends on
  // the dtype).
  virtual tuner::config default_config(const std::string& backend, dtype t) const {
    (void)backend;
    (void)t;
    return space().defaults();
  }
  // Empty when the variant can run on `backend`, else why not (e.g. "built without cuBLAS").
  virtual std::string unavailable_reason(const std::string& backend) const = 0;
  virtual prepare_outcome prepare(const problem& p, dtype t, const tuner::config& c,
                                  const launch_context& ctx) const = 0;
  // Empty when `c` can launch on `backend` for this problem and dtype (team size, vector length,
  // scratch within the backend's limits), else why not. Cheap: nothing is allocated. The tuner
  // adds it to the space as a constraint, so strategies spend no evaluations on configurations
  // the backend would refuse. Default: no limits beyond the space's own constraints.
  virtual std::string launch_limit(const problem& p, dtype t, const tuner::config& c,
                                   const std::string& backend) const {
    (void)p, (void)t, (void)c, (void)backend;
    return {};
  }
};

class kernel {
 public:
  virtual ~kernel() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  virtual std::vector<problem_field> problem_fields() const = 0;
  virtual std::vector<std::unique_ptr<variant>> const& variants() const = 0;
  virtual profiler::work_model work(const problem& p, dtype t) const = 0;
  // Device bytes one launch touches (one buffer copy).
  virtual std::uint64_t working_set_bytes(const problem& p, dtype t) const = 0;
  // Host bytes a --check needs on top (reference result, bounds, host mirrors).
  virtual std::uint64_t check_bytes(const problem& p, dtype t) const = 0;
  // Cross-field rules beyond each field's own range; throws usage_error naming the field.
  virtual void validate(const problem& p) const { (void)p; }

  // "m=4,n=5,k=6" -> a problem with every field, defaults filled in; usage_error for unknown,
  // missing, malformed or out-of-range fields, each naming `field` and the problem field.
  problem parse_problem(const key_value_list& text, const std::string& field) const;
  // The same from values a caller already holds as numbers (a typed shape): no text round trip.
  problem make_problem(const std::vector<std::pair<std::string, double>>& values,
                       const std::string& field) const;
  const variant& find_variant(const std::string& name) const;
};

// The work of one launch of `v` in dtype `t` on `backend`: the kernel's counts, with the unit
// the variant runs them on (variant::unit) stamped on its FLOPs. What run_kernel records.
profiler::work_model variant_work(const kernel& k, const variant& v, const problem& p, dtype t,
                                  const std::string& backend);

const std::vector<const kernel*>& all_kernels();
const kernel& find_kernel(const std::string& name);

}  // namespace ridgeline::kernels
