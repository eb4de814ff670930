#include "evaluator/storage_metrics.h"

#include "collect/families.h"

namespace cerniq::evaluator {
namespace {

prometheus::MetricFamily One(std::string_view name, double value) {
  auto family = collect::MakeFamily(name);
  collect::AddSample(family, {}, value);
  return family;
}

}  // namespace

std::vector<prometheus::MetricFamily> StorageMetrics(const StorageMetricsInput& in) {
  const tsdb::HistoryStats& s = in.stats;
  auto d = [](auto v) { return static_cast<double>(v); };
  std::vector<prometheus::MetricFamily> out;
  out.push_back(One("cerniq_storage_series", d(s.series)));
  out.push_back(One("cerniq_storage_samples", d(s.samples)));
  out.push_back(One("cerniq_storage_chunks", d(s.chunks)));
  out.push_back(One("cerniq_storage_bytes", d(s.chunk_bytes + s.overhead_bytes)));
  out.push_back(One("cerniq_storage_chunk_bytes", d(s.chunk_bytes)));
  out.push_back(One("cerniq_storage_samples_appended_total", d(s.samples_appended)));
  auto rejected = collect::MakeFamily("cerniq_storage_samples_rejected_total");
  collect::AddSample(rejected, {{"reason", "out_of_order"}}, d(s.rejected_out_of_order));
  collect::AddSample(rejected, {{"reason", "duplicate"}}, d(s.rejected_duplicate));
  out.push_back(std::move(rejected));
  auto removed = collect::MakeFamily("cerniq_storage_chunks_removed_total");
  collect::AddSample(removed, {{"reason", "retention"}}, d(s.chunks_expired));
  collect::AddSample(removed, {{"reason", "max_bytes"}}, d(s.chunks_evicted));
  out.push_back(std::move(removed));
  out.push_back(One("cerniq_storage_series_removed_total", d(s.series_removed)));
  out.push_back(One("cerniq_storage_retention_seconds", d(in.retention_ms) / 1000));
  out.push_back(One("cerniq_storage_checkpoint_last_success_timestamp_seconds",
                    d(in.checkpoint_last_success_ms) / 1000));
  out.push_back(One("cerniq_storage_checkpoint_failures_total", d(in.checkpoint_failures)));
  return out;
}

}  // namespace cerniq::evaluator
