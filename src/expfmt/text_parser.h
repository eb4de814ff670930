#pragma once
// expfmt.TextParser (prometheus/common v0.39, vendored by Prometheus 2.42): the text exposition
// format parsed into metric families, with its error texts ("text format parsing error in line
// N: ..."). Only what promlint reads is kept: names, help, type and each metric's labels.
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cerniq::expfmt {

// dto.MetricType, in its protobuf order.
enum class MetricType { kCounter, kGauge, kSummary, kUntyped, kHistogram, kGaugeHistogram };

struct Metric {
  std::vector<std::pair<std::string, std::string>> labels;  // as listed on the sample line
};

struct MetricFamily {
  std::string name;
  std::optional<std::string> help;
  std::optional<MetricType> type;
  std::vector<Metric> metrics;
};

// what() is the Go error's text.
struct ParseError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// TextToMetricFamilies: the families that have samples, by name; throws ParseError.
std::map<std::string, MetricFamily> ParseText(std::string_view text);

}  // namespace cerniq::expfmt
