// The `unfused` attention variant: the three-step baseline every framework falls back to —
// S = Q Kᵀ·scale for all heads, a masked row softmax over S, O = P V — with the whole score
// matrix [batch, hq, sq, skv] materialised in memory between the steps. The products are
// OpenBLAS cblas_?gemm calls on host backends (one per batch and KV head: the hq/hkv query heads
// of a GQA group are contiguous rows of Q, so each product is one GEMM with M = group * sq);
// without OpenBLAS, and on device backends, they are plain Kokkos loops (one dot product per
// element; not the tuned GEMM) and the provenance says so. The causal mask is applied in the
// softmax, after the full QKᵀ, as unfused implementations do. Refused, before allocating, when
// the score matrix does not fit in memory.
#include <fmt/format.h>

#include <climits>
#include <memory>

#include "kernels/attention/attention_instance.hpp"
#include "kernels/attention/attention_math.hpp"
#include "kernels/attention/attention_variants.hpp"
#include "kernels/backend_dispatch.hpp"
#include "profiler/cpu_info.hpp"

#ifdef RIDGELINE_HAVE_OPENBLAS
#include <cblas.h>

#include "kernels/openblas_threads.hpp"
#endif

namespace ridgeline::kernels {

namespace {

// Softmax of each score row in place, keys the row may not see set to 0 (all of them for a row
// that sees no key, so its output is 0 as the other variants define it).
template <class T>
struct softmax_rows {
  T* s;
  std::int64_t sq, skv, shift;  // shift = skv - sq when causal (query i sees j <= i + shift)
  bool causal;

  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t row) const {
    const std::int64_t i = row % sq;
    const std::int64_t last = causal ? i + shift : skv - 1;
    const std::int64_t n = last < 0 ? 0 : (last + 1 < skv ? last + 1 : skv);
    T* r = s + row * skv;
    T m = Kokkos::reduction_identity<T>::max();
    RIDGELINE_SIMD_REDUCE(max, m)
    for (std::int64_t j = 0; j < n; ++j) m = r[j] > m ? r[j] : m;
    T sum = 0;
    RIDGELINE_SIMD_REDUCE(+, sum)
    for (std::int64_t j = 0; j < n; ++j) {
      const T p = detail::softmax_exp(r[j] - m);
      r[j] = p;
      sum += p;
    }
    const T inv = n > 0 ? T(1) / sum : T(0);
    RIDGELINE_SIMD
    for (std::int64_t j = 0; j < n; ++j) r[j] *= inv;
    for (std::int64_t j = n; j < skv; ++j) r[j] = T(0);
  }
};

// Portable products (no BLAS): one score / one output element per work item.
template <class T>
struct scores_loop {
  T* s;
  const T *q, *k;
  T scale;
  std::int64_t skv, group_rows;
  int d;
  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t e) const {
    const std::int64_t row = e / skv, j = e - row * skv;
    const T* qr = q + row * d;
    const T* kr = k + ((row / group_rows) * skv + j) * d;
    T dot = 0;
    for (int c = 0; c < d; ++c) dot += qr[c] * kr[c];
    s[e] = scale * dot;
  }
};

template <class T>
struct pv_loop {
  T* o;
  const T *s, *v;
  std::int64_t skv, group_rows;
  int d;
  KOKKOS_INLINE_FUNCTION void operator()(const std::int64_t e) const {
    const std::int64_t row = e / d, c = e - row * d;
    const T* sr = s + row * skv;
    const T* vc = v + (row / group_rows) * skv * d + c;
    T acc = 0;
    for (std::int64_t j = 0; j < skv; ++j) acc += sr[j] * vc[j * d];
    o[e] = acc;
  }
};

#ifdef RIDGELINE_HAVE_OPENBLAS
void blas_gemm(bool trans_b, int m, int n, int k, float alpha, const float* a, int lda,
               const float* b, int ldb, float* c, int ldc) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a,
              lda, b, ldb, 0.0f, c, ldc);
}
void blas_gemm(bool trans_b, int m, int n, int k, double alpha, const double* a, int lda,
               const double* b, int ldb, double* c, int ldc) {
  cblas_dgemm(CblasRowMajor, CblasNoTrans, trans_b ? CblasTrans : CblasNoTrans, m, n, k, alpha, a,
              lda, b, ldb, 0.0, c, ldc);
}

#endif

template <class T>
prepare_outcome prepare_for(const attention_shape& s, const launch_context& ctx) {
  return with_exec_space(ctx.backend, [&](auto space) -> prepare_outcome {
    using Space = decltype(space);
    using view = Kokkos::View<T*, typename Space::memory_space>;
    const std::int64_t group_rows = std::int64_t(s.group()) * s.sq;
    const double score_bytes = double(s.rows()) * double(s.skv) * sizeof(T);
    const double io_bytes = double(ctx.copies) *
                            (2.0 * double(s.q_elements()) + 2.0 * double(s.kv_elements())) *
                            sizeof(T);
    const double available = double(profiler::memory_available_bytes());
    if (available > 0 && score_bytes > 0.9 * available - io_bytes) {
      return {nullptr,
              fmt::format("the score matrix needs {:.2f} GiB ({} x {} scores per query head), "
                          "more than the {:.2f} GiB available next to the inputs",
                          score_bytes / (1 << 30), s.sq, s.skv, available / (1 << 30))};
    }
    std::vector<std::pair<std::string, std::string>> prov;
    constexpr bool host =
        Kokkos::SpaceAccessibility<Kokkos::HostSpace, typename Space::memory_space>::accessible;
    bool use_blas = false;
    (void)host;
#ifdef RIDGELINE_HAVE_OPENBLAS
    use_blas = host && group_rows <= INT_MAX && s.skv <= INT_MAX;
    if (use_blas) {
      prov.emplace_back("unfused_products", "OpenBLAS cblas_?gemm");
      for (auto& fact : use_openblas_threads(space.concurrency())) prov.push_back(std::move(fact));
    }
#endif
    if (!use_blas) {
      prov.emplace_back("unfused_products",
                        "simple Kokkos loops (one dot product per element; no BLAS on this "
                        "backend/build)");
    }
    view scores;
    try {
      scores = view(Kokkos::ViewAllocateWithoutInitializing("ridgeline::attn::scores"),
                    static_cast<std::size_t>(s.rows()) * static_cast<std::size_t>(s.skv));
    } catch (const std::exception& e) {
      return {nullptr, std::string("the score matrix could not be allocated: ") + e.what()};
    }
    using range = Kokkos::RangePolicy<Space, Kokkos::IndexType<std::int64_t>>;
    auto launch = [scores, use_blas, group_rows](const attention_args<T>& a) {
      const attention_shape& sh = a.s;
      const std::int64_t groups = std::int64_t(sh.batch) * sh.hkv;
      T* sp = scores.data();
      if (use_blas) {
#ifdef RIDGELINE_HAVE_OPENBLAS
        if constexpr (host) {
          for (std::int64_t g = 0; g < groups; ++g) {
            blas_gemm(true, int(group_rows), sh.skv, sh.d, a.scale, a.q + g * group_rows * sh.d,
                      sh.d, a.k + g * sh.skv * sh.d, sh.d, sp + g * group_rows * sh.skv, sh.skv);
          }
        }
#endif
      } else {
        Kokkos::parallel_for("ridgeline::attention::unfused_scores", range(0, sh.rows() * sh.skv),
                             scores_loop<T>{sp, a.q, a.k, a.scale, sh.skv, group_rows, sh.d});
      }
      Kokkos::parallel_for(
          "ridgeline::attention::unfused_softmax", range(0, sh.rows()),
          softmax_rows<T>{sp, sh.sq, sh.skv, std::int64_t(sh.skv) - sh.sq, sh.causal});
      if (use_blas) {
#ifdef RIDGELINE_HAVE_OPENBLAS
        if constexpr (host) {
          Kokkos::fence();
          for (std::int64_t g = 0; g < groups; ++g) {
            blas_gemm(false, int(group_rows), sh.d, sh.skv, T(1), sp + g * group_rows * sh.skv,
                      sh.skv, a.v + g * sh.skv * sh.d, sh.d, a.o + g * group_rows * sh.d, sh.d);
          }
        }
#endif
      } else {
        Kokkos::parallel_for("ridgeline::attention::unfused_pv", range(0, sh.rows() * sh.d),
                             pv_loop<T>{a.o, sp, a.v, sh.skv, group_rows, sh.d});
      }
    };
    return {std::make_unique<attention_instance<T, Space>>(s, ctx.copies, launch, std::move(prov)),
            {}};
  });
}

}  // namespace

prepare_outcome prepare_attention_unfused(const attention_shape& s, dtype t,
                                          const launch_context& ctx) {
  return t == dtype::f32 ? prepare_for<float>(s, ctx) : prepare_for<double>(s, ctx);
}

}  // namespace ridgeline::kernels
