#include "local_history.h"

#include "collect/exposition.h"
#include "evaluator/clock.h"
#include "evaluator/storage_metrics.h"
#include "log/log.h"
#include "tsdb/checkpoint.h"

namespace cerniq::exporter {
namespace {

// How often the feeder looks for a new snapshot, and how often it truncates.
constexpr auto kFeedPeriod = std::chrono::seconds(1);
constexpr int64_t kTruncatePeriodMs = 60'000;

// The exporter's own evaluator "scrapes" it at every feed, so the series a Prometheus scrape
// adds is there too: without it the runbook's CerniqExporterAbsent (absent(up{job=
// "cerniq-exporter"})) would always be pending locally.
const promql::Labels& SelfUp() {
  static const promql::Labels labels =
      promql::LabelsFromMap({{"__name__", "up"}, {"job", "cerniq-exporter"}});
  return labels;
}

int64_t NowMs() { return evaluator::SystemClock().NowNs() / 1'000'000; }

tsdb::HistoryOptions StoreOptions(const Options& options) {
  tsdb::HistoryOptions o;
  o.retention = options.storage_retention;
  o.max_bytes = options.storage_max_bytes;
  return o;
}

}  // namespace

LocalHistory::LocalHistory(const Options& options, const collect::SnapshotStore& snapshots)
    : options_(options), snapshots_(snapshots), store_(StoreOptions(options)) {}

LocalHistory::~LocalHistory() { Stop(); }

std::string LocalHistory::CheckpointPath() const {
  return options_.storage_path + "/" + kCheckpointFile;
}

std::string LocalHistory::Restore() {
  if (options_.storage_path.empty()) return "";
  std::string blob;
  const auto r = tsdb::ReadCheckpoint(store_, CheckpointPath(), &blob);
  if (r.missing) {
    log::Info("no history checkpoint to restore", {{"path", CheckpointPath()}});
    return "";
  }
  if (!r.ok) {
    std::string error;
    const std::string aside = tsdb::SetAsideCorrupt(CheckpointPath(), NowMs(), &error);
    log::Error("history checkpoint unreadable, starting empty",
               {{"err", r.message}, {"set_aside", aside.empty() ? error : aside}});
    return "";
  }
  const auto stats = store_.Stats();
  log::Info("history restored", {{"path", CheckpointPath()},
                                 {"series", std::to_string(stats.series)},
                                 {"samples", std::to_string(stats.samples)}});
  return blob;  // truncated by the feeder, once the rules' retention is known
}

bool LocalHistory::Checkpoint() {
  if (options_.storage_path.empty()) return true;
  std::lock_guard lock(checkpoint_mutex_);
  const std::string blob = alert_state_ ? alert_state_() : "";
  const auto r = tsdb::WriteCheckpoint(store_, CheckpointPath(), blob);
  if (!r.ok) {
    ++checkpoint_failures_;
    log::Error("cannot write the history checkpoint", {{"err", r.message}});
    return false;
  }
  checkpoint_last_success_ms_ = NowMs();
  log::Debug("history checkpoint written", {{"path", CheckpointPath()}});
  return true;
}

void LocalHistory::Start(AlertStateSource alert_state) {
  alert_state_ = std::move(alert_state);
  feeder_ = std::thread([this] { FeedLoop(); });
}

void LocalHistory::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (feeder_.joinable()) feeder_.join();
}

// Appends each new snapshot as a scrape would (stale markers for vanished series), truncates
// to the retention, and checkpoints on its interval.
void LocalHistory::FeedLoop() {
  std::shared_ptr<const collect::Snapshot> last;
  int64_t last_truncate_ms = NowMs();
  int64_t last_checkpoint_ms = NowMs();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const int64_t now_ms = NowMs();
    if (auto snapshot = snapshots_.Current(); snapshot != last) {
      last = snapshot;
      feed_.Feed(collect::SnapshotFamilies(*snapshot), now_ms,
                 [this](const promql::Labels& l, int64_t t, double v) { store_.Append(l, t, v); });
      store_.Append(SelfUp(), now_ms, 1);
    }
    if (now_ms - last_truncate_ms >= kTruncatePeriodMs) {
      store_.Truncate(now_ms);
      last_truncate_ms = now_ms;
    }
    if (now_ms - last_checkpoint_ms >= options_.storage_checkpoint_interval.count()) {
      lock.unlock();
      Checkpoint();
      lock.lock();
      last_checkpoint_ms = now_ms;
    }
    wake_.wait_for(lock, kFeedPeriod, [this] { return stopping_; });
  }
}

api::StorageProvider LocalHistory::Provider() const {
  return [this](int64_t mint, int64_t maxt) { return store_.Querier(mint, maxt); };
}

std::vector<prometheus::MetricFamily> LocalHistory::Metrics() const {
  return evaluator::StorageMetrics({store_.Stats(), options_.storage_retention.count(),
                                    checkpoint_last_success_ms_.load(),
                                    checkpoint_failures_.load()});
}

}  // namespace cerniq::exporter
