#pragma once
// What the rule manager sends after each evaluation, as Prometheus 2.42's
// AlertingRule.sendAlerts and rules.SendAlerts: pure functions over an alert's timestamps, so the
// evaluator only calls them and keeps `last_sent_at` / `valid_until` in its alert state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "notifier/alert.h"

namespace cerniq::notifier {

// Prometheus's --rules.alert.resend-delay default.
inline constexpr int64_t kDefaultResendDelayMs = 60'000;

// The part of a rule's alert the sending decision reads and writes (Unix milliseconds).
struct AlertTimes {
  bool pending = false;                // pending alerts are never sent
  std::optional<int64_t> fired_at_ms;  // StartsAt of what is sent
  std::optional<int64_t> resolved_at_ms;
  int64_t last_sent_at_ms = 0;  // 0: never sent
  int64_t valid_until_ms = 0;
};

// Alert.needsSending: a firing or resolved alert is sent when it resolved since the last send,
// or when the resend delay has passed since then.
bool NeedsSending(const AlertTimes& t, int64_t eval_ms, int64_t resend_delay_ms);

// When NeedsSending, records the send (last_sent_at = eval time, valid_until = eval time +
// 4 * max(resend delay, group interval): two evaluations or sends may fail before Alertmanager
// times the alert out) and returns true.
bool MarkSent(AlertTimes& t, int64_t eval_ms, int64_t resend_delay_ms, int64_t interval_ms);

// rules.SendAlerts: startsAt = firedAt; endsAt = resolvedAt when resolved, else validUntil.
Alert MakeAlert(LabelSet labels, LabelSet annotations, const AlertTimes& t,
                std::string generator_url);

// externalURL + strutil.TableLinkForExpression(expr): "/graph?g0.expr=<query-escaped>&g0.tab=1".
std::string GeneratorUrl(std::string_view external_url, std::string_view expr);

}  // namespace cerniq::notifier
