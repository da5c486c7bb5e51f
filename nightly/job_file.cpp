#include "nightly/job_file.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <utility>

#include "core/error.hpp"
#include "core/key_value.hpp"
#include "core/strict_yaml.hpp"
#include "kernels/dtype.hpp"
#include "kernels/kernel.hpp"
#include "service/case_request.hpp"
#include "service/tune_options.hpp"
#include "tuner/strategy_registry.hpp"

namespace ridgeline::nightly {

namespace {

namespace fs = std::filesystem;
namespace sy = strict_yaml;
using sy::field;

constexpr const char* schema_id = "ridgeline.nightly/1";

std::string sha256_hex(const std::string& bytes) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest, &n) != 1) {
    throw runtime_error("nightly: OpenSSL SHA-256 is unavailable");
  }
  std::string out;
  for (unsigned int i = 0; i < n; ++i) out += fmt::format("{:02x}", digest[i]);
  return out;
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Every problem of the file. strict_yaml's readers stop at the first problem, which suits the
// small files they read (a device card, a preset); a job file has many entries, and one round
// trip per typo would be tedious, so each check here runs on its own and what it throws becomes
// a line.
class problem_list {
 public:
  explicit problem_list(const std::string& file) : file_(file), src_(file) {}

  const sy::source& src() const { return src_; }
  bool empty() const { return lines_.empty(); }

  void add(int line, const std::string& path, const std::string& problem) {
    lines_.push_back({line, path, fmt::format("{}: {}", src_.where(line, path), problem)});
  }
  void add(const field& f, const std::string& problem) { add(f.line, f.path, problem); }

  // Runs `check`; a usage_error it throws becomes a line. The shared checkers name the value by
  // the word they were given (a field path here) or by the CLI option they were written for
  // ("--variant: ..."); `aliases` maps those words to the field of this file they mean, and the
  // word is replaced by that field's place. A message already placed in this file (strict_yaml)
  // is kept; anything else is placed at `f`.
  template <class F>
  bool check(const field& f, F&& fn,
             const std::vector<std::pair<std::string, field>>& aliases = {}) {
    try {
      fn();
      return true;
    } catch (const usage_error& e) {
      record(f, e.what(), aliases);
      return false;
    }
  }

  // Every line in the file's order (line, then field: "problems[2]" before "problems[10]"),
  // repeats removed: one entry expanded into many cases finds the same mistake once per case.
  std::string text() const {
    auto sorted = lines_;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const line_problem& a, const line_problem& b) {
                       if (a.line != b.line) return a.line < b.line;
                       return path_before(a.path, b.path);
                     });
    std::string out;
    std::vector<std::string> seen;
    for (const auto& [line, path, message] : sorted) {
      if (std::find(seen.begin(), seen.end(), message) != seen.end()) continue;
      seen.push_back(message);
      out += (out.empty() ? "" : "\n") + message;
    }
    return out;
  }

 private:
  struct line_problem {
    int line = 0;
    std::string path;
    std::string message;
  };

  // Field paths compared with their list indices as numbers.
  static bool path_before(const std::string& a, const std::string& b) {
    std::size_t i = 0, j = 0;
    while (i < a.size() && j < b.size()) {
      if (std::isdigit(static_cast<unsigned char>(a[i])) &&
          std::isdigit(static_cast<unsigned char>(b[j]))) {
        std::size_t ei = i, ej = j;
        while (ei < a.size() && std::isdigit(static_cast<unsigned char>(a[ei]))) ++ei;
        while (ej < b.size() && std::isdigit(static_cast<unsigned char>(b[ej]))) ++ej;
        const std::string na = a.substr(i, ei - i), nb = b.substr(j, ej - j);
        if (na.size() != nb.size()) return na.size() < nb.size();
        if (na != nb) return na < nb;
        i = ei;
        j = ej;
        continue;
      }
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
    return a.size() - i < b.size() - j;
  }

  void record(const field& f, const std::string& message,
              const std::vector<std::pair<std::string, field>>& aliases) {
    const std::string own = file_ + ":";
    if (starts_with(message, own)) {
      std::size_t used = 0;
      int line = 0;
      try {
        line = std::stoi(message.substr(own.size()), &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used > 0) {
        // "FILE:LINE: PATH: problem"
        const std::size_t path_at = own.size() + used + 2;
        const std::size_t path_end = message.find(": ", path_at);
        lines_.push_back({line,
                          path_end == std::string::npos
                              ? std::string()
                              : message.substr(path_at, path_end - path_at),
                          message});
        return;
      }
    }
    if (!f.path.empty() && starts_with(message, f.path + ": ")) {
      add(f, message.substr(f.path.size() + 2));
      return;
    }
    for (const auto& [word, target] : aliases) {
      if (starts_with(message, word + ": ")) {
        add(target, message.substr(word.size() + 2));
        return;
      }
    }
    add(f, message);
  }

  std::string file_;
  sy::source src_;
  std::vector<line_problem> lines_;
};

// A mapping's values by key. Unlike strict_yaml::mapping, an unknown or repeated key is reported
// and skipped, so the rest of the mapping is still checked.
struct map_view {
  field self;
  std::vector<field> entries;

  std::optional<field> get(const std::string& key) const {
    for (const auto& e : entries) {
      if (e.key == key) return e;
    }
    return std::nullopt;
  }
  std::string child_path(const std::string& key) const {
    return self.path.empty() ? key : self.path + "." + key;
  }
  // The value under `key`; reported at the mapping's line when missing.
  std::optional<field> need(problem_list& p, const std::string& key,
                            const std::string& hint = {}) const {
    if (auto f = get(key)) return f;
    p.add(self.line, child_path(key), hint.empty() ? "missing" : "missing; " + hint);
    return std::nullopt;
  }
};

// `allowed` null: any plain key (strategy options: the strategy's table checks the names).
std::optional<map_view> open_map(problem_list& p, const field& f,
                                 const std::vector<std::string>* allowed) {
  if (!f.node.IsMap()) {
    p.add(f, fmt::format("expected a mapping, got {}", sy::node_kind(f.node)));
    return std::nullopt;
  }
  map_view view{f, {}};
  for (auto it = f.node.begin(); it != f.node.end(); ++it) {
    const YAML::Node key = it->first;
    const int line = sy::line_of(key);
    if (!key.IsScalar()) {
      p.add(line, f.path, "keys must be plain names");
      continue;
    }
    const std::string name = key.Scalar();
    const std::string path = view.child_path(name);
    if (allowed && std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
      p.add(line, path, fmt::format("unknown key; expected one of: {}", sy::join(*allowed)));
      continue;
    }
    if (auto first = view.get(name)) {
      p.add(line, path, fmt::format("repeated key (first at line {})", first->line));
      continue;
    }
    view.entries.push_back({path, line, it->second, name});
  }
  return view;
}

std::optional<map_view> open_map(problem_list& p, const field& f,
                                 const std::vector<std::string>& allowed) {
  return open_map(p, f, &allowed);
}

// The elements of a list, each named "PATH[i]" at its own line.
std::optional<std::vector<field>> open_list(problem_list& p, const field& f,
                                            bool allow_empty = false) {
  if (!f.node.IsSequence()) {
    p.add(f, fmt::format("expected a list, got {}", sy::node_kind(f.node)));
    return std::nullopt;
  }
  if (f.node.size() == 0 && !allow_empty) {
    p.add(f, "empty list");
    return std::nullopt;
  }
  std::vector<field> out;
  for (std::size_t i = 0; i < f.node.size(); ++i) {
    const YAML::Node element = f.node[i];
    out.push_back({fmt::format("{}[{}]", f.path, i), sy::line_of(element), element, ""});
  }
  return out;
}

std::optional<std::string> text_of(problem_list& p, const field& f) {
  std::optional<std::string> out;
  p.check(f, [&] { out = sy::text(p.src(), f); });
  return out;
}

std::optional<std::int64_t> integer_of(problem_list& p, const field& f, std::int64_t min) {
  const auto t = text_of(p, f);
  if (!t) return std::nullopt;
  std::optional<std::int64_t> out;
  p.check(f, [&] {
    const std::int64_t v = parse_integer(*t, f.path);
    if (v < min) throw usage_error(fmt::format("{}: must be >= {} (got {})", f.path, min, *t));
    out = v;
  });
  return out;
}

// A number strictly between lo and hi.
std::optional<double> fraction_of(problem_list& p, const field& f, double lo, double hi) {
  const auto t = text_of(p, f);
  if (!t) return std::nullopt;
  std::optional<double> out;
  p.check(f, [&] {
    const double v = parse_real(*t, f.path);
    if (!(v > lo && v < hi)) {
      throw usage_error(
          fmt::format("{}: must be in ({:g}, {:g}), exclusive (got {})", f.path, lo, hi, *t));
    }
    out = v;
  });
  return out;
}

// Names that end up in file names, Slurm scripts and database keys: no spaces, no slashes.
std::optional<std::string> label_of(problem_list& p, const field& f, const std::string& allowed,
                                    const std::string& shown) {
  auto t = text_of(p, f);
  if (!t) return std::nullopt;
  const bool ok = std::all_of(t->begin(), t->end(), [&](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || allowed.find(c) != std::string::npos;
  });
  if (!ok) {
    p.add(f, fmt::format("'{}' may hold only {}", *t, shown));
    return std::nullopt;
  }
  return t;
}

std::optional<std::string> name_of(problem_list& p, const field& f) {
  return label_of(p, f, "._-", "letters, digits, '.', '_' and '-'");
}

// Where a path the file names lies: relative to the file's folder (URLs kept).
std::string beside(const std::string& job_path, const std::string& given) {
  if (given.find("://") != std::string::npos) return given;
  const fs::path p(given);
  if (p.is_absolute()) return given;
  return (fs::path(job_path).parent_path() / p).lexically_normal().string();
}

// --- defaults and per-entry overrides -----------------------------------------------------------

const std::vector<std::string> setting_keys = {"strategy", "strategy_options", "time",
                                               "budget",   "backend",          "seed"};

// One block of tuning settings (defaults or an entry), each value with the field it came from.
struct settings {
  std::optional<std::pair<std::string, field>> strategy;
  std::optional<std::pair<key_value_list, field>> strategy_options;
  std::optional<std::pair<std::string, field>> time;
  std::optional<std::pair<std::uint64_t, field>> budget;
  std::optional<std::pair<std::string, field>> backend;
  std::optional<std::pair<std::uint64_t, field>> seed;
  // A time or budget is written, even a malformed one (reported already): no second complaint
  // that the case has no stop condition.
  bool stop_written = false;
  // A strategy is written, even an unknown one: its options are not checked against another.
  bool strategy_written = false;
};

std::string join_options(const key_value_list& options) {
  std::string out;
  for (const auto& [k, v] : options) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

settings read_settings(problem_list& p, const map_view& m) {
  settings s;
  s.stop_written = m.get("time") || m.get("budget");
  s.strategy_written = m.get("strategy").has_value();
  if (auto f = m.get("strategy")) {
    if (auto t = text_of(p, *f)) {
      std::vector<std::string> names;
      for (const auto& info : tuner::strategies()) names.push_back(info.name);
      if (std::find(names.begin(), names.end(), *t) == names.end()) {
        p.add(*f, fmt::format("unknown strategy '{}' (strategies: {})", *t, sy::join(names)));
      } else {
        s.strategy = {{*t, *f}};
      }
    }
  }
  if (auto f = m.get("strategy_options")) {
    // Either the CLI's "name=value,..." text or a mapping of option names to values.
    if (f->node.IsMap()) {
      if (auto opts = open_map(p, *f, nullptr)) {
        key_value_list list;
        bool ok = true;
        for (const auto& e : opts->entries) {
          auto v = text_of(p, e);
          ok = ok && v.has_value();
          if (v) list.emplace_back(e.key, *v);
        }
        if (ok) s.strategy_options = {{list, *f}};
      }
    } else if (auto t = text_of(p, *f)) {
      p.check(*f, [&] { s.strategy_options = {{parse_key_value_list(*t, f->path), *f}}; });
    }
  }
  if (auto f = m.get("time")) {
    if (auto t = text_of(p, *f)) {
      p.check(*f, [&] {
        service::parse_duration(*t, f->path);
        s.time = {{*t, *f}};
      });
    }
  }
  if (auto f = m.get("budget")) {
    if (auto v = integer_of(p, *f, 1)) s.budget = {{static_cast<std::uint64_t>(*v), *f}};
  }
  if (auto f = m.get("backend")) {
    if (auto t = label_of(p, *f, "_", "letters, digits and '_' (serial, openmp, cuda, hip)")) {
      s.backend = {{*t, *f}};
    }
  }
  if (auto f = m.get("seed")) {
    if (auto v = integer_of(p, *f, 0)) s.seed = {{static_cast<std::uint64_t>(*v), *f}};
  }
  return s;
}

// An entry's settings over the defaults, one by one, except that strategy options belong to
// their strategy: an entry naming a strategy takes only its own options.
settings merge(const settings& defaults, const settings& entry) {
  settings out = defaults;
  if (entry.strategy_written) {
    out.strategy_written = true;
    out.strategy = entry.strategy;
    out.strategy_options = entry.strategy_options;
  } else if (entry.strategy_options) {
    out.strategy_options = entry.strategy_options;
  }
  if (entry.time) out.time = entry.time;
  if (entry.budget) out.budget = entry.budget;
  if (entry.backend) out.backend = entry.backend;
  if (entry.seed) out.seed = entry.seed;
  out.stop_written = defaults.stop_written || entry.stop_written;
  return out;
}

// --- entries -----------------------------------------------------------------------------------

const std::vector<std::string> entry_keys = {"kernel",   "variant", "variants", "dtypes",
                                             "problems", "presets", "strategy", "strategy_options",
                                             "time",     "budget",  "backend",  "seed"};

struct preset_item {
  field self;
  std::string model;
  field model_field;
  std::vector<std::pair<std::optional<std::int64_t>, field>> tokens;  // one nullopt: no tokens
  key_value_list problem;
  std::optional<field> problem_field;
};

// nullopt (reported) when the model or the problem is unusable; a bad token count is reported
// and left out, the others still checked.
std::optional<preset_item> read_preset(problem_list& p, const field& f) {
  const auto m = open_map(p, f, std::vector<std::string>{"model", "tokens", "problem"});
  if (!m) return std::nullopt;
  bool ok = true;
  preset_item item{f, "", f, {}, {}, std::nullopt};
  if (auto model = m->need(p, "model", "a preset of configs/problems, e.g. model: qwen3-30b-a3b")) {
    item.model_field = *model;
    auto t = name_of(p, *model);
    ok = t.has_value();
    item.model = t.value_or("");
  } else {
    ok = false;
  }
  if (auto tokens = m->get("tokens")) {
    for (const auto& t : open_list(p, *tokens).value_or(std::vector<field>{})) {
      // The range is preset_problem's to check, naming this item.
      const auto v = text_of(p, t);
      std::optional<std::int64_t> n;
      if (!v || !p.check(t, [&] { n = parse_integer(*v, t.path); })) continue;
      const auto first = std::find_if(item.tokens.begin(), item.tokens.end(),
                                      [&](const auto& seen) { return seen.first == n; });
      if (first != item.tokens.end()) {
        p.add(t, fmt::format("{} given twice (first at line {})", *n, first->second.line));
        continue;
      }
      item.tokens.emplace_back(n, t);
    }
  } else {
    item.tokens.emplace_back(std::nullopt, f);
  }
  if (auto problem = m->get("problem")) {
    item.problem_field = *problem;
    const auto t = text_of(p, *problem);
    ok = ok && t.has_value() &&
         p.check(*problem, [&] { item.problem = parse_key_value_list(*t, problem->path); });
  }
  if (!ok) return std::nullopt;
  return item;
}

// The given fields in the order the kernel declares its fields: the same case whatever order the
// file writes them in, so its key does not change when someone tidies the file.
std::string canonical_problem(const kernels::kernel& k, const key_value_list& given) {
  key_value_list ordered;
  for (const auto& f : k.problem_fields()) {
    for (const auto& kv : given) {
      if (kv.first == f.name) ordered.push_back(kv);
    }
  }
  return join_options(ordered);
}

// What makes two cases the same measurement, whatever text produced them.
std::string identity_of(const kernels::kernel_case& c) {
  std::string out = fmt::format("{}/{}/{}", c.k->name(), c.v->name(), kernels::to_string(c.type));
  for (const auto& v : c.values) out += fmt::format(",{}={}", v.name, v.value);
  return out;
}

struct seen_case {
  int line = 0;
  std::string path;
  std::string key;
};

class expander {
 public:
  expander(problem_list& p, job& j) : p_(p), j_(j) {}

  void entry(const field& f, const settings& defaults) {
    const auto m = open_map(p_, f, entry_keys);
    if (!m) return;
    const settings own = read_settings(p_, *m);
    const settings s = merge(defaults, own);
    if (!s.stop_written) {
      p_.add(f, "no stop condition: give time or budget (here or in defaults)");
    }

    // The kernel first: without it nothing else of the entry can be checked.
    const kernels::kernel* k = nullptr;
    std::optional<field> kernel_field = m->need(p_, "kernel", "e.g. kernel: gemm");
    if (kernel_field) {
      if (auto name = text_of(p_, *kernel_field)) {
        p_.check(*kernel_field, [&] { k = &kernels::find_kernel(*name); },
                 {{"KERNEL", *kernel_field}});
      }
    }

    // Variants: one, several, or the kernel's first tunable one ("").
    std::vector<std::pair<std::string, field>> variants;
    const auto variant = m->get("variant");
    const auto variant_list = m->get("variants");
    if (variant && variant_list) {
      p_.add(*variant_list, "give variant or variants, not both");
    } else if (variant) {
      if (auto t = text_of(p_, *variant)) variants.emplace_back(*t, *variant);
    } else if (variant_list) {
      variants = unique_items(*variant_list, [](const std::string& t, const field&) { return t; });
    } else {
      variants.emplace_back("", kernel_field.value_or(f));
    }

    std::vector<std::pair<std::string, field>> dtypes;
    if (auto d = m->get("dtypes")) {
      dtypes = unique_items(*d, [](const std::string& t, const field& at) {
        return std::string(kernels::to_string(kernels::parse_dtype(t, at.path)));
      });
    } else {
      dtypes.emplace_back("f32", f);
    }

    std::vector<std::pair<key_value_list, field>> problems;
    const auto problems_field = m->get("problems");
    if (problems_field) {
      for (const auto& item : open_list(p_, *problems_field).value_or(std::vector<field>{})) {
        auto t = text_of(p_, item);
        key_value_list kv;
        if (t && p_.check(item, [&] { kv = parse_key_value_list(*t, item.path); })) {
          problems.emplace_back(kv, item);
        }
      }
    }
    std::vector<preset_item> presets;
    const auto presets_field = m->get("presets");
    if (presets_field) {
      // One preset as a mapping, or a list of them.
      const auto items = presets_field->node.IsMap()
                             ? std::optional<std::vector<field>>(std::vector<field>{*presets_field})
                             : open_list(p_, *presets_field);
      for (const auto& item : items.value_or(std::vector<field>{})) {
        if (auto preset = read_preset(p_, item)) presets.push_back(*preset);
      }
    }
    if (!problems_field && !presets_field) {
      p_.add(f,
             "no problem: give problems (e.g. [\"m=512,n=512,k=512\"]) or presets "
             "({model: NAME, tokens: [1, 64]})");
    }
    if (k == nullptr) return;

    // Not structured bindings: lambdas may capture those only from C++20 (clang < 16, which
    // compiles the HIP build, refuses it).
    for (const auto& variant_entry : variants) {
      const std::string& variant_name = variant_entry.first;
      const field& variant_at = variant_entry.second;
      bool strategy_checked = false;
      for (const auto& dtype_entry : dtypes) {
        const std::string& dtype = dtype_entry.first;
        const field& dtype_at = dtype_entry.second;
        const auto add = [&](const service::case_text& text, const field& problem_at,
                             const service::case_field_names& names,
                             std::vector<std::pair<std::string, field>> aliases,
                             const std::string& problem_key) {
          aliases.push_back({"KERNEL", *kernel_field});
          aliases.push_back({"kernel", *kernel_field});
          aliases.push_back({"--variant", variant_at});
          aliases.push_back({names.variant, variant_at});
          aliases.push_back({names.dtype, dtype_at});
          aliases.push_back({"--problem", problem_at});
          aliases.push_back({names.problem, problem_at});
          kernels::kernel_case c;
          if (!p_.check(
                  problem_at,
                  [&] { c = service::parse_case(text, service::variant_use::tunable, names); },
                  aliases)) {
            return;
          }
          if (!strategy_checked) {
            strategy_checked = true;
            check_strategy(s, *c.v, f);
          }
          job_case out;
          out.kernel = c.k->name();
          out.variant = c.v->name();
          out.dtype = kernels::to_string(c.type);
          out.problem = canonical_problem(*c.k, text.problem);
          out.preset = text.preset;
          out.tokens = text.tokens;
          if (s.backend) out.backend = s.backend->first;
          if (s.strategy) out.strategy = s.strategy->first;
          if (s.strategy_options) out.strategy_options = join_options(s.strategy_options->first);
          if (s.budget) out.budget = s.budget->first;
          if (s.time) out.time = s.time->first;
          if (s.seed) out.seed = s.seed->first;
          out.where = fmt::format("{}:{}", j_.path, f.line);
          out.key = fmt::format("{}/{}/{}/{}", out.kernel, out.variant, out.dtype, problem_key);
          remember(out, c, problem_at, dtype_at);
        };
        for (const auto& [kv, at] : problems) {
          service::case_field_names names = field_names(variant_at, dtype_at);
          names.problem = at.path;
          add({k->name(), variant_name, dtype, kv, "", std::nullopt, ""}, at, names, {},
              canonical_problem(*k, kv));
        }
        for (const auto& preset : presets) {
          for (const auto& [tokens, tokens_at] : preset.tokens) {
            service::case_field_names names = field_names(variant_at, dtype_at);
            const field problem_at = preset.problem_field.value_or(preset.self);
            names.problem = problem_at.path;
            names.preset = preset.model_field.path;
            names.tokens = tokens_at.path;
            std::string key = preset.model;
            if (tokens) key += fmt::format("@{}", *tokens);
            const std::string fields = canonical_problem(*k, preset.problem);
            if (!fields.empty()) key += "," + fields;
            add({k->name(), variant_name, dtype, preset.problem, preset.model, tokens, ""},
                problem_at, names, {{"--preset", preset.model_field}, {"--tokens", tokens_at}},
                key);
          }
        }
      }
    }
  }

 private:
  // The texts of list field `f`, each through `canonical` (which may throw usage_error naming the
  // item), repeats reported and left out.
  template <class F>
  std::vector<std::pair<std::string, field>> unique_items(const field& f, F&& canonical) {
    std::vector<std::pair<std::string, field>> out;
    for (const auto& item : open_list(p_, f).value_or(std::vector<field>{})) {
      const auto t = text_of(p_, item);
      std::string value;
      if (!t || !p_.check(item, [&] { value = canonical(*t, item); })) continue;
      const auto first = std::find_if(out.begin(), out.end(),
                                      [&](const auto& seen) { return seen.first == value; });
      if (first != out.end()) {
        p_.add(item, fmt::format("{} given twice (first at line {})", value, first->second.line));
        continue;
      }
      out.emplace_back(value, item);
    }
    return out;
  }

  static service::case_field_names field_names(const field& variant_at, const field& dtype_at) {
    service::case_field_names n;
    n.variant = variant_at.path;
    n.dtype = dtype_at.path;
    n.params = "params";
    n.preset_example = "presets: {model: NAME, tokens: [T]}";
    return n;
  }

  // The strategy and its options as `tune` would check them: built once over the variant's space.
  void check_strategy(const settings& s, const kernels::variant& v, const field& entry) {
    if (s.strategy_written && !s.strategy) return;  // unknown, reported already
    const field strategy_at = s.strategy ? s.strategy->second : entry;
    const field options_at = s.strategy_options ? s.strategy_options->second : strategy_at;
    const std::string name = s.strategy ? s.strategy->first : tuner::default_strategy_name();
    const key_value_list options =
        s.strategy_options ? s.strategy_options->first : key_value_list{};
    p_.check(options_at,
             [&] { tuner::make_strategy(name, v.space(), options, s.seed ? s.seed->first : 1); },
             {{"--strategy", strategy_at}, {"--strategy-option", options_at}});
  }

  void remember(job_case c, const kernels::kernel_case& resolved, const field& problem_at,
                const field& dtype_at) {
    // A case's own place: its problem item, or its dtype item when the problem is shared.
    const field& at = problem_at.line >= dtype_at.line ? problem_at : dtype_at;
    if (auto it = keys_.find(c.key); it != keys_.end()) {
      p_.add(at, fmt::format("duplicate case {} (first at line {}, {})", c.key, it->second.line,
                             it->second.path));
      return;
    }
    const std::string identity = identity_of(resolved);
    if (auto it = identities_.find(identity); it != identities_.end()) {
      p_.add(at, fmt::format("duplicate case {}: the same problem as {} (line {}, {})", c.key,
                             it->second.key, it->second.line, it->second.path));
      return;
    }
    keys_[c.key] = {at.line, at.path, c.key};
    identities_[identity] = {at.line, at.path, c.key};
    j_.cases.push_back(std::move(c));
  }

  problem_list& p_;
  job& j_;
  std::map<std::string, seen_case> keys_;
  std::map<std::string, seen_case> identities_;
};

// --- the rest of the file ----------------------------------------------------------------------

void read_regression(problem_list& p, const field& f, regression_policy& r) {
  const auto m = open_map(
      p, f, std::vector<std::string>{"min_effect", "max_p_value", "history", "min_history"});
  if (!m) return;
  if (auto e = m->get("min_effect")) {
    if (auto v = fraction_of(p, *e, 0, 1)) r.min_effect = *v;
  }
  if (auto e = m->get("max_p_value")) {
    if (auto v = fraction_of(p, *e, 0, 1)) r.max_p_value = *v;
  }
  std::optional<field> history_at = m->get("history");
  std::optional<field> min_history_at = m->get("min_history");
  bool ok = true;
  if (history_at) {
    auto v = integer_of(p, *history_at, 2);
    ok = ok && v.has_value();
    if (v) r.history = static_cast<std::size_t>(*v);
  }
  if (min_history_at) {
    auto v = integer_of(p, *min_history_at, 2);
    ok = ok && v.has_value();
    if (v) r.min_history = static_cast<std::size_t>(*v);
  }
  if (ok && r.min_history > r.history) {
    const field& at = min_history_at ? *min_history_at : *history_at;
    p.add(at,
          fmt::format("min_history ({}) is larger than history ({})", r.min_history, r.history));
  }
}

// sbatch --time: "MM", "MM:SS", "HH:MM:SS", "D-HH", "D-HH:MM", "D-HH:MM:SS".
bool slurm_time(const std::string& t) {
  static const std::regex pattern(R"(^(\d+(:\d{1,2}){0,2}|\d+-\d{1,2}(:\d{1,2}){0,2})$)");
  return std::regex_match(t, pattern);
}

void read_hardware_types(problem_list& p, const field& f, std::vector<hardware_type_spec>& out) {
  const auto list = open_list(p, f);
  if (!list) return;
  std::map<std::string, int> names;
  for (const auto& item : *list) {
    const auto m = open_map(
        p, item, std::vector<std::string>{"name", "partition", "constraint", "gres", "time_limit"});
    if (!m) continue;
    hardware_type_spec h;
    bool ok = true;
    if (auto name = m->need(p, "name", "the hardware type's label, e.g. h100")) {
      auto t = name_of(p, *name);
      ok = ok && t.has_value();
      if (t) {
        if (auto it = names.find(*t); it != names.end()) {
          p.add(*name, fmt::format("{} given twice (first at line {})", *t, it->second));
          ok = false;
        } else {
          names[*t] = name->line;
        }
        h.name = t.value_or("");
      }
    } else {
      ok = false;
    }
    if (auto partition = m->need(p, "partition", "the Slurm partition its nodes are in")) {
      auto t = label_of(p, *partition, "._-,", "letters, digits, '.', '_', '-' and ','");
      ok = ok && t.has_value();
      h.partition = t.value_or("");
    } else {
      ok = false;
    }
    if (auto constraint = m->get("constraint")) {
      auto t = label_of(p, *constraint, "._-&|[]*:,!()", "a Slurm feature expression (no spaces)");
      ok = ok && t.has_value();
      h.constraint = t.value_or("");
    }
    if (auto gres = m->get("gres")) {
      auto t = label_of(p, *gres, "._-:,", "a Slurm gres such as gpu:h100:1");
      ok = ok && t.has_value();
      h.gres = t.value_or("");
    }
    if (auto limit = m->get("time_limit")) {
      auto t = text_of(p, *limit);
      if (t && !slurm_time(*t)) {
        p.add(*limit, fmt::format("'{}' is not a Slurm time (MM, HH:MM:SS, D-HH, D-HH:MM:SS)", *t));
        t.reset();
      }
      ok = ok && t.has_value();
      h.time_limit = t.value_or("");
    }
    if (ok) out.push_back(h);
  }
}

}  // namespace

job load_job(const std::string& path) {
  const std::string bytes = sy::read_file(path, "nightly job file");
  job j;
  j.path = path;
  j.sha256 = sha256_hex(bytes);
  problem_list p(path);
  // Syntax errors, an empty file and a document that is not a mapping end the reading here.
  const field doc =
      p.src().parse(bytes, "job", fmt::format("nightly job file (schema: {})", schema_id));
  const auto top =
      open_map(p, doc,
               std::vector<std::string>{"schema", "name", "database", "report", "hardware_type",
                                        "regression", "defaults", "hardware_types", "entries"});
  if (!top) throw usage_error(p.text());

  if (auto schema =
          top->need(p, "schema", fmt::format("the first line is schema: {}", schema_id))) {
    if (auto t = text_of(p, *schema); t && *t != schema_id) {
      p.add(*schema, fmt::format("'{}' is not a nightly job file; expected {}", *t, schema_id));
    }
  }
  if (auto name = top->need(p, "name", "e.g. name: cpu-quick")) {
    j.name = name_of(p, *name).value_or("");
  }
  if (auto database = top->get("database")) {
    if (auto t = text_of(p, *database)) j.database = beside(path, *t);
  }
  if (auto report = top->get("report")) {
    if (auto t = text_of(p, *report)) j.report_dir = beside(path, *t);
  }
  if (auto label = top->get("hardware_type")) {
    j.hardware_type = name_of(p, *label).value_or("");
  }
  if (auto regression = top->get("regression")) read_regression(p, *regression, j.regression);
  if (auto types = top->get("hardware_types")) read_hardware_types(p, *types, j.hardware_types);

  settings defaults;
  if (auto d = top->get("defaults")) {
    if (auto m = open_map(p, *d, setting_keys)) defaults = read_settings(p, *m);
  }
  if (auto entries = top->need(p, "entries", "a list of {kernel, dtypes, problems | presets}")) {
    if (entries->node.IsSequence() && entries->node.size() == 0) {
      p.add(*entries, "empty; a job needs at least one entry");
    } else if (auto list = open_list(p, *entries)) {
      expander x(p, j);
      for (const auto& e : *list) x.entry(e, defaults);
    }
  }
  if (!p.empty()) throw usage_error(p.text());
  return j;
}

}  // namespace ridgeline::nightly
