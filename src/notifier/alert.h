#pragma once
// The alert the notifier sends: Prometheus's notifier.Alert (labels, annotations, time range,
// generator URL). Times are Unix milliseconds; the rule manager always sets both ends.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cerniq::notifier {

// Name/value pairs sorted by name, as Prometheus's labels.Labels.
using LabelSet = std::vector<std::pair<std::string, std::string>>;

struct Alert {
  LabelSet labels;  // at least `alertname`
  LabelSet annotations;
  int64_t starts_at_ms = 0;
  int64_t ends_at_ms = 0;
  std::string generator_url;
};

// Adds each external label whose name the alert has no non-empty value for (Prometheus's
// Manager.Send); the result stays sorted by name.
void AddExternalLabels(LabelSet& labels, const LabelSet& external);

}  // namespace cerniq::notifier
