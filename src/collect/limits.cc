#include "collect/limits.h"

#include <algorithm>
#include <string>

#include "log/limits.h"

namespace cerniq::collect {
namespace {

std::size_t SeriesOf(const prometheus::MetricFamily& family,
                     const prometheus::ClientMetric& metric) {
  if (family.type == prometheus::MetricType::Histogram) return metric.histogram.bucket.size() + 2;
  if (family.type == prometheus::MetricType::Summary) return metric.summary.quantile.size() + 2;
  return 1;
}

bool HasLongLabelValue(const prometheus::ClientMetric& metric, std::size_t max) {
  return std::any_of(
      metric.label.begin(), metric.label.end(),
      [max](const prometheus::ClientMetric::Label& l) { return l.value.size() > max; });
}

void DropLongLabelValues(std::string_view collector, std::size_t max,
                         std::vector<prometheus::MetricFamily>& families) {
  std::size_t dropped = 0;
  for (auto& family : families) {
    auto& metrics = family.metric;
    auto before = metrics.size();
    std::erase_if(metrics, [max](const auto& m) { return HasLongLabelValue(m, max); });
    dropped += before - metrics.size();
  }
  if (dropped == 0) return;
  log::LimitReached(log::limit::kLabelValueLength, {{"collector", collector},
                                                    {"max_bytes", std::to_string(max)},
                                                    {"samples_dropped", std::to_string(dropped)}});
}

void KeepFirstSeries(std::string_view collector, std::size_t max,
                     std::vector<prometheus::MetricFamily>& families) {
  std::size_t kept = 0, dropped = 0;
  for (auto& family : families) {
    std::size_t i = 0;
    for (; i < family.metric.size(); ++i) {
      std::size_t n = SeriesOf(family, family.metric[i]);
      if (kept + n > max) break;
      kept += n;
    }
    dropped += family.metric.size() - i;
    family.metric.resize(i);
  }
  if (dropped == 0) return;
  log::LimitReached(log::limit::kSeriesPerCollector,
                    {{"collector", collector},
                     {"max_series", std::to_string(max)},
                     {"samples_dropped", std::to_string(dropped)}});
}

}  // namespace

void ApplyLimits(std::string_view collector, const CollectLimits& limits,
                 std::vector<prometheus::MetricFamily>& families) {
  if (limits.max_label_value_length > 0) {
    DropLongLabelValues(collector, limits.max_label_value_length, families);
  }
  if (limits.max_series > 0) KeepFirstSeries(collector, limits.max_series, families);
}

}  // namespace cerniq::collect
