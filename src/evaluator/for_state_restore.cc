#include "evaluator/for_state_restore.h"

namespace cerniq::evaluator {
namespace {

// time.Unix(t/1000, 0): whole seconds, rounded toward minus infinity.
int64_t FloorSecondMs(int64_t ms) { return (ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000)) * 1000; }

}  // namespace

std::optional<rules::Alert> RestoredAlert(const rules::Alert& saved, int64_t hold_ms,
                                          int64_t down_at_ms, int64_t now_ms,
                                          const ForRestoreSettings& settings) {
  if (saved.state == rules::AlertState::kInactive || down_at_ms == 0) return saved;
  // A short `for` would wait the whole grace period: Prometheus restores nothing for it.
  if (hold_ms < settings.grace_period_ms) return std::nullopt;
  // No ALERTS_FOR_STATE sample within the tolerance before now: nothing to restore from.
  if (down_at_ms < now_ms - settings.outage_tolerance_ms) return std::nullopt;
  if (saved.state == rules::AlertState::kFiring) return saved;
  const int64_t down_s = FloorSecondMs(down_at_ms);
  const int64_t active_s = FloorSecondMs(saved.active_at_ms);
  const int64_t remaining = hold_ms - (down_s - active_s);
  rules::Alert restored = saved;
  if (remaining <= 0) {
    restored.active_at_ms = active_s;  // fires at the next evaluation
  } else if (remaining < settings.grace_period_ms) {
    restored.active_at_ms = now_ms + settings.grace_period_ms - hold_ms;
  } else {
    restored.active_at_ms = active_s + (now_ms - down_s);
  }
  return restored;
}

}  // namespace cerniq::evaluator
