// Loader edge cases; every expected text was produced by promtool 2.42 (`promtool check rules`).
#include <gtest/gtest.h>

#include "rules/rule_loader.h"

namespace cerniq::rules {
namespace {

std::vector<std::string> Errors(std::string_view yaml) { return ParseRuleFile(yaml).errors; }

using Lines = std::vector<std::string>;

TEST(RuleLoader, ModelOfAValidFile) {
  auto r = ParseRuleFile(R"(groups:
  - name: g
    interval: 5m
    limit: 7
    rules:
      - alert: A
        expr: up == 0
        for: 1h30m
        keep_firing_for: 1d1ms
        labels: {severity: page}
        annotations:
          summary: "{{ $value }}"
      - record: job:up:sum
        expr: sum by (job) (up)
)");
  ASSERT_TRUE(r.ok()) << r.errors[0];
  ASSERT_EQ(r.file->groups.size(), 1u);
  const auto& g = r.file->groups[0];
  EXPECT_EQ(g.name, "g");
  EXPECT_EQ(g.interval_ms, 5 * 60 * 1000);
  EXPECT_EQ(g.limit, 7);
  ASSERT_EQ(g.rules.size(), 2u);
  EXPECT_EQ(g.rules[0].alert, "A");
  EXPECT_EQ(g.rules[0].expr, "up == 0");
  EXPECT_EQ(g.rules[0].expr_pos.line, 7);
  EXPECT_EQ(g.rules[0].expr_pos.column, 15);
  EXPECT_EQ(g.rules[0].for_ms, 90 * 60 * 1000);
  EXPECT_EQ(g.rules[0].keep_firing_for_ms, 86400 * 1000 + 1);
  EXPECT_EQ(g.rules[0].labels.at("severity"), "page");
  EXPECT_EQ(g.rules[0].annotations.at("summary"), "{{ $value }}");
  EXPECT_TRUE(g.rules[1].record == "job:up:sum" && !g.rules[1].IsAlerting());
  EXPECT_EQ(r.file->RuleCount(), 2u);
}

TEST(RuleLoader, TypeErrorsDuplicateKeysAndUnknownFieldsInDocumentOrder) {
  EXPECT_EQ(Errors(R"(groups:
  - name: g
    limit: abc
    interval: [1]
    rules:
      - alert: X
        expr: up
        expr: down
        labels: "x"
      - record: r
        keep_firing_for: 5m
        expr: [a]
        foo: 1
  - name: g
    name: h
foo: 2
)"),
            Lines{"yaml: unmarshal errors:\n"
                  "  line 3: cannot unmarshal !!str `abc` into int\n"
                  "  line 4: cannot unmarshal !!seq into string\n"
                  "  line 8: mapping key \"expr\" already defined at line 7\n"
                  "  line 13: field foo not found in type rulefmt.RuleNode\n"
                  "  line 15: mapping key \"name\" already defined at line 14\n"
                  "  line 16: field foo not found in type rulefmt.RuleGroups"});
}

TEST(RuleLoader, DuplicateLabelKeys) {
  EXPECT_EQ(
      Errors("groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up\n"
             "        labels:\n          a: b\n          a: c\n"),
      Lines{"yaml: unmarshal errors:\n  line 8: mapping key \"a\" already defined at line 7"});
}

TEST(RuleLoader, TopLevelShapeErrorsComeFromBothDecodes) {
  EXPECT_EQ(Errors("foo\n"),
            (Lines{"yaml: unmarshal errors:\n"
                   "  line 1: cannot unmarshal !!str `foo` into rulefmt.RuleGroups",
                   "yaml: unmarshal errors:\n"
                   "  line 1: cannot unmarshal !!str `foo` into rulefmt.ruleGroups"}));
  EXPECT_EQ(Errors("groups: x\n"),
            (Lines{"yaml: unmarshal errors:\n"
                   "  line 1: cannot unmarshal !!str `x` into []rulefmt.RuleGroup",
                   "yaml: unmarshal errors:\n"
                   "  line 1: cannot unmarshal !!str `x` into []yaml.Node"}));
  const std::string dup =
      "yaml: unmarshal errors:\n  line 11: mapping key \"groups\" already defined at line 1";
  EXPECT_EQ(Errors(R"(groups:
  - name: g
    rules:
      - alert: A
        expr: up
        for: 1y2w3d4h5m6s7ms
        labels:
          a: b
          a: c
          a: d
groups: []
)"),
            (Lines{dup, dup}));
}

TEST(RuleLoader, ScalarTypesInErrors) {
  EXPECT_EQ(Errors(R"(groups:
  - name: g
    limit: "3"
    rules: {a: b}
  - name: h
    limit: true
    rules: "abcdefghijklmnop"
  - 5
  - name: i
    limit: 2001-01-01
    rules: [1]
)"),
            Lines{"yaml: unmarshal errors:\n"
                  "  line 3: cannot unmarshal !!str `3` into int\n"
                  "  line 4: cannot unmarshal !!map into []rulefmt.RuleNode\n"
                  "  line 6: cannot unmarshal !!bool `true` into int\n"
                  "  line 7: cannot unmarshal !!str `abcdefg...` into []rulefmt.RuleNode\n"
                  "  line 8: cannot unmarshal !!int `5` into rulefmt.RuleGroup\n"
                  "  line 10: cannot unmarshal !!timestamp `2001-01-01` into int\n"
                  "  line 11: cannot unmarshal !!int `1` into rulefmt.RuleNode"});
  EXPECT_EQ(Errors("groups: [a]\n"),
            Lines{"yaml: unmarshal errors:\n"
                  "  line 1: cannot unmarshal !!str `a` into rulefmt.RuleGroup"});
  EXPECT_EQ(Errors("groups:\n  - name: g\n    rules:\n      - expr: up\n        labels:\n"
                   "          x: 1\n          y: [1]\n          z:\n"),
            Lines{"yaml: unmarshal errors:\n  line 7: cannot unmarshal !!seq into string"});
}

TEST(RuleLoader, BadDurationsAbortTheDecode) {
  EXPECT_EQ(Errors("groups:\n  - name: g\n    rules:\n      - alert: X\n        expr: up\n"
                   "        for: 5\n"),
            Lines{"not a valid duration string: \"5\""});
  EXPECT_EQ(Errors("groups:\n- name: 5\n  interval: 1x\n  rules:\n"),
            Lines{"not a valid duration string: \"1x\""});
  // The type error of `limit` is dropped: the duration error aborts decoding.
  EXPECT_EQ(Errors("groups:\n  - name: g\n    limit: x\n    rules:\n      - alert: A\n"
                   "        expr: up\n        for: -1m\n"),
            Lines{"not a valid duration string: \"-1m\""});
  EXPECT_EQ(Errors("groups:\n  - name: g\n    rules:\n      - alert: B\n        expr: up\n"
                   "        for: \"\"\n"),
            Lines{"empty duration string"});
}

TEST(RuleLoader, EmptyAndCommentOnlyFilesHaveNoRules) {
  for (const char* text : {"", "# comment only\n", "---\n"}) {
    auto r = ParseRuleFile(text);
    ASSERT_TRUE(r.ok()) << text;
    EXPECT_EQ(r.file->RuleCount(), 0u);
  }
}

TEST(RuleLoader, ValidationErrors) {
  EXPECT_EQ(Errors(R"(groups:
  - rules:
      - record: "0"
        expr: up
      - alert: ""
        record: ""
        expr: up
)"),
            (Lines{"2:5: Groupname must not be empty",
                   "3:17: group \"\", rule 1, \"0\": invalid recording rule name: 0",
                   "6:17: group \"\", rule 2, \"\": one of 'record' or 'alert' must be set"}));
  EXPECT_EQ(Errors("groups:\n  - name: g\n    rules:\n      - expr: up\n      - alert: A\n"),
            (Lines{"0:0: group \"g\", rule 1, \"\": one of 'record' or 'alert' must be set",
                   "0:0: group \"g\", rule 2, \"A\": field 'expr' must be set in rule"}));
  EXPECT_EQ(Errors(R"(groups:
  - name: g
    interval: '0'
    limit: 1.9
    rules:
      - alert: A
        expr: up
      - record: r
        expr: up
        keep_firing_for: 1m
      - alert: "q\"x\u00e9\t"
        expr: up
        labels:
          x y: 1
          __name__: x
)"),
            (Lines{"8:17: group \"g\", rule 2, \"r\": invalid field 'keep_firing_for' in "
                   "recording rule",
                   "group \"g\", rule 3, \"q\\\"x\u00e9\\t\": invalid label name: __name__",
                   "group \"g\", rule 3, \"q\\\"x\u00e9\\t\": invalid label name: x y"}));
}

TEST(RuleLoader, ExpressionErrorsComeFromThePromqlParser) {
  // promtool 2.42 prints exactly this for the file.
  auto r = ParseRuleFile("groups:\n  - name: g\n    rules:\n      - record: r\n        expr: x(\n");
  EXPECT_EQ(r.errors, Lines{"5:15: group \"g\", rule 1, \"r\": could not parse expression: 1:3: "
                            "parse error: unclosed left parenthesis"});
}

TEST(RuleLoader, SyntaxErrorsAreReportedTwiceAndNeverThrow) {
  auto errors = Errors("groups:\n  - name: g\n    rules:\n      - alert: X\n      expr: up\n");
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], errors[1]);
  EXPECT_EQ(errors[0].rfind("yaml: line ", 0), 0u) << errors[0];
  for (const char* bad : {"[", "{a: b", "groups: [\n", "\t- x", "a: b: c", "- - - ["}) {
    EXPECT_FALSE(Errors(bad).empty()) << bad;
  }
}

TEST(RuleLoader, UnterminatedQuotedScalar) {
  // promtool: both decodes fail with libyaml's scanner error at the scalar's line.
  const std::string err = "yaml: line 5: found unexpected end of stream";
  EXPECT_EQ(Errors("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: \"up\n"),
            (Lines{err, err}));
  EXPECT_EQ(Errors("groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: 'it''s\n"),
            (Lines{err, err}));
  EXPECT_TRUE(Errors("groups:\n  - name: 'it''s'\n    rules:\n      - alert: \"a\\\"b\"\n"
                     "        expr: up\n")
                  .empty());
}

TEST(RuleLoader, MissingFileError) {
  auto r = LoadRuleFile("/nonexistent/x.yml");
  EXPECT_EQ(r.errors,
            Lines{"/nonexistent/x.yml: open /nonexistent/x.yml: no such file or directory"});
}

}  // namespace
}  // namespace cerniq::rules
