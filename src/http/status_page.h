#pragma once
// The exporter's status page (`/`): what an operator keeps open. Server-rendered HTML with its
// CSS and SVG inline (no external asset, no script; it reloads itself with a meta refresh):
//   - the runbook §1.2 queue table (the same numbers as /api/admin/queues/etapa5) with each
//     queue's waiting jobs over the retained history as an inline chart,
//   - alerts of the side evaluator by state (firing, pending) with labels and annotations,
//   - collectors with their last pass, duration and error,
//   - rules per group with state, health, last evaluation and last error (a group folded
//     unless one of its rules has an active alert or an error).
// Every value that comes from outside (label values, annotations, errors, queue names) is
// HTML-escaped. A pure function: the caller gathers the inputs, nothing here blocks or throws
// (a failing storage provider is shown as an error on the page).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "api/api.h"
#include "collect/snapshot.h"

namespace cerniq::http {

struct StatusPageInputs {
  std::shared_ptr<const collect::Snapshot> snapshot;  // required
  // The configured (prefix, queue) pairs, in table order.
  std::vector<std::pair<std::string, std::string>> queues;
  // The evaluator's groups; nullopt when the process runs no evaluator (no --rules.file).
  std::optional<std::vector<api::RuleGroupState>> rule_groups;
  // The history for the charts; null when the process keeps none, and a provider may answer
  // nullptr while the store is not ready.
  api::StorageProvider storage;
  int64_t now_ms = 0;
  int64_t history_ms = 60 * 60'000;  // the charts' window: the retained history
  int refresh_seconds = 15;          // meta refresh; 0 for none
  std::string telemetry_path = "/metrics";
  // Put before every link to an endpoint: the path of --web.external-url (a reverse proxy that
  // serves the exporter under /cerniq strips it before passing requests on).
  std::string link_prefix;
  std::string version;
  std::string revision;
};

std::string RenderStatusPage(const StatusPageInputs& in);

}  // namespace cerniq::http
