#include "service/wisdom_lookup.hpp"

#include <fmt/format.h>

#include "core/error.hpp"
#include "kernels/kernel.hpp"
#include "service/software_identity.hpp"

namespace ridgeline::service {

wisdom_result best_known_config(const kernels::runtime& rt, storage::database& db,
                                const storage::device_identity& device, const wisdom_request& req) {
  const kernels::kernel& k = *req.what.k;
  const kernels::variant* v = req.what.v;
  const kernels::dtype t = req.what.type;
  const kernels::problem& p = req.what.values;
  const std::string& backend = req.backend;

  profiler::measurement probe;
  probe.problem = p;
  storage::wisdom_query q;
  q.device = device;
  q.problem_text = probe.problem_text();
  for (const auto& f : p) q.problem[f.name] = f.value;
  wisdom_result out;
  out.software_key = software_key(current_software(rt, backend));
  q.software_key = out.software_key;
  out.variant = v->name();
  out.answer = storage::choose_wisdom(db.tuned_results(k.name(), v->name(), to_string(t)), q);
  if (out.answer.from) {
    // The stored parameters through the space's own parser: a configuration the current build's
    // space no longer accepts (an axis renamed or narrowed) falls back to the default, saying so.
    key_value_list stored(out.answer.from->best.params.begin(), out.answer.from->best.params.end());
    try {
      out.config = v->space().with_overrides(v->default_config(backend, t), stored, "wisdom");
      if (const auto why = v->space().violation(out.config)) throw usage_error(*why);
    } catch (const usage_error& e) {
      out.answer.explanation += fmt::format(
          "; its configuration is not valid in this build ({}): the kernel's default instead",
          e.what());
      out.answer.level = storage::wisdom_level::kernel_default;
      out.answer.from.reset();
      out.config = v->default_config(backend, t);
    }
  } else {
    out.config = v->default_config(backend, t);
  }
  out.params_text = v->space().format(out.config);
  return out;
}

}  // namespace ridgeline::service
