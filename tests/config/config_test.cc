#include "config/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cerniq::config {
namespace {

using ::testing::HasSubstr;

std::string ErrorOf(const std::string& yaml) {
  try {
    LoadConfigString(yaml, "cfg.yml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(Config, DefaultWatchesTheThirteenEtapa5QueuesUnderBull) {
  Config c = DefaultConfig();
  ASSERT_EQ(c.bullmq.prefixes.size(), 1u);
  EXPECT_EQ(c.bullmq.prefixes[0].prefix, "bull");
  EXPECT_EQ(c.bullmq.prefixes[0].queues.size(), 13u);
  EXPECT_EQ(c.bullmq.prefixes[0].queues.front(), "lifecycle");
  EXPECT_EQ(c.bullmq.prefixes[0].queues.back(), "hitl");
  EXPECT_FALSE(c.postgres.enabled());
  EXPECT_TRUE(c.probes.empty());
}

TEST(Config, FullFile) {
  Config c = LoadConfigString(R"(
redis:
  url: redis://127.0.0.1:6380/2
  read_timeout: 750ms
bullmq:
  interval: 2s
  prefixes:
    - prefix: "{bull}"
      queues: [churn, sentiment]
    - prefix: other
      discover: true
llm_rate_limit:
  key: llm:remaining
probes:
  timeout: 1s
  services:
    - service: api
      url: http://127.0.0.1:3000/health
      expect: {status: healthy}
    - service: llm
      url: http://127.0.0.1:3000/health/llm
      expect: {available: true}
      timeout: 3s
)",
                              "cfg.yml");
  EXPECT_EQ(c.redis.url, "redis://127.0.0.1:6380/2");
  EXPECT_EQ(c.redis.read_timeout.count(), 750);
  EXPECT_EQ(c.bullmq.interval.count(), 2000);
  ASSERT_EQ(c.bullmq.prefixes.size(), 2u);
  EXPECT_EQ(c.bullmq.prefixes[0].prefix, "{bull}");
  EXPECT_THAT(c.bullmq.prefixes[0].queues, ::testing::ElementsAre("churn", "sentiment"));
  EXPECT_TRUE(c.bullmq.prefixes[1].discover);
  EXPECT_EQ(c.llm_rate_limit.key, "llm:remaining");
  ASSERT_EQ(c.probes.size(), 2u);
  EXPECT_EQ(c.probes[0].expect.at("status"), "healthy");
  EXPECT_EQ(c.probes[0].timeout.count(), 1000);
  EXPECT_EQ(c.probes[1].expect.at("available"), "true");
  EXPECT_EQ(c.probes[1].timeout.count(), 3000);
}

TEST(Config, EmptyFileIsTheDefault) {
  Config c = LoadConfigString("", "cfg.yml");
  EXPECT_EQ(c.bullmq.prefixes[0].queues.size(), 13u);
}

TEST(Config, ErrorsCarryFileLineAndColumn) {
  EXPECT_EQ(ErrorOf("redis:\n  url: x\n  bogus: 1\n"),
            "cfg.yml:3:3: unknown key \"bogus\" in redis");
  EXPECT_EQ(ErrorOf("redis:\n  url: a\n  url: b\n"), "cfg.yml:3:3: duplicate key \"url\" in redis");
  EXPECT_EQ(ErrorOf("bullmq:\n  interval: 5 seconds\n"),
            "cfg.yml:2:13: bullmq.interval: not a valid duration string: \"5 seconds\"");
  EXPECT_EQ(ErrorOf("bullmq:\n  prefixes:\n    - prefix: bull\n      queues: [a, 'b:c']\n"),
            "cfg.yml:4:19: invalid queue name \"b:c\": must be non-empty without ':'");
  EXPECT_EQ(ErrorOf("bullmq:\n  prefixes:\n    - prefix: bull\n      queues: [a, a]\n"),
            "cfg.yml:4:19: queue \"a\" listed twice");
  EXPECT_EQ(ErrorOf("bullmq:\n  prefixes:\n    - queues: [a]\n"),
            "cfg.yml:3:7: bullmq.prefixes[0].prefix is required");
  EXPECT_EQ(ErrorOf("bullmq:\n  prefixes:\n    - prefix: bull\n"),
            "cfg.yml:3:7: prefix \"bull\" has no queues and discover is off");
  EXPECT_EQ(ErrorOf("probes:\n  services:\n    - service: api\n      url: ftp://x\n"),
            "cfg.yml:4:12: url must start with http:// or https://");
  EXPECT_EQ(
      ErrorOf("probes:\n  services:\n    - {service: a, url: 'http://x', expect: {s: 1, s: 2}}\n"),
      "cfg.yml:3:52: duplicate key \"s\" in probes.services[0].expect");
  EXPECT_EQ(ErrorOf("unknown_section: {}\n"),
            "cfg.yml:1:1: unknown key \"unknown_section\" in config");
  EXPECT_EQ(ErrorOf("bullmq: [1, 2]\n"), "cfg.yml:1:9: bullmq must be a mapping");
  EXPECT_EQ(ErrorOf("bullmq:\n  enabled: maybe\n"),
            "cfg.yml:2:12: bullmq.enabled must be true or false, got \"maybe\"");
  EXPECT_THAT(ErrorOf("redis: {url: [\n"), HasSubstr("cfg.yml:"));
}

TEST(Config, RedisTls) {
  Config c = LoadConfigString(R"(redis:
  url: rediss://cache.example.com:6380/0
  tls:
    ca_file: /etc/cerniq/redis-ca.crt
    cert_file: /etc/cerniq/client.crt
    key_file: /etc/cerniq/client.key
    server_name: redis.internal
    insecure_skip_verify: false
)",
                              "cfg.yml");
  EXPECT_EQ(c.redis.tls.ca_file, "/etc/cerniq/redis-ca.crt");
  EXPECT_EQ(c.redis.tls.cert_file, "/etc/cerniq/client.crt");
  EXPECT_EQ(c.redis.tls.key_file, "/etc/cerniq/client.key");
  EXPECT_EQ(c.redis.tls.server_name, "redis.internal");
  EXPECT_FALSE(c.redis.tls.insecure_skip_verify);
  EXPECT_TRUE(c.redis.tls.configured());
  EXPECT_FALSE(DefaultConfig().redis.tls.configured());
  EXPECT_EQ(ErrorOf("redis:\n  tls:\n    ca: x\n"), "cfg.yml:3:5: unknown key \"ca\" in redis.tls");
  EXPECT_EQ(ErrorOf("redis:\n  tls:\n    cert_file: c\n"),
            "cfg.yml:3:5: redis.tls: cert_file and key_file go together");
}

TEST(Config, RedisSentinel) {
  Config c = LoadConfigString(R"(redis:
  password_file: /run/secrets/redis
  sentinel:
    addresses: [10.0.0.1:26379, "sentinel-b:26380"]
    master: jobs
    password_file: /run/secrets/sentinel
    db: 2
    tls: true
)",
                              "cfg.yml");
  EXPECT_EQ(c.redis.sentinel.addresses,
            (std::vector<std::string>{"10.0.0.1:26379", "sentinel-b:26380"}));
  EXPECT_EQ(c.redis.sentinel.master, "jobs");
  EXPECT_EQ(c.redis.sentinel.password_file, "/run/secrets/sentinel");
  EXPECT_EQ(c.redis.sentinel.db, 2);
  EXPECT_TRUE(c.redis.sentinel.tls);
  EXPECT_FALSE(DefaultConfig().redis.sentinel.tls);
  EXPECT_TRUE(c.redis.sentinel.configured());
  EXPECT_FALSE(DefaultConfig().redis.sentinel.configured());
  // A redis+sentinel:// URL with only the Sentinels' password in the section.
  Config u = LoadConfigString(
      "redis:\n  url: redis+sentinel://s1:26379/jobs/0\n  sentinel:\n    password_file: /p\n",
      "cfg.yml");
  EXPECT_FALSE(u.redis.sentinel.configured());
  EXPECT_EQ(u.redis.sentinel.password_file, "/p");
  EXPECT_EQ(ErrorOf("redis:\n  sentinel:\n    addresses: [s1:26379, s2]\n    master: m\n"),
            "cfg.yml:3:27: redis.sentinel.addresses: \"s2\" is not host:port");
  EXPECT_EQ(ErrorOf("redis:\n  sentinel:\n    addresses: [s1:0]\n    master: m\n"),
            "cfg.yml:3:17: redis.sentinel.addresses: \"s1:0\" is not host:port");
  EXPECT_EQ(ErrorOf("redis:\n  sentinel:\n    addresses: [s1:1]\n"),
            "cfg.yml:3:5: redis.sentinel: addresses and master go together");
  EXPECT_EQ(
      ErrorOf("redis:\n  url: redis://h\n  sentinel:\n    addresses: [s1:1]\n    master: m\n"),
      "cfg.yml:4:5: redis.sentinel and redis.url both name the server: keep one of them");
  EXPECT_EQ(ErrorOf("redis:\n  sentinel:\n    master_name: m\n"),
            "cfg.yml:3:5: unknown key \"master_name\" in redis.sentinel");
}

TEST(Config, RedisCluster) {
  EXPECT_FALSE(DefaultConfig().redis.cluster);
  EXPECT_TRUE(LoadConfigString("redis:\n  url: redis://10.0.0.1:7000\n  cluster: true\n", "cfg.yml")
                  .redis.cluster);
  EXPECT_EQ(ErrorOf("redis:\n  sentinel:\n    addresses: [s1:1]\n    master: m\n  cluster: true\n"),
            "cfg.yml:5:12: redis.cluster and redis.sentinel exclude each other");
  EXPECT_EQ(ErrorOf("redis:\n  cluster: yes please\n"),
            "cfg.yml:2:12: redis.cluster must be true or false, got \"yes please\"");
}

TEST(Config, MissingFile) {
  try {
    LoadConfigFile("/nonexistent/cerniq.yml");
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "/nonexistent/cerniq.yml: cannot read config file");
  }
}

// Durations use gocompat's model.ParseDuration; errors keep the config's own wording and place.
long long ReadDuration(const std::string& value) {
  YAML::Node node = YAML::Load("d: " + value);
  MapReader reader(node, "f.yml", "x");
  return reader.Duration("d", std::chrono::milliseconds(-1)).count();
}

TEST(Duration, PrometheusSyntax) {
  EXPECT_EQ(ReadDuration("1h30m"), 5400000);
  EXPECT_EQ(ReadDuration("250ms"), 250);
  EXPECT_EQ(ReadDuration("1m5ms"), 60005);
  EXPECT_EQ(ReadDuration("0"), 0);
  EXPECT_EQ(ReadDuration("2d"), 2 * 86400000LL);
  for (const char* bad : {"\"\"", "5", "1s1m", "1.5s", "-1s", "300y"}) {
    try {
      ReadDuration(bad);
      ADD_FAILURE() << bad;
    } catch (const ConfigError& e) {
      EXPECT_EQ(e.line(), 1) << bad;
      EXPECT_EQ(e.col(), 4) << bad;
      EXPECT_EQ(e.message().rfind("x.d: not a valid duration string: \"", 0), 0u) << e.message();
    }
  }
}

}  // namespace
}  // namespace cerniq::config
