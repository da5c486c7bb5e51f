// The engine behind the kernels callable on a caller's arrays (on_arrays.hpp): resolve the variant
// and configuration as run_kernel does, prepare one buffer copy, copy the caller's arrays in,
// launch once, fence, copy the outputs back.
#include "kernels/on_arrays.hpp"

#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <exception>
#include <new>
#include <stdexcept>

#include "core/error.hpp"
#include "kernels/backend_dispatch.hpp"
#include "kernels/runtime.hpp"
#include "profiler/cpu_info.hpp"

namespace ridgeline::kernels {

namespace {

// Host <-> the backend's memory, as bytes (deep_copy between spaces is a memcpy of the span).
void copy_bytes(const std::string& backend, void* dst, const void* src, std::size_t bytes,
                bool to_device) {
  with_exec_space(backend, [&](auto space) {
    using mem = typename decltype(space)::memory_space;
    using unmanaged = Kokkos::MemoryTraits<Kokkos::Unmanaged>;
    if (to_device) {
      Kokkos::View<char*, mem, unmanaged> d(static_cast<char*>(dst), bytes);
      Kokkos::View<const char*, Kokkos::HostSpace, unmanaged> h(static_cast<const char*>(src),
                                                                bytes);
      Kokkos::deep_copy(d, h);
    } else {
      Kokkos::View<char*, Kokkos::HostSpace, unmanaged> h(static_cast<char*>(dst), bytes);
      Kokkos::View<const char*, mem, unmanaged> d(static_cast<const char*>(src), bytes);
      Kokkos::deep_copy(h, d);
    }
  });
}

const host_array* find_array(const array_request& req, const std::string& name) {
  for (const auto& a : req.arrays) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

// Every input has its array (outputs may be left out: not copied back), every array names an
// operand, and the sizes agree.
void match_arrays(const array_request& req, const std::vector<instance_operand>& ops) {
  using role = instance_operand::role;
  if (ops.empty()) {
    throw std::logic_error(fmt::format("{} cannot run on caller arrays", req.kernel));
  }
  for (const auto& a : req.arrays) {
    const instance_operand* op = nullptr;
    for (const auto& o : ops) op = o.name == a.name ? &o : op;
    if (op == nullptr) {
      throw std::logic_error(fmt::format("{}: no operand '{}'", req.kernel, a.name));
    }
    if (a.bytes != op->bytes) {
      throw std::logic_error(fmt::format("{}: array '{}' has {} bytes, the kernel's buffer {}",
                                         req.kernel, a.name, a.bytes, op->bytes));
    }
    if (op->use != role::output && a.in == nullptr) {
      throw std::logic_error(fmt::format("{}: input '{}' has no data", req.kernel, a.name));
    }
  }
  for (const auto& o : ops) {
    if (o.use != role::output && find_array(req, o.name) == nullptr) {
      throw std::logic_error(fmt::format("{}: input '{}' not given", req.kernel, o.name));
    }
  }
}

}  // namespace

array_result run_on_arrays(const runtime& rt, const array_request& req) {
  const kernel& k = find_kernel(req.kernel);
  const variant& v =
      req.call.variant.empty() ? *k.variants().front() : k.find_variant(req.call.variant);
  const problem p = k.make_problem(req.problem, "problem");
  const std::string backend = req.call.backend.empty() ? rt.default_backend() : req.call.backend;
  const backend_info binfo = rt.backend(backend);
  const tuner::config cfg =
      v.space().with_overrides(v.default_config(backend, req.type), req.call.params, "params");
  if (const auto why = v.space().violation(cfg)) {
    throw usage_error(fmt::format("params: {} of {} is not a valid configuration: {}",
                                  v.space().format(cfg), v.name(), *why));
  }
  if (const std::string why = v.dtype_unsupported(req.type, backend); !why.empty()) {
    throw usage_error(fmt::format("dtype: {} does not compute in {} on {}: {}", v.name(),
                                  to_string(req.type), backend, why));
  }
  if (const std::string why = v.unavailable_reason(backend); !why.empty()) {
    throw runtime_error(
        fmt::format("variant: {} is not available on {}: {}", v.name(), backend, why));
  }
  // The caller's arrays already fill host memory; the kernel's copy of them must fit beside.
  const std::uint64_t need = k.working_set_bytes(p, req.type);
  const std::uint64_t available = profiler::memory_available_bytes();
  if (binfo.host && available > 0 && static_cast<double>(need) > 0.9 * double(available)) {
    throw runtime_error(fmt::format(
        "{}: the kernel's buffers need {:.2f} GiB of host memory, only {:.2f} GiB available",
        k.name(), double(need) / (1 << 30), double(available) / (1 << 30)));
  }

  require_launching_thread(backend);
  prepare_outcome prepared;
  try {
    prepared = v.prepare(p, req.type, cfg, {backend, 1});
  } catch (const std::bad_alloc&) {
    throw runtime_error(fmt::format("{}: allocation failed (out of memory)", k.name()));
  }
  if (!prepared.instance) {
    // A configuration the backend refuses (team size, scratch): the user's params when given.
    const std::string what = fmt::format("{} with {} cannot launch on {}: {}", v.name(),
                                         v.space().format(cfg), backend, prepared.invalid_reason);
    if (!req.call.params.empty()) throw usage_error("params: " + what);
    throw runtime_error(what);
  }
  kernel_instance& inst = *prepared.instance;
  const std::vector<instance_operand> ops = inst.operands();
  match_arrays(req, ops);
  if (req.configure) req.configure(inst, backend);

  using role = instance_operand::role;
  try {
    for (const auto& o : ops) {
      const host_array* a = find_array(req, o.name);
      if (o.use != role::output) copy_bytes(backend, o.data, a->in, o.bytes, true);
    }
    inst.launch(0);
    inst.fence();
    for (const auto& o : ops) {
      const host_array* a = find_array(req, o.name);
      if (o.use != role::input && a != nullptr && a->out != nullptr) {
        copy_bytes(backend, a->out, o.data, o.bytes, false);
      }
    }
  } catch (const usage_error&) {
    throw;
  } catch (const std::exception& e) {
    // Kokkos reports launch problems (e.g. resources exceeded on a device) as exceptions.
    throw runtime_error(fmt::format("{} {}: launch failed: {}", k.name(), v.name(), e.what()));
  }
  return {v.name(), backend, v.space().format_pairs(cfg)};
}

}  // namespace ridgeline::kernels
