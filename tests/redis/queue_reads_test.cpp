#include "collect/redis/queue_reads.h"

#include <gtest/gtest.h>

namespace cerniq::redis {
namespace {

Reply Int(long long v) { return Reply{Reply::Type::kInteger, "", v, {}}; }
Reply Str(std::string s) { return Reply{Reply::Type::kString, std::move(s), 0, {}}; }
Reply Nil() { return Reply{}; }
Reply Arr(std::vector<Reply> e) { return Reply{Reply::Type::kArray, "", 0, std::move(e)}; }

std::vector<Reply> Replies(long long wait, long long paused, Reply wait_tail, Reply paused_tail) {
  return {Int(wait),
          Int(paused),
          Int(1),
          Int(2),
          Int(3),
          Int(4),
          Int(5),
          Int(6),
          Int(1),
          Str("7"),
          Nil(),
          Str("42"),
          std::move(wait_tail),
          std::move(paused_tail)};
}

TEST(QueueReads, CommandsAreReadsOfTheQueueKeys) {
  std::vector<Command> cmds;
  AppendCountCommands({"{bull}", "churn"}, cmds);
  ASSERT_EQ(cmds.size(), kCommandsPerQueue);
  EXPECT_EQ(cmds[0], (Command{"LLEN", "{bull}:churn:wait"}));
  EXPECT_EQ(cmds[8], (Command{"HEXISTS", "{bull}:churn:meta", "paused"}));
  EXPECT_EQ(cmds[12], (Command{"LRANGE", "{bull}:churn:wait", "-2", "-1"}));
}

TEST(QueueReads, WaitingIsWaitPlusPausedAndCountersOnlyWhenPresent) {
  std::string err;
  auto c = ParseCountReplies(
      {"bull", "q"}, Replies(3, 2, Arr({Str("8"), Str("7")}), Arr({Str("2"), Str("1")})), 0, err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->waiting, 5);
  EXPECT_EQ(c->active, 1);
  EXPECT_EQ(c->completed, 6);
  EXPECT_TRUE(c->paused);
  EXPECT_EQ(c->completed_total, 7);
  EXPECT_FALSE(c->failed_total.has_value());
  EXPECT_EQ(c->added_total, 42);
  EXPECT_EQ(c->oldest_job_ids, (std::vector<std::string>{"7", "1"}));
}

TEST(QueueReads, LegacyMarkerIsSubtractedAndSkipped) {
  std::string err;
  auto c = ParseCountReplies(
      {"bull", "q"}, Replies(3, 1, Arr({Str("9"), Str("0:123")}), Arr({Str("0:1")})), 0, err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->waiting, 2);
  EXPECT_EQ(c->oldest_job_ids, (std::vector<std::string>{"9"}));
}

TEST(QueueReads, ServerErrorNamesTheKey) {
  std::string err;
  auto r = Replies(0, 0, Arr({}), Arr({}));
  r[3] = Reply{Reply::Type::kError, "WRONGTYPE Operation against a key", 0, {}};
  EXPECT_FALSE(ParseCountReplies({"bull", "q"}, r, 0, err));
  EXPECT_EQ(err, "key bull:q:delayed: WRONGTYPE Operation against a key");
  EXPECT_FALSE(ParseCountReplies({"bull", "q"}, {}, 0, err));
}

TEST(QueueReads, WaitingAgeUsesTimestampPlusDelay) {
  EXPECT_EQ(WaitingAgeSeconds(Arr({Str("1000"), Str("500")}), 4500), 3.0);
  EXPECT_EQ(WaitingAgeSeconds(Arr({Str("1000"), Nil()}), 4000), 3.0);
  EXPECT_EQ(WaitingAgeSeconds(Arr({Str("9000"), Nil()}), 4000), 0.0) << "clock skew clamps to 0";
  EXPECT_FALSE(WaitingAgeSeconds(Arr({Nil(), Nil()}), 4000)) << "job hash gone";
  EXPECT_FALSE(WaitingAgeSeconds(Arr({Str("abc"), Nil()}), 4000));
}

}  // namespace
}  // namespace cerniq::redis
