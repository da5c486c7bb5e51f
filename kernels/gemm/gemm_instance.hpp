#pragma once
// Buffers of one GEMM launch configuration on one execution space: `copies` rotated sets of A, B
// and C in the space's memory, random inputs, the poisoned-output check, and a launch function
// supplied by the variant (tiled Kokkos, OpenBLAS, cuBLAS/hipBLAS, reference).
// A and B are `In`, C the accumulator that Convert widens `In` to (rotated_buffer.hpp). With 16-bit
// inputs (bf16, f16; Convert from the vendor's own headers) the check widens the rounded inputs to
// f32 (exactly) and compares C with the f64 reference of those rounded inputs, under the
// f32-accumulation bound of gemm_reference.hpp: every product of two 8- or 11-bit significands is
// exact in f32, so only the accumulation rounds.
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "kernels/gemm/gemm_args.hpp"
#include "kernels/gemm/gemm_reference.hpp"
#include "kernels/instance_base.hpp"
#include "kernels/rotated_buffer.hpp"

namespace ridgeline::kernels {

template <class In, class Space, class Convert = exact_values<In>>
class gemm_instance final : public instance_base {
 public:
  using accumulator = decltype(Convert::widen(std::declval<In>()));
  using args_type = gemm_args<In, accumulator>;
  using launcher = std::function<void(const args_type&)>;
  static constexpr bool mixed = !std::is_same_v<In, accumulator>;

  // `input_name` ("bf16", "f16") names the rounded inputs in a mixed-precision check's report.
  gemm_instance(const gemm_shape& s, std::size_t copies, launcher launch,
                provenance_facts provenance = {}, std::string input_name = {})
      : instance_base(copies, std::move(provenance)),
        shape_(s),
        input_name_(std::move(input_name)),
        launch_(std::move(launch)),
        a_("ridgeline::gemm::A", copies, std::size_t(s.m) * std::size_t(s.k)),
        b_("ridgeline::gemm::B", copies, std::size_t(s.k) * std::size_t(s.n)),
        c_("ridgeline::gemm::C", copies, std::size_t(s.m) * std::size_t(s.n)) {}

  void launch(std::size_t copy) override { launch_(args(copy)); }

  // C is read only when beta != 0 (BLAS convention), so it is an input only then. A caller's
  // arrays are f32/f64, so 16-bit inputs are not callable on arrays.
  std::vector<instance_operand> operands() override {
    if constexpr (mixed) {
      return {};
    } else {
      using role = instance_operand::role;
      return {a_.operand("a", role::input), b_.operand("b", role::input),
              c_.operand("c", shape_.beta == 0 ? role::output : role::inout)};
    }
  }

  void fill_inputs(std::uint64_t seed) override {
    std::mt19937_64 rng(seed);
    a_.template fill_nonzero<Convert>(rng);
    b_.template fill_nonzero<Convert>(rng);
    c_.fill_nonzero(rng);  // C is an input too when beta != 0
  }

  profiler::check_result check() override {
    const auto host_a = a_.template widened<Convert>();
    const auto host_b = b_.template widened<Convert>();
    std::vector<accumulator> host_c0;
    if (shape_.beta == 0) {
      // BLAS semantics: C is not read when beta == 0. NaN poison proves it, and proves that
      // every element was written.
      c_.poison();
    } else {
      host_c0 = c_.host();
    }
    launch(0);
    fence();
    const auto host_c = c_.host();
    profiler::check_result r = compare_with_reference<accumulator>(
        shape_, host_a.data(), host_b.data(), host_c0.empty() ? nullptr : host_c0.data(),
        host_c.data());
    if constexpr (mixed) {
      r.reference = "naive GEMM in f64 of the " + input_name_ + "-rounded inputs";
      r.bound += " (f32 accumulation; " + input_name_ + " products are exact in f32)";
    }
    return r;
  }

 private:
  args_type args(std::size_t copy) const {
    args_type g;
    g.m = shape_.m;
    g.n = shape_.n;
    g.k = shape_.k;
    g.alpha = static_cast<accumulator>(shape_.alpha);
    g.beta = static_cast<accumulator>(shape_.beta);
    g.a = a_.copy(copy);
    g.lda = shape_.k;
    g.b = b_.copy(copy);
    g.ldb = shape_.n;
    g.c = c_.copy(copy);
    g.ldc = shape_.n;
    return g;
  }

  gemm_shape shape_;
  std::string input_name_;
  launcher launch_;
  rotated_buffer<In, Space> a_, b_;
  rotated_buffer<accumulator, Space> c_;
};

}  // namespace ridgeline::kernels
