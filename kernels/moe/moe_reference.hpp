#pragma once
// The MoE oracle and the checks (host-only, plain C++: no Kokkos). Every stage is recomputed
// naively in a wider type (f32 -> f64, f64 -> long double): selection by sorting all candidates on
// (score descending, expert id ascending), a stable counting sort for the permutation, dot
// products for the expert MLPs. The checks compare a stage's outputs with it.
//
// Error bounds (u = unit roundoff of T; "4 sqrt(n+2) u sum|a b|" is the GEMM check's probabilistic
// dot-product bound, docs/design.md):
// - scores/weights: softmax sums E exponentials, so a weight is within (E + 8) u relative of the
//   reference; sigmoid and renormalisation are a few roundings. When the logits themselves are
//   computed (moe_layer's router GEMM) their bound dl adds 4 dl relative (d softmax / d logit and
//   d sigmoid / d logit are <= 1 relative; renormalisation at most doubles it).
// - selection: the chosen set must equal the reference's, except that an expert whose reference
//   score lies within the score tolerance of the k-th chosen score (or whose group score lies
//   within it of the last chosen group's) may be swapped — a rounding-level near-tie. Exact ties
//   (equal scores in the wider type) must go to the lower expert id: no tolerance there.
// - expert MLP: g = x Wg and u = x Wu carry the dot-product bound; SiLU(g) u adds
//   1.1 |u| dg + |SiLU(g)| du (|SiLU'| <= 1.0998) + 4 u |h| for its own roundings; the down
//   projection adds sum_i |Wd_i| dh_i + 4 sqrt(I+2) u sum_i |h_i Wd_i|.
// - combine: a k-term weighted sum, 2 (k+2) u sum_j |w_j y_j| (deterministic bound, doubled),
//   plus the propagated errors of w and y when they were computed (moe_layer).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <string>
#include <type_traits>
#include <vector>

#include "kernels/moe/moe_shape.hpp"
#include "profiler/measurement.hpp"

namespace ridgeline::kernels::moe_ref {

template <class T>
using wide = std::conditional_t<std::is_same<T, float>::value, double, long double>;

template <class T>
inline const char* wide_name() {
  return std::is_same<T, float>::value ? "f64" : "long double";
}

template <class W>
W silu(W z) {
  return z / (W(1) + std::exp(-z));
}

// Scores of one token's logits (length E), in W.
template <class W, class T>
std::vector<W> scores(const moe_shape& s, const T* logits) {
  const auto e_n = static_cast<std::size_t>(s.experts);
  std::vector<W> out(e_n);
  if (s.scoring == moe_scoring::sigmoid) {
    for (std::size_t e = 0; e < e_n; ++e) out[e] = W(1) / (W(1) + std::exp(-W(logits[e])));
    return out;
  }
  W mx = W(logits[0]);
  for (std::size_t e = 1; e < e_n; ++e) mx = std::max(mx, W(logits[e]));
  W sum = 0;
  for (std::size_t e = 0; e < e_n; ++e) sum += out[e] = std::exp(W(logits[e]) - mx);
  for (auto& v : out) v /= sum;
  return out;
}

// Group score (DeepSeek-V3, noaux_tc): the sum of the two highest scores of the group; the
// highest alone when a group has one expert.
template <class W>
std::vector<W> group_scores(const moe_shape& s, const std::vector<W>& sc) {
  const std::int64_t per = s.experts_per_group();
  std::vector<W> g(static_cast<std::size_t>(s.groups));
  for (std::int64_t q = 0; q < s.groups; ++q) {
    std::vector<W> v(sc.begin() + q * per, sc.begin() + (q + 1) * per);
    std::sort(v.begin(), v.end(), [](W a, W b) { return a > b; });
    g[static_cast<std::size_t>(q)] = per >= 2 ? v[0] + v[1] : v[0];
  }
  return g;
}

// Indices 0..n-1 ordered by (value descending, index ascending).
template <class W>
std::vector<std::int64_t> ranked(const std::vector<W>& v) {
  std::vector<std::int64_t> idx(v.size());
  std::iota(idx.begin(), idx.end(), 0);
  std::stable_sort(idx.begin(), idx.end(), [&](std::int64_t a, std::int64_t b) {
    return v[static_cast<std::size_t>(a)] > v[static_cast<std::size_t>(b)];
  });
  return idx;
}

template <class W>
struct selection {
  std::vector<std::int64_t> ids;  // k experts, best first
  std::vector<char> allowed;      // experts of the chosen groups
  std::vector<W> group_score;     // per group (empty when groups == 1)
  W kth_score = 0;                // score of the k-th chosen expert
  W next_score = -1;              // best allowed expert not chosen (-1: none; scores are >= 0)
  W last_group_score = 0;         // group score of the last chosen group
  W next_group_score = -1;        // best group not chosen (-1: none)
};

template <class W>
selection<W> select(const moe_shape& s, const std::vector<W>& sc) {
  selection<W> r;
  r.allowed.assign(static_cast<std::size_t>(s.experts), 1);
  if (s.groups > 1) {
    r.group_score = group_scores(s, sc);
    const auto order = ranked(r.group_score);
    std::fill(r.allowed.begin(), r.allowed.end(), 0);
    for (std::int64_t i = 0; i < s.topk_groups; ++i) {
      const std::int64_t q = order[static_cast<std::size_t>(i)];
      for (std::int64_t e = q * s.experts_per_group(); e < (q + 1) * s.experts_per_group(); ++e)
        r.allowed[static_cast<std::size_t>(e)] = 1;
      r.last_group_score = r.group_score[static_cast<std::size_t>(q)];
    }
    if (s.topk_groups < s.groups)
      r.next_group_score =
          r.group_score[static_cast<std::size_t>(order[static_cast<std::size_t>(s.topk_groups)])];
  }
  std::vector<W> masked(sc);
  for (std::size_t e = 0; e < masked.size(); ++e)
    if (!r.allowed[e]) masked[e] = -std::numeric_limits<W>::infinity();
  const auto order = ranked(masked);
  r.ids.assign(order.begin(), order.begin() + s.top_k);
  r.kth_score = sc[static_cast<std::size_t>(r.ids.back())];
  if (s.top_k < s.experts) {
    const auto next = static_cast<std::size_t>(order[static_cast<std::size_t>(s.top_k)]);
    if (r.allowed[next]) r.next_score = sc[next];
  }
  return r;
}

// Weights of the experts `ids` from scores: renormalised over them if asked, times routed_scale.
template <class W>
std::vector<W> weights_of(const moe_shape& s, const std::vector<W>& sc, const std::int64_t* ids) {
  std::vector<W> w(static_cast<std::size_t>(s.top_k));
  W sum = 0;
  for (std::int64_t j = 0; j < s.top_k; ++j) sum += w[j] = sc[static_cast<std::size_t>(ids[j])];
  for (auto& v : w) v = (s.renormalize ? v / sum : v) * W(s.routed_scale);
  return w;
}

// --- reference stages (also the `reference` variant's launches) ---------------------------------

template <class T>
void gating(const moe_shape& s, const T* logits, std::int32_t* ids, T* weights) {
  using W = wide<T>;
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    const auto sc = scores<W>(s, logits + t * s.experts);
    const auto sel = select(s, sc);
    const auto w = weights_of(s, sc, sel.ids.data());
    for (std::int64_t j = 0; j < s.top_k; ++j) {
      ids[t * s.top_k + j] = static_cast<std::int32_t>(sel.ids[static_cast<std::size_t>(j)]);
      weights[t * s.top_k + j] = static_cast<T>(w[static_cast<std::size_t>(j)]);
    }
  }
}

// Stable counting sort of the token slots by expert, segments padded to `block`. sorted_ids has
// max_padded_rows() entries (pads and the unused tail hold -1), offsets E+1, counts E.
inline void align(const moe_shape& s, const std::int32_t* ids, std::int32_t* sorted_ids,
                  std::int32_t* slot_pos, std::int32_t* offsets, std::int32_t* counts) {
  std::fill(counts, counts + s.experts, 0);
  for (std::int64_t i = 0; i < s.slots(); ++i) ++counts[ids[i]];
  offsets[0] = 0;
  for (std::int64_t e = 0; e < s.experts; ++e) {
    const std::int64_t padded = (counts[e] + s.block - 1) / s.block * s.block;
    offsets[e + 1] = static_cast<std::int32_t>(offsets[e] + padded);
  }
  std::fill(sorted_ids, sorted_ids + s.max_padded_rows(), -1);
  std::vector<std::int32_t> next(offsets, offsets + s.experts);
  for (std::int64_t i = 0; i < s.slots(); ++i) {
    const std::int32_t p = next[static_cast<std::size_t>(ids[i])]++;
    sorted_ids[p] = static_cast<std::int32_t>(i);
    slot_pos[i] = p;
  }
}

template <class T>
void gather(const moe_shape& s, const T* x, const std::int32_t* slot_pos, T* gathered) {
  for (std::int64_t i = 0; i < s.slots(); ++i) {
    const T* src = x + (i / s.top_k) * s.hidden;
    std::copy(src, src + s.hidden, gathered + std::int64_t(slot_pos[i]) * s.hidden);
  }
}

// One row of an expert MLP in W, with the per-element error bound (see the top of this file).
template <class T>
struct mlp_row {
  std::vector<wide<T>> y, tol;
};

template <class T>
mlp_row<T> expert_row(const moe_shape& s, const T* a, const T* wg, const T* wu, const T* wd) {
  using W = wide<T>;
  const W u = W(std::numeric_limits<T>::epsilon()) / 2;
  const auto h_n = static_cast<std::size_t>(s.hidden);
  const auto i_n = static_cast<std::size_t>(s.intermediate);
  std::vector<W> g(i_n, 0), up(i_n, 0), mg(i_n, 0), mu(i_n, 0);
  for (std::size_t c = 0; c < h_n; ++c) {
    const W av = W(a[c]);
    const T* rg = wg + c * i_n;
    const T* ru = wu + c * i_n;
    for (std::size_t i = 0; i < i_n; ++i) {
      g[i] += av * W(rg[i]);
      up[i] += av * W(ru[i]);
      mg[i] += std::fabs(av * W(rg[i]));
      mu[i] += std::fabs(av * W(ru[i]));
    }
  }
  const W fh = 4 * std::sqrt(W(s.hidden) + 2) * u;
  const W fi = 4 * std::sqrt(W(s.intermediate) + 2) * u;
  std::vector<W> hv(i_n), dh(i_n);
  for (std::size_t i = 0; i < i_n; ++i) {
    const W sg = silu(g[i]);
    hv[i] = sg * up[i];
    dh[i] = W(1.1) * std::fabs(up[i]) * fh * mg[i] + std::fabs(sg) * fh * mu[i] +
            4 * u * std::fabs(hv[i]);
  }
  mlp_row<T> r;
  r.y.assign(h_n, 0);
  r.tol.assign(h_n, 0);
  std::vector<W> mag(h_n, 0);
  for (std::size_t i = 0; i < i_n; ++i) {
    const T* rd = wd + i * h_n;
    for (std::size_t c = 0; c < h_n; ++c) {
      r.y[c] += hv[i] * W(rd[c]);
      mag[c] += std::fabs(hv[i] * W(rd[c]));
      r.tol[c] += std::fabs(W(rd[c])) * dh[i];
    }
  }
  for (std::size_t c = 0; c < h_n; ++c) r.tol[c] += fi * mag[c];
  return r;
}

template <class T>
std::size_t weight_stride(const moe_shape& s) {
  return static_cast<std::size_t>(s.hidden) * static_cast<std::size_t>(s.intermediate);
}

// f(p, e, row) for every row p of the expert-ordered buffer that is not a pad, e its expert and
// row the wide-type MLP of gathered row p through expert e's weights (expert_row).
template <class T, class F>
void for_each_expert_row(const moe_shape& s, const T* gathered, const std::int32_t* sorted_ids,
                         const std::int32_t* offsets, const T* wg, const T* wu, const T* wd,
                         F&& f) {
  const std::size_t ws = weight_stride<T>(s);
  for (std::int64_t e = 0; e < s.experts; ++e) {
    for (std::int32_t p = offsets[e]; p < offsets[e + 1]; ++p) {
      if (sorted_ids[p] < 0) continue;
      f(p, e,
        expert_row<T>(s, gathered + std::int64_t(p) * s.hidden, wg + e * ws, wu + e * ws,
                      wd + e * ws));
    }
  }
}

template <class T>
void experts(const moe_shape& s, const T* gathered, const std::int32_t* sorted_ids,
             const std::int32_t* offsets, const T* wg, const T* wu, const T* wd, T* y) {
  for_each_expert_row<T>(s, gathered, sorted_ids, offsets, wg, wu, wd,
                         [&](std::int32_t p, std::int64_t, const mlp_row<T>& r) {
                           for (std::int64_t c = 0; c < s.hidden; ++c) {
                             y[std::int64_t(p) * s.hidden + c] =
                                 static_cast<T>(r.y[static_cast<std::size_t>(c)]);
                           }
                         });
}

template <class T>
void combine(const moe_shape& s, const T* y, const std::int32_t* slot_pos, const T* weights,
             T* out) {
  using W = wide<T>;
  std::vector<W> acc(static_cast<std::size_t>(s.hidden));
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    std::fill(acc.begin(), acc.end(), W(0));
    for (std::int64_t j = 0; j < s.top_k; ++j) {
      const W w = W(weights[t * s.top_k + j]);
      const T* row = y + std::int64_t(slot_pos[t * s.top_k + j]) * s.hidden;
      for (std::int64_t c = 0; c < s.hidden; ++c) acc[static_cast<std::size_t>(c)] += w * W(row[c]);
    }
    for (std::int64_t c = 0; c < s.hidden; ++c)
      out[t * s.hidden + c] = static_cast<T>(acc[static_cast<std::size_t>(c)]);
  }
}

// --- checks ---------------------------------------------------------------------------------

// Counts bad elements, keeps the first message.
struct tally {
  profiler::check_result r;
  double max_ratio = 0;
  void element() { ++r.elements; }
  void bad(const std::string& what) {
    if (r.bad_elements == 0) r.first_bad = what;
    ++r.bad_elements;
  }
  template <class W>
  void compare(W got, W want, W tol, const std::string& where) {
    ++r.elements;
    const W err = std::fabs(got - want);
    if (std::isfinite(static_cast<double>(err))) {
      r.max_abs_error = std::max(r.max_abs_error, static_cast<double>(err));
      if (tol > 0) max_ratio = std::max(max_ratio, static_cast<double>(err / tol));
    } else {
      max_ratio = std::numeric_limits<double>::infinity();
    }
    if (!(err <= tol)) {
      bad(fmt::format("{} = {:.9g}, expected {:.9g} +- {:.3g}", where, static_cast<double>(got),
                      static_cast<double>(want), static_cast<double>(tol)));
    }
  }
  profiler::check_result done(std::string reference, std::string bound) {
    r.reference = std::move(reference);
    r.bound = std::move(bound);
    r.max_error_over_bound = max_ratio;
    r.passed = r.bad_elements == 0;
    return r;
  }
};

// Routing of every token: k distinct experts in range, the reference's top-k (near-ties aside,
// exact ties to the lower id), weights within tolerance. `logit_error` (per token, may be null) is
// the bound on computed logits (moe_layer).
template <class T>
void check_routing(tally& out, const moe_shape& s, const T* logits, const std::int32_t* ids,
                   const T* weights, const std::vector<double>* logit_error = nullptr) {
  using W = wide<T>;
  const W u = W(std::numeric_limits<T>::epsilon()) / 2;
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    const auto sc = scores<W>(s, logits + t * s.experts);
    const auto sel = select(s, sc);
    const W dl = logit_error ? W((*logit_error)[static_cast<std::size_t>(t)]) : W(0);
    const W rel = W(s.experts + 8) * u + 4 * dl;
    const std::int32_t* got = ids + t * s.top_k;
    std::vector<std::int64_t> chosen;
    bool ids_ok = true;
    for (std::int64_t j = 0; j < s.top_k; ++j) {
      out.element();
      const std::int32_t e = got[j];
      if (e < 0 || e >= s.experts) {
        out.bad(fmt::format("token {} slot {}: expert id {} out of range", t, j, e));
        ids_ok = false;
      } else if (std::find(chosen.begin(), chosen.end(), e) != chosen.end()) {
        out.bad(fmt::format("token {} slot {}: expert {} chosen twice", t, j, e));
        ids_ok = false;
      } else {
        chosen.push_back(e);
      }
    }
    if (!ids_ok) continue;
    // Every chosen expert not in the reference set (and vice versa) must be explained by a
    // near-tie at the boundary: the k-th and the next allowed score (or the last chosen and the
    // next group score) differ, by no more than the tolerance, and the expert sits at it. An exact
    // tie at the boundary explains nothing: it must go to the lower id.
    const W K = sel.kth_score, K1 = sel.next_score;
    const bool expert_boundary_close = K1 >= 0 && K != K1 && K - K1 <= rel * K;
    const W L = sel.last_group_score, L1 = sel.next_group_score;
    const bool group_boundary_close = s.groups > 1 && L1 >= 0 && L != L1 && L - L1 <= 2 * rel * L;
    auto near_tie = [&](std::int64_t e) {
      const W se = sc[static_cast<std::size_t>(e)];
      if (expert_boundary_close && std::fabs(se - K) <= rel * K) return true;
      if (group_boundary_close) {
        const W gs = sel.group_score[static_cast<std::size_t>(e / s.experts_per_group())];
        if (std::fabs(gs - L) <= 2 * rel * L) return true;
      }
      return false;
    };
    for (std::int64_t e : chosen) {
      if (std::find(sel.ids.begin(), sel.ids.end(), e) == sel.ids.end() && !near_tie(e)) {
        out.bad(fmt::format("token {}: expert {} (score {:.9g}) chosen, reference top-{} is [{}]",
                            t, e, static_cast<double>(sc[static_cast<std::size_t>(e)]), s.top_k,
                            fmt::join(sel.ids, ",")));
      }
    }
    for (std::int64_t e : sel.ids) {
      if (std::find(chosen.begin(), chosen.end(), e) == chosen.end() && !near_tie(e)) {
        out.bad(fmt::format("token {}: expert {} (score {:.9g}) of the reference top-{} missing", t,
                            e, static_cast<double>(sc[static_cast<std::size_t>(e)]), s.top_k));
      }
    }
    const auto w = weights_of(s, sc, chosen.data());
    for (std::int64_t j = 0; j < s.top_k; ++j) {
      const W want = w[static_cast<std::size_t>(j)];
      out.compare(W(weights[t * s.top_k + j]), want,
                  rel * std::fabs(want) + W(std::numeric_limits<T>::min()),
                  fmt::format("weight[{},{}]", t, j));
    }
  }
}

template <class T>
profiler::check_result check_gating(const moe_shape& s, const T* logits, const std::int32_t* ids,
                                    const T* weights) {
  tally out;
  check_routing(out, s, logits, ids, weights);
  return out.done(
      fmt::format("naive top-k over scores in {} (sort by score, then id)", wide_name<T>()),
      "k distinct in-range experts = reference top-k (exact ties to the lower id, "
      "rounding-level near-ties aside); weights within (E+8)u relative");
}

// Alignment and permutation: per-expert counts, padded offsets, sorted_ids a bijection onto the
// slots with every slot in its expert's segment, pads = -1, slot_pos its inverse, and every
// gathered row a bit-exact copy of its token's row.
template <class T>
profiler::check_result check_permute(const moe_shape& s, const std::int32_t* ids, const T* x,
                                     const std::int32_t* sorted_ids, const std::int32_t* slot_pos,
                                     const std::int32_t* offsets, const std::int32_t* counts,
                                     const T* gathered) {
  tally out;
  std::vector<std::int32_t> want_counts(static_cast<std::size_t>(s.experts), 0);
  for (std::int64_t i = 0; i < s.slots(); ++i) ++want_counts[static_cast<std::size_t>(ids[i])];
  out.element();
  if (offsets[0] != 0) out.bad(fmt::format("offsets[0] = {}, expected 0", offsets[0]));
  for (std::int64_t e = 0; e < s.experts; ++e) {
    out.element();
    const std::int32_t c = want_counts[static_cast<std::size_t>(e)];
    const std::int64_t padded = (c + s.block - 1) / s.block * s.block;
    if (counts[e] != c) out.bad(fmt::format("counts[{}] = {}, expected {}", e, counts[e], c));
    if (offsets[e + 1] - offsets[e] != padded) {
      out.bad(fmt::format("segment of expert {} has {} rows, expected {} ({} tokens padded to {})",
                          e, offsets[e + 1] - offsets[e], padded, c, s.block));
    }
  }
  const std::int64_t total = offsets[s.experts];
  if (total < 0 || total > s.max_padded_rows()) {
    out.bad(fmt::format("offsets[E] = {} outside [0, {}]", total, s.max_padded_rows()));
    return out.done("stable counting sort", "exact");
  }
  std::vector<char> seen(static_cast<std::size_t>(s.slots()), 0);
  for (std::int64_t e = 0; e < s.experts; ++e) {
    for (std::int32_t p = offsets[e]; p < offsets[e + 1]; ++p) {
      out.element();
      const std::int32_t slot = sorted_ids[p];
      const bool pad = p - offsets[e] >= want_counts[static_cast<std::size_t>(e)];
      if (pad) {
        if (slot != -1) out.bad(fmt::format("sorted_ids[{}] = {}, expected pad -1", p, slot));
        continue;
      }
      if (slot < 0 || slot >= s.slots()) {
        out.bad(fmt::format("sorted_ids[{}] = {}: not a token slot", p, slot));
        continue;
      }
      if (seen[static_cast<std::size_t>(slot)]++) {
        out.bad(fmt::format("slot {} appears twice (again at row {})", slot, p));
        continue;
      }
      if (ids[slot] != e) {
        out.bad(fmt::format("row {} in the segment of expert {} holds slot {} of expert {}", p, e,
                            slot, ids[slot]));
      }
      if (slot_pos[slot] != p) {
        out.bad(fmt::format("slot_pos[{}] = {}, expected {}", slot, slot_pos[slot], p));
      }
      const T* want = x + (slot / s.top_k) * s.hidden;
      const T* got = gathered + std::int64_t(p) * s.hidden;
      for (std::int64_t c = 0; c < s.hidden; ++c) {
        if (!(got[c] == want[c])) {
          out.bad(fmt::format("gathered[{},{}] = {}, expected x[{},{}] = {}", p, c, got[c],
                              slot / s.top_k, c, want[c]));
          break;
        }
      }
    }
  }
  for (std::int64_t i = 0; i < s.slots(); ++i) {
    if (!seen[static_cast<std::size_t>(i)]) out.bad(fmt::format("slot {} missing", i));
  }
  return out.done("stable counting sort by expert (host)",
                  "exact: counts, padded offsets, bijection onto slots, bit-exact rows");
}

template <class T>
profiler::check_result check_experts(const moe_shape& s, const T* gathered,
                                     const std::int32_t* sorted_ids, const std::int32_t* offsets,
                                     const T* wg, const T* wu, const T* wd, const T* y) {
  using W = wide<T>;
  tally out;
  for_each_expert_row<T>(s, gathered, sorted_ids, offsets, wg, wu, wd,
                         [&](std::int32_t p, std::int64_t e, const mlp_row<T>& r) {
                           for (std::int64_t c = 0; c < s.hidden; ++c) {
                             const auto ci = static_cast<std::size_t>(c);
                             out.compare(W(y[std::int64_t(p) * s.hidden + c]), r.y[ci],
                                         r.tol[ci] + W(std::numeric_limits<T>::min()),
                                         fmt::format("y[{},{}] (expert {})", p, c, e));
                           }
                         });
  return out.done(fmt::format("per-row expert MLP in {}", wide_name<T>()),
                  "dot-product bounds of gate/up, SiLU*mul, down (moe_reference.hpp)");
}

template <class T>
profiler::check_result check_combine(const moe_shape& s, const T* y, const std::int32_t* slot_pos,
                                     const T* weights, const T* out_rows) {
  using W = wide<T>;
  const W u = W(std::numeric_limits<T>::epsilon()) / 2;
  tally out;
  for (std::int64_t t = 0; t < s.tokens; ++t) {
    for (std::int64_t c = 0; c < s.hidden; ++c) {
      W want = 0, mag = 0;
      for (std::int64_t j = 0; j < s.top_k; ++j) {
        const W term = W(weights[t * s.top_k + j]) *
                       W(y[std::int64_t(slot_pos[t * s.top_k + j]) * s.hidden + c]);
        want += term;
        mag += std::fabs(term);
      }
      out.compare(W(out_rows[t * s.hidden + c]), want,
                  2 * W(s.top_k + 2) * u * mag + W(std::numeric_limits<T>::min()),
                  fmt::format("out[{},{}]", t, c));
    }
  }
  return out.done(fmt::format("weighted sum in {}", wide_name<T>()), "2(k+2)u sum|w y|");
}

}  // namespace ridgeline::kernels::moe_ref
