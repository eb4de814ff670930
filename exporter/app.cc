#include "app.h"

#include <pthread.h>
#include <sys/resource.h>
#include <algorithm>
#include <csignal>

#include "cerniq_version.h"
#include "collect/exposition.h"
#include "collect/postgres/postgres_collectors.h"
#include "collect/probe/probe_collector.h"
#include "collect/redis/admin_reader_redis.h"
#include "collect/redis/bullmq_collector.h"
#include "collect/redis/cluster_client.h"
#include "collect/redis/llm_rate_limit_collector.h"
#include "config/secret_file.h"
#include "http/server.h"
#include "local_history.h"
#include "local_rules.h"
#include "log/log.h"

namespace cerniq::exporter {
namespace {

std::string ReadSecret(const std::string& path) {
  std::string secret, reason;
  if (!config::ReadSecretFile(path, secret, reason)) {
    throw std::runtime_error("cannot read secret file " + path + ": " + reason);
  }
  return secret;
}

// The Redis address from redis.url, or from redis.sentinel when that section names the server.
collect::redis::RedisAddress RedisAddressOf(const config::RedisConfig& cfg) {
  std::string error;
  if (cfg.sentinel.configured()) {
    collect::redis::RedisAddress a;
    a.master_name = cfg.sentinel.master;
    a.db = cfg.sentinel.db;
    a.tls = cfg.sentinel.tls;
    for (const std::string& s : cfg.sentinel.addresses) {
      auto hp = collect::redis::ParseHostPort(s, 26379, error);
      if (!hp) throw std::runtime_error("invalid redis.sentinel address " + s + ": " + error);
      a.sentinels.push_back(std::move(*hp));
    }
    return a;
  }
  auto address = collect::redis::ParseRedisUrl(cfg.url, error);
  if (!address) throw std::runtime_error("invalid Redis URL: " + error);
  return *address;
}

std::unique_ptr<collect::redis::RedisClient> MakeRedisConnection(const config::RedisConfig& cfg) {
  collect::redis::RedisAddress address = RedisAddressOf(cfg);
  if (!cfg.password_file.empty()) address.password = ReadSecret(cfg.password_file);
  std::shared_ptr<const collect::redis::TlsContext> tls;
  if (address.tls) {
    tls = std::make_shared<collect::redis::TlsContext>(cfg.tls);
  } else if (cfg.tls.configured()) {
    throw std::runtime_error(
        "redis.tls is set but Redis is not reached over TLS (rediss://, rediss+sentinel:// or "
        "redis.sentinel.tls)");
  }
  if (!address.via_sentinel() && !cfg.sentinel.password_file.empty()) {
    throw std::runtime_error(
        "redis.sentinel.password_file is set but Redis is not reached "
        "through Sentinel");
  }
  if (cfg.cluster) {
    if (address.via_sentinel()) {
      throw std::runtime_error("--redis.cluster needs a redis:// or rediss:// node, not Sentinel");
    }
    return std::make_unique<collect::redis::ClusterClient>(address, cfg.connect_timeout,
                                                           cfg.read_timeout, std::move(tls));
  }
  auto connection = std::make_unique<collect::redis::Connection>(address, cfg.connect_timeout,
                                                                 cfg.read_timeout, tls);
  if (address.via_sentinel()) {
    std::string sentinel_password;
    if (!cfg.sentinel.password_file.empty()) {
      sentinel_password = ReadSecret(cfg.sentinel.password_file);
    }
    connection->FollowSentinels(std::make_unique<collect::redis::SentinelResolver>(
        address.sentinels, address.master_name, sentinel_password, cfg.connect_timeout,
        cfg.read_timeout, tls));
  }
  return connection;
}

// The admin diagnosis reads (/api/admin/workers, .../failed): a connection of their own, each
// wait at most 2 s whatever the collectors' timeouts. Null (those routes answer 503) when the
// connection cannot be set up.
std::shared_ptr<collect::AdminReader> MakeAdminReader(config::RedisConfig cfg) {
  cfg.connect_timeout = std::min(cfg.connect_timeout, std::chrono::milliseconds(2000));
  cfg.read_timeout = std::min(cfg.read_timeout, std::chrono::milliseconds(2000));
  try {
    return std::make_shared<collect::redis::RedisAdminReader>(MakeRedisConnection(cfg));
  } catch (const std::exception& e) {
    log::Error("admin reads disabled", {{"err", e.what()}});
    return nullptr;
  }
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

// Every scraper, idle keep-alive and abandoned connection holds a descriptor: use the hard
// limit, as Go programs do since Go 1.19.
void RaiseOpenFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

void AddCollectors(const config::Config& config, collect::Runner& runner) {
  if (config.bullmq.enabled) {
    runner.Add(std::make_unique<collect::redis::BullmqCollector>(MakeRedisConnection(config.redis),
                                                                 config.bullmq),
               {config.bullmq.interval});
  }
  if (config.llm_rate_limit.enabled) {
    runner.Add(std::make_unique<collect::redis::LlmRateLimitCollector>(
                   MakeRedisConnection(config.redis), config.llm_rate_limit.key),
               {config.bullmq.interval});
  }
  for (const auto& probe : config.probes) {
    runner.Add(std::make_unique<collect::probe::ProbeCollector>(probe), {probe.interval});
  }
  if (config.postgres.enabled()) {
    for (auto& [collector, schedule] : collect::postgres::MakePostgresCollectors(config.postgres)) {
      runner.Add(std::move(collector), schedule);
    }
  }
}

http::RouteContext MakeRouteContext(const Options& options) {
  http::RouteContext context;
  context.telemetry_path = options.telemetry_path;
  context.link_prefix = ExternalUrlPath(options.external_url);
  context.postgres_enabled = options.config.postgres.enabled();
  for (const auto& p : options.config.bullmq.prefixes) {
    for (const auto& q : p.queues) context.configured_queues.emplace_back(p.prefix, q);
  }
  if (options.config.bullmq.enabled) context.admin_reader = MakeAdminReader(options.config.redis);
  context.api_options.metadata = api::CatalogMetadata();
  context.api_options.build = {kVersion, kRevision, kBranch, "", "", ""};
  context.api_options.engine.timeout = options.query_timeout;
  context.api_options.engine.max_samples = options.query_max_samples;
  context.api_options.engine.lookback_delta_ms = options.query_lookback_delta.count();
  context.api_options.max_concurrency = options.query_max_concurrency;
  context.enable_lifecycle = options.web_enable_lifecycle;
  context.status_history_ms = options.storage_retention.count();
  return context;
}

std::unique_ptr<notifier::Manager> MakeNotifier(const Options& options) {
  if (options.alertmanager_urls.empty()) return nullptr;
  notifier::Options o;
  o.alertmanager_urls = options.alertmanager_urls;
  o.external_labels = options.external_labels;
  o.queue_capacity = options.notification_queue_capacity;
  o.timeout = options.alertmanager_timeout;
  return std::make_unique<notifier::Manager>(std::move(o));
}

evaluator::NotifyFunc NotifyHook(notifier::Manager* alertmanagers) {
  if (!alertmanagers) return {};
  return [alertmanagers](std::vector<notifier::Alert> alerts) {
    alertmanagers->Send(std::move(alerts));
  };
}

void WireHistoryAndRules(http::RouteContext& context, const LocalHistory& history,
                         LocalRules* rules) {
  context.storage = history.Provider();
  context.rules = [rules] {
    return rules ? rules->ApiState() : std::vector<api::RuleGroupState>{};
  };
  context.extra_families.push_back([&history, rules] {
    auto families = rules ? rules->Metrics() : std::vector<prometheus::MetricFamily>{};
    for (auto& f : history.Metrics()) families.push_back(std::move(f));
    return families;
  });
  // Without rule files there is nothing to reload: success, as Prometheus with no rules.
  context.reload = [rules] { return rules ? rules->Reload() : std::string(); };
}

int Run(const Options& options) {
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  RaiseOpenFileLimit();
  collect::SnapshotStore store;
  collect::Runner runner(store,
                         {options.collector_max_series, options.collector_max_label_value_length});
  try {
    AddCollectors(options.config, runner);
  } catch (const std::exception& e) {
    log::Error("invalid configuration", {{"err", e.what()}});
    return 1;
  }
  std::unique_ptr<notifier::Manager> alertmanagers = MakeNotifier(options);
  LocalHistory history(options, store);
  const std::string alert_state = history.Restore();
  std::unique_ptr<LocalRules> rules;
  if (!options.rule_files.empty()) {
    rules = std::make_unique<LocalRules>(options, history.rule_storage(), history.store(),
                                         NotifyHook(alertmanagers.get()));
    if (!rules->Reload().empty()) return 1;
    rules->ImportAlertState(alert_state);
  }
  http::RouteContext context = MakeRouteContext(options);
  WireHistoryAndRules(context, history, rules.get());
  if (alertmanagers) {
    context.extra_families.push_back([&n = *alertmanagers] { return n.Families(); });
  }
  http::Router router(std::move(context), store);
  std::unique_ptr<http::Server> server;
  try {
    http::ServerOptions server_options{options.listen_addresses};
    server_options.web_config_file = options.web_config_file;
    server_options.limits.max_connections = options.web_max_connections;
    server_options.limits.max_body_bytes = options.web_max_request_body_bytes;
    server = std::make_unique<http::Server>(server_options, router);
  } catch (const std::exception& e) {
    log::Error("cannot start the HTTP server", {{"err", e.what()}});
    return 1;
  }
  if (rules) {
    history.Start([&rules] { return rules->ExportAlertState(); });
    rules->Start();
  } else {
    history.Start(nullptr);
  }
  runner.Start();
  std::string redis_target = options.config.redis.url;
  try {
    redis_target = RedisAddressOf(options.config.redis).Display();  // without the password
  } catch (const std::exception&) {
    // Redis collectors disabled and the URL invalid: nothing better to show
  }
  log::Info("cerniq_exporter started",
            {{"version", kVersion},
             {"revision", kRevision},
             {"address", Join(server->bound_addresses())},
             {"port", std::to_string(server->port())},
             {"web_config", options.web_config_file.empty() ? "none" : options.web_config_file},
             {"redis", redis_target},
             {"postgres", options.config.postgres.enabled() ? "on" : "off"},
             {"config", options.config.file.empty() ? "built-in default" : options.config.file}});
  int sig = 0;
  // SIGHUP reloads the rule files (a bad file keeps the old rules); SIGINT/SIGTERM stop.
  while (sigwait(&stop_signals, &sig) == 0 && sig == SIGHUP) {
    if (rules) rules->Reload();
  }
  log::Info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  server.reset();
  if (rules) rules->Stop();
  history.Stop();
  history.Checkpoint();  // after the last evaluation, so alert state and history agree
  if (alertmanagers) {   // the last evaluation's alerts too, for at most --alertmanager.timeout
    alertmanagers->Stop(options.drain_notifications_on_shutdown ? options.alertmanager_timeout
                                                                : std::chrono::milliseconds(0));
  }
  runner.Stop();
  return 0;
}

}  // namespace cerniq::exporter
