// pint's checks in `lint rules`: promql/regexp, promql/counter, alerts/annotation,
// alerts/comparison, rule/duplicate, and the `# cerniqtool disable` comments. Each check has
// cases that must be reported and look-alikes that must not.
#include <gtest/gtest.h>

#include "promql/matcher.h"
#include "rules/lint_alerts.h"
#include "rules/lint_promql.h"
#include "rules/linter.h"
#include "rules/rule_loader.h"

namespace cerniq::rules {
namespace {

struct Linted {
  std::vector<LintFinding> all;
  // The findings of one check.
  std::vector<LintFinding> Of(const std::string& check) const {
    std::vector<LintFinding> out;
    for (const auto& f : all) {
      if (f.check == check) out.push_back(f);
    }
    return out;
  }
};

Linted LintYaml(const std::string& yaml, const std::string& path = "r.yml") {
  auto loaded = ParseRuleFile(yaml);
  EXPECT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0]);
  if (!loaded.ok()) return {};
  return {LintRuleFile(path, yaml, *loaded.file, LintOptions{})};
}

// A recording rule file with one expression.
std::string Record(const std::string& expr) {
  return "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: " + expr + "\n";
}

// An alert with every required annotation, so only the check under test speaks.
std::string Alert(const std::string& expr, const std::string& extra = "") {
  return "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: " + expr +
         "\n        for: 5m\n" + extra +
         "        annotations:\n          summary: s\n"
         "          runbook_url: https://runbooks.example.com/r.md#a\n";
}

std::vector<std::string> RegexpMessages(promql::MatchType type, const std::string& value) {
  std::vector<std::string> out;
  for (const auto& p : RegexpMatcherProblems(promql::Matcher(type, "queue", value), "m"))
    out.push_back(std::string(SeverityName(p.severity)) + ": " + p.message + " | " + p.fix);
  return out;
}

TEST(LintRegexp, MatchersThatNeedNoRegexp) {
  using promql::MatchType;
  EXPECT_EQ(RegexpMessages(MatchType::kRegexMatch, "churn"),
            std::vector<std::string>{
                "warning: Unnecessary regexp match on static string `queue=~\"churn\"`, use "
                "`queue=\"churn\"` instead. | use queue=\"churn\""});
  // An escaped dot is a literal dot; `!~""` only asks for a non-empty value: use !="".
  EXPECT_EQ(RegexpMessages(MatchType::kRegexMatch, R"(a\.b)").size(), 1u);
  EXPECT_NE(RegexpMessages(MatchType::kRegexMatch, R"(a\.b)")[0].find("use queue=\"a.b\""),
            std::string::npos);
  EXPECT_NE(RegexpMessages(MatchType::kRegexNoMatch, "")[0].find("use queue!=\"\""),
            std::string::npos);
  // Real regexps are left alone: alternation, classes, escapes like \d, flags, .+ (non-empty).
  for (const char* re : {"churn|sentiment", "[a-z]+", R"(job\d)", "(?i)churn", ".+", "a.*"}) {
    EXPECT_TRUE(RegexpMessages(MatchType::kRegexMatch, re).empty()) << re;
  }
}

TEST(LintRegexp, WildcardsAndAnchors) {
  using promql::MatchType;
  auto all = RegexpMessages(MatchType::kRegexMatch, ".*");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_NE(all[0].find("warning: Unnecessary wildcard regexp `queue=~\".*\"`"), std::string::npos);
  EXPECT_NE(all[0].find("use `m` to match on all `queue` values"), std::string::npos);
  auto none = RegexpMessages(MatchType::kRegexNoMatch, ".*");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_NE(none[0].find("bug: `queue!~\".*\"` matches no series at all"), std::string::npos);
  // ^...$: the anchors, and then the literal left inside them.
  auto anchored = RegexpMessages(MatchType::kRegexMatch, "^churn$");
  ASSERT_EQ(anchored.size(), 2u);
  EXPECT_NE(anchored[0].find("automatically fully anchored"), std::string::npos);
  EXPECT_NE(anchored[1].find("use queue=\"churn\""), std::string::npos);
  EXPECT_EQ(RegexpMessages(MatchType::kRegexMatch, "^(churn|sentiment)").size(), 1u);
  // An escaped $ is a literal dollar sign, and ^ of one branch is not redundant.
  EXPECT_TRUE(RegexpMessages(MatchType::kRegexMatch, R"([a-z]+\$)").empty());
  EXPECT_TRUE(RegexpMessages(MatchType::kRegexMatch, "^a.*|b.*").empty());
}

TEST(LintRegexp, PlacedOnTheMatcherWithTheSelectorLeftAfterRemovingIt) {
  auto f = LintYaml(Record(R"(sum(bullmq_queue_waiting{prefix="bull", queue=~".*"}))"))
               .Of("promql/regexp");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 5);
  EXPECT_EQ(f[0].column, 55);  // `queue` inside the braces
  EXPECT_NE(f[0].fix.find("`bullmq_queue_waiting{prefix=\"bull\"}`"), std::string::npos);
  EXPECT_TRUE(LintYaml(Record(R"(sum(bullmq_queue_waiting{queue=~"churn|hitl"}))")).all.empty());
}

TEST(LintCounter, RawCountersFromTheCatalogueAndByName) {
  auto f = LintYaml(Record("bullmq_jobs_failed_total + other_requests_total")).Of("promql/counter");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].column, 15);
  EXPECT_NE(f[0].message.find("`bullmq_jobs_failed_total` is a counter in cerniq_exporter's"),
            std::string::npos);
  EXPECT_NE(f[1].message.find("`other_requests_total` is named like a counter"), std::string::npos);
  EXPECT_EQ(f[1].severity, Severity::kWarning);
  // Inside max() or a comparison it is still the raw value.
  EXPECT_EQ(LintYaml(Alert("max(graph_build_failures_total) > 3")).Of("promql/counter").size(), 1u);
}

TEST(LintCounter, SafeUses) {
  for (const char* expr :
       {"sum(rate(bullmq_jobs_failed_total[5m]))", "increase(graph_build_failures_total[1h])",
        "resets(bullmq_jobs_added_total[1h])", "absent(bullmq_jobs_added_total)",
        "count(bullmq_jobs_added_total)", "bullmq_queue_waiting unless bullmq_jobs_added_total",
        "max_over_time(rate(bullmq_jobs_added_total[5m])[1h:1m])", "bullmq_queue_waiting > 3"}) {
    EXPECT_TRUE(LintYaml(Record(expr)).Of("promql/counter").empty()) << expr;
  }
  // A recording rule's output, even named _total, is what the rule made of it.
  EXPECT_TRUE(LintYaml("groups:\n  - name: g\n    rules:\n      - record: x_total\n"
                       "        expr: sum(rate(bullmq_jobs_added_total[5m]))\n"
                       "      - record: y\n        expr: x_total * 2\n")
                  .Of("promql/counter")
                  .empty());
}

TEST(LintAnnotation, RequiredAnnotationsAndRunbookUrl) {
  auto f = LintYaml(
               "groups:\n  - name: g\n    rules:\n      - alert: NoNotes\n"
               "        expr: bullmq_queue_waiting > 5\n        for: 5m\n"
               "      - alert: BadLink\n        expr: bullmq_queue_waiting > 5\n        for: 5m\n"
               "        annotations:\n          summary: s\n"
               "          runbook_url: runbooks/etapa5.md#31\n")
               .Of("alerts/annotation");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].message, "`summary` annotation is required.");
  EXPECT_EQ(f[0].line, 4);
  EXPECT_EQ(f[0].column, 16);
  EXPECT_EQ(f[1].message, "`runbook_url` annotation is required.");
  EXPECT_EQ(f[2].line, 12);
  EXPECT_EQ(f[2].column, 11);
  EXPECT_EQ(f[2].severity, Severity::kBug);
  EXPECT_NE(f[2].message.find("absolute http(s) URL, got `runbooks/etapa5.md#31`"),
            std::string::npos);
  // Recording rules need no annotations; a complete alert passes.
  EXPECT_TRUE(LintYaml(Record("sum(bullmq_queue_waiting)")).Of("alerts/annotation").empty());
  EXPECT_TRUE(LintYaml(Alert("bullmq_queue_waiting > 5")).Of("alerts/annotation").empty());
}

TEST(LintAnnotation, AbsoluteHttpUrls) {
  EXPECT_TRUE(IsAbsoluteHttpUrl("https://runbooks.example.com/cerniq/etapa5.md#31-high"));
  EXPECT_TRUE(IsAbsoluteHttpUrl("HTTP://host:8080"));
  EXPECT_TRUE(IsAbsoluteHttpUrl("https://wiki.example.com/q/{{ $labels.queue }}"));
  for (const char* bad : {"", "/runbook", "ftp://host/x", "https://", "https:///path",
                          "https://host/a b", "https://{{ $labels.host }}/x", "https://h/{{ x"}) {
    EXPECT_FALSE(IsAbsoluteHttpUrl(bad)) << bad;
  }
}

TEST(LintComparison, AlertsThatAlwaysFire) {
  auto none = LintYaml(Alert("sum by (queue) (bullmq_queue_waiting)")).Of("alerts/comparison");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].message,
            "This query doesn't have any condition and so this alert will always fire if it "
            "matches anything.");
  EXPECT_EQ(none[0].column, 15);
  auto with_bool = LintYaml(Alert("bullmq_queue_waiting > bool 5")).Of("alerts/comparison");
  ASSERT_EQ(with_bool.size(), 1u);
  EXPECT_NE(with_bool[0].message.find("`bool` modifier"), std::string::npos);
  // `or`: the part without a condition is reported on its own.
  auto part = LintYaml(Alert("bullmq_queue_waiting > 5 or vector(1)")).Of("alerts/comparison");
  ASSERT_EQ(part.size(), 1u);
  EXPECT_EQ(part[0].column, 43);
  EXPECT_NE(part[0].message.find("If other parts of this query"), std::string::npos);
  // Recording rules are not alerts.
  EXPECT_TRUE(LintYaml(Record("sum(bullmq_queue_waiting)")).Of("alerts/comparison").empty());
}

TEST(LintComparison, ConditionsAndAbsent) {
  for (const char* expr :
       {"bullmq_queue_waiting > 5", "sum by (queue) (rate(bullmq_jobs_failed_total[5m]) > 0)",
        "(bullmq_queue_waiting > 5) * 2", "bullmq_queue_waiting and bullmq_queue_active > 0",
        "bullmq_queue_waiting unless bullmq_queue_paused", "absent(up{job=\"cerniq\"})",
        "absent_over_time(bullmq_queue_waiting[10m])",
        "label_replace(bullmq_queue_failed > 0, \"q\", \"$1\", \"queue\", \"(.*)\")"}) {
    EXPECT_TRUE(LintYaml(Alert(expr)).Of("alerts/comparison").empty()) << expr;
  }
}

TEST(LintDuplicate, RecordingRulesAcrossFilesAndIdenticalAlerts) {
  const std::string a =
      "groups:\n  - name: a\n    rules:\n      - record: q:w:sum\n        expr: "
      "sum(bullmq_queue_waiting)\n      - record: q:w:sum\n        expr: "
      "sum(bullmq_queue_waiting)\n"
      "        labels: {env: prod}\n";
  const std::string b =
      "groups:\n  - name: b\n    rules:\n      - record: q:w:sum\n        expr: sum( "
      "bullmq_queue_waiting )\n      - record: q:w:sum\n        expr: max(bullmq_queue_waiting)\n"
      "        labels: {env: prod}\n";
  auto fa = ParseRuleFile(a), fb = ParseRuleFile(b);
  ASSERT_TRUE(fa.ok() && fb.ok());
  std::vector<LintFinding> f;
  for (auto& x : LintRuleFiles({{"a.yml", a, *fa.file}, {"b.yml", b, *fb.file}}, {})) {
    if (x.check == "rule/duplicate") f.push_back(x);
  }
  ASSERT_EQ(f.size(), 2u) << FormatFindingsText(f);
  EXPECT_EQ(FormatFindingsText({f[0]}),
            "b.yml:4:17: bug: rule/duplicate: Duplicated rule, identical rule found at a.yml:4. "
            "(fix: remove one of them, or give them different labels)\n");
  EXPECT_NE(f[1].message.find("also defined at a.yml:6 with another query"), std::string::npos);

  // Alerts: the same name and labels with another query are distinct rules.
  const std::string alerts = Alert("bullmq_queue_waiting > 5") +
                             "      - alert: A\n        expr: bullmq_queue_waiting  >  5\n" +
                             "      - alert: A\n        expr: bullmq_queue_waiting > 9\n";
  auto dup = LintYaml(alerts).Of("rule/duplicate");
  ASSERT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup[0].line, 10);
  EXPECT_NE(dup[0].message.find("identical rule found in the `A` alert at `r.yml:4`"),
            std::string::npos);
}

TEST(LintComments, DisableForOneRuleOrTheWholeFile) {
  const std::string yaml =
      "groups:\n  - name: g\n    rules:\n"
      "      # cerniqtool disable promql/counter\n"
      "      - record: a\n        expr: bullmq_jobs_added_total\n"
      "      - record: b\n        expr: bullmq_jobs_failed_total  # cerniqtool disable "
      "promql/counter\n"
      "      - record: c\n        expr: bullmq_jobs_completed_total\n"
      "      # cerniqtool disable promql/regexp\n";  // trails c: belongs to no rule
  auto f = LintYaml(yaml).Of("promql/counter");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 10);
  const std::string header = "# Rules.\n# cerniqtool disable promql/counter\n" + yaml;
  EXPECT_TRUE(LintYaml(header).Of("promql/counter").empty());
  const std::string anywhere = yaml + "# cerniqtool file/disable promql/counter(prod)\n";
  EXPECT_TRUE(LintYaml(anywhere).Of("promql/counter").empty());
  // A comment above one rule does not reach the next one.
  const std::string above =
      "groups:\n  - name: g\n    rules:\n      # cerniqtool disable promql/counter\n"
      "      - record: a\n        expr: bullmq_jobs_added_total\n\n"
      "      - record: b\n        expr: bullmq_jobs_failed_total\n";
  auto next = LintYaml(above).Of("promql/counter");
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].line, 9);
}

TEST(LintComments, UnknownCheckNamesAreReported) {
  auto f = LintYaml("# cerniqtool disable promql/countr\n" + Record("sum(bullmq_queue_waiting)"))
               .Of("cerniqtool/comment");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].line, 1);
  EXPECT_NE(f[0].message.find("`promql/countr` is not a check"), std::string::npos);
}

TEST(LintSeverity, NamesAndJson) {
  EXPECT_EQ(ParseSeverity("bug"), Severity::kBug);
  EXPECT_EQ(ParseSeverity("warning"), Severity::kWarning);
  EXPECT_EQ(ParseSeverity("info"), Severity::kInfo);
  EXPECT_FALSE(ParseSeverity("error"));
  auto f = LintYaml(Record("nope_metric")).all;
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(FormatFindingsJson(f).find("\"severity\": \"bug\""), std::string::npos);
}

}  // namespace
}  // namespace cerniq::rules
