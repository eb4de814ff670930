// The pure parts of RedisAdminReader: BullMQ's parseClientList + getWorkers() matcher, and the
// failed-job fields read from HMGET (parseInt and stack-trace rules of Job.fromJSON).
#include <gtest/gtest.h>

#include "collect/redis/admin_reader_redis.h"

namespace cerniq::collect::redis {
namespace {

TEST(AdminReads, WorkerEntriesMatchBullmqsMatcher) {
  // base64("churn") = Y2h1cm4=
  const std::string list =
      "id=1 addr=a:1 name=bull:Y2h1cm4= age=5 idle=1\r\n"
      "id=2 addr=a:2 name=bull:Y2h1cm4=:w:w:b age=6 idle=0\n"
      "id=3 addr=a:3 name=bull:Y2h1cm4=:qe age=1 idle=1\n"  // QueueEvents
      "id=4 addr=a:4 name=bull:Y2h1cm4=x age=1 idle=1\n"    // another queue's name
      "id=5 addr=a:5 name=other:Y2h1cm4= age=1 idle=1\n"    // another prefix
      "id=6 addr=a:6 name= age=1 idle=1\n"                  // unnamed connection
      "\n";
  auto w = WorkerEntries(list, "bull", "churn", 100);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0], (ClientEntry{{"id", "1"},
                               {"addr", "a:1"},
                               {"name", "churn"},
                               {"age", "5"},
                               {"idle", "1"},
                               {"rawname", "bull:Y2h1cm4="}}));
  EXPECT_EQ(w[1].back(), (std::pair<std::string, std::string>{"rawname", "bull:Y2h1cm4=:w:w:b"}));
  EXPECT_EQ(WorkerEntries(list, "bull", "churn", 1).size(), 1u);  // bounded
}

Reply Hmget(std::vector<std::optional<std::string>> fields) {
  Reply r;
  r.type = Reply::Type::kArray;
  for (auto& f : fields) {
    Reply e;
    if (f) e.type = Reply::Type::kString, e.str = *f;
    r.elements.push_back(e);
  }
  return r;
}

TEST(AdminReads, FailedJobFieldsAsJobFromJson) {
  ASSERT_EQ(FailedJobFields(),
            (std::vector<std::string>{"name", "failedReason", "attemptsMade", "atm", "timestamp",
                                      "finishedOn", "stacktrace"}));
  auto job =
      ParseFailedJob("7", Hmget({"score", "boom", std::nullopt, "3", "1700000000000", std::nullopt,
                                 R"(["Error: first\n    at a", "Error: latest\n    at b"])"}));
  ASSERT_TRUE(job);
  EXPECT_EQ(job->id, "7");
  EXPECT_EQ(job->attempts_made, 3);  // attemptsMade missing: atm
  EXPECT_EQ(job->timestamp, 1700000000000);
  EXPECT_FALSE(job->finished_on);
  EXPECT_EQ(job->stack_first_line, "Error: latest");
  EXPECT_FALSE(ParseFailedJob("8", Hmget({std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                          std::nullopt, std::nullopt, std::nullopt})));
  EXPECT_EQ(LatestStackFirstLine("not json"), "");
  EXPECT_EQ(LatestStackFirstLine("[]"), "");
}

}  // namespace
}  // namespace cerniq::collect::redis
