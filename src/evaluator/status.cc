#include "evaluator/status.h"

namespace cerniq::evaluator {

std::vector<AlertStatus> RulesStatus::ActiveAlerts() const {
  std::vector<AlertStatus> out;
  for (const auto& g : groups) {
    for (const auto& r : g.rules) out.insert(out.end(), r.alerts.begin(), r.alerts.end());
  }
  return out;
}

}  // namespace cerniq::evaluator
