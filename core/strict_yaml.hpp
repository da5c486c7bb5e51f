#pragma once
// The one reader of Ridgeline's hand-written YAML files (device cards, problem presets, metric
// formulas): one document per file, every mapping checked against the keys its format allows,
// repeated keys refused (yaml-cpp keeps them silently, so a second `value:` would win or lose
// unnoticed), and every failure one usage_error line "FILE:LINE: FIELD: problem" where FIELD is
// the dotted path of the value ("compute.simt.f32.unit"). Each format's own checks (numbers,
// units, formulas) stay with its reader and fail through the same source::fail.
#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <vector>

namespace ridgeline::strict_yaml {

// One value of a file: its dotted path, the 1-based line of its key (of the value for list items
// and the document itself), and the node.
struct field {
  std::string path;
  int line = 0;
  YAML::Node node;
  std::string key;  // the name under its mapping; "" for list items and the document
};

int line_of(const YAML::Node& n);

// "a mapping", "a list", ... for messages about a value of the wrong kind.
const char* node_kind(const YAML::Node& n);

// "a, b, c": the allowed names as messages list them.
std::string join(const std::vector<std::string>& names);

// The whole text of `path`; usage_error "PATH: cannot open DESCRIPTION" when it cannot be read.
std::string read_file(const std::string& path, const std::string& description);

// The file being read: names it in every message.
class source {
 public:
  explicit source(std::string file) : file_(std::move(file)) {}

  // The document `text` as the top-level mapping field (path "", line 1). Refuses a syntax error
  // (FIELD "syntax"), and, under FIELD `name` ("card"), an empty file, more than one document and
  // a document that is not a mapping; `description` ("device card") says what the file holds.
  field parse(const std::string& text, const std::string& name,
              const std::string& description) const;

  [[noreturn]] void fail(int line, const std::string& path, const std::string& problem) const;
  [[noreturn]] void fail(const field& f, const std::string& problem) const;
  // "FILE:LINE: FIELD", for checkers that build their own message tail (formula columns).
  std::string where(int line, const std::string& path) const;

 private:
  std::string file_;
};

// A mapping whose keys all come from `allowed`, in file order. `what` names the allowed set in
// the unknown-key message ("expected one of the precisions: ..."); empty says "expected one of".
class mapping {
 public:
  mapping(const source& src, const field& self, const std::vector<std::string>& allowed,
          const std::string& what = {});
  // Any plain key (the names are the data: counters, metrics); the caller checks their shape.
  static mapping of_any_keys(const source& src, const field& self);

  std::optional<field> get(const std::string& key) const;
  // The value under `key`; a missing one fails at this mapping's line, "missing[; hint]".
  field need(const std::string& key, const std::string& hint = {}) const;

  const std::vector<field>& entries() const { return entries_; }
  const field& self() const { return self_; }

 private:
  mapping(const source& src, const field& self, const std::vector<std::string>* allowed,
          const std::string& what);
  std::string child_path(const std::string& key) const;

  const source& src_;
  field self_;
  std::vector<field> entries_;
};

// A single non-blank value, as written.
std::string text(const source& src, const field& f);

// An element of a list field: the list's path, the element's own line.
field item(const field& list, const YAML::Node& element);

}  // namespace ridgeline::strict_yaml
