#pragma once
// The buffers of one rotated copy of an MoE stage (or the whole layer), and the host-drawn inputs
// of the stages after the router. Outputs are poisoned with NaN (values) and -7 (indices: neither
// a slot nor the -1 pad), so an element never written cannot pass a check.
#include <Kokkos_Core.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "kernels/host_copy.hpp"
#include "kernels/kernel.hpp"
#include "kernels/moe/moe_impl.hpp"
#include "kernels/moe/moe_reference.hpp"
#include "kernels/moe/moe_shape.hpp"
#include "kernels/moe/moe_variants.hpp"

namespace ridgeline::kernels::moe_detail {

template <class T, class Space>
using values = Kokkos::View<T*, typename Space::memory_space>;
template <class Space>
using indices = Kokkos::View<std::int32_t*, typename Space::memory_space>;

template <class T, class Space>
values<T, Space> make_values(const char* label, std::int64_t n) {
  return values<T, Space>(Kokkos::ViewAllocateWithoutInitializing(label),
                          static_cast<std::size_t>(n));
}
template <class Space>
indices<Space> make_indices(const char* label, std::int64_t n) {
  return indices<Space>(Kokkos::ViewAllocateWithoutInitializing(label),
                        static_cast<std::size_t>(n));
}

// One buffer of copy 0 for a caller's arrays (kernels/on_arrays.hpp).
template <class View>
instance_operand operand(const char* name, const View& v, instance_operand::role use) {
  return {name, v.data(), v.extent(0) * sizeof(typename View::value_type), use};
}

// What the host draws once and every copy shares (rotation is about cold caches, not different
// values): router logits per the routing pattern and, for the stages after gating, the oracle's
// routing and alignment of them.
template <class T>
struct host_inputs {
  std::vector<T> logits, w;
  std::vector<std::int32_t> ids, sorted, pos, offsets, counts;
};

// Router logits per the routing pattern: random in [-4, 4) (a softmax with real spread), all
// equal (every token's experts are the k lowest ids: the tie rule), or one expert far ahead.
template <class T>
std::vector<T> draw_logits(const moe_shape& s, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<T> l(static_cast<std::size_t>(s.tokens * s.experts));
  std::uniform_real_distribution<double> dist(-4, 4);
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    for (std::int64_t e = 0; e < s.experts; ++e) {
      T v = static_cast<T>(dist(rng));
      if (s.pattern == moe_routing_pattern::tied) v = T(0.5);
      if (s.pattern == moe_routing_pattern::hot && e == s.experts - 1) v = T(16);
      l[static_cast<std::size_t>(t * s.experts + e)] = v;
    }
  }
  return l;
}

template <class T>
host_inputs<T> routed_inputs(const moe_shape& s, std::uint64_t seed) {
  host_inputs<T> in;
  in.logits = draw_logits<T>(s, seed);
  in.ids.resize(static_cast<std::size_t>(s.slots()));
  in.w.resize(in.ids.size());
  moe_ref::gating<T>(s, in.logits.data(), in.ids.data(), in.w.data());
  in.sorted.resize(static_cast<std::size_t>(s.max_padded_rows()));
  in.pos.resize(in.ids.size());
  in.offsets.resize(static_cast<std::size_t>(s.experts + 1));
  in.counts.resize(static_cast<std::size_t>(s.experts));
  moe_ref::align(s, in.ids.data(), in.sorted.data(), in.pos.data(), in.offsets.data(),
                 in.counts.data());
  return in;
}

// align's chunks of slots (moe_impl.hpp), each with its own histogram of E counts.
inline std::int64_t align_chunks(const moe_shape& s, const moe_permute_config& c) {
  return (s.slots() + c.chunk - 1) / c.chunk;
}

// The buffers a stage holds, as a set of bits (in a struct: the bit names would clash with the
// buffers' own): the layer holds all of them, each stage the ones it reads or writes
// (moe_kernels.cpp's working_set_bytes counts the same).
struct buffer_set {
  enum : unsigned {
    tokens = 1u << 0,          // x: tokens x hidden
    router = 1u << 1,          // router weights: hidden x experts
    logits = 1u << 2,          // tokens x experts
    routing = 1u << 3,         // top-k ids and weights: one per slot
    alignment = 1u << 4,       // sorted_ids, slot_pos, offsets, counts
    chunk_counts = 1u << 5,    // align's per-chunk histograms
    gathered = 1u << 6,        // rows in expert order: max_padded_rows x hidden
    expert_weights = 1u << 7,  // gate, up, down, the [rows, 2I] gate|up and tile workspaces
    expert_out = 1u << 8,      // y: the experts' rows, in expert order
    out = 1u << 9,             // tokens x hidden
  };
};

// One copy's buffers; those outside the stage's set stay empty.
template <class T, class Space>
struct stage_buffers {
  values<T, Space> x, router, logits, w, gathered, wg, wu, wd, gu, y, out;
  indices<Space> ids, sorted, slot_pos, offsets, counts, chunk_counts;
  indices<Space> expert_tiles;  // the grouped GEMM's first row tile per expert (E + 1)

  stage_buffers(const moe_shape& s, const moe_launch_request& r, unsigned set) {
    const std::int64_t T_ = s.tokens, E = s.experts, h = s.hidden, I = s.intermediate;
    const std::int64_t rows = s.max_padded_rows(), slots = s.slots();
    auto make = [](const char* label, std::int64_t n) { return make_values<T, Space>(label, n); };
    auto make_i = [](const char* label, std::int64_t n) { return make_indices<Space>(label, n); };
    if (set & buffer_set::tokens) x = make("ridgeline::moe::x", T_ * h);
    if (set & buffer_set::router) router = make("ridgeline::moe::router", h * E);
    if (set & buffer_set::logits) logits = make("ridgeline::moe::logits", T_ * E);
    if (set & buffer_set::routing) {
      ids = make_i("ridgeline::moe::topk_ids", slots);
      w = make("ridgeline::moe::topk_weights", slots);
    }
    if (set & buffer_set::alignment) {
      sorted = make_i("ridgeline::moe::sorted_ids", rows);
      slot_pos = make_i("ridgeline::moe::slot_pos", slots);
      offsets = make_i("ridgeline::moe::offsets", E + 1);
      counts = make_i("ridgeline::moe::counts", E);
    }
    if (set & buffer_set::chunk_counts) {
      chunk_counts = make_i("ridgeline::moe::chunk_counts", align_chunks(s, r.configs.permute) * E);
    }
    if (set & buffer_set::gathered) gathered = make("ridgeline::moe::gathered", rows * h);
    if (set & buffer_set::expert_weights) {
      wg = make("ridgeline::moe::w_gate", E * h * I);
      wu = make("ridgeline::moe::w_up", E * h * I);
      wd = make("ridgeline::moe::w_down", E * I * h);
      gu = make("ridgeline::moe::gate_up", rows * 2 * I);
      expert_tiles = make_i("ridgeline::moe::expert_tiles", E + 1);
    }
    if (set & buffer_set::expert_out) y = make("ridgeline::moe::y", rows * h);
    if (set & buffer_set::out) out = make("ridgeline::moe::out", T_ * h);
  }

  void upload_routing(const host_inputs<T>& in) const {
    to_device(ids, in.ids);
    to_device(w, in.w);
  }
  void upload_alignment(const host_inputs<T>& in) const {
    to_device(sorted, in.sorted);
    to_device(slot_pos, in.pos);
    to_device(offsets, in.offsets);
    to_device(counts, in.counts);
  }
  // Scaled by 1/sqrt(fan-in) so the activations keep their magnitude through the MLP.
  void fill_expert_weights(const moe_shape& s, std::uint64_t seed) const {
    const std::int64_t n = s.experts * s.hidden * s.intermediate;
    fill_uniform<T, Space>(wg.data(), n, seed + 5, 1 / std::sqrt(double(s.hidden)));
    fill_uniform<T, Space>(wu.data(), n, seed + 6, 1 / std::sqrt(double(s.hidden)));
    fill_uniform<T, Space>(wd.data(), n, seed + 7, 1 / std::sqrt(double(s.intermediate)));
  }

  void poison_routing() const {
    Kokkos::deep_copy(ids, -7);
    Kokkos::deep_copy(w, nan());
  }
  void poison_alignment() const {
    Kokkos::deep_copy(sorted, -7);
    Kokkos::deep_copy(slot_pos, -7);
    Kokkos::deep_copy(offsets, -7);
    Kokkos::deep_copy(counts, -7);
  }
  static T nan() { return std::numeric_limits<T>::quiet_NaN(); }
};

}  // namespace ridgeline::kernels::moe_detail
