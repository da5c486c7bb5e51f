#include "kernels/problem_presets.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "kernels/kernel.hpp"

namespace ridgeline::kernels {

namespace {

namespace fs = std::filesystem;

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

int line_of(const YAML::Node& n) {
  return n.Mark().line + 1;
}

class reader {
 public:
  explicit reader(std::string path) : path_(std::move(path)) {}
  [[noreturn]] void fail(int line, const std::string& field, const std::string& problem) const {
    throw usage_error(fmt::format("{}:{}: {}: {}", path_, line, field, problem));
  }

  // The keys of a mapping, rejecting anything not in `allowed` and repeats.
  std::map<std::string, YAML::Node> keys(const YAML::Node& map, const std::string& where,
                                         const std::vector<std::string>& allowed) const {
    if (!map.IsMap()) fail(line_of(map), where, "expected a mapping");
    std::map<std::string, YAML::Node> out;
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string name = it->first.Scalar();
      const std::string path = where.empty() ? name : where + "." + name;
      if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
        std::string list;
        for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
        fail(line_of(it->first), path, "unknown key; expected one of: " + list);
      }
      if (out.count(name)) fail(line_of(it->first), path, "repeated key");
      out[name] = it->second;
    }
    return out;
  }

  std::string text(const YAML::Node& n, const std::string& field) const {
    if (!n.IsScalar() || n.Scalar().find_first_not_of(" \t") == std::string::npos) {
      fail(line_of(n), field, "expected non-empty text");
    }
    return n.Scalar();
  }

 private:
  std::string path_;
};

// "value: X, source: '...'" -> X as --problem text.
std::string read_value(const reader& r, const YAML::Node& node, const std::string& path,
                       const field_spec& spec) {
  auto keys = r.keys(node, path, {"value", "source"});
  if (!keys.count("source"))
    r.fail(line_of(node), path + ".source", "missing (where the number comes from)");
  r.text(keys["source"], path + ".source");
  if (!keys.count("value")) r.fail(line_of(node), path + ".value", "missing");
  const YAML::Node& v = keys["value"];
  const std::string where = path + ".value";
  const std::string s = r.text(v, where);
  const bool quoted = v.Tag() == "!";
  switch (spec.kind) {
    case field_spec::count: {
      if (quoted || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9 ||
          std::stoll(s) < 1) {
        r.fail(line_of(v), where, fmt::format("expected a whole number >= 1, got '{}'", s));
      }
      return s;
    }
    case field_spec::real: {
      char* end = nullptr;
      const double d = std::strtod(s.c_str(), &end);
      if (quoted || end != s.c_str() + s.size() || !(d > 0) || d > 1e300) {
        r.fail(line_of(v), where, fmt::format("expected a positive number, got '{}'", s));
      }
      return s;
    }
    case field_spec::flag: {
      if (s == "true") return "1";
      if (s == "false") return "0";
      r.fail(line_of(v), where, fmt::format("expected true or false, got '{}'", s));
    }
    case field_spec::word: {
      for (std::size_t i = 0; i < spec.words.size(); ++i) {
        if (s == spec.words[i]) return std::to_string(i);
      }
      std::string list;
      for (const auto& w : spec.words) list += (list.empty() ? "" : ", ") + w;
      r.fail(line_of(v), where, fmt::format("unknown value '{}' (expected one of: {})", s, list));
    }
  }
  return s;
}

preset_file load(const std::string& path) {
  const reader r(path);
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    throw usage_error(fmt::format("{}: cannot open problem preset", path));
  } catch (const YAML::Exception& e) {
    r.fail(e.mark.line + 1, "yaml", e.msg);
  }
  if (!root.IsMap()) r.fail(1, "preset", "expected a mapping at the top level");
  auto top = r.keys(root, "", {"schema", "name", "source", "notes", "moe", "attention"});
  if (!top.count("schema")) r.fail(1, "schema", fmt::format("missing (expected {})", schema_name));
  if (r.text(top["schema"], "schema") != schema_name) {
    r.fail(line_of(top["schema"]), "schema",
           fmt::format("unknown schema '{}' (expected {})", top["schema"].Scalar(), schema_name));
  }
  if (!top.count("name")) r.fail(1, "name", "missing (the model's name)");
  r.text(top["name"], "name");
  if (!top.count("source")) r.fail(1, "source", "missing (where the model's numbers come from)");
  r.text(top["source"], "source");
  if (!top.count("moe") && !top.count("attention")) {
    r.fail(1, "moe", "missing: a preset needs a moe or an attention section (or both)");
  }
  std::map<std::string, int> key_line;  // "moe" -> the line of its key (missing fields point there)
  for (auto it = root.begin(); it != root.end(); ++it)
    key_line[it->first.Scalar()] = line_of(it->first);
  preset_file out;
  out.path = path;
  auto section = [&](const char* name, const std::vector<field_spec>& specs) {
    if (!top.count(name)) return;
    std::vector<std::string> allowed;
    for (const auto& s : specs) allowed.push_back(s.name);
    auto keys = r.keys(top[name], name, allowed);
    auto& dst = out.sections[name];
    for (const auto& s : specs) {
      const std::string path = std::string(name) + "." + s.name;
      if (!keys.count(s.name)) {
        if (std::string(s.name) == "shared_experts") continue;  // optional, informational
        r.fail(key_line[name], path, "missing");
      }
      dst[s.name] = read_value(r, keys[s.name], path, s);
    }
  };
  section("moe", moe_fields());
  section("attention", attention_fields());
  return out;
}

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
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
