#pragma once
// The evaluator's own metrics, named like Prometheus's prometheus_rule_* and
// prometheus_config_* (catalogue: src/catalog), built from one status snapshot.
#include <vector>

#include <prometheus/metric_family.h>

#include "evaluator/status.h"

namespace cerniq::evaluator {

std::vector<prometheus::MetricFamily> SelfMetrics(const RulesStatus& status);

}  // namespace cerniq::evaluator
