// cron (collect/postgres/subsystems/cron.cc): e5_% jobs only, NULL times give no sample.

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

#include <gtest/gtest.h>

#include "catalog/catalog.h"
#include "collector_fixture.h"

namespace cerniq {
namespace {

using collect::CollectResult;
using testing::FindSample;
using testing::PostgresCollectorsTest;
using testing::SampleCount;
using testing::SampleValue;
namespace n = catalog::names;

TEST_F(PostgresCollectorsTest, CronJobsOfEtapa5Only) {
  CollectResult r = Collect("cron");
  ASSERT_TRUE(r.success) << r.error;
  auto jobs = sql().Rows(
      "SELECT job_name, coalesce(to_char(last_run_at AT TIME ZONE 'UTC', 'J SSSS US'), ''), "
      "coalesce(to_char(next_run_at AT TIME ZONE 'UTC', 'J SSSS US'), '') FROM cron_job_status "
      "WHERE left(job_name, 2) = 'e5' AND length(job_name) >= 3");
  ASSERT_GE(jobs.size(), 3u);
  // Julian day, seconds of day, microseconds -> Unix seconds (Julian day 2440588 = 1970-01-01).
  auto unix = [](const std::string& text) {
    long day = 0, secs = 0, us = 0;
    std::sscanf(text.c_str(), "%ld %ld %ld", &day, &secs, &us);
    return std::pair<double, double>((day - 2440588) * 86400.0 + secs, us / 1e6);
  };
  EXPECT_EQ(SampleCount(r.families, std::string(n::kCronLastRun)), jobs.size());
  size_t with_next = 0;
  for (const auto& job : jobs) {
    for (auto [metric, text] : {std::pair{n::kCronLastRun, job[1]}, {n::kCronNextRun, job[2]}}) {
      const auto* m = FindSample(r.families, std::string(metric), {{"job_name", job[0]}});
      if (text.empty()) {
        EXPECT_EQ(m, nullptr) << "no sample for a NULL time: " << metric << " " << job[0];
        continue;
      }
      ASSERT_NE(m, nullptr) << metric << " " << job[0];
      auto [whole, frac] = unix(text);
      EXPECT_EQ(std::floor(SampleValue(*m)), whole) << metric << " " << job[0];
      EXPECT_NEAR(SampleValue(*m) - whole, frac, 2e-6) << metric << " " << job[0];
      with_next += metric == n::kCronNextRun;
    }
  }
  EXPECT_LT(with_next, jobs.size()) << "fixture has an e5_ job without next_run_at";
  EXPECT_EQ(FindSample(r.families, std::string(n::kCronLastRun), {{"job_name", "e4_invoice_sync"}}),
            nullptr);
}

}  // namespace
}  // namespace cerniq
