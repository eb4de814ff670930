#include "collect/redis/workers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cerniq::collect::redis {
namespace {

TEST(Base64, MatchesNodeBuffer) {
  EXPECT_EQ(Base64("churn"), "Y2h1cm4=");
  EXPECT_EQ(Base64("sentiment"), "c2VudGltZW50");
  EXPECT_EQ(Base64("alerts"), "YWxlcnRz");
  EXPECT_EQ(Base64("alerts2"), "YWxlcnRzMg==");
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("\xff\xfe"), "//4=");
}

// Lines from the reference CLIENT LIST of bullmq 6.7.0 (bullmq-redis-layout.md §6).
constexpr const char* kClientList =
    "id=9 addr=127.0.0.1:33026 laddr=127.0.0.1:6390 fd=12 name=bull:Y2h1cm4=:w:w1 age=31 idle=22 "
    "flags=N db=0 cmd=bzpopmin user=default redir=-1 resp=3\n"
    "id=10 addr=127.0.0.1:33028 laddr=127.0.0.1:6390 fd=13 name= age=31 idle=1 flags=N db=0 "
    "cmd=evalsha user=default redir=-1 resp=3\n"
    "id=11 addr=127.0.0.1:33038 laddr=127.0.0.1:6390 fd=14 name=bull:c2VudGltZW50 age=31 idle=2 "
    "flags=b db=0 cmd=bzpopmin user=default redir=-1 resp=3\n"
    "id=7 addr=127.0.0.1:33000 laddr=127.0.0.1:6390 fd=9 name=bull:Y2h1cm4=:qe age=31 idle=2 "
    "flags=b db=0 cmd=xread user=default redir=-1 resp=3\n";

TEST(ClientNames, ReadsNameFieldIncludingEmpty) {
  EXPECT_THAT(
      ClientNames(kClientList),
      ::testing::ElementsAre("bull:Y2h1cm4=:w:w1", "", "bull:c2VudGltZW50", "bull:Y2h1cm4=:qe"));
  EXPECT_THAT(ClientNames(""), ::testing::IsEmpty());
  EXPECT_THAT(ClientNames("id=1 addr=x\r\n"), ::testing::IsEmpty());
}

TEST(CountWorkers, NamedAndUnnamedWorkersButNotQueueEvents) {
  std::map<std::string, size_t, std::less<>> queues = {
      {WorkerConnectionName("bull", "churn"), 0}, {WorkerConnectionName("bull", "sentiment"), 1}};
  EXPECT_THAT(CountWorkers(ClientNames(kClientList), queues, 2), ::testing::ElementsAre(1, 1));
}

TEST(CountWorkers, ExactBaseOrWorkerSuffixOnly) {
  std::map<std::string, size_t, std::less<>> queues = {{WorkerConnectionName("bull", "alerts"), 0}};
  std::vector<std::string> names = {
      "bull:YWxlcnRzMg==",      // alerts2: its base64 starts with alerts' base64
      "bull:YWxlcnRzMg==:w:x",  // alerts2, named
      "other:YWxlcnRz",         // same queue, other prefix
      "bull:YWxlcnRz:qe",       // QueueEvents
      "bull:YWxlcnRz:w:a:w:b",  // a worker name containing ":w:"
      "bull:YWxlcnRz",          // unnamed worker
      "bull:YWxlcnRzx"};
  EXPECT_THAT(CountWorkers(names, queues, 1), ::testing::ElementsAre(2));
}

}  // namespace
}  // namespace cerniq::collect::redis

#include "collect/redis/queue_discovery.h"

namespace cerniq::collect::redis {
namespace {

TEST(QueueDiscovery, MetaKeyBelongsToExactlyThePrefix) {
  EXPECT_EQ(QueueFromMetaKey("bull:churn:meta", "bull"), "churn");
  EXPECT_EQ(QueueFromMetaKey("{bull}:churn:meta", "{bull}"), "churn");
  EXPECT_EQ(QueueFromMetaKey("env:stage:churn:meta", "env:stage"), "churn");
  EXPECT_FALSE(QueueFromMetaKey("env:stage:churn:meta", "env")) << "queue names have no ':'";
  EXPECT_FALSE(QueueFromMetaKey("bull::meta", "bull"));
  EXPECT_FALSE(QueueFromMetaKey("bullx:churn:meta", "bull"));
  EXPECT_FALSE(QueueFromMetaKey("bull:churn:metadata", "bull"));
}

TEST(QueueDiscovery, GlobCharactersOfAPrefixAreEscaped) {
  EXPECT_EQ(GlobEscape("bull"), "bull");
  EXPECT_EQ(GlobEscape("a*b?[c]\\"), "a\\*b\\?\\[c\\]\\\\");
}

}  // namespace
}  // namespace cerniq::collect::redis
