#include "kernels/run.hpp"

#include <fmt/format.h>

#include <exception>
#include <random>

#include "core/error.hpp"
#include "kernels/kernel.hpp"
#include "kernels/planted_slowdown.hpp"
#include "kernels/runtime.hpp"
#include "profiler/counters/rocprof_command.hpp"
#include "profiler/cpu_info.hpp"
#include "profiler/provenance.hpp"
#include "profiler/rotation.hpp"

namespace ridgeline::kernels {

namespace {

constexpr double gib = 1024.0 * 1024.0 * 1024.0;

// Refuse before allocating: the rotated copies plus what a check needs must fit in what the OS
// says is available, with a margin for everything else the process holds.
void require_memory(std::uint64_t device_bytes, std::uint64_t host_extra, bool device_is_host) {
  const std::uint64_t available = profiler::memory_available_bytes();
  if (available == 0) return;  // unknown (not Linux): let the allocator decide
  const std::uint64_t host_need = (device_is_host ? device_bytes : 0) + host_extra;
  const double usable = 0.9 * static_cast<double>(available);
  if (static_cast<double>(host_need) > usable) {
    throw runtime_error(
        fmt::format("--problem: needs {:.2f} GiB of host memory, only {:.2f} GiB available",
                    static_cast<double>(host_need) / gib, static_cast<double>(available) / gib));
  }
}

}  // namespace

profiler::measurement run_kernel(const runtime& rt, const run_request& req) {
  const kernel& k = *req.what.k;
  const variant& v = *req.what.v;
  const dtype t = req.what.type;
  const problem& p = req.what.values;
  const std::string& backend = req.backend;
  const backend_info binfo = rt.backend(backend);
  const tuner::config& cfg = req.config;
  profiler::validate(req.harness);
  if (const std::string why = v.unavailable_reason(backend); !why.empty()) {
    throw runtime_error(
        fmt::format("--variant: {} is not available on {}: {}", v.name(), backend, why));
  }

  profiler::measurement m;
  m.kernel = k.name();
  m.variant = v.name();
  m.dtype = to_string(t);
  m.backend = binfo.kokkos_name;
  m.problem = p;
  m.params = v.space().format_pairs(cfg);
  m.work = variant_work(k, v, p, t, backend);  // a vendor library may run on matrix units
  m.counts_source = "analytic";
  m.provenance = profiler::host_provenance();
  for (auto& kv : rt.provenance(backend)) m.provenance.push_back(std::move(kv));

  // Rotation is sized against the last cache of the device that runs the launches: a GPU's L2,
  // the host's LLC only for host backends (profiler/rotation.hpp says why).
  const std::uint64_t ws = k.working_set_bytes(p, t);
  const profiler::rotation_cache cache = profiler::rotation_cache_for(
      binfo.host, binfo.l2_cache_bytes, profiler::this_cpu().last_level_cache_bytes());
  const auto plan = profiler::plan_rotation(ws, cache.bytes);
  m.rotation = {plan.copies, plan.inputs_cold, ws, cache.name, cache.bytes};
  if (std::string why = v.dtype_unsupported(t, backend); !why.empty()) {
    m.outcome = profiler::status::invalid_config;
    m.reason = std::move(why);
    return m;
  }
  std::uint64_t device_bytes = 0;
  if (__builtin_mul_overflow(ws, static_cast<std::uint64_t>(plan.copies), &device_bytes)) {
    throw runtime_error("--problem: size overflows 64-bit byte counts");
  }
  require_memory(device_bytes, req.check ? k.check_bytes(p, t) : 0, binfo.host);

  if (const auto why = v.space().violation(cfg)) {
    m.outcome = profiler::status::invalid_config;
    m.reason = *why;
    return m;
  }
  prepare_outcome prepared;
  try {
    prepared = v.prepare(p, t, cfg, {backend, plan.copies});
  } catch (const std::bad_alloc&) {
    throw runtime_error("--problem: allocation failed (out of memory)");
  }
  if (!prepared.instance) {
    m.outcome = profiler::status::invalid_config;
    m.reason = prepared.invalid_reason;
    return m;
  }
  kernel_instance& inst = *prepared.instance;
  for (auto& kv : inst.provenance()) m.provenance.push_back(std::move(kv));

  const std::uint64_t seed = req.seed ? *req.seed : std::random_device{}();
  m.provenance.emplace_back("input_seed", std::to_string(seed));
  try {
    inst.fill_inputs(seed);
    if (req.counter_replay > 0) {  // the launches a parent's profiler counts, and nothing else
      for (std::size_t i = 0; i < req.counter_replay; ++i) {
        inst.launch(0);
        inst.fence();
      }
      return m;
    }
    if (req.check) {
      m.check = inst.check();
      m.check->seed = seed;
      if (!m.check->passed) {
        m.outcome = profiler::status::wrong_result;
        m.reason = fmt::format("{} of {} elements outside the error bound", m.check->bad_elements,
                               m.check->elements);
        return m;
      }
    }
    if (req.time) {
      if (const auto delay = planted_slowdown_us(k.name(), v.name(), m.params)) {
        m.provenance.emplace_back("test_slowdown_us", fmt::format("{}", *delay));
        delayed_workload slowed(inst, *delay);
        m.timing = profiler::measure(slowed, req.harness);
      } else {
        m.timing = profiler::measure(inst, req.harness);
      }
      if (m.timing->stopped == profiler::stop_reason::abandoned) {
        m.outcome = profiler::status::timeout;
        const int launches = m.timing->warmup_launches;
        m.reason = fmt::format(
            "abandoned after {} launch{}: the fastest took {:.4g} s, over the limit of {:.4g} s",
            launches, launches == 1 ? "" : "es", m.timing->samples.front(),
            *req.harness.abandon_above_seconds);
      }
    }
    // A separate pass: counted launches are never timed. Unavailable counters are said once per
    // process and the record keeps timing + the analytic model.
    if (req.time && m.outcome == profiler::status::ok &&
        req.counters != profiler::counters::counter_mode::none) {
      profiler::counters::counter_request creq;
      creq.mode = req.counters;
      creq.device_is_host = binfo.host;
      creq.device_backend = binfo.kokkos_name;
      creq.metrics_dir = req.metrics_dir;
      if (req.rerunnable_as_cli) {
        creq.replay_args = profiler::counters::replay_arguments(
            {k.name(), v.name(), m.dtype, m.problem_text(), m.params_text(), backend, seed});
      }
      auto counted = profiler::counters::run_counter_pass(inst, m.work, creq);
      if (counted.counted) {
        m.counted = std::move(counted.counted);
      } else if (!counted.unavailable.empty()) {
        profiler::counters::report_once(counted.unavailable);
      }
    }
  } catch (const usage_error&) {
    throw;
  } catch (const std::exception& e) {
    // Kokkos reports launch problems (e.g. resources exceeded on a device) as exceptions.
    m.outcome = profiler::status::launch_failed;
    m.reason = e.what();
  }
  return m;
}

}  // namespace ridgeline::kernels
