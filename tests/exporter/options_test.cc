#include "options.h"

#include <gtest/gtest.h>

namespace cerniq::exporter {
namespace {

ParseOutcome Parse(std::vector<const char*> args) {
  args.insert(args.begin(), "cerniq_exporter");
  return ParseOptions(static_cast<int>(args.size()), args.data());
}

TEST(AlertingOptions, DefaultsAsPrometheus) {
  auto o = Parse({});
  ASSERT_TRUE(o.options) << o.message;
  EXPECT_TRUE(o.options->alertmanager_urls.empty());
  EXPECT_EQ(o.options->resend_delay_ms, 60'000);
  EXPECT_TRUE(o.options->external_labels.empty());
}

TEST(AlertingOptions, RepeatableUrlsDelayAndSortedExternalLabels) {
  auto o = Parse({"--alertmanager.url", "http://a:9093", "--alertmanager.url", "http://b:9093",
                  "--rules.alert.resend-delay", "90s", "--rules.external-label", "zone=eu=1",
                  "--rules.external-label", "cluster=c1"});
  ASSERT_TRUE(o.options) << o.message;
  EXPECT_EQ(o.options->alertmanager_urls,
            (std::vector<std::string>{"http://a:9093", "http://b:9093"}));
  EXPECT_EQ(o.options->resend_delay_ms, 90'000);
  EXPECT_EQ(o.options->external_labels, (notifier::LabelSet{{"cluster", "c1"}, {"zone", "eu=1"}}));
}

TEST(AlertingOptions, BadValuesAreErrors) {
  EXPECT_EQ(Parse({"--rules.alert.resend-delay", "soon"}).exit_code, 2);
  EXPECT_EQ(Parse({"--rules.external-label", "novalue"}).exit_code, 2);
  EXPECT_EQ(Parse({"--rules.external-label", "1a=b"}).exit_code, 2);
  auto twice = Parse({"--rules.external-label", "a=1", "--rules.external-label", "a=2"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.message, "error: --rules.external-label a given twice\n");
}

}  // namespace
}  // namespace cerniq::exporter
