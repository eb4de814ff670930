// goyaml::SyntaxError against what promtool 2.42 printed for the same text: `check rules` for
// yaml.v3, `test rules` (yaml.v2 UnmarshalStrict) for yaml.v2. "" means the text parses.
#include "goyaml/syntax.h"

#include <gtest/gtest.h>

namespace cerniq::goyaml {
namespace {

struct Case {
  const char* name;
  std::string_view text;
  const char* v3;
  const char* v2;
};

const Case kCases[] = {
    {"tab", "groups:\n  - name: a\n\trules: []\n",
     "yaml: line 2: found a tab character that violates indentation",
     "yaml: line 3: found a tab character that violates indentation"},
    {"tab_in_value", "groups:\n  - name: a\n    rules:\n\t- record: x\n",
     "yaml: line 4: found character that cannot start any token",
     "yaml: line 4: found character that cannot start any token"},
    {"indent", "groups:\n  - name: a\n   rules: []\n",
     "yaml: line 1: did not find expected '-' indicator",
     "yaml: line 2: did not find expected '-' indicator"},
    {"sequence_indent", "groups:\n  - name: a\n    rules:\n      - record: x\n     - record: y\n",
     "yaml: line 1: did not find expected key", "yaml: line 4: did not find expected key"},
    {"unclosed_double_quote", "groups:\n  - name: \"a\n",
     "yaml: line 2: found unexpected end of stream",
     "yaml: line 3: found unexpected end of stream"},
    {"unclosed_single_quote", "groups:\n  - name: 'a\n    rules: []\n",
     "yaml: line 2: found unexpected end of stream",
     "yaml: line 4: found unexpected end of stream"},
    {"unclosed_flow_sequence", "groups: [\n  {name: a}\n",
     "yaml: line 2: did not find expected ',' or ']'",
     "yaml: line 2: did not find expected ',' or ']'"},
    {"unclosed_flow_mapping", "groups:\n  - {name: a, rules: []\n",
     "yaml: line 1: did not find expected ',' or '}'",
     "yaml: line 2: did not find expected ',' or '}'"},
    {"bad_escape", "groups:\n  - name: \"a\\qb\"\n", "yaml: line 2: found unknown escape character",
     "yaml: line 2: found unknown escape character"},
    {"bad_hex_escape", "groups:\n  - name: \"a\\x4g\"\n",
     "yaml: line 2: did not find expected hexdecimal number",
     "yaml: line 2: did not find expected hexdecimal number"},
    {"unknown_alias", "groups:\n  - name: *x\n", "yaml: unknown anchor 'x' referenced",
     "yaml: unknown anchor 'x' referenced"},
    {"repeated_anchor", "groups:\n  - name: &a x\n    rules: &a []\n", "", ""},
    {"block_indicator_zero", "groups:\n  - name: |0\n      x\n",
     "yaml: line 2: found an indentation indicator equal to 0",
     "yaml: line 2: found an indentation indicator equal to 0"},
    {"block_header", "groups:\n  - name: |x\n      x\n",
     "yaml: line 2: did not find expected comment or line break",
     "yaml: line 2: did not find expected comment or line break"},
    {"document_start_with_content", "groups:\n  - name: a\n--- x\n  - name: b\n",
     "yaml: line 4: mapping values are not allowed in this context", ""},
    {"indented_document_end", "groups:\n  - name: a\n  ...\n",
     "yaml: line 3: could not find expected ':'", "yaml: line 4: could not find expected ':'"},
    {"bom_inside", "groups:\n  - name: a\xEF\xBB\xBF\n", "", ""},
    {"control_character", "groups:\n  - name: a\x01\n", "yaml: control characters are not allowed",
     "yaml: control characters are not allowed"},
    {"mapping_value", "groups:\n  - name: a: b\n",
     "yaml: line 2: mapping values are not allowed in this context",
     "yaml: line 2: mapping values are not allowed in this context"},
    {"colon_in_flow_scalar", "groups: [a:]\n", "", ""},
    {"invalid_utf8", "groups:\n  - name: a\xFF\n", "yaml: invalid leading UTF-8 octet",
     "yaml: invalid leading UTF-8 octet"},
    {"unknown_directive", "%FOO bar\n---\ngroups: []\n", "yaml: found unknown directive name",
     "yaml: found unknown directive name"},
    {"yaml_1_2", "%YAML 1.2\n---\ngroups: []\n", "yaml: found incompatible YAML document",
     "yaml: found incompatible YAML document"},
    // yaml.v3 reads two tokens further than yaml.v2 before handing over the first document.
    {"error_in_second_document", "groups: []\n---\n\tbad: [\n",
     "yaml: line 3: found character that cannot start any token", ""},
    {"empty", "", "", ""},
};

std::string Got(std::string_view text, Version version) {
  return SyntaxError(text, version).value_or("");
}

TEST(GoYamlSyntax, MatchesYamlV3) {
  for (const auto& c : kCases) EXPECT_EQ(Got(c.text, Version::kV3), c.v3) << c.name;
}

TEST(GoYamlSyntax, MatchesYamlV2) {
  for (const auto& c : kCases) EXPECT_EQ(Got(c.text, Version::kV2), c.v2) << c.name;
}

}  // namespace
}  // namespace cerniq::goyaml
