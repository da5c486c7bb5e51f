#pragma once
// The whole MoE layer: tokens, router and expert weights in; router logits, routing and the
// layer's output out. It runs the router GEMM, then each stage's own launch on the layer's buffers
// (all of them); its check covers the router GEMM within its dot-product bound, the routing on the
// logits it produced (as moe_gating is checked), and the output against the oracle's layer over
// the same experts.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/moe/moe_combine_stage.hpp"
#include "kernels/moe/moe_experts_stage.hpp"
#include "kernels/moe/moe_gating_stage.hpp"
#include "kernels/moe/moe_permute_stage.hpp"

namespace ridgeline::kernels::moe_detail {

template <class T, class Space>
struct layer_stage {
  static constexpr unsigned holds = ~0u;

  // Nothing drawn on the host: the router GEMM makes the logits.
  static host_inputs<T> draw(const moe_shape&, std::uint64_t) { return {}; }

  static std::vector<instance_operand> operands(const stage_buffers<T, Space>& b) {
    using role = instance_operand::role;
    return {operand("x", b.x, role::input),
            operand("router", b.router, role::input),
            operand("w_gate", b.wg, role::input),
            operand("w_up", b.wu, role::input),
            operand("w_down", b.wd, role::input),
            operand("out", b.out, role::output),
            operand("logits", b.logits, role::output),
            operand("topk_ids", b.ids, role::output),
            operand("topk_weights", b.w, role::output)};
  }

  static void fill(const moe_shape& s, stage_buffers<T, Space>& b, const host_inputs<T>&,
                   std::uint64_t seed) {
    const std::int64_t E = s.experts, h = s.hidden;
    const bool hot = s.pattern == moe_routing_pattern::hot;
    fill_uniform<T, Space>(b.x.data(), s.tokens * h, seed + 1, 1.0, hot);
    if (s.pattern == moe_routing_pattern::tied) {
      Kokkos::deep_copy(b.router, T(0));  // every logit 0: all ties
    } else {
      fill_uniform<T, Space>(b.router.data(), h * E, seed + 2, 4 / std::sqrt(double(h)));
      if (hot) {
        // x > 0 and a column of ones: expert E-1's logit is sum(x) ~ h/2, far ahead.
        auto r = to_host(b.router);
        for (std::int64_t c = 0; c < h; ++c) r[static_cast<std::size_t>(c * E + E - 1)] = T(1);
        to_device(b.router, r);
      }
    }
    b.fill_expert_weights(s, seed);
  }

  static void poison(stage_buffers<T, Space>& b) {
    gating_stage<T, Space>::poison(b);
    permute_stage<T, Space>::poison(b);
    experts_stage<T, Space>::poison(b);
    combine_stage<T, Space>::poison(b);
  }

  static void launch(const stage_context& c, stage_buffers<T, Space>& b) {
    const dev_shape& d = c.d;
    detail::gemm_tiled<T, Space>(product<T>(d.tokens, d.experts, d.hidden, b.x.data(), d.hidden,
                                            b.router.data(), d.experts, b.logits.data(), d.experts),
                                 c.req.configs.gemm);
    gating_stage<T, Space>::launch(c, b);
    permute_stage<T, Space>::launch(c, b);
    experts_stage<T, Space>::launch(c, b);
    combine_stage<T, Space>::launch(c, b);
  }

  static void launch_reference(const moe_shape& s, stage_buffers<T, Space>& b) {
    reference_logits(s, b.x.data(), b.router.data(), b.logits.data(), nullptr);
    gating_stage<T, Space>::launch_reference(s, b);
    permute_stage<T, Space>::launch_reference(s, b);
    experts_stage<T, Space>::launch_reference(s, b);
    combine_stage<T, Space>::launch_reference(s, b);
  }

  // logits = x * router in the wide type (rounded to T), and per token the largest dot-product
  // bound 4 sqrt(h+2) u sum|x w| over the experts (null: not wanted).
  static void reference_logits(const moe_shape& s, const T* x, const T* router, T* logits,
                               std::vector<double>* bound) {
    using W = moe_ref::wide<T>;
    const W u = W(std::numeric_limits<T>::epsilon()) / 2;
    const W f = 4 * std::sqrt(W(s.hidden) + 2) * u;
    if (bound) bound->assign(static_cast<std::size_t>(s.tokens), 0.0);
    std::vector<W> acc(static_cast<std::size_t>(s.experts)), mag(acc.size());
    for (std::int64_t t = 0; t < s.tokens; ++t) {
      std::fill(acc.begin(), acc.end(), W(0));
      std::fill(mag.begin(), mag.end(), W(0));
      for (std::int64_t c = 0; c < s.hidden; ++c) {
        const W xv = W(x[t * s.hidden + c]);
        for (std::int64_t e = 0; e < s.experts; ++e) {
          const W p = xv * W(router[c * s.experts + e]);
          acc[static_cast<std::size_t>(e)] += p;
          mag[static_cast<std::size_t>(e)] += std::fabs(p);
        }
      }
      for (std::int64_t e = 0; e < s.experts; ++e) {
        logits[t * s.experts + e] = static_cast<T>(acc[static_cast<std::size_t>(e)]);
        if (bound) {
          auto& bt = (*bound)[static_cast<std::size_t>(t)];
          bt = std::max(bt, static_cast<double>(f * mag[static_cast<std::size_t>(e)]));
        }
      }
    }
  }

  // The output's bound is the one propagated through the MLP, weights and combine
  // (moe_reference.hpp).
  static profiler::check_result compare(const moe_shape& s, stage_buffers<T, Space>& b) {
    using W = moe_ref::wide<T>;
    const W u = W(std::numeric_limits<T>::epsilon()) / 2;
    const auto x = to_host(b.x), router = to_host(b.router), logits = to_host(b.logits);
    const auto w = to_host(b.w);
    const auto ids = to_host(b.ids);  // int32: one declarator per type (nvcc refuses a mix)
    const auto wg = to_host(b.wg), wu = to_host(b.wu), wd = to_host(b.wd);
    const auto out = to_host(b.out);
    moe_ref::tally t;
    std::vector<T> ref_logits(logits.size());
    std::vector<double> dl;
    reference_logits(s, x.data(), router.data(), ref_logits.data(), &dl);
    for (std::int64_t tok = 0; tok < s.tokens; ++tok) {
      for (std::int64_t e = 0; e < s.experts; ++e) {
        const auto i = static_cast<std::size_t>(tok * s.experts + e);
        t.compare(W(logits[i]), W(ref_logits[i]),
                  W(dl[static_cast<std::size_t>(tok)]) + 2 * u * std::fabs(W(ref_logits[i])) +
                      W(std::numeric_limits<T>::min()),
                  fmt::format("logits[{},{}]", tok, e));
      }
    }
    moe_ref::check_routing<T>(t, s, logits.data(), ids.data(), w.data());
    if (t.r.bad_elements > 0) {
      return t.done("router GEMM and routing in the wide type",
                    "routing wrong: output not compared");
    }
    const std::size_t ws = moe_ref::weight_stride<T>(s);
    for (std::int64_t tok = 0; tok < s.tokens; ++tok) {
      // Reference weights from the reference logits for the experts the kernel chose.
      const auto sc = moe_ref::scores<W>(s, ref_logits.data() + tok * s.experts);
      std::vector<std::int64_t> chosen(ids.begin() + tok * s.top_k,
                                       ids.begin() + (tok + 1) * s.top_k);
      const auto wref = moe_ref::weights_of(s, sc, chosen.data());
      const W rel = W(s.experts + 8) * u + 4 * W(dl[static_cast<std::size_t>(tok)]);
      std::vector<W> want(static_cast<std::size_t>(s.hidden), 0), tol(want.size(), 0),
          mag(want.size(), 0);
      for (std::int64_t j = 0; j < s.top_k; ++j) {
        const std::int64_t e = chosen[static_cast<std::size_t>(j)];
        const auto r = moe_ref::expert_row<T>(s, x.data() + tok * s.hidden, wg.data() + e * ws,
                                              wu.data() + e * ws, wd.data() + e * ws);
        const W wj = wref[static_cast<std::size_t>(j)];
        for (std::size_t c = 0; c < want.size(); ++c) {
          want[c] += wj * r.y[c];
          mag[c] += std::fabs(wj * r.y[c]);
          tol[c] += std::fabs(wj) * r.tol[c] + rel * std::fabs(wj) * std::fabs(r.y[c]);
        }
      }
      for (std::size_t c = 0; c < want.size(); ++c) {
        t.compare(W(out[static_cast<std::size_t>(tok * s.hidden) + c]), want[c],
                  tol[c] + 2 * W(s.top_k + 2) * u * mag[c] + W(std::numeric_limits<T>::min()),
                  fmt::format("out[{},{}]", tok, c));
      }
    }
    return t.done(
        fmt::format("router GEMM, routing and expert MLPs in {}", moe_ref::wide_name<T>()),
        "router dot-product bound; routing as moe_gating; output: propagated MLP, "
        "weight and 2(k+2)u combine bounds");
  }
};

}  // namespace ridgeline::kernels::moe_detail
