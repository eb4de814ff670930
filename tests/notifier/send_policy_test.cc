#include "notifier/send_policy.h"

#include <gtest/gtest.h>

namespace cerniq::notifier {
namespace {

constexpr int64_t kMin = 60'000;

TEST(SendPolicy, PendingAlertsAreNeverSent) {
  AlertTimes t;
  t.pending = true;
  EXPECT_FALSE(MarkSent(t, 10 * kMin, kMin, 15'000));
  EXPECT_EQ(t.last_sent_at_ms, 0);
}

TEST(SendPolicy, FiringAlertIsSentThenResentAfterTheDelay) {
  AlertTimes t;
  t.fired_at_ms = 1000 * kMin;
  ASSERT_TRUE(MarkSent(t, 1000 * kMin, kMin, 15'000));
  EXPECT_EQ(t.last_sent_at_ms, 1000 * kMin);
  EXPECT_EQ(t.valid_until_ms, 1004 * kMin);  // 4 * max(1m, 15s)
  EXPECT_FALSE(MarkSent(t, 1000 * kMin + 15'000, kMin, 15'000));
  EXPECT_FALSE(MarkSent(t, 1001 * kMin, kMin, 15'000));  // lastSent + delay is not before ts
  EXPECT_TRUE(MarkSent(t, 1001 * kMin + 1, kMin, 15'000));
}

TEST(SendPolicy, ValidUntilUsesTheGroupIntervalWhenLonger) {
  AlertTimes t;
  t.fired_at_ms = 5 * kMin;
  ASSERT_TRUE(MarkSent(t, 5 * kMin, kMin, 5 * kMin));
  EXPECT_EQ(t.valid_until_ms, 25 * kMin);
  Alert a = MakeAlert({{"alertname", "A"}}, {}, t, "u");
  EXPECT_EQ(a.starts_at_ms, 5 * kMin);
  EXPECT_EQ(a.ends_at_ms, 25 * kMin);
}

TEST(SendPolicy, ResolvedAlertIsSentAtOnceWithEndsAtResolvedAt) {
  AlertTimes t;
  t.fired_at_ms = 0;
  ASSERT_TRUE(MarkSent(t, 10 * kMin, kMin, 15'000));
  t.resolved_at_ms = 10 * kMin + 15'000;
  ASSERT_TRUE(MarkSent(t, 10 * kMin + 15'000, kMin, 15'000));
  Alert a = MakeAlert({{"alertname", "A"}}, {{"summary", "s"}}, t, "");
  EXPECT_EQ(a.ends_at_ms, 10 * kMin + 15'000);
  // Kept by the rule for 15 minutes, a resolved alert is resent every resend delay.
  EXPECT_FALSE(MarkSent(t, 10 * kMin + 30'000, kMin, 15'000));
  EXPECT_TRUE(MarkSent(t, 11 * kMin + 30'000, kMin, 15'000));
}

TEST(SendPolicy, GeneratorUrlIsPrometheusTableLink) {
  EXPECT_EQ(GeneratorUrl("http://host:9755", "sum(rate(x{a=\"b c\"}[5m])) > 0.5"),
            "http://host:9755/graph?g0.expr=sum%28rate%28x%7Ba%3D%22b+c%22%7D%5B5m%5D%29%29+%3E+0.5"
            "&g0.tab=1");
}

TEST(ExternalLabels, AddedUnlessTheAlertHasTheLabel) {
  LabelSet labels{{"alertname", "A"}, {"env", "prod"}};
  AddExternalLabels(labels, {{"cluster", "c1"}, {"env", "staging"}, {"zone", "z"}});
  EXPECT_EQ(labels,
            (LabelSet{{"alertname", "A"}, {"cluster", "c1"}, {"env", "prod"}, {"zone", "z"}}));
}

}  // namespace
}  // namespace cerniq::notifier
