#include "app.h"

#include <pthread.h>
#include <sys/resource.h>
#include <csignal>

#include "cerniq_version.h"
#include "collect/postgres/postgres_collectors.h"
#include "collect/probe/probe_collector.h"
#include "collect/redis/bullmq_collector.h"
#include "collect/redis/llm_rate_limit_collector.h"
#include "config/secret_file.h"
#include "http/server.h"
#include "log/log.h"

namespace cerniq::exporter {
namespace {

std::unique_ptr<collect::redis::Connection> MakeRedisConnection(const config::RedisConfig& cfg) {
  std::string error;
  auto address = collect::redis::ParseRedisUrl(cfg.url, error);
  if (!address) throw std::runtime_error("invalid Redis URL: " + error);
  std::string reason;
  if (!cfg.password_file.empty() &&
      !config::ReadSecretFile(cfg.password_file, address->password, reason)) {
    throw std::runtime_error("cannot read secret file " + cfg.password_file);
  }
  return std::make_unique<collect::redis::Connection>(*address, cfg.connect_timeout,
                                                      cfg.read_timeout);
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
  context.postgres_enabled = options.config.postgres.enabled();
  for (const auto& p : options.config.bullmq.prefixes) {
    for (const auto& q : p.queues) context.configured_queues.emplace_back(p.prefix, q);
  }
  return context;
}

int Run(const Options& options) {
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  RaiseOpenFileLimit();
  collect::SnapshotStore store;
  collect::Runner runner(store);
  try {
    AddCollectors(options.config, runner);
  } catch (const std::exception& e) {
    log::Error("invalid configuration", {{"err", e.what()}});
    return 1;
  }
  http::Router router(MakeRouteContext(options), store);
  std::unique_ptr<http::Server> server;
  try {
    http::ServerOptions server_options{options.listen_addresses};
    server_options.web_config_file = options.web_config_file;
    server = std::make_unique<http::Server>(server_options, router);
  } catch (const std::exception& e) {
    log::Error("cannot start the HTTP server", {{"err", e.what()}});
    return 1;
  }
  runner.Start();
  std::string redis_target = options.config.redis.url;
  if (std::string err; auto a = collect::redis::ParseRedisUrl(redis_target, err))
    redis_target = a->Display();
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
  sigwait(&stop_signals, &sig);
  log::Info("shutting down", {{"signal", sig == SIGINT ? "SIGINT" : "SIGTERM"}});
  server.reset();
  runner.Stop();
  return 0;
}

}  // namespace cerniq::exporter
