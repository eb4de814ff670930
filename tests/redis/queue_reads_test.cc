#include "collect/redis/queue_reads.h"
#include "collect/redis/tail_reads.h"

#include <gtest/gtest.h>

namespace cerniq::collect::redis {
namespace {

Reply Int(long long v) { return Reply{Reply::Type::kInteger, "", v, {}}; }
Reply Str(std::string s) { return Reply{Reply::Type::kString, std::move(s), 0, {}}; }
Reply Nil() { return Reply{}; }
Reply Arr(std::vector<Reply> e) { return Reply{Reply::Type::kArray, "", 0, std::move(e)}; }

std::vector<Reply> Replies(long long wait, long long paused) {
  return {Int(wait), Int(paused), Int(1), Int(2),   Int(3), Int(4),
          Int(5),    Int(6),      Int(1), Str("7"), Nil(),  Str("42")};
}

TEST(QueueReads, CommandsAreReadsOfTheQueueKeys) {
  std::vector<Command> cmds;
  AppendCountCommands({"{bull}", "churn"}, cmds);
  ASSERT_EQ(cmds.size(), kCommandsPerQueue);
  EXPECT_EQ(cmds[0], (Command{"LLEN", "{bull}:churn:wait"}));
  EXPECT_EQ(cmds[8], (Command{"HEXISTS", "{bull}:churn:meta", "paused"}));
  EXPECT_EQ(cmds[11], (Command{"GET", "{bull}:churn:id"}));
}

TEST(QueueReads, CountsAndCountersOnlyWhenPresent) {
  std::string err;
  auto c = ParseCountReplies({"bull", "q"}, Replies(3, 2), 0, err);
  ASSERT_TRUE(c) << err;
  EXPECT_EQ(c->wait_length, 3);
  EXPECT_EQ(c->paused_length, 2);
  EXPECT_EQ(c->active, 1);
  EXPECT_EQ(c->completed, 6);
  EXPECT_TRUE(c->paused);
  EXPECT_EQ(c->completed_total, 7);
  EXPECT_FALSE(c->failed_total.has_value());
  EXPECT_EQ(c->added_total, 42);
}

TEST(TailReads, JobAtTheTail) {
  Reply last = Str("17");
  ListTail t = ResolveTail(3, &last);
  EXPECT_EQ(t.job_id, "17");
  EXPECT_EQ(t.jobs(), 3);
  EXPECT_EQ(t.need, ListTail::Need::kNothing);
}

TEST(TailReads, EmptyListNeedsNothing) {
  ListTail t = ResolveTail(0, nullptr);
  EXPECT_FALSE(t.job_id);
  EXPECT_EQ(t.need, ListTail::Need::kNothing);
}

TEST(TailReads, UnreadTailOfANonEmptyListIsReadNext) {
  ListTail t = ResolveTail(4, nullptr);
  EXPECT_EQ(t.need, ListTail::Need::kLastTwo);
  EXPECT_EQ(TailCommand("bull:q:wait", t.need), (Command{"LRANGE", "bull:q:wait", "-2", "-1"}));
  ApplyTailReply(t, Arr({Str("9"), Str("0:123")}));
  EXPECT_TRUE(t.marker);
  EXPECT_EQ(t.job_id, "9");
  EXPECT_EQ(t.jobs(), 3) << "the legacy marker is counted out";
  EXPECT_EQ(t.need, ListTail::Need::kNothing);
}

TEST(TailReads, LegacyMarkerIsSubtractedAndTheJobBeforeItRead) {
  Reply marker = Str("0:1");
  ListTail t = ResolveTail(2, &marker);
  EXPECT_TRUE(t.marker);
  EXPECT_EQ(t.jobs(), 1);
  EXPECT_EQ(t.need, ListTail::Need::kSecondToLast);
  EXPECT_EQ(TailCommand("bull:q:wait", t.need), (Command{"LINDEX", "bull:q:wait", "-2"}));
  ApplyTailReply(t, Str("5"));
  EXPECT_EQ(t.job_id, "5");
  ListTail only_marker = ResolveTail(1, &marker);
  EXPECT_EQ(only_marker.jobs(), 0);
  EXPECT_EQ(only_marker.need, ListTail::Need::kNothing);
}

TEST(QueueReads, ServerErrorNamesTheKey) {
  std::string err;
  auto r = Replies(0, 0);
  r[3] = Reply{Reply::Type::kError, "WRONGTYPE Operation against a key", 0, {}};
  EXPECT_FALSE(ParseCountReplies({"bull", "q"}, r, 0, err));
  EXPECT_EQ(err, "key bull:q:delayed: WRONGTYPE Operation against a key");
  EXPECT_FALSE(ParseCountReplies({"bull", "q"}, {}, 0, err));
}

TEST(QueueReads, WaitingAgeUsesTimestampPlusDelay) {
  EXPECT_EQ(ReadyTimeMs(Arr({Str("1000"), Str("500")})), 1500.0);
  EXPECT_EQ(ReadyTimeMs(Arr({Str("1000"), Nil()})), 1000.0);
  EXPECT_EQ(AgeSeconds(1000, 4000), 3.0);
  EXPECT_EQ(AgeSeconds(9000, 4000), 0.0) << "clock skew clamps to 0";
  EXPECT_FALSE(ReadyTimeMs(Arr({Nil(), Nil()}))) << "job hash gone";
  EXPECT_FALSE(ReadyTimeMs(Arr({Str("abc"), Nil()})));
}

}  // namespace
}  // namespace cerniq::collect::redis
