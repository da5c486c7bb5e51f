#include "tuner/strategy.hpp"

namespace ridgeline::tuner {

const char* to_string(eval_status s) {
  switch (s) {
    case eval_status::ok:
      return "ok";
    case eval_status::invalid:
      return "invalid";
    case eval_status::failed:
      return "failed";
    case eval_status::wrong_result:
      return "wrong_result";
    case eval_status::cut:
      return "cut";
  }
  return "?";
}

}  // namespace ridgeline::tuner
