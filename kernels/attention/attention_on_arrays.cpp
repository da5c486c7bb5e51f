// Attention on a caller's arrays (on_arrays.hpp): the problem from the shape, q, k, v in, o out,
// and the caller's softmax scale set on the prepared instance (every attention variant launches
// through attention_instance, whose scale the launch and its check both read).
#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

#include "core/error.hpp"
#include "kernels/attention/attention_instance.hpp"
#include "kernels/backend_dispatch.hpp"
#include "kernels/on_arrays.hpp"

namespace ridgeline::kernels {

namespace {

void set_scale(kernel_instance& inst, const std::string& backend, double scale) {
  with_exec_space(backend, [&](auto space) {
    using Space = decltype(space);
    if (auto* f = dynamic_cast<attention_instance<float, Space>*>(&inst)) {
      f->set_scale(scale);
    } else if (auto* d = dynamic_cast<attention_instance<double, Space>*>(&inst)) {
      d->set_scale(scale);
    } else {
      throw std::logic_error("attention variant without an attention_instance: scale not settable");
    }
  });
}

}  // namespace

array_result attention_on_arrays(const runtime& rt, dtype t, const attention_shape& s,
                                 std::optional<double> scale, const void* q, const void* k,
                                 const void* v, void* o, const array_call& call) {
  const std::size_t e = size_of(t);
  const auto nq = static_cast<std::size_t>(s.q_elements()) * e;
  const auto nkv = static_cast<std::size_t>(s.kv_elements()) * e;
  array_request r;
  r.kernel = "attention";
  r.type = t;
  r.problem = {{"batch", double(s.batch)},      {"hq", double(s.hq)},
               {"hkv", double(s.hkv)},          {"sq", double(s.sq)},
               {"skv", double(s.skv)},          {"d", double(s.d)},
               {"causal", s.causal ? 1.0 : 0.0}};
  r.call = call;
  r.arrays = {
      {"q", q, nullptr, nq}, {"k", k, nullptr, nkv}, {"v", v, nullptr, nkv}, {"o", nullptr, o, nq}};
  if (scale) {
    const double value = *scale;
    if (!std::isfinite(value)) {
      throw usage_error(fmt::format("scale: must be a finite number (got {})", value));
    }
    r.configure = [value](kernel_instance& inst, const std::string& backend) {
      set_scale(inst, backend, value);
    };
  }
  return run_on_arrays(rt, r);
}

}  // namespace ridgeline::kernels
