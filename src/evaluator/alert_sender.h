#pragma once
// The rule side of notifying Alertmanager, as Prometheus 2.42's AlertingRule.sendAlerts and
// rules.SendAlerts: after a rule evaluated successfully, each of its alerts that needs sending
// (firing, or resolved within the 15-minute retention; first time, resolved since the last send,
// or the resend delay passed) is marked sent (last_sent_at, valid_until kept on the rule's alert
// so reloads carry them over) and turned into a notifier::Alert. No network here: the manager
// hands the result to a NotifyFunc.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "notifier/alert.h"
#include "rules/alerting_rule.h"

namespace cerniq::evaluator {

// Receives one group evaluation's alerts to send (never empty); must not block (the exporter
// passes notifier::Manager::Send, which only queues).
using NotifyFunc = std::function<void(std::vector<notifier::Alert>)>;

struct SendSettings {
  int64_t resend_delay_ms = 0;  // --rules.alert.resend-delay
  int64_t interval_ms = 0;      // the group's interval
  std::string external_url;     // generatorURL prefix
};

// Appends to `out` the alerts of `rule` due at `ts_ms`, marking them sent. `expr_string` is the
// rule's expression as PromQL prints it back (Prometheus's r.vector.String()).
void CollectAlertsToSend(rules::AlertingRule& rule, const std::string& expr_string, int64_t ts_ms,
                         const SendSettings& settings, std::vector<notifier::Alert>& out);

}  // namespace cerniq::evaluator
