// The live evaluator wired to the notifier as the exporter wires them, on the system clock,
// with an Alertmanager that never answers: evaluations keep their aligned slots (no missed
// iteration) while the alerts pile up in the notifier's queue.

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "evaluator/eval_timestamp.h"
#include "evaluator/manager.h"
#include "notifier/fake_http_server.h"
#include "notifier/manager.h"
#include "support/wait.h"

namespace cerniq::notifier {
namespace {

using namespace std::chrono_literals;

TEST(EvaluatorWithDeadAlertmanager, EvaluationsKeepTheirSlots) {
  testing::FakeHttpServer blackhole([](const testing::Request&) {
    return testing::Reply{200, std::chrono::minutes(1)};
  });
  Options options;
  options.alertmanager_urls = {blackhole.url()};
  options.timeout = 30s;
  Manager notifier(options);

  const auto file = std::filesystem::temp_directory_path() /
                    ("cerniq-eval-notify-" + std::to_string(getpid()) + ".yml");
  std::ofstream(file) << "groups:\n  - name: quick\n    interval: 500ms\n    rules:\n"
                         "      - alert: AlwaysOn\n        expr: vector(1)\n";
  evaluator::MemoryRuleStorage storage;
  evaluator::ManagerOptions o;
  o.storage = &storage;
  o.resend_delay_ms = 0;  // every evaluation sends
  o.notify = [&notifier](std::vector<Alert> alerts) { notifier.Send(std::move(alerts)); };
  evaluator::Manager evaluator(std::move(o));
  ASSERT_TRUE(evaluator.Reload({file.string()}).ok());
  evaluator.Start();

  // The sender is stuck on its first POST; the evaluator goes on.
  ASSERT_TRUE(cerniq::testing::WaitFor([&] { return notifier.QueueLength() >= 3; }, 10s));
  evaluator.Stop();
  std::filesystem::remove(file);
  EXPECT_EQ(blackhole.request_count(), 1u);

  const auto status = evaluator.Status();
  const auto& group = status->groups.at(0);
  EXPECT_GE(group.iterations_total, 4u);
  EXPECT_EQ(group.iterations_missed_total, 0u);
  // The evaluation timestamp is the slot (nanoseconds) in whole milliseconds.
  const int64_t last_ms = *group.last_eval_timestamp_ms;
  const int64_t slot_ns = evaluator::EvalTimestampNs(evaluator::GroupHash(file.string(), "quick"),
                                                     500'000'000, last_ms * 1'000'000 + 999'999);
  EXPECT_EQ(evaluator::NsToMs(slot_ns), last_ms)
      << "the last evaluation is not on the group's slot";
}

}  // namespace
}  // namespace cerniq::notifier
