#include "collect/postgres/postgres_collectors.h"

#include <charconv>

#include "collect/postgres/churn_collector.h"
#include "collect/postgres/query_collector.h"
#include "collect/postgres/subsystems/registry.h"

namespace cerniq::collect::postgres {
namespace {

std::string Seconds(std::chrono::milliseconds d) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d.count() / 1000.0);
  return ec == std::errc() ? std::string(buf, end) : "0";
}

std::string QueryName(std::string_view subsystem, std::string_view key) {
  return "postgres.collectors." + std::string(subsystem) + "." + std::string(key);
}

// The subsystem's queries with the configured SQL and window.
std::vector<QuerySpec> Specs(const subsystems::Subsystem& subsystem,
                             const config::PgCollectorConfig& c) {
  std::vector<QuerySpec> specs;
  for (const subsystems::Query& q : subsystem.queries) {
    QuerySpec s;
    s.name = QueryName(subsystem.name, q.key);
    s.sql = c.queries.at(std::string(q.key));
    if (q.windowed) s.params.push_back(Seconds(c.window));
    s.values = q.values;
    specs.push_back(std::move(s));
  }
  return specs;
}

std::unique_ptr<Collector> MakeCollector(const subsystems::Subsystem& subsystem,
                                         ConnectionSettings settings,
                                         const config::PgCollectorConfig& c) {
  std::string name(subsystem.name);
  if (subsystem.shape == subsystems::Shape::kHistogram) {
    const subsystems::Query& q = subsystem.queries.front();
    return std::make_unique<ChurnCollector>(name, std::move(settings),
                                            QueryName(subsystem.name, q.key),
                                            c.queries.at(std::string(q.key)), c.buckets);
  }
  return std::make_unique<QueryCollector>(name, std::move(settings), Specs(subsystem, c),
                                          c.max_rows);
}

}  // namespace

ScheduledCollectors MakePostgresCollectors(const config::PostgresConfig& config) {
  ScheduledCollectors out;
  if (!config.enabled()) return out;
  for (const auto& [name, c] : config.collectors) {
    if (!c.enabled) continue;
    ConnectionSettings settings;
    settings.dsn = config.dsn;
    settings.password_file = config.password_file;
    settings.connect_timeout = config.connect_timeout;
    settings.statement_timeout = c.timeout;
    settings.application_name = config.application_name;
    settings.backoff_max = config.reconnect_backoff_max;
    const subsystems::Subsystem* subsystem = subsystems::Find(name);
    if (subsystem == nullptr) continue;  // the config loader only knows these names
    out.emplace_back(MakeCollector(*subsystem, std::move(settings), c), Schedule{c.interval});
  }
  return out;
}

bool PostgresConnected(const Snapshot& snapshot) {
  auto up = snapshot.SourcesUp();
  auto it = up.find("postgres");
  return it != up.end() && it->second;
}

}  // namespace cerniq::collect::postgres
