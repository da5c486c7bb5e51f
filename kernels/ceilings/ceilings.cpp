#include "kernels/ceilings/ceilings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>

#include "kernels/backend_dispatch.hpp"
#include "kernels/ceilings/ceiling_kernels.hpp"
#include "kernels/ceilings/ceiling_levels.hpp"
#include "kernels/runtime.hpp"
#include "profiler/cpu_info.hpp"
#include "profiler/harness.hpp"
#include "profiler/provenance.hpp"

namespace ridgeline::kernels {

namespace {

template <class Space>
constexpr bool on_host() {
  return Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible;
}

// Vector lanes of one 64-byte register on hosts; one element per thread on devices.
template <class T, class Space>
constexpr int lanes() {
  return on_host<Space>() ? static_cast<int>(64 / sizeof(T)) : 1;
}

// True when a host space's sweeps run the explicit-vector kernels (kernels/host_simd.hpp).
template <class Space>
constexpr bool host_vectors() {
#if defined(RIDGELINE_HOST_SIMD)
  return on_host<Space>();
#else
  return false;
#endif
}

template <class T, class Space>
class fma_workload final : public profiler::workload {
 public:
  using memory = typename Space::memory_space;
  // Without explicit host vectors: 16 vectors' worth of scalars for the auto-vectorizer.
  static constexpr int chains = 16 * lanes<T, Space>();
  explicit fma_workload(int concurrency)
      : items_(on_host<Space>() ? 64 * concurrency : 4 * concurrency),
        iterations_(on_host<Space>() ? 20000 : 4096),
        out_("ridgeline::ceilings::fma", static_cast<std::size_t>(items_)) {}
  void launch(std::size_t) override {
    const Kokkos::RangePolicy<Space> policy(0, items_);
#if defined(RIDGELINE_HOST_SIMD)
    if constexpr (host_vectors<Space>()) {
      Kokkos::parallel_for("ridgeline::ceilings::fma", policy,
                           detail::fma_vector_chains<T, memory>{out_, iterations_, T(0.999999),
                                                                T(1e-7)});
      return;
    }
#endif
    Kokkos::parallel_for("ridgeline::ceilings::fma", policy,
                         detail::fma_chains<T, chains, memory>{out_, iterations_, T(0.999999),
                                                               T(1e-7)});
  }
  void fence() override { Kokkos::fence(); }
  std::size_t copies() const override { return 1; }
  double flops_per_launch() const { return flops_per_item_iteration() * items_ * iterations_; }

 private:
  static constexpr double flops_per_item_iteration() {
#if defined(RIDGELINE_HOST_SIMD)
    if constexpr (host_vectors<Space>()) {
      return detail::fma_vector_chains<T, memory>::flops_per_item_iteration();
    }
#endif
    return detail::fma_chains<T, chains, memory>::flops_per_item_iteration();
  }
  int items_;
  int iterations_;
  Kokkos::View<T*, memory> out_;
};

template <class T, class Space>
class stream_workload final : public profiler::workload {
 public:
  // `streams` arrays of `total_bytes / streams` bytes each, split over `workers`.
  stream_workload(std::string kernel, std::uint64_t total_bytes, int concurrency)
      : kind_(kernel == "load"   ? detail::stream_kind::load
              : kernel == "copy" ? detail::stream_kind::copy
                                 : detail::stream_kind::triad),
        streams_(kind_ == detail::stream_kind::load   ? 1
                 : kind_ == detail::stream_kind::copy ? 2
                                                      : 3) {
    const std::int64_t n_wanted = static_cast<std::int64_t>(total_bytes / (streams_ * sizeof(T)));
    if (on_host<Space>()) {
      workers_ = concurrency;
      // 16 x 64 bytes: a whole number of unrolled steps of every host stream kernel.
      const std::int64_t block = 16 * lanes<T, Space>();
      chunk_ = std::max<std::int64_t>(block, (n_wanted / workers_) / block * block);
      // Enough passes per launch that one launch streams ~256 MiB: L1-sized chunks are swept
      // thousands of times inside one parallel region.
      const double launch_bytes = 256.0 * (1 << 20);
      reps_ = static_cast<int>(std::max(
          1.0, std::floor(launch_bytes /
                          (static_cast<double>(chunk_) * workers_ * streams_ * sizeof(T)))));
    } else {
      chunk_ = device_unroll;  // elements per thread, a grid apart (see detail::load_strided)
      workers_ = static_cast<int>(std::max<std::int64_t>(1, n_wanted / device_unroll));
      reps_ = 1;
    }
    const std::size_t n = static_cast<std::size_t>(chunk_) * static_cast<std::size_t>(workers_);
    a_ = view("ridgeline::ceilings::a", n);
    if (streams_ >= 2) b_ = view("ridgeline::ceilings::b", n);
    if (streams_ >= 3) c_ = view("ridgeline::ceilings::c", n);
    sink_ = view("ridgeline::ceilings::sink", static_cast<std::size_t>(workers_));
    Kokkos::deep_copy(a_, T(1));
    if (streams_ >= 2) Kokkos::deep_copy(b_, T(2));
    if (streams_ >= 3) Kokkos::deep_copy(c_, T(3));
    Kokkos::fence();
  }
  void launch(std::size_t) override {
    switch (kind_) {
      case detail::stream_kind::load:
        return launch_load();
      case detail::stream_kind::copy:
        return launch_write<detail::stream_kind::copy>("ridgeline::ceilings::copy");
      case detail::stream_kind::triad:
        return launch_write<detail::stream_kind::triad>("ridgeline::ceilings::triad");
    }
  }
  void fence() override { Kokkos::fence(); }
  std::size_t copies() const override { return 1; }
  std::uint64_t working_set_bytes() const {
    return static_cast<std::uint64_t>(streams_) * chunk_ * workers_ * sizeof(T);
  }
  double bytes_per_launch() const { return static_cast<double>(working_set_bytes()) * reps_; }

 private:
  using memory = typename Space::memory_space;

  void launch_load() {
    const char* label = "ridgeline::ceilings::load";
    if constexpr (!on_host<Space>()) {
      Kokkos::parallel_for(label, strided_policy(),
                           detail::load_strided<T, device_unroll, memory>{a_, sink_, workers_});
    } else if constexpr (host_vectors<Space>()) {
#if defined(RIDGELINE_HOST_SIMD)
      Kokkos::parallel_for(label, host_policy(),
                           detail::load_vector_stream<T, memory>{a_, sink_, chunk_, reps_});
#endif
    } else {
      Kokkos::parallel_for(
          label, host_policy(),
          detail::load_stream<T, lanes<T, Space>(), memory>{a_, sink_, chunk_, reps_});
    }
  }

  // Copy writes a from b; triad writes a = b + 0.5 c.
  template <detail::stream_kind K>
  void launch_write(const char* label) {
    if constexpr (!on_host<Space>()) {
      Kokkos::parallel_for(
          label, strided_policy(),
          detail::write_strided<K, T, device_unroll, memory>{{a_, b_, c_, T(0.5)}, workers_});
    } else {
      Kokkos::parallel_for(label, host_policy(),
                           detail::write_stream<K, host_vectors<Space>(), T, memory>{
                               {a_, b_, c_, T(0.5)}, chunk_, reps_});
    }
  }

  Kokkos::RangePolicy<Space> host_policy() const {
    return Kokkos::RangePolicy<Space>(0, workers_);
  }
  auto strided_policy() const {
    return Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>(0, workers_);
  }

  using view_type = Kokkos::View<T*, typename Space::memory_space>;
  static view_type view(const char* label, std::size_t n) {
    return view_type(Kokkos::ViewAllocateWithoutInitializing(label), n);
  }
  // Loads in flight per device thread: 8 x 8 bytes covers HBM3e latency at full occupancy.
  static constexpr int device_unroll = 8;
  detail::stream_kind kind_;
  int streams_;
  int workers_ = 1;
  std::int64_t chunk_ = 1;
  int reps_ = 1;
  view_type a_, b_, c_, sink_;
};

profiler::harness_options point_harness(double seconds) {
  profiler::harness_options h;
  h.warmup_seconds = 0.02;
  h.min_sample_seconds = 1e-3;
  h.max_seconds = seconds;
  h.min_samples = 3;
  return h;
}

template <class Space>
std::vector<sweep_point> sweep(const ceilings_options& o, int concurrency,
                               const cache_sizes& caches, bool& interrupted) {
  // Working-set sizes: doubling from a few KiB per thread up to the cap on hosts (every level);
  // on devices only sizes far beyond any on-chip cache (DRAM/HBM).
  std::uint64_t cap = o.max_working_set;
  if (cap == 0) cap = default_max_working_set(caches.llc_total, profiler::memory_available_bytes());
  std::vector<std::uint64_t> sizes;
  if (on_host<Space>()) {
    const std::uint64_t first = 4096ull * static_cast<std::uint64_t>(concurrency);
    // Doubling, plus a point at 1.5x below 64 MiB: the largest L1 point then fills half an L1
    // (a 48 KiB L1 has no power-of-two half), where short sweeps' loop overhead matters least.
    for (std::uint64_t s = first; s <= cap; s *= 2) {
      sizes.push_back(s);
      if (s < (64ull << 20) && s + s / 2 <= cap) sizes.push_back(s + s / 2);
    }
    if (o.quick) {
      std::vector<std::uint64_t> few;
      for (std::uint64_t s : sizes) {
        if (!classify_level(s, concurrency, caches).empty()) few.push_back(s);
      }
      // one point per level is enough to exercise the code
      std::map<std::string, std::uint64_t> per_level;
      for (std::uint64_t s : few) per_level.emplace(classify_level(s, concurrency, caches), s);
      sizes.clear();
      for (const auto& [level, s] : per_level) sizes.push_back(s);
    }
  } else {
    sizes = {cap / 4, cap};
  }

  const char* const precisions[] = {"f32", "f64"};
  const char* const stream_kernels[] = {"load", "copy", "triad"};
  const std::size_t total = std::size(precisions) + std::size(stream_kernels) * sizes.size();
  std::vector<sweep_point> points;
  // Before each point: stop when asked. After it: report.
  const auto stop = [&] {
    interrupted = interrupted || (o.should_stop && o.should_stop());
    return interrupted;
  };
  const auto add = [&](const sweep_point& p) {
    points.push_back(p);
    if (o.on_point) o.on_point(p, points.size(), total);
  };
  const auto h = point_harness(o.seconds_per_point);
  for (const char* precision : precisions) {
    if (stop()) return points;
    sweep_point p;
    p.kernel = "fma";
    p.precision = precision;
    profiler::timing_result t;
    if (std::string(precision) == "f32") {
      fma_workload<float, Space> w(concurrency);
      t = profiler::measure(w, h);
      p.rate = w.flops_per_launch() / t.summary.median;
    } else {
      fma_workload<double, Space> w(concurrency);
      t = profiler::measure(w, h);
      p.rate = w.flops_per_launch() / t.summary.median;
    }
    p.median_s = t.summary.median;
    p.spread = t.summary.relative_spread;
    add(p);
  }
  for (const char* kernel : stream_kernels) {
    for (std::uint64_t s : sizes) {
      if (stop()) return points;
      stream_workload<double, Space> w(kernel, s, concurrency);
      const auto t = profiler::measure(w, h);
      sweep_point p;
      p.kernel = kernel;
      p.precision = "f64";
      p.working_set_bytes = w.working_set_bytes();
      p.level = on_host<Space>() ? classify_level(p.working_set_bytes, concurrency, caches)
                                 : (p.working_set_bytes >= (256ull << 20) ? "dram" : "");
      p.rate = w.bytes_per_launch() / t.summary.median;
      p.median_s = t.summary.median;
      p.spread = t.summary.relative_spread;
      add(p);
    }
  }
  return points;
}

// One line when no sweep point reached DRAM (a working set of at least 4x the last-level cache),
// so the missing level is explained rather than silently absent.
std::string dram_note(const std::vector<sweep_point>& points, const cache_sizes& caches) {
  std::uint64_t largest = 0;
  for (const auto& p : points) {
    if (p.level == "dram") return {};
    largest = std::max(largest, p.working_set_bytes);
  }
  return fmt::format(
      "dram not reached: the largest working set ({} MiB) is below 4x the last-level cache ({} "
      "MiB); raise --max-bytes if memory allows. Points beyond the caches are left unlabelled.",
      largest >> 20, caches.llc_total >> 20);
}

std::vector<ceiling> summarize(const std::vector<sweep_point>& points) {
  std::map<std::tuple<std::string, std::string, std::string>, std::vector<double>> groups;
  for (const auto& p : points) {
    if (p.kernel != "fma" && p.level.empty()) continue;
    groups[{p.kernel, p.precision, p.level}].push_back(p.rate);
  }
  std::vector<ceiling> out;
  for (const auto& [key, rates] : groups) {
    ceiling c;
    std::tie(c.kernel, c.precision, c.level) = key;
    c.kind = c.kernel == "fma" ? "compute" : "bandwidth";
    c.min = *std::min_element(rates.begin(), rates.end());
    c.max = *std::max_element(rates.begin(), rates.end());
    double sum = 0;
    for (double r : rates) sum += r;
    c.mean = sum / static_cast<double>(rates.size());
    c.points = static_cast<int>(rates.size());
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::uint64_t default_max_working_set(std::uint64_t llc_bytes, std::uint64_t available_bytes) {
  const std::uint64_t wanted = std::max<std::uint64_t>(1ull << 30, 16 * llc_bytes);
  return available_bytes == 0 ? wanted : std::min(wanted, available_bytes / 2);
}

profiler::roof_set ceilings_result::roofs(const std::string& device) const {
  profiler::roof_set r;
  r.device = device;
  r.source = profiler::roof_source::measured;
  for (const auto& c : ceilings) {
    if (c.kind == "compute") r.compute.push_back({c.precision, "simt", c.max, "measured"});
    if (c.kind == "bandwidth" && c.kernel == "load") {
      r.bandwidth.push_back({c.level, c.max, "measured"});
    }
  }
  return r;
}

ceilings_result measure_ceilings(const runtime& rt, const ceilings_options& o) {
  profiler::validate(point_harness(o.seconds_per_point));
  ceilings_result result;
  result.backend = o.backend.empty() ? rt.default_backend() : o.backend;
  const backend_info b = rt.backend(result.backend);
  const profiler::cpu_info& cpu = profiler::this_cpu();
  cache_sizes caches;
  for (const auto& c : cpu.caches) {
    if (c.type == "Instruction") continue;
    if (c.level == 1) caches.l1_per_core = c.size_bytes;
    if (c.level == 2) caches.l2_per_core = c.size_bytes;
  }
  caches.llc_total = cpu.last_level_cache_bytes();
  result.sweep = with_exec_space(result.backend, [&](auto space) {
    return sweep<decltype(space)>(o, b.concurrency, caches, result.interrupted);
  });
  result.ceilings = summarize(result.sweep);
  const bool host = with_exec_space(result.backend, [](auto space) {
    return on_host<decltype(space)>();
  });
  if (host && !result.interrupted) {
    if (std::string note = dram_note(result.sweep, caches); !note.empty()) {
      result.notes.push_back(std::move(note));
    }
  }
  result.provenance = profiler::host_provenance();
  for (auto& kv : rt.provenance(result.backend)) result.provenance.push_back(std::move(kv));
#if defined(RIDGELINE_HOST_SIMD)
  if (host) result.provenance.emplace_back("host_vector_isa", simd::isa);
#endif
  result.provenance.emplace_back("method",
                                 "FMA chains in registers; load/copy/triad sweeps (f64), bytes "
                                 "counted as likwid-bench does (no write-allocate)");
  return result;
}

}  // namespace ridgeline::kernels
