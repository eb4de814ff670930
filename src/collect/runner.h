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
#include "collect/snapshot.h"

namespace cerniq::collect {

class Runner {
 public:
  explicit Runner(SnapshotStore& store);
  ~Runner();  // stops and joins

  // Registers the collector with the store at once; it starts running with Start().
  void Add(std::unique_ptr<Collector> collector, Schedule schedule);
  void Start();
  void Stop();

  // Runs one pass of a collector and returns the published state (used by Start's threads and
  // by tests).
  static CollectorState RunOnce(Collector& collector);

 private:
  struct Entry {
    std::unique_ptr<Collector> collector;
    Schedule schedule;
  };
  void Loop(Entry& entry);

  SnapshotStore& store_;
  std::vector<std::unique_ptr<Entry>> entries_;
  std::vector<std::thread> threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace cerniq::collect
