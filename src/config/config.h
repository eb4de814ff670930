#pragma once
// The exporter's configuration file (YAML). Every section is optional; without a file the
// exporter watches the 13 Etapa 5 queues under prefix `bull` on the default Redis.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "config/postgres_config.h"

namespace cerniq::config {

using std::chrono::milliseconds;

// TLS towards Redis (`rediss://` URLs). Empty files mean: the system's trust store, no client
// certificate. The server's name is checked against `server_name`, else the URL's host.
struct RedisTlsConfig {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;
  bool insecure_skip_verify = false;
  bool configured() const {
    return !ca_file.empty() || !cert_file.empty() || !key_file.empty() || !server_name.empty() ||
           insecure_skip_verify;
  }
};

// Sentinel-managed Redis, the same as a `redis+sentinel://` URL: the master named `master` is
// asked of `addresses` (host:port). `password_file` holds the Sentinels' own password (the
// master's is redis.password_file or the URL's); it also applies to a redis+sentinel:// URL.
struct RedisSentinelConfig {
  std::vector<std::string> addresses;
  std::string master;
  std::string password_file;
  int db = 0;
  bool tls =
      false;  // Sentinels and master over TLS (redis.tls applies to both), as rediss+sentinel://
  bool configured() const { return !addresses.empty(); }
};

struct RedisConfig {
  std::string url = "redis://127.0.0.1:6379/0";
  std::string password_file;  // overrides a password in the URL
  RedisTlsConfig tls;
  RedisSentinelConfig sentinel;
  // The URL names one node of a Redis Cluster: slots from CLUSTER SLOTS, reads routed by key.
  bool cluster = false;
  milliseconds connect_timeout{2000};
  milliseconds read_timeout{2000};
};

struct QueuePrefix {
  std::string prefix = "bull";
  std::vector<std::string> queues;
  bool discover = false;  // also watch queues found by SCAN MATCH <prefix>:*:meta
};

struct BullmqConfig {
  bool enabled = true;
  std::vector<QueuePrefix> prefixes;
  milliseconds interval{5000};
  // A pass still running after this fails (checked between round trips, each bounded by
  // redis.read_timeout), so a slow Redis never passes old figures off as a fresh pass.
  milliseconds timeout{4000};
  milliseconds discovery_interval{60000};
  long long discovery_max_queues = 5000;
};

struct LlmRateLimitConfig {
  bool enabled = true;
  std::string key = "anthropic:rate_limit:remaining";
};

struct ProbeConfig {
  std::string service;  // label value of cerniq_service_up
  std::string url;
  // Top-level fields the JSON answer must have, as YAML scalars (`status: healthy`).
  std::map<std::string, std::string> expect;
  milliseconds timeout{2000};
  milliseconds interval{15000};
};

struct Config {
  std::string file;  // where it was loaded from; empty for the built-in default
  RedisConfig redis;
  BullmqConfig bullmq;
  LlmRateLimitConfig llm_rate_limit;
  std::vector<ProbeConfig> probes;
  PostgresConfig postgres;
};

// The 13 Etapa 5 queues, in runbook §1.2 order.
const std::vector<std::string>& Etapa5Queues();

Config DefaultConfig();
// Throws ConfigError with file:line:col.
Config LoadConfigString(const std::string& yaml, const std::string& file);
Config LoadConfigFile(const std::string& path);

}  // namespace cerniq::config
