#pragma once
// Counting, walking and indexing the points of a param_space without materialising them: a GEMM
// space has millions of Cartesian points of which a few percent pass the constraints.
#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "tuner/param_space.hpp"

namespace ridgeline::tuner {

// Product of the axis sizes; saturates at UINT64_MAX (an empty space has one point: {}).
std::uint64_t cartesian_size(const param_space& space);

// A position in the Cartesian product as one index per axis (into axis::values()), advanced like
// an odometer with the LAST axis fastest — the order of Python's itertools.product, so an
// exhaustive walk visits points in the order Kernel Tuner would.
class odometer {
 public:
  explicit odometer(const param_space& space);
  bool done() const { return done_; }
  void advance();
  // Moves to the first position at or after the current one whose point passes the space's
  // constraints; done() when there is none.
  void skip_invalid();
  config point() const;
  const std::vector<std::size_t>& positions() const { return positions_; }

 private:
  const param_space* space_;
  std::vector<std::size_t> positions_;
  bool done_ = false;
};

// Calls visit for every point (for_each_point) or every valid point (for_each_valid) in odometer
// order; visit returns false to stop early.
void for_each_point(const param_space& space, const std::function<bool(const config&)>& visit);
void for_each_valid(const param_space& space, const std::function<bool(const config&)>& visit);

// Number of valid points, streaming; stops counting at `limit` when given (a cheap "at least").
std::uint64_t count_valid(const param_space& space,
                          std::optional<std::uint64_t> limit = std::nullopt);

// Mixed-radix index of a config (last axis the least significant digit): a stable integer key
// for a point, e.g. for hash sets. Nothing when a value is missing or off its axis, or when the
// Cartesian size does not fit 64 bits.
std::optional<std::uint64_t> config_index(const param_space& space, const config& c);
// Inverse of config_index(); index must be < cartesian_size().
config config_at(const param_space& space, std::uint64_t index);

// Position of each axis value of c (index into axis::values()), or nothing when off-axis.
std::optional<std::vector<std::size_t>> axis_positions(const param_space& space, const config& c);
config config_from_positions(const param_space& space, const std::vector<std::size_t>& positions);

}  // namespace ridgeline::tuner
