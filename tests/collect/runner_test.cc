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

}  // namespace
}  // namespace cerniq::collect
