#include "evaluator/alert_sender.h"

#include "notifier/send_policy.h"

namespace cerniq::evaluator {
namespace {

notifier::LabelSet ToLabelSet(const promql::Labels& labels) {
  notifier::LabelSet out;
  out.reserve(labels.size());
  for (const auto& l : labels) out.emplace_back(l.name, l.value);
  return out;
}

notifier::AlertTimes Times(const rules::Alert& a) {
  notifier::AlertTimes t;
  t.pending = a.state == rules::AlertState::kPending;
  t.fired_at_ms = a.fired_at_ms;
  t.resolved_at_ms = a.resolved_at_ms;
  t.last_sent_at_ms = a.last_sent_at_ms;
  t.valid_until_ms = a.valid_until_ms;
  return t;
}

}  // namespace

void CollectAlertsToSend(rules::AlertingRule& rule, const std::string& expr_string, int64_t ts_ms,
                         const SendSettings& settings, std::vector<notifier::Alert>& out) {
  std::string generator_url;
  rule.ForEachAlert([&](rules::Alert& alert) {
    notifier::AlertTimes t = Times(alert);
    if (!notifier::MarkSent(t, ts_ms, settings.resend_delay_ms, settings.interval_ms)) return;
    alert.last_sent_at_ms = t.last_sent_at_ms;
    alert.valid_until_ms = t.valid_until_ms;
    if (generator_url.empty()) {
      generator_url = notifier::GeneratorUrl(settings.external_url, expr_string);
    }
    out.push_back(notifier::MakeAlert(ToLabelSet(alert.labels), ToLabelSet(alert.annotations), t,
                                      generator_url));
  });
}

}  // namespace cerniq::evaluator
