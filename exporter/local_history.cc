#include "local_history.h"

#include <algorithm>
#include <filesystem>

#include "collect/exposition.h"
#include "evaluator/clock.h"
#include "evaluator/storage_metrics.h"
#include "log/log.h"
#include "tsdb/checkpoint.h"

namespace cerniq::exporter {
namespace {

// How often the feeder truncates to the retention.
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
  std::error_code ec;
  std::filesystem::create_directories(options_.storage_path, ec);  // as Prometheus's data dir
  if (ec) {
    log::Error("cannot create --storage.path",
               {{"path", options_.storage_path}, {"err", ec.message()}});
  }
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

// Feeds the current snapshot at every tick of the BullMQ interval (the shortest collection), as
// a scrape at a fixed interval would: the tick, not the wake-up time, is the timestamp, so
// timestamps are regular and unchanged values cost a bit per sample. Vanished series get stale
// markers (SnapshotFeed). Also truncates to the retention and checkpoints on their periods.
void LocalHistory::FeedLoop() {
  const int64_t interval = options_.config.bullmq.enabled
                               ? std::max<int64_t>(options_.config.bullmq.interval.count(), 1)
                               : 5'000;
  int64_t tick = (NowMs() / interval + 1) * interval;
  int64_t last_truncate_ms = NowMs();
  int64_t last_checkpoint_ms = NowMs();
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    const auto wait = std::chrono::milliseconds(std::clamp<int64_t>(tick - NowMs(), 0, 1'000));
    if (wake_.wait_for(lock, wait, [this] { return stopping_; })) break;
    const int64_t now_ms = NowMs();
    if (now_ms < tick) continue;
    if (now_ms - tick >= interval) tick = now_ms / interval * interval;  // stalled: skip ticks
    feed_.Feed(collect::SnapshotFamilies(*snapshots_.Current()), tick,
               [this](const promql::Labels& l, int64_t t, double v) { store_.Append(l, t, v); });
    store_.Append(SelfUp(), tick, 1);
    tick += interval;
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
