#pragma once
// Runbook §1.2 queue thresholds: what "healthy" means per Etapa 5 queue. The demo, the
// /api/admin/queues/etapa5 endpoint and the generated alert rules read them from here.

#include <optional>
#include <span>
#include <string_view>

namespace cerniq::catalog {

struct QueueThreshold {
  std::string_view queue;
  int waiting_below;  // healthy while waiting < this
  int failed_below;   // healthy while failed < this ("failed = 0" is failed_below = 1)
};

std::span<const QueueThreshold> Etapa5Thresholds();
std::optional<QueueThreshold> ThresholdFor(std::string_view queue);

}  // namespace cerniq::catalog
