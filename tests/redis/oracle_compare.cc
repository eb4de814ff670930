#include "oracle_compare.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <thread>

#include "collect/redis/workers.h"
#include "family_values.h"

namespace cerniq::testing {

long long ExpectGaugesMatchOracle(const std::vector<prometheus::MetricFamily>& f,
                                  const nlohmann::json& oracle,
                                  const std::vector<std::string>& queues,
                                  const std::string& context, const std::string& prefix) {
  long long total_waiting = 0;
  for (const auto& q : queues) {
    SCOPED_TRACE("queue " + q + ", " + context);
    const auto& o = oracle.at(q);
    const auto& c = o.at("counts");
    std::vector<std::pair<std::string, std::string>> labels = {{"prefix", prefix}, {"queue", q}};
    // getJobCounts' "waiting" is the wait list; "paused" the v5 paused list (0 or absent in v6).
    double waiting = c.at("waiting").get<double>() + c.value("paused", 0.0);
    total_waiting += static_cast<long long>(waiting);
    EXPECT_EQ(ValueOf(f, "bullmq_queue_waiting", labels), waiting);
    EXPECT_EQ(ValueOf(f, "bullmq_queue_active", labels), c.at("active").get<double>());
    EXPECT_EQ(ValueOf(f, "bullmq_queue_delayed", labels), c.at("delayed").get<double>());
    EXPECT_EQ(ValueOf(f, "bullmq_queue_prioritized", labels), c.at("prioritized").get<double>());
    EXPECT_EQ(ValueOf(f, "bullmq_queue_waiting_children", labels),
              c.at("waiting-children").get<double>());
    EXPECT_EQ(ValueOf(f, "bullmq_queue_failed", labels), c.at("failed").get<double>());
    EXPECT_EQ(ValueOf(f, "bullmq_queue_completed", labels), c.at("completed").get<double>());
    EXPECT_EQ(ValueOf(f, "bullmq_queue_paused", labels), o.at("paused").get<bool>() ? 1.0 : 0.0);
    EXPECT_EQ(ValueOf(f, "bullmq_workers_active", labels), o.at("workers").get<double>());
    // Counters: the metrics hashes as BullMQ reads them; no series where no hash exists.
    for (auto [family, field] : {std::pair{"bullmq_jobs_completed_total", "completedCount"},
                                 std::pair{"bullmq_jobs_failed_total", "failedCount"}}) {
      auto v = ValueOf(f, family, labels);
      double want = o.at(field).get<double>();
      if (v) {
        EXPECT_EQ(*v, want) << family;
      } else {
        EXPECT_EQ(want, 0) << family << " missing though BullMQ counts jobs";
      }
    }
    double age = ValueOf(f, "bullmq_queue_oldest_waiting_age_seconds", labels).value_or(-1);
    EXPECT_GE(age, 0);
    EXPECT_NEAR(age, o.at("oldestWaitingAge").get<double>(), 5.0);
    if (waiting == 0) {
      EXPECT_EQ(age, 0);
    }
  }
  return total_waiting;
}

void ExpectMatchWithin(collect::redis::BullmqCollector& collector, Subprocess& scenario,
                       const std::vector<std::string>& queues, std::chrono::milliseconds bound,
                       const std::string& context, const std::string& prefix) {
  ExpectMatchWithin(
      [&](std::string& error) -> std::optional<std::vector<prometheus::MetricFamily>> {
        auto result = collector.Collect();
        if (!result.success) {
          error = result.error;
          return std::nullopt;
        }
        return std::move(result.families);
      },
      scenario, queues, bound, context, prefix);
}

void ExpectMatchWithin(const FamiliesSource& families, Subprocess& scenario,
                       const std::vector<std::string>& queues, std::chrono::milliseconds bound,
                       const std::string& context, const std::string& prefix,
                       const std::function<void(nlohmann::json&)>& adjust_oracle) {
  using std::chrono::milliseconds;
  auto deadline = std::chrono::steady_clock::now() + bound;
  for (int attempt = 0; attempt < 200; ++attempt) {
    std::string error;
    auto got = families(error);
    ASSERT_TRUE(got) << error;
    scenario.WriteLine("ORACLE");
    auto line = scenario.ReadUntil("ORACLE ", milliseconds(30000));
    ASSERT_TRUE(line) << "no oracle line";
    auto oracle = nlohmann::json::parse(*line);
    if (adjust_oracle) adjust_oracle(oracle);
    if (std::chrono::steady_clock::now() >= deadline) {
      ExpectGaugesMatchOracle(*got, oracle, queues, context, prefix);
      return;
    }
    ::testing::TestPartResultArray failures;
    {
      ::testing::ScopedFakeTestPartResultReporter quiet(
          ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &failures);
      ExpectGaugesMatchOracle(*got, oracle, queues, context, prefix);
    }
    if (failures.size() == 0) return;
    std::this_thread::sleep_for(milliseconds(250));
  }
}

int WorkersInClientList(const std::string& client_list, const std::string& prefix,
                        const std::string& queue) {
  const std::string name = "name=" + collect::redis::WorkerConnectionName(prefix, queue);
  int n = 0;
  for (size_t at = client_list.find(name); at != std::string::npos;
       at = client_list.find(name, at + 1)) {
    size_t end = at + name.size();
    if (end == client_list.size() || client_list[end] == ' ' || client_list[end] == '\n' ||
        client_list.compare(end, 3, ":w:") == 0) {
      ++n;
    }
  }
  return n;
}

}  // namespace cerniq::testing
