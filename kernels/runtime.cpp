#include "kernels/runtime.hpp"

#include <fmt/format.h>

#include <Kokkos_Core.hpp>
#include <stdexcept>

#include "core/error.hpp"
#include "kernels/backend_dispatch.hpp"

#ifdef KOKKOS_ENABLE_CUDA
#include <cuda_runtime.h>
#endif
#ifdef KOKKOS_ENABLE_HIP
#include <hip/hip_runtime_api.h>
#endif

namespace ridgeline::kernels {

namespace {

bool g_active = false;

template <class Space>
backend_info describe(const Space& space) {
  backend_info b;
  b.id = backend_id<Space>::value;
  b.kokkos_name = Space::name();
  b.is_default = std::is_same<Space, Kokkos::DefaultExecutionSpace>::value;
  b.host = Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible;
  b.concurrency = space.concurrency();
#ifdef KOKKOS_ENABLE_CUDA
  if constexpr (std::is_same<Space, Kokkos::Cuda>::value) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, space.cuda_device()) == cudaSuccess) {
      b.device_name = prop.name;
      b.l2_cache_bytes = prop.l2CacheSize > 0 ? static_cast<std::uint64_t>(prop.l2CacheSize) : 0;
      b.details = fmt::format("{}, sm_{}{}, {} SMs, {:.1f} GiB", prop.name, prop.major, prop.minor,
                              prop.multiProcessorCount,
                              static_cast<double>(prop.totalGlobalMem) / (1 << 30));
    }
    int driver = 0, runtime_version = 0;
    auto version = [](int v) { return fmt::format("{}.{}", v / 1000, (v % 1000) / 10); };
    if (cudaDriverGetVersion(&driver) == cudaSuccess) {
      b.software.emplace_back("cuda_driver", version(driver));
    }
    if (cudaRuntimeGetVersion(&runtime_version) == cudaSuccess) {
      b.software.emplace_back("cuda_runtime", version(runtime_version));
    }
  }
#endif
#ifdef KOKKOS_ENABLE_HIP
  // The same facts from HIP: the name matches the catalog card (configs/devices/mi*.yaml), and
  // gcnArchName says which code objects the device runs (gfx90a:sramecc+:xnack-, ...).
  if constexpr (std::is_same<Space, Kokkos::Experimental::HIP>::value) {
    hipDeviceProp_t prop{};
    if (hipGetDeviceProperties(&prop, space.hip_device()) == hipSuccess) {
      b.device_name = prop.name;
      b.l2_cache_bytes = prop.l2CacheSize > 0 ? static_cast<std::uint64_t>(prop.l2CacheSize) : 0;
      b.details = fmt::format("{}, {}, {} CUs, {:.1f} GiB", prop.name, prop.gcnArchName,
                              prop.multiProcessorCount,
                              static_cast<double>(prop.totalGlobalMem) / (1 << 30));
    }
    int runtime_version = 0;  // HIP_VERSION encoding: major * 10^7 + minor * 10^5 + patch
    if (hipRuntimeGetVersion(&runtime_version) == hipSuccess) {
      b.software.emplace_back("hip_runtime", fmt::format("{}.{}", runtime_version / 10000000,
                                                         (runtime_version / 100000) % 100));
    }
  }
#endif
  return b;
}

}  // namespace

runtime::runtime(const runtime_options& options) {
  if (g_active || Kokkos::is_initialized()) throw std::logic_error("Kokkos runtime already active");
  if (options.threads < 0) throw usage_error("--threads: must be >= 1");
#if KOKKOS_VERSION >= 40000
  Kokkos::InitializationSettings settings;
  if (options.threads > 0) settings.set_num_threads(options.threads);
  Kokkos::initialize(settings);
#else
  Kokkos::InitArguments args;
  if (options.threads > 0) args.num_threads = options.threads;
  Kokkos::initialize(args);
#endif
  g_active = true;
}

runtime::~runtime() {
  Kokkos::finalize();
  g_active = false;
}

bool runtime::active() {
  return g_active;
}

std::vector<backend_info> runtime::backends() const {
  std::vector<backend_info> out;
#ifdef KOKKOS_ENABLE_CUDA
  out.push_back(describe(Kokkos::Cuda()));
#endif
#ifdef KOKKOS_ENABLE_HIP
  out.push_back(describe(Kokkos::Experimental::HIP()));
#endif
#ifdef KOKKOS_ENABLE_OPENMP
  out.push_back(describe(Kokkos::OpenMP()));
#endif
#ifdef KOKKOS_ENABLE_SERIAL
  out.push_back(describe(Kokkos::Serial()));
#endif
  return out;
}

std::string runtime::default_backend() const {
  for (const auto& b : backends()) {
    if (b.is_default) return b.id;
  }
  return backends().front().id;
}

std::string runtime::kokkos_version() const {
  return fmt::format("{}.{}.{}", KOKKOS_VERSION / 10000, (KOKKOS_VERSION / 100) % 100,
                     KOKKOS_VERSION % 100);
}

backend_info runtime::backend(const std::string& id) const {
  if (id.empty()) return backend(default_backend());
  std::vector<std::string> ids;
  for (const auto& b : backends()) {
    if (b.id == id) return b;
    ids.push_back(b.id);
  }
  throw usage_error(fmt::format("--backend: '{}' is not enabled in this build (enabled: {})", id,
                                fmt::join(ids, ", ")));
}

std::vector<std::pair<std::string, std::string>> runtime::provenance(const std::string& id) const {
  const backend_info b = backend(id);
  std::vector<std::pair<std::string, std::string>> out = {
      {"kokkos_version", kokkos_version()},
      {"backend", b.kokkos_name},
      {b.host ? "threads" : "device_concurrency", std::to_string(b.concurrency)}};
  if (!b.details.empty()) out.emplace_back("device", b.details);
  for (const auto& fact : b.software) out.push_back(fact);
  return out;
}

void require_launching_thread(const std::string& backend_id) {
#ifdef KOKKOS_ENABLE_OPENMP
  if (backend_id == "openmp" && Kokkos::OpenMP::in_parallel()) {
    throw runtime_error(
        "backend: Kokkos' OpenMP backend launches kernels only from the thread that initialized "
        "Kokkos; call from that thread or use backend 'serial'");
  }
#else
  (void)backend_id;
#endif
}

}  // namespace ridgeline::kernels
