#include "collect/redis/redis_url.h"

#include <gtest/gtest.h>

namespace cerniq::collect::redis {
namespace {

TEST(RedisUrl, HostPortDbAndPassword) {
  std::string err;
  auto a = ParseRedisUrl("redis://:p%40ss@cache.internal:6380/4", err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->host, "cache.internal");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->db, 4);
  EXPECT_EQ(a->password, "p@ss");
  EXPECT_EQ(a->username, "");
  EXPECT_EQ(a->Display(), "cache.internal:6380");
}

TEST(RedisUrl, DefaultsAndAclUser) {
  std::string err;
  auto a = ParseRedisUrl("redis://exporter:pw@10.0.0.1", err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->port, 6379);
  EXPECT_EQ(a->db, 0);
  EXPECT_EQ(a->username, "exporter");
  EXPECT_EQ(a->password, "pw");
}

TEST(RedisUrl, RedissMeansTls) {
  std::string err;
  auto a = ParseRedisUrl("rediss://exporter:pw@cache.example.com:6380/1", err);
  ASSERT_TRUE(a) << err;
  EXPECT_TRUE(a->tls);
  EXPECT_EQ(a->host, "cache.example.com");
  EXPECT_EQ(a->port, 6380);
  EXPECT_EQ(a->db, 1);
  EXPECT_EQ(a->username, "exporter");
  EXPECT_FALSE(ParseRedisUrl("redis://h", err)->tls);
}

TEST(RedisUrl, UnixSocket) {
  std::string err;
  auto a = ParseRedisUrl("unix:///run/redis/redis.sock?db=2", err);
  ASSERT_TRUE(a) << err;
  EXPECT_EQ(a->socket_path, "/run/redis/redis.sock");
  EXPECT_EQ(a->db, 2);
  EXPECT_EQ(a->Display(), "unix:///run/redis/redis.sock");
}

TEST(RedisUrl, SentinelListMasterAndDb) {
  std::string err;
  auto a = ParseRedisUrl("redis+sentinel://app:s%3Acret@10.0.0.1:26380,sentinel-b/jobs/3", err);
  ASSERT_TRUE(a) << err;
  EXPECT_TRUE(a->via_sentinel());
  EXPECT_EQ(a->master_name, "jobs");
  ASSERT_EQ(a->sentinels.size(), 2u);
  EXPECT_EQ(a->sentinels[0], (HostPort{"10.0.0.1", 26380}));
  EXPECT_EQ(a->sentinels[1], (HostPort{"sentinel-b", 26379}));  // Sentinel's default port
  EXPECT_EQ(a->db, 3);
  EXPECT_EQ(a->username, "app");
  EXPECT_EQ(a->password, "s:cret");
  EXPECT_TRUE(a->host.empty());  // not known until a Sentinel is asked
  EXPECT_EQ(a->Display(), "master jobs (sentinels 10.0.0.1:26380,sentinel-b:26379)");
  a->host = "10.0.0.9";
  a->port = 6379;
  EXPECT_EQ(a->Display(),
            "master jobs at 10.0.0.9:6379 (sentinels 10.0.0.1:26380,sentinel-b:26379)");
  auto no_db = ParseRedisUrl("redis+sentinel://s1:1,s2:2/mymaster", err);
  ASSERT_TRUE(no_db) << err;
  EXPECT_EQ(no_db->db, 0);
  EXPECT_FALSE(ParseRedisUrl("redis+sentinel://s1:1,s2:2", err));
  EXPECT_NE(err.find("names no master"), std::string::npos) << err;
  EXPECT_FALSE(ParseRedisUrl("redis+sentinel:///m/0", err));
  EXPECT_NE(err.find("names no Sentinel"), std::string::npos) << err;
  EXPECT_FALSE(ParseRedisUrl("redis+sentinel://s1:1,s2:x/m", err));
  EXPECT_NE(err.find("invalid port \"x\""), std::string::npos) << err;
  EXPECT_FALSE(ParseRedisUrl("redis+sentinel://s1,,s2/m", err));
  EXPECT_FALSE(ParseRedisUrl("redis+sentinel://s1/m/x", err));
  EXPECT_NE(err.find("database"), std::string::npos) << err;
}

TEST(RedisUrl, SentinelOverTls) {
  std::string err;
  auto a = ParseRedisUrl("rediss+sentinel://s1:26380,s2:26381/jobs/2", err);
  ASSERT_TRUE(a) << err;
  EXPECT_TRUE(a->tls);
  EXPECT_TRUE(a->via_sentinel());
  EXPECT_EQ(a->master_name, "jobs");
  ASSERT_EQ(a->sentinels.size(), 2u);
  EXPECT_EQ(a->sentinels[1], (HostPort{"s2", 26381}));
  EXPECT_EQ(a->db, 2);
  auto plain = ParseRedisUrl("redis+sentinel://s1:26380/jobs", err);
  ASSERT_TRUE(plain) << err;
  EXPECT_FALSE(plain->tls);
  EXPECT_FALSE(ParseRedisUrl("rediss+sentinel://s1:1", err));
  EXPECT_NE(err.find("names no master"), std::string::npos) << err;
  EXPECT_FALSE(ParseRedisUrl("redis+sentinels://s1:1/m", err));
  EXPECT_NE(err.find("rediss+sentinel://"), std::string::npos) << err;
}

TEST(RedisUrl, ErrorsSayWhatIsWrong) {
  std::string err;
  EXPECT_FALSE(ParseRedisUrl("http://x", err));
  EXPECT_NE(err.find("redis://"), std::string::npos);
  EXPECT_FALSE(ParseRedisUrl("redis://host:99999", err));
  EXPECT_NE(err.find("port"), std::string::npos);
  EXPECT_FALSE(ParseRedisUrl("redis://host/x", err));
  EXPECT_NE(err.find("database"), std::string::npos);
  EXPECT_FALSE(ParseRedisUrl("unix://relative", err));
  EXPECT_FALSE(ParseRedisUrl("redis://", err));
}

}  // namespace
}  // namespace cerniq::collect::redis
