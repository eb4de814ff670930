#include "collect/runner.h"

#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "collect/families.h"

namespace cerniq::collect {
namespace {

class Scripted : public Collector {
 public:
  explicit Scripted(std::function<CollectResult()> f) : f_(std::move(f)) {}
  std::string Name() const override { return "scripted"; }
  std::string Source() const override { return "redis"; }
  CollectResult Collect() override { return f_(); }

 private:
  std::function<CollectResult()> f_;
};

TEST(Runner, ExceptionBecomesAFailedPass) {
  Scripted c([]() -> CollectResult { throw std::runtime_error("boom"); });
  CollectorState s = Runner::RunOnce(c);
  EXPECT_TRUE(s.finished_first_pass);
  EXPECT_FALSE(s.success);
  EXPECT_EQ(s.error, "unexpected error: boom");
  Scripted d([]() -> CollectResult { throw 42; });
  EXPECT_FALSE(Runner::RunOnce(d).success);
}

TEST(Runner, FailedPassDropsFamilies) {
  Scripted c([] {
    CollectResult r;
    r.families.push_back(MakeFamily("bullmq_queue_waiting"));
    r.success = false;
    r.error = "partial";
    return r;
  });
  EXPECT_TRUE(Runner::RunOnce(c).families.empty());
}

TEST(Runner, PublishesOnItsIntervalAndBecomesReady) {
  SnapshotStore store;
  std::atomic<int> passes{0};
  {
    Runner runner(store);
    runner.Add(std::make_unique<Scripted>([&] {
                 ++passes;
                 CollectResult r;
                 r.success = r.source_reached = true;
                 return r;
               }),
               {std::chrono::milliseconds(20)});
    EXPECT_FALSE(store.Current()->Ready()) << "registered but not run yet";
    runner.Start();
    for (int i = 0; i < 200 && passes < 3; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }  // the destructor stops and joins
  EXPECT_GE(passes.load(), 3);
  EXPECT_TRUE(store.Current()->Ready());
  EXPECT_TRUE(store.Current()->SourcesUp().at("redis"));
}

TEST(Runner, CountsPassesAndFailuresSoAFailureBetweenScrapesShows) {
  SnapshotStore store;
  std::atomic<int> passes{0};
  {
    Runner runner(store);
    // Every third pass fails; the published state after it is already a success again.
    runner.Add(std::make_unique<Scripted>([&] {
                 CollectResult r;
                 r.success = r.source_reached = (++passes % 3 != 0);
                 return r;
               }),
               {std::chrono::milliseconds(5)});
    runner.Start();
    for (int i = 0; i < 400 && passes < 7; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const CollectorState& s = *store.Current()->collectors.at("scripted");
  ASSERT_GE(s.passes, 7u);
  EXPECT_EQ(s.passes, static_cast<std::uint64_t>(passes.load()));
  EXPECT_EQ(s.failures, s.passes / 3);
}

TEST(Runner, AppliesTheLimitsToEveryPass) {
  Scripted c([] {
    CollectResult r;
    r.success = true;
    auto f = MakeFamily("bullmq_queue_waiting");
    for (int i = 0; i < 5; ++i) AddSample(f, {{"queue", "q" + std::to_string(i)}}, i);
    AddSample(f, {{"queue", std::string(100, 'x')}}, 9);
    r.families.push_back(std::move(f));
    return r;
  });
  CollectorState s = Runner::RunOnce(c, CollectLimits{3, 50});
  ASSERT_EQ(s.families.size(), 1u);
  ASSERT_EQ(s.families[0].metric.size(), 3u);
  EXPECT_EQ(s.families[0].metric[2].label[0].value, "q2");
}

}  // namespace
}  // namespace cerniq::collect
