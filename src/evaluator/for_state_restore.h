#pragma once
// Prometheus 2.42's Group.RestoreForState (rules/manager.go) applied to the alert state a
// checkpoint saved: after a restart an alert's `for` clock goes on where it stopped, minus the
// downtime, bounded by --rules.alert.for-outage-tolerance and --rules.alert.for-grace-period.
#include <cstdint>
#include <optional>

#include "rules/alerting_rule.h"

namespace cerniq::evaluator {

struct ForRestoreSettings {
  int64_t outage_tolerance_ms = 60 * 60'000;  // --rules.alert.for-outage-tolerance
  int64_t grace_period_ms = 10 * 60'000;      // --rules.alert.for-grace-period
};

// The saved alert of a rule with `for: hold_ms` as it restarts at `now_ms`, when the group was
// last evaluated at `down_at_ms` (0: unknown, the alert is restored as saved):
// - nullopt (not restored: the alert starts pending anew at its next evaluation, as
//   Prometheus's) when `hold_ms` is shorter than the grace period or the downtime exceeded the
//   outage tolerance;
// - pending with `for` time left: activeAt moves later by the downtime, or, when less than the
//   grace period would be left, so that it fires one grace period after `now_ms`;
// - firing, or resolved and kept for its 15 minutes: as saved (Prometheus would fire it again
//   at the next evaluation with a new firedAt; keeping it leaves Alertmanager's startsAt alone).
// Times in whole seconds where Prometheus reads them from ALERTS_FOR_STATE.
std::optional<rules::Alert> RestoredAlert(const rules::Alert& saved, int64_t hold_ms,
                                          int64_t down_at_ms, int64_t now_ms,
                                          const ForRestoreSettings& settings);

}  // namespace cerniq::evaluator
