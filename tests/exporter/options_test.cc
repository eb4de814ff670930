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

TEST(AlertingOptions, ExternalUrlAsPrometheusComputesIt) {
  std::string out, error;
  ASSERT_TRUE(ComputeExternalUrl("", ":9755", "box", out, error)) << error;
  EXPECT_EQ(out, "http://box:9755");
  ASSERT_TRUE(ComputeExternalUrl("", "[::1]:9100", "box", out, error)) << error;
  EXPECT_EQ(out, "http://box:9100");
  ASSERT_TRUE(ComputeExternalUrl("https://proxy.example/cerniq//", ":1", "box", out, error));
  EXPECT_EQ(out, "https://proxy.example/cerniq");
  EXPECT_EQ(ExternalUrlPath(out), "/cerniq");
  ASSERT_TRUE(ComputeExternalUrl("http://h:9755/", ":1", "box", out, error));
  EXPECT_EQ(out, "http://h:9755");
  EXPECT_EQ(ExternalUrlPath(out), "");
  ASSERT_TRUE(ComputeExternalUrl("/relative/", ":1", "box", out, error));
  EXPECT_EQ(out, "/relative");
  EXPECT_FALSE(ComputeExternalUrl("\"http://h/\"", ":1", "box", out, error));
  EXPECT_EQ(error, "URL must not begin or end with quotes");
  EXPECT_FALSE(ComputeExternalUrl("h:9755", ":1", "box", out, error));
  EXPECT_FALSE(ComputeExternalUrl("http:///path", ":1", "box", out, error));
}

TEST(AlertingOptions, ExternalUrlDrainAndForRestoreFlags) {
  auto d = Parse({"--web.listen-address", "127.0.0.1:9999"});
  ASSERT_TRUE(d.options) << d.message;
  EXPECT_TRUE(d.options->external_url.starts_with("http://"));
  EXPECT_TRUE(d.options->external_url.ends_with(":9999"));
  EXPECT_TRUE(d.options->drain_notifications_on_shutdown);
  EXPECT_EQ(d.options->for_outage_tolerance, std::chrono::hours(1));
  EXPECT_EQ(d.options->for_grace_period, std::chrono::minutes(10));
  auto o =
      Parse({"--web.external-url", "https://p.example/x/",
             "--no-alertmanager.drain-notification-queue-on-shutdown",
             "--rules.alert.for-outage-tolerance", "2h", "--rules.alert.for-grace-period", "0s"});
  ASSERT_TRUE(o.options) << o.message;
  EXPECT_EQ(o.options->external_url, "https://p.example/x");
  EXPECT_FALSE(o.options->drain_notifications_on_shutdown);
  EXPECT_EQ(o.options->for_outage_tolerance, std::chrono::hours(2));
  EXPECT_EQ(o.options->for_grace_period, std::chrono::milliseconds(0));
  EXPECT_EQ(Parse({"--rules.alert.for-grace-period", "-1m"}).message,
            "error: invalid --rules.alert.for-grace-period \"-1m\"\n");
  EXPECT_EQ(Parse({"--web.external-url", "'x'"}).exit_code, 2);
}

}  // namespace
}  // namespace cerniq::exporter

namespace cerniq::exporter {
namespace {

TEST(StorageAndQueryOptions, DefaultsAsPrometheus) {
  auto o = Parse({});
  ASSERT_TRUE(o.options) << o.message;
  EXPECT_EQ(o.options->storage_retention.count(), 3'600'000);
  EXPECT_EQ(o.options->storage_max_bytes, 0u);
  EXPECT_EQ(o.options->storage_path, "");
  EXPECT_EQ(o.options->storage_checkpoint_interval.count(), 300'000);
  EXPECT_EQ(o.options->query_timeout.count(), 120'000);
  EXPECT_EQ(o.options->query_max_concurrency, 20);
  EXPECT_EQ(o.options->query_max_samples, 50'000'000);
  EXPECT_EQ(o.options->query_lookback_delta.count(), 300'000);
  EXPECT_FALSE(o.options->web_enable_lifecycle);
}

TEST(StorageAndQueryOptions, FlagsAreRead) {
  auto o = Parse({"--storage.retention", "2h30m", "--storage.max-bytes", "64MiB", "--storage.path",
                  "/tmp/h", "--storage.checkpoint-interval", "30s", "--query.timeout", "10s",
                  "--query.max-concurrency", "4", "--query.max-samples", "1000",
                  "--query.lookback-delta", "1m", "--web.enable-lifecycle"});
  ASSERT_TRUE(o.options) << o.message;
  EXPECT_EQ(o.options->storage_retention.count(), 9'000'000);
  EXPECT_EQ(o.options->storage_max_bytes, 64u << 20);
  EXPECT_EQ(o.options->storage_path, "/tmp/h");
  EXPECT_EQ(o.options->storage_checkpoint_interval.count(), 30'000);
  EXPECT_EQ(o.options->query_timeout.count(), 10'000);
  EXPECT_EQ(o.options->query_max_concurrency, 4);
  EXPECT_EQ(o.options->query_max_samples, 1000);
  EXPECT_EQ(o.options->query_lookback_delta.count(), 60'000);
  EXPECT_TRUE(o.options->web_enable_lifecycle);
}

TEST(LimitOptions, DefaultsFlagsAndBadValues) {
  auto d = Parse({});
  ASSERT_TRUE(d.options) << d.message;
  EXPECT_EQ(d.options->collector_max_series, 20000u);
  EXPECT_EQ(d.options->collector_max_label_value_length, 2048u);
  EXPECT_EQ(d.options->web_max_connections, 512u) << "Prometheus's default";
  EXPECT_EQ(d.options->web_max_request_body_bytes, 64u * 1024);
  auto o = Parse({"--collector.max-series", "0", "--collector.max-label-value-length", "100",
                  "--web.max-connections", "9", "--web.max-request-body-bytes", "1MiB"});
  ASSERT_TRUE(o.options) << o.message;
  EXPECT_EQ(o.options->collector_max_series, 0u);
  EXPECT_EQ(o.options->collector_max_label_value_length, 100u);
  EXPECT_EQ(o.options->web_max_connections, 9u);
  EXPECT_EQ(o.options->web_max_request_body_bytes, 1u << 20);
  EXPECT_NE(Parse({"--web.max-connections", "0"}).exit_code, 0);
  EXPECT_NE(Parse({"--collector.max-series", "many"}).exit_code, 0);
  auto body = Parse({"--web.max-request-body-bytes", "0"});
  EXPECT_EQ(body.exit_code, 1);
  EXPECT_EQ(body.message, "error: invalid --web.max-request-body-bytes 0\n");
}

TEST(StorageAndQueryOptions, BadValuesAreErrors) {
  auto retention = Parse({"--storage.retention", "forever"});
  EXPECT_EQ(retention.exit_code, 1);
  EXPECT_EQ(retention.message, "error: invalid --storage.retention forever\n");
  EXPECT_EQ(Parse({"--storage.max-bytes", "64 MB"}).exit_code, 1);
  EXPECT_EQ(Parse({"--storage.max-bytes", "-1"}).exit_code, 1);
  EXPECT_EQ(Parse({"--query.timeout", "0s"}).exit_code, 1);
  EXPECT_EQ(Parse({"--query.lookback-delta", "5"}).exit_code, 1);
  EXPECT_NE(Parse({"--query.max-concurrency", "0"}).exit_code, 0);
  EXPECT_NE(Parse({"--query.max-samples", "many"}).exit_code, 0);
}

TEST(StorageAndQueryOptions, ByteSizesAsPrometheusUnits) {
  EXPECT_EQ(ParseByteSize("0"), 0u);
  EXPECT_EQ(ParseByteSize("512"), 512u);
  EXPECT_EQ(ParseByteSize("512B"), 512u);
  EXPECT_EQ(ParseByteSize("2KB"), 2048u);
  EXPECT_EQ(ParseByteSize("64MB"), 64u << 20);
  EXPECT_EQ(ParseByteSize("1GiB"), 1u << 30);
  EXPECT_EQ(ParseByteSize("MB"), std::nullopt);
  EXPECT_EQ(ParseByteSize("1 MB"), std::nullopt);
  EXPECT_EQ(ParseByteSize("1mb"), std::nullopt);
}

}  // namespace
}  // namespace cerniq::exporter
