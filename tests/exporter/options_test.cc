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
  EXPECT_EQ(o.options->notification_queue_capacity, 10000u);
  EXPECT_EQ(o.options->alertmanager_timeout, std::chrono::seconds(10));
}

TEST(AlertingOptions, QueueCapacityAndTimeout) {
  auto o = Parse(
      {"--alertmanager.notification-queue-capacity", "50", "--alertmanager.timeout", "1m30s"});
  ASSERT_TRUE(o.options) << o.message;
  EXPECT_EQ(o.options->notification_queue_capacity, 50u);
  EXPECT_EQ(o.options->alertmanager_timeout, std::chrono::seconds(90));
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
  EXPECT_EQ(Parse({"--alertmanager.timeout", "0s"}).exit_code, 2);
  EXPECT_EQ(Parse({"--alertmanager.timeout", "later"}).message,
            "error: invalid --alertmanager.timeout \"later\"\n");
  EXPECT_NE(Parse({"--alertmanager.notification-queue-capacity", "-1"}).exit_code, 0);
  auto twice = Parse({"--rules.external-label", "a=1", "--rules.external-label", "a=2"});
  EXPECT_EQ(twice.exit_code, 2);
  EXPECT_EQ(twice.message, "error: --rules.external-label a given twice\n");
}

}  // namespace
}  // namespace cerniq::exporter
