#include "evaluator/snapshot_feed.h"

#include "gocompat/float_format.h"
#include "promql/value.h"

namespace cerniq::evaluator {
namespace {

promql::Labels SeriesLabels(const std::string& name, const prometheus::ClientMetric& m,
                            const char* extra_name = nullptr, const std::string& extra = "") {
  std::vector<promql::Label> labels{{"__name__", name}};
  for (const auto& l : m.label) labels.push_back({l.name, l.value});
  if (extra_name) labels.push_back({extra_name, extra});
  return promql::Labels(std::move(labels));
}

}  // namespace

void SnapshotFeed::Feed(const std::vector<prometheus::MetricFamily>& families, int64_t t_ms,
                        const Sink& sink) {
  std::set<promql::Labels> current;
  auto emit = [&](promql::Labels labels, double v) {
    sink(labels, t_ms, v);
    current.insert(std::move(labels));
  };
  for (const auto& f : families) {
    for (const auto& m : f.metric) {
      switch (f.type) {
        case prometheus::MetricType::Counter:
          emit(SeriesLabels(f.name, m), m.counter.value);
          break;
        case prometheus::MetricType::Gauge:
          emit(SeriesLabels(f.name, m), m.gauge.value);
          break;
        case prometheus::MetricType::Histogram:
          for (const auto& b : m.histogram.bucket) {
            emit(SeriesLabels(f.name + "_bucket", m, "le", gocompat::FormatFloat(b.upper_bound)),
                 static_cast<double>(b.cumulative_count));
          }
          emit(SeriesLabels(f.name + "_sum", m), m.histogram.sample_sum);
          emit(SeriesLabels(f.name + "_count", m), static_cast<double>(m.histogram.sample_count));
          break;
        default:
          emit(SeriesLabels(f.name, m), m.untyped.value);
      }
    }
  }
  for (const auto& gone : previous_) {
    if (!current.count(gone)) sink(gone, t_ms, promql::StaleNaN());
  }
  previous_ = std::move(current);
}

}  // namespace cerniq::evaluator
