// strict_yaml: the one reader of Ridgeline's YAML files. Every refusal is one line
// "FILE:LINE: FIELD: problem"; the formats built on it (device cards, problem presets, metric
// formulas) test their own fields in their own suites.
#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"
#include "core/strict_yaml.hpp"

namespace ridgeline::strict_yaml {
namespace {

std::string refusal(const std::string& text, const std::vector<std::string>& allowed) {
  const source src("f.yaml");
  try {
    const mapping top(src, src.parse(text, "card", "device card"), allowed);
    for (const auto& e : top.entries()) mapping::of_any_keys(src, e);
  } catch (const usage_error& e) {
    return e.what();
  }
  return "";
}

TEST(StrictYaml, NamesFileLineAndDottedField) {
  EXPECT_EQ(refusal("a: {x: 1}\nb: 2\n", {"a"}), "f.yaml:2: b: unknown key; expected one of: a");
  EXPECT_EQ(refusal("a:\n  x: 1\n  x: 2\n", {"a"}),
            "f.yaml:3: a.x: repeated key (first at line 2)");
  EXPECT_EQ(refusal("a: [1]\n", {"a"}), "f.yaml:1: a: expected a mapping, got a list");
}

TEST(StrictYaml, RefusesWhatIsNotOneMapping) {
  EXPECT_EQ(refusal("", {}), "f.yaml:1: card: empty file; expected a device card");
  EXPECT_EQ(refusal("- 1\n", {}), "f.yaml:1: card: expected a mapping of card fields");
  EXPECT_EQ(refusal("a: 1\n---\na: 2\n", {"a"}),
            "f.yaml:3: card: more than one YAML document; one card per file");
  EXPECT_EQ(refusal("a: [1\n", {"a"}).rfind("f.yaml:2: syntax: not valid YAML: ", 0), 0u);
}

TEST(StrictYaml, NeedSaysWhatIsMissingWhereItsMappingIs) {
  const source src("f.yaml");
  const mapping top(src, src.parse("a: 1\nb:\n  c: x\n", "card", "device card"), {"a", "b"});
  const mapping b(src, top.need("b"), {"c", "d"}, "letters");
  EXPECT_EQ(text(src, b.need("c")), "x");
  EXPECT_FALSE(b.get("d"));
  try {
    b.need("d", "say which");
    FAIL() << "a missing key was accepted";
  } catch (const usage_error& e) {
    EXPECT_STREQ(e.what(), "f.yaml:2: b.d: missing; say which");
  }
}

TEST(StrictYaml, ReadFileNamesWhatCouldNotBeOpened) {
  try {
    read_file("/no/such/file.yaml", "device card");
    FAIL() << "a missing file was read";
  } catch (const usage_error& e) {
    EXPECT_STREQ(e.what(), "/no/such/file.yaml: cannot open device card");
  }
}

}  // namespace
}  // namespace ridgeline::strict_yaml
