#pragma once
// The exporter's history (src/tsdb): fed with the current snapshot at every BullMQ interval, as
// a scrape would (stale markers for vanished series, up{job="cerniq-exporter"} 1), truncated to the
// retention, bounded by --storage.max-bytes, checkpointed to --storage.path/cerniq-history.ckpt
// every --storage.checkpoint-interval and at shutdown, restored at start. It exists with or without
// rule files: /api/v1 and the status page read it.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <prometheus/metric_family.h>

#include "api/api.h"
#include "collect/snapshot.h"
#include "evaluator/history_rule_storage.h"
#include "evaluator/snapshot_feed.h"
#include "options.h"
#include "tsdb/history_store.h"

namespace cerniq::exporter {

inline constexpr const char* kCheckpointFile = "cerniq-history.ckpt";

class LocalHistory {
 public:
  // `alert_state` gives the evaluator's alert state for each checkpoint ("" without rules).
  using AlertStateSource = std::function<std::string()>;

  LocalHistory(const Options& options, const collect::SnapshotStore& snapshots);
  ~LocalHistory();  // stops the feeder (no checkpoint: call Checkpoint() first)

  // Loads the checkpoint of --storage.path, if any, and returns its alert-state blob. A
  // truncated, corrupted or foreign file is logged and set aside; the history starts empty.
  std::string Restore();
  void Start(AlertStateSource alert_state);
  void Stop();
  // Writes the checkpoint now (no-op without --storage.path); false when it failed (logged).
  bool Checkpoint();

  evaluator::HistoryRuleStorage& rule_storage() { return rule_storage_; }
  tsdb::HistoryStore& store() { return store_; }
  api::StorageProvider Provider() const;
  std::vector<prometheus::MetricFamily> Metrics() const;

 private:
  std::string CheckpointPath() const;
  void FeedLoop();

  const Options& options_;
  const collect::SnapshotStore& snapshots_;
  tsdb::HistoryStore store_;
  evaluator::HistoryRuleStorage rule_storage_{store_};
  evaluator::SnapshotFeed feed_;
  AlertStateSource alert_state_;
  std::mutex checkpoint_mutex_;  // one writer at a time (feeder and shutdown)
  std::atomic<int64_t> checkpoint_last_success_ms_{0};
  std::atomic<uint64_t> checkpoint_failures_{0};

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread feeder_;
};

}  // namespace cerniq::exporter
