#pragma once
// Wires the exporter together: collectors from the config, the background runner, the HTTP
// router and server. Run() blocks until SIGINT/SIGTERM.

#include <memory>
#include <string>
#include <vector>

#include "collect/runner.h"
#include "collect/snapshot.h"
#include "evaluator/alert_sender.h"
#include "http/routes.h"
#include "notifier/manager.h"
#include "options.h"

namespace cerniq::exporter {

// Adds every enabled collector of the config to the runner. Throws std::runtime_error on a
// setting that cannot work (bad Redis URL, unreadable password file).
void AddCollectors(const config::Config& config, collect::Runner& runner);

http::RouteContext MakeRouteContext(const Options& options);

// The Alertmanager notifier of --alertmanager.url with --rules.external-label,
// --alertmanager.notification-queue-capacity and --alertmanager.timeout (null without a URL).
// Its sender thread does every POST, so a slow or dead Alertmanager never delays evaluation or
// scrapes; its Families() are the cerniq_notifications_* metrics.
std::unique_ptr<notifier::Manager> MakeNotifier(const Options& options);
// The evaluator's hook: queues each evaluation's alerts on `alertmanagers` (empty when null).
evaluator::NotifyFunc NotifyHook(notifier::Manager* alertmanagers);
class LocalHistory;
class LocalRules;
// /api/v1 storage and rules, the self metrics appended to /metrics and POST /-/reload, over the
// history and the rule evaluator (null without --rules.file).
void WireHistoryAndRules(http::RouteContext& context, const LocalHistory& history,
                         LocalRules* rules);

// Returns the process exit code.
int Run(const Options& options);

}  // namespace cerniq::exporter
