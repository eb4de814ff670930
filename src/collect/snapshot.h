#pragma once
// The immutable snapshot that /metrics serves. Each collector publishes its part; a publish
// replaces the whole snapshot pointer, so a scrape only copies a shared_ptr and never waits on a
// backend or on a collection in progress.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <prometheus/metric_family.h>

namespace cerniq::collect {

struct CollectorState {
  std::string name;
  std::string source;
  bool finished_first_pass = false;
  bool success = false;
  bool source_reached = false;
  double duration_seconds = 0;
  double last_attempt_unix = 0;
  double last_success_unix = 0;  // 0 = never
  std::string error;
  // Passes run and failed since the process started, this one included (counters, so a failure
  // between two scrapes still shows).
  std::uint64_t passes = 0;
  std::uint64_t failures = 0;
  // Families of the last pass; empty after a failed pass (stale values are not served as fresh).
  std::vector<prometheus::MetricFamily> families;
};

struct Snapshot {
  // By collector name; ordered so the exposition is stable.
  std::map<std::string, std::shared_ptr<const CollectorState>> collectors;

  // True once every registered collector has finished its first pass.
  bool Ready() const;
  // Whether every collector of the source reached it in its last pass; absent sources are not
  // listed. Before the first pass a source counts as down.
  std::map<std::string, bool> SourcesUp() const;
};

class SnapshotStore {
 public:
  // Declares a collector before it runs, so readiness waits for it.
  void Register(const std::string& name, const std::string& source);
  void Publish(CollectorState state);
  std::shared_ptr<const Snapshot> Current() const;

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Snapshot> current_ = std::make_shared<Snapshot>();
};

}  // namespace cerniq::collect
