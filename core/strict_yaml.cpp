#include "core/strict_yaml.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace ridgeline::strict_yaml {

int line_of(const YAML::Node& n) {
  return n.Mark().line + 1;
}

const char* node_kind(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a single value";
    default:
      return "nothing";
  }
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string read_file(const std::string& path, const std::string& description) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw usage_error(fmt::format("{}: cannot open {}", path, description));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

field source::parse(const std::string& text, const std::string& name,
                    const std::string& description) const {
  std::vector<YAML::Node> docs;
  try {
    docs = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    fail(e.mark.line + 1, "syntax", "not valid YAML: " + e.msg);
  }
  if (docs.empty() || docs[0].IsNull()) fail(1, name, "empty file; expected a " + description);
  if (docs.size() > 1) {
    fail(line_of(docs[1]), name, fmt::format("more than one YAML document; one {} per file", name));
  }
  if (!docs[0].IsMap()) fail(1, name, fmt::format("expected a mapping of {} fields", name));
  return {"", 1, docs[0], ""};
}

void source::fail(int line, const std::string& path, const std::string& problem) const {
  throw usage_error(fmt::format("{}: {}", where(line, path), problem));
}

void source::fail(const field& f, const std::string& problem) const {
  fail(f.line, f.path, problem);
}

std::string source::where(int line, const std::string& path) const {
  return fmt::format("{}:{}: {}", file_, line, path);
}

mapping::mapping(const source& src, const field& self, const std::vector<std::string>& allowed,
                 const std::string& what)
    : mapping(src, self, &allowed, what) {}

mapping mapping::of_any_keys(const source& src, const field& self) {
  return mapping(src, self, nullptr, {});
}

mapping::mapping(const source& src, const field& self, const std::vector<std::string>* allowed,
                 const std::string& what)
    : src_(src), self_(self) {
  if (!self.node.IsMap()) {
    src.fail(self, fmt::format("expected a mapping, got {}", node_kind(self.node)));
  }
  for (auto it = self.node.begin(); it != self.node.end(); ++it) {
    const YAML::Node& key = it->first;
    const int line = line_of(key);
    if (!key.IsScalar()) src.fail(line, self.path, "keys must be plain names");
    const std::string name = key.Scalar();
    const std::string path = child_path(name);
    if (allowed && std::find(allowed->begin(), allowed->end(), name) == allowed->end()) {
      src.fail(line, path,
               fmt::format("unknown key; expected one of{}: {}",
                           what.empty() ? std::string() : " the " + what, join(*allowed)));
    }
    for (const auto& e : entries_) {
      if (e.path == path) {
        src.fail(line, path, fmt::format("repeated key (first at line {})", e.line));
      }
    }
    entries_.push_back({path, line, it->second, name});
  }
}

std::optional<field> mapping::get(const std::string& key) const {
  for (const auto& e : entries_) {
    if (e.key == key) return e;
  }
  return std::nullopt;
}

field mapping::need(const std::string& key, const std::string& hint) const {
  if (auto f = get(key)) return *f;
  src_.fail(self_.line, child_path(key), hint.empty() ? "missing" : "missing; " + hint);
}

std::string mapping::child_path(const std::string& key) const {
  return self_.path.empty() ? key : self_.path + "." + key;
}

std::string text(const source& src, const field& f) {
  if (!f.node.IsScalar()) src.fail(f, fmt::format("expected text, got {}", node_kind(f.node)));
  const std::string& s = f.node.Scalar();
  if (s.find_first_not_of(" \t\n") == std::string::npos) src.fail(f, "must not be empty");
  return s;
}

field item(const field& list, const YAML::Node& element) {
  return {list.path, line_of(element), element, ""};
}

}  // namespace ridgeline::strict_yaml
