#pragma once
// Runs each collector on its own thread and interval, so one slow or hung backend never holds
// back another collector or a scrape. Exceptions from a collector become a failed pass.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "collect/collector.h"
#include "collect/limits.h"
#include "collect/snapshot.h"

namespace cerniq::collect {

class Runner {
 public:
  explicit Runner(SnapshotStore& store, CollectLimits limits = {});
  ~Runner();  // stops and joins

  // Registers the collector with the store at once; it starts running with Start().
  void Add(std::unique_ptr<Collector> collector, Schedule schedule);
  void Start();
  void Stop();

  // Runs one pass of a collector and returns the published state (used by Start's threads and
  // by tests); passes and failures are left at 0 for the caller to fill.
  static CollectorState RunOnce(Collector& collector, const CollectLimits& limits = {});

 private:
  struct Entry {
    std::unique_ptr<Collector> collector;
    Schedule schedule;
    // Counted for the life of the runner (the process): a reload does not reset them.
    std::uint64_t passes = 0;
    std::uint64_t failures = 0;
  };
  void Loop(Entry& entry);

  SnapshotStore& store_;
  const CollectLimits limits_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace cerniq::collect
