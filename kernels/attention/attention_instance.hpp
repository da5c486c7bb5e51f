#pragma once
// Buffers of one attention launch configuration on one execution space: `copies` rotated sets of
// Q, K, V and O in the space's memory, random inputs, the poisoned-output check, and a launch
// function supplied by the variant (flash, unfused, reference).
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "kernels/attention/attention_args.hpp"
#include "kernels/attention/attention_reference.hpp"
#include "kernels/instance_base.hpp"
#include "kernels/rotated_buffer.hpp"

namespace ridgeline::kernels {

template <class T, class Space>
class attention_instance final : public instance_base {
 public:
  using launcher = std::function<void(const attention_args<T>&)>;

  attention_instance(const attention_shape& s, std::size_t copies, launcher launch,
                     provenance_facts provenance = {})
      : instance_base(copies, std::move(provenance)),
        shape_(s),
        launch_(std::move(launch)),
        q_("ridgeline::attn::Q", copies, static_cast<std::size_t>(s.q_elements())),
        k_("ridgeline::attn::K", copies, static_cast<std::size_t>(s.kv_elements())),
        v_("ridgeline::attn::V", copies, static_cast<std::size_t>(s.kv_elements())),
        o_("ridgeline::attn::O", copies, static_cast<std::size_t>(s.q_elements())) {}

  void launch(std::size_t copy) override { launch_(args(copy)); }

  std::vector<instance_operand> operands() override {
    using role = instance_operand::role;
    return {q_.operand("q", role::input), k_.operand("k", role::input),
            v_.operand("v", role::input), o_.operand("o", role::output)};
  }

  void fill_inputs(std::uint64_t seed) override {
    std::mt19937_64 rng(seed);
    q_.fill_nonzero(rng);
    k_.fill_nonzero(rng);
    v_.fill_nonzero(rng);
    // O is pure output; finite values so a timing launch never meets leftover NaN poison.
    o_.fill_all(T(0));
  }

  profiler::check_result check() override {
    const auto host_q = q_.host();
    const auto host_k = k_.host();
    const auto host_v = v_.host();
    // O is never read: NaN poison proves it, and proves that every element was written.
    o_.poison();
    launch(0);
    fence();
    const auto host_o = o_.host();
    attention_args<T> a;
    a.s = shape_;
    a.scale = scale();
    a.q = host_q.data();
    a.k = host_k.data();
    a.v = host_v.data();
    return compare_attention_with_reference<T>(a, host_o.data());
  }

  const attention_shape& shape() const { return shape_; }
  // The softmax scale every variant uses: 1/sqrt(d) rounded to T, unless a caller running the
  // kernel on its own arrays chose another (kernels/on_arrays.hpp); the check uses the same value.
  T scale() const {
    return static_cast<T>(scale_ ? *scale_ : 1.0 / std::sqrt(static_cast<double>(shape_.d)));
  }
  void set_scale(double scale) { scale_ = scale; }

 private:
  attention_args<T> args(std::size_t copy) const {
    attention_args<T> a;
    a.s = shape_;
    a.scale = scale();
    a.q = q_.copy(copy);
    a.k = k_.copy(copy);
    a.v = v_.copy(copy);
    a.o = o_.copy(copy);
    return a;
  }

  attention_shape shape_;
  std::optional<double> scale_;
  launcher launch_;
  rotated_buffer<T, Space> q_, k_, v_, o_;
};

}  // namespace ridgeline::kernels
