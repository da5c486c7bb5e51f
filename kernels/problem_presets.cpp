#include "kernels/problem_presets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/strict_yaml.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

namespace {

namespace fs = std::filesystem;
using strict_yaml::field;
using strict_yaml::join;
using strict_yaml::mapping;
using strict_yaml::source;
using strict_yaml::text;

constexpr const char* schema_name = "ridgeline.problem/1";

// One parsed preset: per section, field -> value text (already in --problem form).
struct preset_file {
  std::string path;
  std::map<std::string, std::map<std::string, std::string>> sections;
};

struct field_spec {
  const char* name;
  enum kind_t { count, word, flag, real } kind;
  std::vector<std::string> words = {};  // word: accepted spellings, mapped to their index
};

const std::vector<field_spec>& moe_fields() {
  static const std::vector<field_spec> f = {
      {"experts", field_spec::count},
      {"top_k", field_spec::count},
      {"hidden", field_spec::count},
      {"intermediate", field_spec::count},
      {"groups", field_spec::count},
      {"topk_groups", field_spec::count},
      {"scoring", field_spec::word, {"softmax", "sigmoid"}},
      {"renormalize", field_spec::flag},
      {"routed_scale", field_spec::real},
      {"shared_experts", field_spec::count},  // informational: not routed, no kernel field
  };
  return f;
}

const std::vector<field_spec>& attention_fields() {
  static const std::vector<field_spec> f = {
      {"hq", field_spec::count}, {"hkv", field_spec::count}, {"d", field_spec::count}};
  return f;
}

// "value: X, source: '...'" -> X as --problem text.
std::string read_value(const source& r, const field& f, const field_spec& spec) {
  const mapping m(r, f, {"value", "source"});
  text(r, m.need("source", "where the number comes from"));
  const field v = m.need("value");
  const std::string s = text(r, v);
  const bool quoted = v.node.Tag() == "!";
  switch (spec.kind) {
    case field_spec::count: {
      if (quoted || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9 ||
          std::stoll(s) < 1) {
        r.fail(v, fmt::format("expected a whole number >= 1, got '{}'", s));
      }
      return s;
    }
    case field_spec::real: {
      char* end = nullptr;
      const double d = std::strtod(s.c_str(), &end);
      if (quoted || end != s.c_str() + s.size() || !(d > 0) || d > 1e300) {
        r.fail(v, fmt::format("expected a positive number, got '{}'", s));
      }
      return s;
    }
    case field_spec::flag: {
      if (s == "true") return "1";
      if (s == "false") return "0";
      r.fail(v, fmt::format("expected true or false, got '{}'", s));
    }
    case field_spec::word: {
      for (std::size_t i = 0; i < spec.words.size(); ++i) {
        if (s == spec.words[i]) return std::to_string(i);
      }
      r.fail(v, fmt::format("unknown value '{}' (expected one of: {})", s, join(spec.words)));
    }
  }
  return s;
}

preset_file load(const std::string& path) {
  const source r(path);
  const mapping top(
      r, r.parse(strict_yaml::read_file(path, "problem preset"), "preset", "problem preset"),
      {"schema", "name", "source", "notes", "moe", "attention"});
  const field schema = top.need("schema", fmt::format("expected {}", schema_name));
  if (text(r, schema) != schema_name) {
    r.fail(schema,
           fmt::format("unknown schema '{}' (expected {})", schema.node.Scalar(), schema_name));
  }
  text(r, top.need("name", "the model's name"));
  text(r, top.need("source", "where the model's numbers come from"));
  if (!top.get("moe") && !top.get("attention")) {
    r.fail(1, "moe", "missing: a preset needs a moe or an attention section (or both)");
  }
  preset_file out;
  out.path = path;
  auto section = [&](const char* name, const std::vector<field_spec>& specs) {
    const auto sec = top.get(name);
    if (!sec) return;
    std::vector<std::string> allowed;
    for (const auto& s : specs) allowed.push_back(s.name);
    const mapping fields(r, *sec, allowed);
    auto& dst = out.sections[name];
    for (const auto& s : specs) {
      // shared_experts is informational (no kernel field), so a preset may leave it out.
      if (std::string(s.name) == "shared_experts" && !fields.get(s.name)) continue;
      dst[s.name] = read_value(r, fields.need(s.name), s);
    }
  };
  section("moe", moe_fields());
  section("attention", attention_fields());
  return out;
}

}  // namespace

std::string default_problem_preset_dir() {
  const char* env = std::getenv("RIDGELINE_PROBLEMS");
  return env != nullptr && *env != '\0' ? env : RIDGELINE_PROBLEM_PRESET_DIR;
}

std::vector<std::string> problem_preset_names(const std::string& directory) {
  std::error_code ec;
  if (!fs::is_directory(directory, ec)) {
    throw usage_error(fmt::format("{}: problem preset directory not found", directory));
  }
  std::vector<std::string> names;
  for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".yaml" && it->is_regular_file())
      names.push_back(it->path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

key_value_list preset_problem(const std::string& kernel, const std::string& preset,
                              std::optional<std::int64_t> tokens, const std::string& directory) {
  const auto names = problem_preset_names(directory);
  if (std::find(names.begin(), names.end(), preset) == names.end()) {
    throw usage_error(fmt::format("--preset: unknown preset '{}' (presets: {})", preset,
                                  names.empty() ? "none in " + directory : join(names)));
  }
  if (tokens && *tokens < 1) {
    throw usage_error(fmt::format("--tokens: must be >= 1 (got {})", *tokens));
  }
  const preset_file f = load((fs::path(directory) / (preset + ".yaml")).string());
  const bool is_moe = kernel.rfind("moe_", 0) == 0;
  const char* section = is_moe ? "moe" : kernel == "attention" ? "attention" : nullptr;
  if (section == nullptr) {
    throw usage_error(fmt::format(
        "--preset: presets describe MoE layers and attention; kernel '{}' takes --problem",
        kernel));
  }
  const auto it = f.sections.find(section);
  if (it == f.sections.end()) {
    throw usage_error(fmt::format("--preset: {} has no {} section ({})", preset, section, f.path));
  }
  key_value_list all;
  if (is_moe) {
    if (tokens) all.emplace_back("tokens", std::to_string(*tokens));
    for (const auto& [k, v] : it->second) {
      if (k != "shared_experts") all.emplace_back(k, v);
    }
  } else {
    all.emplace_back("batch", "1");
    for (const auto& [k, v] : it->second) all.emplace_back(k, v);
    if (tokens) {
      all.emplace_back("sq", std::to_string(*tokens));
      all.emplace_back("skv", std::to_string(*tokens));
      all.emplace_back("causal", "1");
    }
  }
  // Only the fields this kernel has (moe_gating has no hidden size, ...).
  std::vector<std::string> known;
  for (const auto& fld : find_kernel(kernel).problem_fields()) known.push_back(fld.name);
  key_value_list out;
  for (auto& kv : all) {
    if (std::find(known.begin(), known.end(), kv.first) != known.end()) out.push_back(kv);
  }
  return out;
}

key_value_list merge_problem(key_value_list base, const key_value_list& overrides) {
  for (const auto& kv : overrides) {
    auto it =
        std::find_if(base.begin(), base.end(), [&](const auto& b) { return b.first == kv.first; });
    if (it != base.end()) {
      it->second = kv.second;
    } else {
      base.push_back(kv);
    }
  }
  return base;
}

void validate_problem_presets(const std::string& directory) {
  for (const auto& name : problem_preset_names(directory)) {
    load((fs::path(directory) / (name + ".yaml")).string());
  }
}

}  // namespace ridgeline::kernels
