#include "tuner/replay/recorded_space.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/error.hpp"
#include "tuner/space_enumeration.hpp"

namespace ridgeline::tuner::replay {

namespace {

bool is_integer(const nlohmann::json& v) {
  return v.is_number_integer();
}

// Text of a non-integer value: strings as they are, other scalars as JSON.
std::string label_of(const nlohmann::json& v) {
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// Mixed-radix index over axes (the same numbering as config_index()); nothing when off-axis.
std::optional<std::uint64_t> index_over(const std::vector<axis>& axes, const config& c) {
  std::uint64_t index = 0;
  for (const auto& a : axes) {
    const auto it = c.find(a.name());
    if (it == c.end()) return std::nullopt;
    const auto& v = a.values();
    const auto at = std::lower_bound(v.begin(), v.end(), it->second);
    if (at == v.end() || *at != it->second) return std::nullopt;
    index = index * v.size() + static_cast<std::uint64_t>(at - v.begin());
  }
  return index;
}

}  // namespace

std::vector<double> recorded_space::valid_times_s() const {
  std::vector<double> t;
  for (const auto& [index, o] : *outcomes) {
    if (o.ok) t.push_back(o.time_s);
  }
  std::sort(t.begin(), t.end());
  return t;
}

evaluation recorded_space::evaluate(const config& c) const {
  evaluation e;
  e.cfg = c;
  const auto index = config_index(space, c);
  const auto it = index ? outcomes->find(*index) : outcomes->end();
  if (it == outcomes->end()) {
    e.status = eval_status::invalid;
    e.reason = "not in the recorded space";
  } else if (it->second.ok) {
    e.status = eval_status::ok;
    e.time_s = it->second.time_s;
  } else {
    e.status = eval_status::failed;
    e.reason = it->second.reason;
  }
  return e;
}

void recorded_space_builder::add(const std::vector<std::pair<std::string, nlohmann::json>>& params,
                                 recorded_outcome outcome, const std::string& where) {
  for (const auto& [name, value] : params) {
    if (!value.is_primitive() || value.is_null()) {
      throw usage_error(
          fmt::format("{}: {}: parameter '{}' is not a number or a string", path_, where, name));
    }
  }
  if (outcome.ok && !(std::isfinite(outcome.time_s) && outcome.time_s > 0)) {
    throw usage_error(fmt::format("{}: {}: time must be a positive number", path_, where));
  }
  records_.emplace_back(params, std::move(outcome));
  where_.push_back(where);
}

recorded_space recorded_space_builder::build(std::string format, std::string device,
                                             std::string kernel) && {
  if (records_.empty()) throw usage_error(fmt::format("{}: no configurations in the file", path_));
  std::vector<std::string> names = order_;
  for (const auto& [params, outcome] : records_) {
    for (const auto& [name, value] : params) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }
  // Values per parameter, and whether they are all integers.
  std::vector<std::vector<nlohmann::json>> values(names.size());
  for (std::size_t r = 0; r < records_.size(); ++r) {
    const auto& params = records_[r].first;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto it = std::find_if(params.begin(), params.end(),
                                   [&](const auto& p) { return p.first == names[i]; });
      if (it == params.end()) {
        throw usage_error(
            fmt::format("{}: {}: parameter '{}' is missing", path_, where_[r], names[i]));
      }
      values[i].push_back(it->second);
    }
  }
  std::vector<axis> axes;
  std::vector<std::map<std::string, std::int64_t>> label_index(names.size());
  std::vector<bool> integral(names.size());
  for (std::size_t i = 0; i < names.size(); ++i) {
    integral[i] = std::all_of(values[i].begin(), values[i].end(), is_integer);
    if (integral[i]) {
      std::set<std::int64_t> distinct;
      for (const auto& v : values[i]) distinct.insert(v.get<std::int64_t>());
      axes.push_back(axis::list(names[i], {distinct.begin(), distinct.end()}, "recorded"));
      continue;
    }
    // Numbers order by value (so neighbouring labels are neighbouring values), text by text.
    std::vector<nlohmann::json> distinct;
    for (const auto& v : values[i]) {
      if (std::find(distinct.begin(), distinct.end(), v) == distinct.end()) distinct.push_back(v);
    }
    std::sort(distinct.begin(), distinct.end(),
              [](const nlohmann::json& a, const nlohmann::json& b) {
                if (a.is_number() && b.is_number()) return a.get<double>() < b.get<double>();
                if (a.is_number() != b.is_number()) return a.is_number();
                return label_of(a) < label_of(b);
              });
    std::vector<std::string> labels;
    for (const auto& v : distinct) {
      const std::string l = label_of(v);
      if (label_index[i].count(l) != 0) continue;  // 1 and "1" would collide: keep one
      label_index[i][l] = static_cast<std::int64_t>(labels.size());
      labels.push_back(l);
    }
    axes.push_back(axis::categorical(names[i], labels, "recorded"));
  }
  {
    std::uint64_t size = 1;
    for (const auto& a : axes) {
      if (size > std::numeric_limits<std::uint64_t>::max() / a.values().size()) {
        throw usage_error(fmt::format("{}: too many parameter values to index", path_));
      }
      size *= a.values().size();
    }
  }

  auto outcomes = std::make_shared<std::unordered_map<std::uint64_t, recorded_outcome>>();
  std::optional<config> first;
  for (std::size_t r = 0; r < records_.size(); ++r) {
    config c;
    for (std::size_t i = 0; i < names.size(); ++i) {
      const auto& v = values[i][r];
      c[names[i]] = integral[i] ? v.get<std::int64_t>() : label_index[i].at(label_of(v));
    }
    const std::uint64_t index = *index_over(axes, c);
    auto& outcome = records_[r].second;
    const auto [it, fresh] = outcomes->emplace(index, outcome);
    // A configuration recorded twice (KTT writes each run): a time beats a failure; otherwise
    // the first record stands.
    if (!fresh && !it->second.ok && outcome.ok) it->second = outcome;
    if (!first) first = c;
  }

  auto shared_axes = std::make_shared<const std::vector<axis>>(axes);
  std::shared_ptr<const std::unordered_map<std::uint64_t, recorded_outcome>> table = outcomes;
  constraint in_file{"the configuration was recorded in the file",
                     [shared_axes, table](const config& c) {
                       const auto index = index_over(*shared_axes, c);
                       return index && table->count(*index) != 0;
                     }};
  recorded_space out;
  out.path = path_;
  out.format = std::move(format);
  out.device = std::move(device);
  out.kernel = std::move(kernel);
  out.space = param_space(std::move(axes), {std::move(in_file)}, *first);
  out.outcomes = table;
  return out;
}

}  // namespace ridgeline::tuner::replay
