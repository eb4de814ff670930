#pragma once
// Entry points for the exporter's main: the PostgreSQL collectors built from the config, and
// the /health/db answer derived from the snapshot (no database call in an HTTP handler).

#include <memory>
#include <utility>
#include <vector>

#include "collect/collector.h"
#include "collect/snapshot.h"
#include "config/postgres_config.h"

namespace cerniq::collect::postgres {

using ScheduledCollectors = std::vector<std::pair<std::unique_ptr<Collector>, Schedule>>;

// One collector per enabled subsystem (churn, clients, hitl, graph, cron, worker_errors,
// referrals, nps, spatial, partitions), each with its own connection, interval and timeout.
// Empty when config.enabled() is false. Never connects: the first pass does.
ScheduledCollectors MakePostgresCollectors(const config::PostgresConfig& config);

// /health/db: true when every PostgreSQL collector reached the server in its last pass.
// False before the first pass and when no PostgreSQL collector runs.
bool PostgresConnected(const Snapshot& snapshot);

}  // namespace cerniq::collect::postgres
