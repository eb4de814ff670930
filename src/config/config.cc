#include "config/config.h"

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "config/strict_yaml.h"

namespace cerniq::config {
namespace {

void ParseRedisTls(MapReader section, RedisTlsConfig& tls) {
  tls.ca_file = section.String("ca_file", tls.ca_file);
  tls.cert_file = section.String("cert_file", tls.cert_file);
  tls.key_file = section.String("key_file", tls.key_file);
  tls.server_name = section.String("server_name", tls.server_name);
  tls.insecure_skip_verify = section.Bool("insecure_skip_verify", tls.insecure_skip_verify);
  if (tls.cert_file.empty() != tls.key_file.empty()) {
    section.FailAt(section.node(), "redis.tls: cert_file and key_file go together");
  }
  section.Finish();
}

// host:port with a port in 1..65535 (Sentinel addresses carry their port: there is no default
// worth guessing between 26379 and a managed service's).
bool IsHostPort(const std::string& s) {
  size_t colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || s.starts_with("[")) return false;
  int port = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data() + colon + 1, end, port);
  return ec == std::errc() && ptr == end && port >= 1 && port <= 65535;
}

void ParseRedisSentinel(MapReader section, RedisSentinelConfig& sentinel, bool url_given) {
  YAML::Node addresses = section.Node("addresses");
  sentinel.addresses = section.StringList("addresses");
  for (size_t i = 0; i < sentinel.addresses.size(); ++i) {
    if (!IsHostPort(sentinel.addresses[i])) {
      section.FailAt(addresses[i], "redis.sentinel.addresses: \"" + sentinel.addresses[i] +
                                       "\" is not host:port");
    }
  }
  sentinel.master = section.String("master", sentinel.master);
  sentinel.password_file = section.String("password_file", sentinel.password_file);
  sentinel.db = static_cast<int>(section.Int("db", sentinel.db, 0, 1 << 20));
  sentinel.tls = section.Bool("tls", sentinel.tls);
  if (sentinel.addresses.empty() != sentinel.master.empty()) {
    section.FailAt(section.node(), "redis.sentinel: addresses and master go together");
  }
  if (sentinel.configured() && url_given) {
    section.FailAt(section.node(),
                   "redis.sentinel and redis.url both name the server: keep one of them");
  }
  section.Finish();
}

void ParseRedis(MapReader section, RedisConfig& redis) {
  bool url_given = section.Has("url");
  redis.url = section.String("url", redis.url);
  redis.password_file = section.String("password_file", redis.password_file);
  ParseRedisTls(MapReader(section.Node("tls"), section.file(), "redis.tls"), redis.tls);
  ParseRedisSentinel(MapReader(section.Node("sentinel"), section.file(), "redis.sentinel"),
                     redis.sentinel, url_given);
  redis.cluster = section.Bool("cluster", redis.cluster);
  if (redis.cluster && redis.sentinel.configured()) {
    section.FailAt(section.Node("cluster"), "redis.cluster and redis.sentinel exclude each other");
  }
  redis.connect_timeout = section.Duration("connect_timeout", redis.connect_timeout);
  redis.read_timeout = section.Duration("read_timeout", redis.read_timeout);
  section.Finish();
}

QueuePrefix ParsePrefix(MapReader item) {
  QueuePrefix p;
  p.prefix = item.RequiredString("prefix");
  if (p.prefix.empty()) item.FailAt(item.Node("prefix"), "prefix must not be empty");
  p.discover = item.Bool("discover", false);
  YAML::Node queues = item.Node("queues");
  p.queues = item.StringList("queues");
  std::set<std::string> seen;
  for (size_t i = 0; i < p.queues.size(); ++i) {
    const std::string& q = p.queues[i];
    // BullMQ refuses queue names with ':' (and an empty one would alias the prefix).
    if (q.empty() || q.find(':') != std::string::npos) {
      item.FailAt(queues[i], "invalid queue name \"" + q + "\": must be non-empty without ':'");
    }
    if (!seen.insert(q).second) item.FailAt(queues[i], "queue \"" + q + "\" listed twice");
  }
  if (p.queues.empty() && !p.discover) {
    item.FailAt(item.node(), "prefix \"" + p.prefix + "\" has no queues and discover is off");
  }
  item.Finish();
  return p;
}

void ParseBullmq(MapReader section, BullmqConfig& bullmq) {
  bullmq.enabled = section.Bool("enabled", bullmq.enabled);
  bullmq.interval = section.Duration("interval", bullmq.interval);
  bullmq.timeout = section.Duration("timeout", bullmq.timeout);
  bullmq.discovery_interval = section.Duration("discovery_interval", bullmq.discovery_interval);
  bullmq.discovery_max_queues =
      section.Int("discovery_max_queues", bullmq.discovery_max_queues, 1, 1000000);
  YAML::Node prefixes = section.Node("prefixes");
  if (prefixes && !prefixes.IsNull()) {
    if (!prefixes.IsSequence()) section.FailAt(prefixes, "bullmq.prefixes must be a list");
    bullmq.prefixes.clear();
    std::set<std::string> seen;
    for (size_t i = 0; i < prefixes.size(); ++i) {
      auto p = ParsePrefix(
          MapReader(prefixes[i], section.file(), "bullmq.prefixes[" + std::to_string(i) + "]"));
      if (!seen.insert(p.prefix).second) {
        section.FailAt(prefixes[i], "prefix \"" + p.prefix + "\" listed twice");
      }
      bullmq.prefixes.push_back(std::move(p));
    }
  }
  if (bullmq.interval.count() <= 0)
    section.FailAt(section.Node("interval"), "interval must be > 0");
  section.Finish();
}

void ParseLlm(MapReader section, LlmRateLimitConfig& llm) {
  llm.enabled = section.Bool("enabled", llm.enabled);
  llm.key = section.String("key", llm.key);
  section.Finish();
}

std::map<std::string, std::string> ParseExpect(const YAML::Node& node, const std::string& file,
                                               const std::string& what) {
  MapReader reader(node, file, what);  // checks mapping shape and duplicate keys
  std::map<std::string, std::string> expect;
  if (!node.IsMap()) return expect;
  for (auto it = node.begin(); it != node.end(); ++it) {
    if (!it->second.IsScalar()) reader.FailAt(it->second, what + " values must be scalars");
    expect[it->first.Scalar()] = it->second.Scalar();
    reader.Node(it->first.Scalar());
  }
  return expect;
}

void ParseProbes(MapReader section, std::vector<ProbeConfig>& probes) {
  auto interval = section.Duration("interval", std::chrono::milliseconds(15000));
  auto timeout = section.Duration("timeout", std::chrono::milliseconds(2000));
  YAML::Node services = section.Node("services");
  std::set<std::string> seen;
  if (services && !services.IsNull()) {
    if (!services.IsSequence()) section.FailAt(services, "probes.services must be a list");
    for (size_t i = 0; i < services.size(); ++i) {
      std::string what = "probes.services[" + std::to_string(i) + "]";
      MapReader item(services[i], section.file(), what);
      ProbeConfig probe;
      probe.service = item.RequiredString("service");
      probe.url = item.RequiredString("url");
      if (!probe.url.starts_with("http://") && !probe.url.starts_with("https://")) {
        item.FailAt(item.Node("url"), "url must start with http:// or https://");
      }
      probe.expect = ParseExpect(item.Node("expect"), section.file(), what + ".expect");
      probe.timeout = item.Duration("timeout", timeout);
      probe.interval = item.Duration("interval", interval);
      if (!seen.insert(probe.service).second) {
        item.FailAt(item.Node("service"), "service \"" + probe.service + "\" listed twice");
      }
      item.Finish();
      probes.push_back(std::move(probe));
    }
  }
  section.Finish();
}

}  // namespace

const std::vector<std::string>& Etapa5Queues() {
  static const std::vector<std::string> queues = {
      "lifecycle",   "churn",    "sentiment", "geospatial", "graph",      "referral", "winback",
      "association", "feedback", "content",   "alerts",     "compliance", "hitl"};
  return queues;
}

Config DefaultConfig() {
  Config c;
  QueuePrefix bull;
  bull.prefix = "bull";
  bull.queues = Etapa5Queues();
  c.bullmq.prefixes.push_back(std::move(bull));
  return c;
}

Config LoadConfigString(const std::string& yaml, const std::string& file) {
  Config c = DefaultConfig();
  c.file = file;
  YAML::Node root = ParseYaml(yaml, file);
  MapReader top(root, file, "config");
  ParseRedis(MapReader(top.Node("redis"), file, "redis"), c.redis);
  ParseBullmq(MapReader(top.Node("bullmq"), file, "bullmq"), c.bullmq);
  ParseLlm(MapReader(top.Node("llm_rate_limit"), file, "llm_rate_limit"), c.llm_rate_limit);
  ParseProbes(MapReader(top.Node("probes"), file, "probes"), c.probes);
  MapReader pg(top.Node("postgres"), file, "postgres");
  c.postgres = ParsePostgresConfig(pg);
  top.Finish();
  return c;
}

Config LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path, "cannot read config file");
  std::ostringstream text;
  text << in.rdbuf();
  return LoadConfigString(text.str(), path);
}

}  // namespace cerniq::config
