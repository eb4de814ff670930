// The evaluation slots of a group agree with a real Prometheus 2.42 holding the same rule file:
// the timestamp of a recording rule's samples modulo the interval is the group's offset
// (hash of file and name). Skips without /usr/bin/prometheus.
#include <unistd.h>

#include <cmath>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "evaluator/eval_timestamp.h"
#include "support/http_get.h"
#include "support/subprocess.h"
#include "support/wait.h"
#include "test_support.h"

namespace cerniq::evaluator {
namespace {

constexpr int64_t kIntervalNs = 1'000'000'000;

// timestamp(<metric>) in milliseconds from Prometheus, once it has a sample.
std::optional<int64_t> SampleTimestampMs(int port, const std::string& metric) {
  auto r = cerniq::testing::HttpGet("http://127.0.0.1:" + std::to_string(port) +
                                    "/api/v1/query?query=timestamp(" + metric + ")");
  if (r.status != 200) return std::nullopt;
  auto result = nlohmann::json::parse(r.body)["data"]["result"];
  if (result.empty()) return std::nullopt;
  const double seconds = std::stod(result[0]["value"][1].get<std::string>());
  return std::llround(seconds * 1000);
}

TEST(SlotsAgainstPrometheus, RecordingTimestampsSitAtTheGroupsOffset) {
  if (access("/usr/bin/prometheus", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/prometheus";
  testing::TempDir dir;
  const std::string rules = dir.Write("slots.yaml", R"(groups:
  - name: slot-a
    interval: 1s
    rules:
      - record: slot_a
        expr: vector(1)
  - name: slot-b
    interval: 1s
    rules:
      - record: slot_b
        expr: vector(1)
)");
  const std::string config = dir.Write("prometheus.yml", "rule_files: [\"" + rules + "\"]\n");
  const int port = cerniq::testing::FreeLoopbackPort();
  cerniq::testing::Subprocess prometheus({"/usr/bin/prometheus", "--config.file=" + config,
                                          "--storage.tsdb.path=" + dir.path() + "/data",
                                          "--web.listen-address=127.0.0.1:" + std::to_string(port),
                                          "--log.level=warn"});
  for (const auto& [name, metric] : {std::pair{"slot-a", "slot_a"}, {"slot-b", "slot_b"}}) {
    std::optional<int64_t> ts;
    ASSERT_TRUE(
        cerniq::testing::WaitFor([&] { return (ts = SampleTimestampMs(port, metric)).has_value(); },
                                 std::chrono::seconds(20), std::chrono::milliseconds(200)))
        << metric;
    const int64_t offset_ns = static_cast<int64_t>(GroupHash(rules, name) % kIntervalNs);
    EXPECT_EQ(*ts % 1000, NsToMs(offset_ns)) << name;
    EXPECT_EQ(
        NsToMs(EvalTimestampNs(GroupHash(rules, name), kIntervalNs, *ts * 1'000'000 + 999'999)),
        *ts)
        << name;
  }
  prometheus.Signal(SIGTERM);
  prometheus.Wait(std::chrono::seconds(10));
}

}  // namespace
}  // namespace cerniq::evaluator
