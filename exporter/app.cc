#include "app.h"

#include <pthread.h>
#include <sys/resource.h>
#include <condition_variable>
#include <csignal>
#include <thread>

#include "cerniq_version.h"
#include "collect/exposition.h"
#include "collect/postgres/postgres_collectors.h"
#include "collect/probe/probe_collector.h"
#include "collect/redis/bullmq_collector.h"
#include "collect/redis/cluster_client.h"
#include "collect/redis/llm_rate_limit_collector.h"
#include "config/secret_file.h"
#include "evaluator/manager.h"
#include "evaluator/snapshot_feed.h"
#include "http/server.h"
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
    throw std::runtime_error("redis.tls is set but the Redis URL is not rediss://");
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
                                                                 cfg.read_timeout, std::move(tls));
  if (address.via_sentinel()) {
    std::string sentinel_password;
    if (!cfg.sentinel.password_file.empty()) {
      sentinel_password = ReadSecret(cfg.sentinel.password_file);
    }
    connection->FollowSentinels(std::make_unique<collect::redis::SentinelResolver>(
        address.sentinels, address.master_name, sentinel_password, cfg.connect_timeout,
        cfg.read_timeout));
  }
  return connection;
}

// The local rule evaluator over an in-memory history fed from every published snapshot (the
// history store of src/tsdb replaces MemoryRuleStorage). Null without --rules.file.
class LocalRules {
 public:
  LocalRules(const Options& options, const collect::SnapshotStore& store)
      : manager_([&] {
          evaluator::ManagerOptions o;
          o.storage = &storage_;
          o.default_interval_ms = options.rules_evaluation_interval.count();
          o.external_labels = {options.external_labels.begin(), options.external_labels.end()};
          return o;
        }()),
        files_(options.rule_files),
        store_(store) {}
  ~LocalRules() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (feeder_.joinable()) feeder_.join();
    manager_.Stop();
  }

  bool Reload() {
    auto result = manager_.Reload(files_);
    for (const auto& e : result.errors) log::Error("error loading rules", {{"err", e}});
    if (result.ok()) log::Info("rules loaded", {{"groups", std::to_string(GroupCount())}});
    return result.ok();
  }
  void Start() {
    manager_.Start();
    feeder_ = std::thread([this] { FeedLoop(); });
  }

 private:
  size_t GroupCount() const { return manager_.Status()->groups.size(); }
  // Appends each new snapshot (checked every second); keeps one hour of history.
  void FeedLoop() {
    std::shared_ptr<const collect::Snapshot> last;
    int64_t last_truncate_ms = 0;
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      auto snapshot = store_.Current();
      const int64_t now_ms = evaluator::SystemClock().NowNs() / 1'000'000;
      if (snapshot != last) {
        last = snapshot;
        feed_.Feed(
            collect::SnapshotFamilies(*snapshot), now_ms,
            [this](const promql::Labels& l, int64_t t, double v) { storage_.Append(l, t, v); });
      }
      if (now_ms - last_truncate_ms > 5 * 60'000) {
        storage_.Truncate(now_ms - 60 * 60'000);
        last_truncate_ms = now_ms;
      }
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
    }
  }

  evaluator::MemoryRuleStorage storage_;
  evaluator::Manager manager_;
  std::vector<std::string> files_;
  const collect::SnapshotStore& store_;
  evaluator::SnapshotFeed feed_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread feeder_;
};

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
  context.api_options.metadata = api::CatalogMetadata();
  context.api_options.build = {kVersion, kRevision, "", "", "", ""};
  return context;
}

int Run(const Options& options) {
  // Block the stop signals in every thread; the main thread waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  if (!options.rule_files.empty()) sigaddset(&stop_signals, SIGHUP);
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
  std::unique_ptr<LocalRules> rules;
  if (!options.rule_files.empty()) {
    rules = std::make_unique<LocalRules>(options, store);
    if (!rules->Reload()) return 1;
    rules->Start();
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
  rules.reset();
  runner.Stop();
  return 0;
}

}  // namespace cerniq::exporter
