#include "notifier/payload.h"

#include <gtest/gtest.h>

namespace cerniq::notifier {
namespace {

TEST(FormatTimeMillis, Rfc3339WithMillisecondsInUtc) {
  EXPECT_EQ(FormatTimeMillis(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatTimeMillis(1700000000123), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(FormatTimeMillis(951782400000), "2000-02-29T00:00:00.000Z");
}

TEST(EncodeAlerts, KeysAndOrderAsPrometheusPostableAlerts) {
  Alert a;
  a.labels = {{"alertname", "QueueBacklog"}, {"queue", "q<1>"}, {"severity", "warning"}};
  a.annotations = {{"summary", "waiting > 100"}};
  a.starts_at_ms = 1700000000000;
  a.ends_at_ms = 1700000240000;
  a.generator_url = "http://h:9755/graph?g0.expr=up&g0.tab=1";
  Alert bare;
  bare.labels = {{"alertname", "X"}};
  bare.starts_at_ms = 1700000000000;
  bare.ends_at_ms = 1700000001500;
  const std::vector<Alert> alerts{a, bare};
  EXPECT_EQ(
      EncodeAlerts(alerts),
      R"([{"annotations":{"summary":"waiting \u003e 100"},"endsAt":"2023-11-14T22:17:20.000Z",)"
      R"("startsAt":"2023-11-14T22:13:20.000Z",)"
      R"("generatorURL":"http://h:9755/graph?g0.expr=up\u0026g0.tab=1",)"
      R"("labels":{"alertname":"QueueBacklog","queue":"q\u003c1\u003e","severity":"warning"}},)"
      R"({"endsAt":"2023-11-14T22:13:21.500Z","startsAt":"2023-11-14T22:13:20.000Z",)"
      R"("labels":{"alertname":"X"}}])");
  EXPECT_EQ(EncodeAlerts({}), "[]");
}

}  // namespace
}  // namespace cerniq::notifier
