// exhaustive: every valid point once, in odometer order (last axis fastest, as Kernel Tuner's
// brute force). The only strategy whose result is the optimum by definition.
#include "tuner/space_enumeration.hpp"
#include "tuner/strategies/factories.hpp"
#include "tuner/strategies/visited.hpp"

namespace ridgeline::tuner::detail {

namespace {

class exhaustive_strategy final : public strategy {
 public:
  explicit exhaustive_strategy(const param_space& space) : space_(space), cursor_(space_) {}

  std::optional<config> propose() override {
    for (cursor_.skip_invalid(); !cursor_.done(); cursor_.advance(), cursor_.skip_invalid()) {
      config c = cursor_.point();
      if (visited_.contains(c)) continue;
      cursor_.advance();
      visited_.mark(c);
      return c;
    }
    return std::nullopt;
  }

  void observe(const evaluation& e) override { visited_.record(e); }

 private:
  const param_space& space_;
  odometer cursor_;
  visited visited_;
};

}  // namespace

strategy_info exhaustive_info() {
  return {"exhaustive", "Every valid configuration once, in axis order", {}};
}

std::unique_ptr<strategy> make_exhaustive(const param_space& space, const option_values&,
                                          std::uint64_t) {
  return std::make_unique<exhaustive_strategy>(space);
}

}  // namespace ridgeline::tuner::detail
