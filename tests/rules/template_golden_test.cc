// Alert templates against promtool 2.42's recorded `test rules` outputs: the golden cases
// test-template-functions and test-template-value-format list every annotation of tmpl_rules.yml
// for many values; we expand the same templates and compare byte for byte.
#include <gtest/gtest.h>

#include "golden.h"
#include "promtool_output.h"
#include "rules/alert_template.h"
#include "rules/rule_loader.h"
#include "rules/template_funcs.h"

namespace cerniq::rules {
namespace {

void ExpectGoldenAnnotations(const std::string& case_name, const std::string& test_file) {
  auto golden = testing::GoldenPromtoolDir();
  if (!golden) GTEST_SKIP() << "CERNIQ_SHARED_DIR/golden/promtool not found";
  const auto dir = *golden / case_name;
  auto rules = LoadRuleFile((dir / "tmpl_rules.yml").string());
  ASSERT_TRUE(rules.ok());
  const Rule& rule = rules.file->groups.at(0).rules.at(0);
  const std::string test_yaml = testing::ReadText(dir / test_file);
  const bool has_external = test_yaml.find("external_url") != std::string::npos;

  auto alerts = testing::ParseListedAlerts(testing::ReadText(dir / "stderr"));
  ASSERT_FALSE(alerts.empty());
  for (const auto& alert : alerts) {
    const std::string k = alert.labels.at("k");
    tmpl::AlertData data;
    data.labels = {{"__name__", "v"}, {"k", k}};
    data.value = std::get<double>(tmpl::GoParseFloat(k));
    if (has_external) {
      data.external_labels = {{"cluster", "prod"}};
      data.external_url = "http://example.com/prom";
    }
    for (const auto& [name, text] : rule.annotations) {
      EXPECT_EQ(ExpandAlertTemplate(rule.alert, text, data, {}), alert.annotations.at(name))
          << "k=" << k << " annotation " << name << ": " << text;
    }
  }
}

TEST(TemplateGolden, TemplateFunctions) {
  ExpectGoldenAnnotations("test-template-functions", "t_tmpl.yml");
}
TEST(TemplateGolden, ValueFormat) {
  ExpectGoldenAnnotations("test-template-value-format", "t_tmpl2.yml");
}

}  // namespace
}  // namespace cerniq::rules
