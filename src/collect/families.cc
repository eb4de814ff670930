#include "collect/families.h"

#include <stdexcept>

#include "catalog/catalog.h"

namespace cerniq::collect {
namespace {

std::vector<prometheus::ClientMetric::Label> ToLabels(const LabelPairs& labels) {
  std::vector<prometheus::ClientMetric::Label> out;
  out.reserve(labels.size());
  for (const auto& [name, value] : labels) out.push_back({name, value});
  return out;
}

}  // namespace

prometheus::MetricFamily MakeFamily(std::string_view catalog_name) {
  const catalog::Metric* m = catalog::Find(catalog_name);
  if (m == nullptr || m->name != catalog_name) {
    throw std::logic_error("metric not in the catalogue: " + std::string(catalog_name));
  }
  prometheus::MetricFamily family;
  family.name = std::string(m->name);
  family.help = std::string(m->help);
  switch (m->type) {
    case catalog::Type::kGauge:
      family.type = prometheus::MetricType::Gauge;
      break;
    case catalog::Type::kCounter:
      family.type = prometheus::MetricType::Counter;
      break;
    case catalog::Type::kHistogram:
      family.type = prometheus::MetricType::Histogram;
      break;
  }
  return family;
}

void AddSample(prometheus::MetricFamily& family, const LabelPairs& labels, double value) {
  prometheus::ClientMetric metric;
  metric.label = ToLabels(labels);
  if (family.type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
}

void AddHistogram(prometheus::MetricFamily& family, const LabelPairs& labels,
                  std::vector<HistogramBucket> buckets, std::uint64_t count, double sum) {
  prometheus::ClientMetric metric;
  metric.label = ToLabels(labels);
  metric.histogram.sample_count = count;
  metric.histogram.sample_sum = sum;
  for (const HistogramBucket& b : buckets) {
    metric.histogram.bucket.push_back({b.cumulative_count, b.upper_bound});
  }
  family.metric.push_back(std::move(metric));
}

}  // namespace cerniq::collect
