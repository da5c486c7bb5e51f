#pragma once
// Buffers of one MoE stage (or the whole layer) on one execution space: `copies` rotated sets,
// inputs that are valid outputs of the earlier stages (router logits drawn per the `routing`
// pattern, the host oracle's routing and alignment for the stages after gating), NaN/-7-poisoned
// outputs, and the check against the oracle (moe_reference.hpp).
#include <Kokkos_Core.hpp>
#include <cstdint>
#include <limits>
#include <random>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels/kernel.hpp"
#include "kernels/moe/moe_impl.hpp"
#include "kernels/moe/moe_reference.hpp"
#include "kernels/moe/moe_variants.hpp"

namespace ridgeline::kernels {

template <class T, class Space>
class moe_instance final : public kernel_instance {
 public:
  using mem = typename Space::memory_space;
  using view = Kokkos::View<T*, mem>;
  using iview = Kokkos::View<std::int32_t*, mem>;
  static constexpr bool host_accessible =
      Kokkos::SpaceAccessibility<Kokkos::HostSpace, mem>::accessible;

  moe_instance(const moe_shape& s, const moe_launch_request& r, std::size_t copies)
      : s_(s), d_(moe_detail::to_dev(s)), req_(r), copies_(copies) {
    for (std::size_t c = 0; c < copies; ++c) bufs_.push_back(allocate());
  }

  void launch(std::size_t copy) override {
    if (req_.reference) {
      launch_reference(bufs_[copy]);
    } else {
      launch_kokkos(bufs_[copy]);
    }
  }
  void fence() override { Kokkos::fence(); }
  std::size_t copies() const override { return copies_; }

  // Callable on a caller's arrays: the layer (x and the weights in; out, logits and routing out)
  // and the gating stage (logits in, routing out). The middle stages' inputs are internal
  // buffers of the layer (expert-ordered rows, offsets), not arrays a caller holds.
  std::vector<instance_operand> operands() override {
    using role = instance_operand::role;
    buffers& b = bufs_[0];
    auto op = [](const char* name, const auto& v, role use) {
      using value = typename std::decay_t<decltype(v)>::value_type;
      return instance_operand{name, v.data(), v.extent(0) * sizeof(value), use};
    };
    std::vector<instance_operand> ops;
    if (req_.stage == moe_stage::layer) {
      ops = {op("x", b.x, role::input),           op("router", b.router, role::input),
             op("w_gate", b.wg, role::input),     op("w_up", b.wu, role::input),
             op("w_down", b.wd, role::input),     op("out", b.out, role::output),
             op("logits", b.logits, role::output)};
    } else if (req_.stage == moe_stage::gating) {
      ops = {op("logits", b.logits, role::input)};
    } else {
      return {};
    }
    ops.push_back(op("topk_ids", b.ids, role::output));
    ops.push_back(op("topk_weights", b.w, role::output));
    return ops;
  }

  // The routing inputs (drawn and routed on the host) are shared by every copy; the big arrays
  // are drawn per copy on the device. Rotation is about cold caches, not different values.
  void fill_inputs(std::uint64_t seed) override {
    const host_inputs in = draw_host_inputs(seed);
    for (std::size_t c = 0; c < copies_; ++c) fill(bufs_[c], in, seed + 0x1000193ULL * c);
    Kokkos::fence();
  }

  profiler::check_result check() override {
    buffers& b = bufs_[0];
    poison(b);
    launch(0);
    Kokkos::fence();
    switch (req_.stage) {
      case moe_stage::gating: {
        const auto logits = host(b.logits), w = host(b.w);
        const auto ids = host(b.ids);
        return moe_ref::check_gating<T>(s_, logits.data(), ids.data(), w.data());
      }
      case moe_stage::permute:
        return moe_ref::check_permute<T>(s_, host(b.ids).data(), host(b.x).data(),
                                         host(b.sorted).data(), host(b.slot_pos).data(),
                                         host(b.offsets).data(), host(b.counts).data(),
                                         host(b.gathered).data());
      case moe_stage::experts:
        return moe_ref::check_experts<T>(s_, host(b.gathered).data(), host(b.sorted).data(),
                                         host(b.offsets).data(), host(b.wg).data(),
                                         host(b.wu).data(), host(b.wd).data(), host(b.y).data());
      case moe_stage::combine:
        return moe_ref::check_combine<T>(s_, host(b.y).data(), host(b.slot_pos).data(),
                                         host(b.w).data(), host(b.out).data());
      case moe_stage::layer:
        return check_layer(b);
    }
    return {};
  }

 private:
  struct buffers {
    view x, router, logits, w, wg, wu, wd, gathered, gu, y, out;
    iview ids, sorted, slot_pos, offsets, counts, chunk_counts;
    std::vector<std::int32_t> host_offsets, host_counts;  // the experts stage's row counts
  };

  bool uses(std::initializer_list<moe_stage> stages) const {
    for (auto st : stages)
      if (st == req_.stage) return true;
    return false;
  }

  static view make(const char* label, std::int64_t n) {
    return view(Kokkos::ViewAllocateWithoutInitializing(label), static_cast<std::size_t>(n));
  }
  static iview make_i(const char* label, std::int64_t n) {
    return iview(Kokkos::ViewAllocateWithoutInitializing(label), static_cast<std::size_t>(n));
  }

  int chunks() const {
    const std::int64_t c = req_.configs.permute.chunk;
    return static_cast<int>((s_.slots() + c - 1) / c);
  }

  buffers allocate() const {
    using st = moe_stage;
    const std::int64_t T_ = s_.tokens, E = s_.experts, h = s_.hidden, I = s_.intermediate;
    const std::int64_t rows = s_.max_padded_rows(), slots = s_.slots();
    buffers b;
    if (uses({st::permute, st::layer})) b.x = make("ridgeline::moe::x", T_ * h);
    if (uses({st::layer})) b.router = make("ridgeline::moe::router", h * E);
    if (uses({st::gating, st::layer})) b.logits = make("ridgeline::moe::logits", T_ * E);
    if (uses({st::gating, st::permute, st::combine, st::layer})) {
      b.ids = make_i("ridgeline::moe::topk_ids", slots);
      b.w = make("ridgeline::moe::topk_weights", slots);
    }
    if (uses({st::permute, st::experts, st::combine, st::layer})) {
      b.sorted = make_i("ridgeline::moe::sorted_ids", rows);
      b.slot_pos = make_i("ridgeline::moe::slot_pos", slots);
      b.offsets = make_i("ridgeline::moe::offsets", E + 1);
      b.counts = make_i("ridgeline::moe::counts", E);
    }
    if (uses({st::permute, st::layer})) {
      b.chunk_counts = make_i("ridgeline::moe::chunk_counts", std::int64_t(chunks()) * E);
    }
    if (uses({st::permute, st::experts, st::layer}))
      b.gathered = make("ridgeline::moe::gathered", rows * h);
    if (uses({st::experts, st::layer})) {
      b.wg = make("ridgeline::moe::w_gate", E * h * I);
      b.wu = make("ridgeline::moe::w_up", E * h * I);
      b.wd = make("ridgeline::moe::w_down", E * I * h);
      b.gu = make("ridgeline::moe::gate_up", rows * 2 * I);
    }
    if (uses({st::experts, st::combine, st::layer})) b.y = make("ridgeline::moe::y", rows * h);
    if (uses({st::combine, st::layer})) b.out = make("ridgeline::moe::out", T_ * h);
    return b;
  }

  template <class V>
  static std::vector<typename V::value_type> host(const V& v) {
    std::vector<typename V::value_type> out(v.extent(0));
    Kokkos::View<typename V::value_type*, Kokkos::HostSpace,
                 Kokkos::MemoryTraits<Kokkos::Unmanaged>>
        dst(out.data(), out.size());
    Kokkos::deep_copy(dst, v);
    return out;
  }
  template <class V>
  static void upload(const V& v, const std::vector<typename V::value_type>& data) {
    Kokkos::View<const typename V::value_type*, Kokkos::HostSpace,
                 Kokkos::MemoryTraits<Kokkos::Unmanaged>>
        src(data.data(), data.size());
    Kokkos::deep_copy(v, src);
  }

  // Router logits per the routing pattern: random in [-4, 4) (a softmax with real spread), all
  // equal (every token's experts are the k lowest ids: the tie rule), or one expert far ahead.
  std::vector<T> draw_logits(std::mt19937_64& rng) const {
    std::vector<T> l(static_cast<std::size_t>(s_.tokens * s_.experts));
    std::uniform_real_distribution<double> dist(-4, 4);
    for (std::int64_t t = 0; t < s_.tokens; ++t) {
      for (std::int64_t e = 0; e < s_.experts; ++e) {
        T v = static_cast<T>(dist(rng));
        if (s_.pattern == moe_routing_pattern::tied) v = T(0.5);
        if (s_.pattern == moe_routing_pattern::hot && e == s_.experts - 1) v = T(16);
        l[static_cast<std::size_t>(t * s_.experts + e)] = v;
      }
    }
    return l;
  }

  struct host_inputs {
    std::vector<T> logits, w;
    std::vector<std::int32_t> ids, sorted, pos, offsets, counts;
  };

  host_inputs draw_host_inputs(std::uint64_t seed) const {
    host_inputs in;
    if (req_.stage == moe_stage::layer) return in;
    std::mt19937_64 rng(seed);
    in.logits = draw_logits(rng);
    if (req_.stage == moe_stage::gating) return in;
    // The stages after gating get the oracle's routing and alignment of these logits.
    in.ids.resize(static_cast<std::size_t>(s_.slots()));
    in.w.resize(in.ids.size());
    moe_ref::gating<T>(s_, in.logits.data(), in.ids.data(), in.w.data());
    in.sorted.resize(static_cast<std::size_t>(s_.max_padded_rows()));
    in.pos.resize(in.ids.size());
    in.offsets.resize(static_cast<std::size_t>(s_.experts + 1));
    in.counts.resize(static_cast<std::size_t>(s_.experts));
    moe_ref::align(s_, in.ids.data(), in.sorted.data(), in.pos.data(), in.offsets.data(),
                   in.counts.data());
    return in;
  }

  void fill(buffers& b, const host_inputs& in, std::uint64_t seed) {
    using st = moe_stage;
    const std::int64_t T_ = s_.tokens, E = s_.experts, h = s_.hidden, I = s_.intermediate;
    const std::int64_t rows = s_.max_padded_rows();
    const double wscale_h = 1 / std::sqrt(double(h)), wscale_i = 1 / std::sqrt(double(I));
    if (req_.stage == st::layer) {
      const bool hot = s_.pattern == moe_routing_pattern::hot;
      moe_detail::fill_uniform<T, Space>(b.x.data(), T_ * h, seed + 1, 1.0, hot);
      if (s_.pattern == moe_routing_pattern::tied) {
        Kokkos::deep_copy(b.router, T(0));  // every logit 0: all ties
      } else {
        moe_detail::fill_uniform<T, Space>(b.router.data(), h * E, seed + 2, 4 * wscale_h);
        if (hot) {
          // x > 0 and a column of ones: expert E-1's logit is sum(x) ~ h/2, far ahead.
          auto r = host(b.router);
          for (std::int64_t c = 0; c < h; ++c) r[static_cast<std::size_t>(c * E + E - 1)] = T(1);
          upload(b.router, r);
        }
      }
    } else {
      if (req_.stage == st::gating) {
        upload(b.logits, in.logits);
        return;
      }
      if (req_.stage == st::permute) {
        upload(b.ids, in.ids);
        upload(b.w, in.w);
        moe_detail::fill_uniform<T, Space>(b.x.data(), T_ * h, seed + 1, 1.0);
        return;
      }
      upload(b.sorted, in.sorted);
      upload(b.slot_pos, in.pos);
      upload(b.offsets, in.offsets);
      upload(b.counts, in.counts);
      b.host_offsets = in.offsets;
      b.host_counts = in.counts;
      if (req_.stage == st::combine) {
        upload(b.ids, in.ids);
        upload(b.w, in.w);
        moe_detail::fill_uniform<T, Space>(b.y.data(), rows * h, seed + 3, 1.0);
        return;
      }
      moe_detail::fill_uniform<T, Space>(b.gathered.data(), rows * h, seed + 4, 1.0);
    }
    moe_detail::fill_uniform<T, Space>(b.wg.data(), E * h * I, seed + 5, wscale_h);
    moe_detail::fill_uniform<T, Space>(b.wu.data(), E * h * I, seed + 6, wscale_h);
    moe_detail::fill_uniform<T, Space>(b.wd.data(), E * I * h, seed + 7, wscale_i);
    Kokkos::fence();
  }

  // Outputs of the stage under test: NaN (floats) and -7 (indices, neither a slot nor the -1
  // pad), so an element never written cannot pass.
  void poison(buffers& b) {
    const T nan = std::numeric_limits<T>::quiet_NaN();
    using st = moe_stage;
    if (uses({st::gating, st::layer})) {
      Kokkos::deep_copy(b.ids, -7);
      Kokkos::deep_copy(b.w, nan);
    }
    if (uses({st::permute, st::layer})) {
      Kokkos::deep_copy(b.sorted, -7);
      Kokkos::deep_copy(b.slot_pos, -7);
      Kokkos::deep_copy(b.offsets, -7);
      Kokkos::deep_copy(b.counts, -7);
      Kokkos::deep_copy(b.gathered, nan);
    }
    if (uses({st::experts, st::layer})) Kokkos::deep_copy(b.y, nan);
    if (uses({st::combine, st::layer})) Kokkos::deep_copy(b.out, nan);
  }

  void launch_kokkos(buffers& b) {
    const moe_configs& c = req_.configs;
    switch (req_.stage) {
      case moe_stage::gating:
        moe_detail::gating<T, Space>(d_, c.gating, b.logits.data(), b.ids.data(), b.w.data());
        return;
      case moe_stage::permute:
        permute(b);
        return;
      case moe_stage::experts:
        experts(b, b.host_offsets, b.host_counts);
        return;
      case moe_stage::combine:
        moe_detail::combine<T, Space>(d_, c.combine, b.y.data(), b.slot_pos.data(), b.w.data(),
                                      b.out.data());
        return;
      case moe_stage::layer: {
        gemm_args<T> g;
        g.m = d_.tokens;
        g.n = d_.experts;
        g.k = d_.hidden;
        g.a = b.x.data();
        g.lda = d_.hidden;
        g.b = b.router.data();
        g.ldb = d_.experts;
        g.c = b.logits.data();
        g.ldc = d_.experts;
        detail::gemm_tiled<T, Space>(g, c.gemm);
        moe_detail::gating<T, Space>(d_, c.gating, b.logits.data(), b.ids.data(), b.w.data());
        permute(b);
        // The expert loop runs on the host: it needs the row counts (E+1 ints, one copy).
        const auto offsets = host(b.offsets), counts = host(b.counts);
        experts(b, offsets, counts);
        moe_detail::combine<T, Space>(d_, c.combine, b.y.data(), b.slot_pos.data(), b.w.data(),
                                      b.out.data());
        return;
      }
    }
  }

  void permute(buffers& b) {
    moe_detail::align<Space>(d_, req_.configs.permute.chunk, b.ids.data(), b.chunk_counts.data(),
                             b.counts.data(), b.offsets.data(), b.sorted.data(), b.slot_pos.data());
    moe_detail::scatter_rows<T, Space>(d_, req_.configs.permute, b.x.data(), b.slot_pos.data(),
                                       b.gathered.data());
  }

  void experts(buffers& b, const std::vector<std::int32_t>& offsets,
               const std::vector<std::int32_t>& counts) {
    moe_detail::experts<T, Space>(d_, req_.configs.gemm, offsets.data(), counts.data(),
                                  b.sorted.data(), b.gathered.data(), b.wg.data(), b.wu.data(),
                                  b.wd.data(), b.gu.data(), b.y.data());
  }

  // The oracle as a timed variant (host backends only; prepare refuses the others).
  void launch_reference(buffers& b) {
    if constexpr (host_accessible) {
      Kokkos::fence();
      switch (req_.stage) {
        case moe_stage::gating:
          moe_ref::gating<T>(s_, b.logits.data(), b.ids.data(), b.w.data());
          return;
        case moe_stage::permute:
          moe_ref::align(s_, b.ids.data(), b.sorted.data(), b.slot_pos.data(), b.offsets.data(),
                         b.counts.data());
          moe_ref::gather<T>(s_, b.x.data(), b.slot_pos.data(), b.gathered.data());
          return;
        case moe_stage::experts:
          moe_ref::experts<T>(s_, b.gathered.data(), b.sorted.data(), b.offsets.data(), b.wg.data(),
                              b.wu.data(), b.wd.data(), b.y.data());
          return;
        case moe_stage::combine:
          moe_ref::combine<T>(s_, b.y.data(), b.slot_pos.data(), b.w.data(), b.out.data());
          return;
        case moe_stage::layer:
          reference_logits(b.x.data(), b.router.data(), b.logits.data(), nullptr);
          moe_ref::gating<T>(s_, b.logits.data(), b.ids.data(), b.w.data());
          moe_ref::align(s_, b.ids.data(), b.sorted.data(), b.slot_pos.data(), b.offsets.data(),
                         b.counts.data());
          moe_ref::gather<T>(s_, b.x.data(), b.slot_pos.data(), b.gathered.data());
          moe_ref::experts<T>(s_, b.gathered.data(), b.sorted.data(), b.offsets.data(), b.wg.data(),
                              b.wu.data(), b.wd.data(), b.y.data());
          moe_ref::combine<T>(s_, b.y.data(), b.slot_pos.data(), b.w.data(), b.out.data());
          return;
      }
    } else {
      (void)b;
    }
  }

  // logits = x * router in the wide type (rounded to T), and per token the largest dot-product
  // bound 4 sqrt(h+2) u sum|x w| over the experts (null: not wanted).
  void reference_logits(const T* x, const T* router, T* logits, std::vector<double>* bound) const {
    using W = moe_ref::wide<T>;
    const W u = W(std::numeric_limits<T>::epsilon()) / 2;
    const W f = 4 * std::sqrt(W(s_.hidden) + 2) * u;
    if (bound) bound->assign(static_cast<std::size_t>(s_.tokens), 0.0);
    std::vector<W> acc(static_cast<std::size_t>(s_.experts)), mag(acc.size());
    for (std::int64_t t = 0; t < s_.tokens; ++t) {
      std::fill(acc.begin(), acc.end(), W(0));
      std::fill(mag.begin(), mag.end(), W(0));
      for (std::int64_t c = 0; c < s_.hidden; ++c) {
        const W xv = W(x[t * s_.hidden + c]);
        for (std::int64_t e = 0; e < s_.experts; ++e) {
          const W p = xv * W(router[c * s_.experts + e]);
          acc[static_cast<std::size_t>(e)] += p;
          mag[static_cast<std::size_t>(e)] += std::fabs(p);
        }
      }
      for (std::int64_t e = 0; e < s_.experts; ++e) {
        logits[t * s_.experts + e] = static_cast<T>(acc[static_cast<std::size_t>(e)]);
        if (bound) {
          auto& bt = (*bound)[static_cast<std::size_t>(t)];
          bt = std::max(bt, static_cast<double>(f * mag[static_cast<std::size_t>(e)]));
        }
      }
    }
  }

  // The layer: the router GEMM within its dot-product bound, the routing checked on the logits
  // it produced (as moe_gating is), and the output against the oracle's layer over the same
  // experts, with the propagated bound (moe_reference.hpp).
  profiler::check_result check_layer(buffers& b) {
    using W = moe_ref::wide<T>;
    const W u = W(std::numeric_limits<T>::epsilon()) / 2;
    const auto x = host(b.x), router = host(b.router), logits = host(b.logits), w = host(b.w);
    const auto wg = host(b.wg), wu = host(b.wu), wd = host(b.wd), out = host(b.out);
    const auto ids = host(b.ids);
    moe_ref::tally t;
    std::vector<T> ref_logits(logits.size());
    std::vector<double> dl;
    reference_logits(x.data(), router.data(), ref_logits.data(), &dl);
    for (std::int64_t tok = 0; tok < s_.tokens; ++tok) {
      for (std::int64_t e = 0; e < s_.experts; ++e) {
        const auto i = static_cast<std::size_t>(tok * s_.experts + e);
        t.compare(W(logits[i]), W(ref_logits[i]),
                  W(dl[static_cast<std::size_t>(tok)]) + 2 * u * std::fabs(W(ref_logits[i])) +
                      W(std::numeric_limits<T>::min()),
                  fmt::format("logits[{},{}]", tok, e));
      }
    }
    moe_ref::check_routing<T>(t, s_, logits.data(), ids.data(), w.data());
    if (t.r.bad_elements > 0) {
      return t.done("router GEMM and routing in the wide type",
                    "routing wrong: output not compared");
    }
    const std::size_t ws = moe_ref::weight_stride<T>(s_);
    for (std::int64_t tok = 0; tok < s_.tokens; ++tok) {
      // Reference weights from the reference logits for the experts the kernel chose.
      const auto sc = moe_ref::scores<W>(s_, ref_logits.data() + tok * s_.experts);
      std::vector<std::int64_t> chosen(ids.begin() + tok * s_.top_k,
                                       ids.begin() + (tok + 1) * s_.top_k);
      const auto wref = moe_ref::weights_of(s_, sc, chosen.data());
      const W rel = W(s_.experts + 8) * u + 4 * W(dl[static_cast<std::size_t>(tok)]);
      std::vector<W> want(static_cast<std::size_t>(s_.hidden), 0), tol(want.size(), 0),
          mag(want.size(), 0);
      for (std::int64_t j = 0; j < s_.top_k; ++j) {
        const std::int64_t e = chosen[static_cast<std::size_t>(j)];
        const auto r = moe_ref::expert_row<T>(s_, x.data() + tok * s_.hidden, wg.data() + e * ws,
                                              wu.data() + e * ws, wd.data() + e * ws);
        const W wj = wref[static_cast<std::size_t>(j)];
        for (std::size_t c = 0; c < want.size(); ++c) {
          want[c] += wj * r.y[c];
          mag[c] += std::fabs(wj * r.y[c]);
          tol[c] += std::fabs(wj) * r.tol[c] + rel * std::fabs(wj) * std::fabs(r.y[c]);
        }
      }
      for (std::size_t c = 0; c < want.size(); ++c) {
        t.compare(W(out[static_cast<std::size_t>(tok * s_.hidden) + c]), want[c],
                  tol[c] + 2 * W(s_.top_k + 2) * u * mag[c] + W(std::numeric_limits<T>::min()),
                  fmt::format("out[{},{}]", tok, c));
      }
    }
    return t.done(
        fmt::format("router GEMM, routing and expert MLPs in {}", moe_ref::wide_name<T>()),
        "router dot-product bound; routing as moe_gating; output: propagated MLP, "
        "weight and 2(k+2)u combine bounds");
  }

  moe_shape s_;
  moe_detail::dev_shape d_;
  moe_launch_request req_;
  std::size_t copies_;
  std::vector<buffers> bufs_;
};

// Empty when the configuration can launch on Space, else why not.
template <class T, class Space>
std::string moe_limits(const moe_shape& s, const moe_launch_request& r) {
  const auto d = moe_detail::to_dev(s);
  std::string why;
  const bool all = r.stage == moe_stage::layer;
  if (r.stage == moe_stage::gating || all)
    why = moe_detail::gating_limits<T, Space>(d, r.configs.gating);
  if (why.empty() && (r.stage == moe_stage::permute || all))
    why = moe_detail::permute_limits<T, Space>(r.configs.permute);
  if (why.empty() && (r.stage == moe_stage::experts || all))
    why = detail::gemm_tiled_limits<T, Space>(r.configs.gemm);
  if (why.empty() && (r.stage == moe_stage::combine || all))
    why = moe_detail::combine_limits<T, Space>(r.configs.combine);
  return why;
}

namespace detail {

template <class T>
prepare_outcome prepare_moe(const moe_shape& s, const moe_launch_request& r,
                            const launch_context& ctx) {
  return with_exec_space(ctx.backend, [&](auto space) -> prepare_outcome {
    using Space = decltype(space);
    if (r.reference) {
      if constexpr (!moe_instance<T, Space>::host_accessible) {
        return {nullptr, "the reference runs on host backends only"};
      }
    } else {
      std::string why = moe_limits<T, Space>(s, r);
      if (!why.empty()) return {nullptr, std::move(why)};
    }
    return {std::make_unique<moe_instance<T, Space>>(s, r, ctx.copies), {}};
  });
}

}  // namespace detail
}  // namespace ridgeline::kernels
