#include "evaluator/eval_timestamp.h"

#include <gtest/gtest.h>

namespace cerniq::evaluator {
namespace {

constexpr int64_t kMinuteNs = 60'000'000'000;

TEST(EvalTimestamp, SlotsRepeatEveryIntervalAtTheGroupsOffset) {
  const uint64_t hash = GroupHash("rules/etapa5-alerts.yaml", "etapa5-queues");
  const int64_t offset = static_cast<int64_t>(hash % kMinuteNs);
  const int64_t now = 1'700'000'000'000'000'000;
  const int64_t slot = EvalTimestampNs(hash, kMinuteNs, now);
  EXPECT_LE(slot, now);
  EXPECT_GT(slot + kMinuteNs, now);
  EXPECT_EQ((slot - offset) % kMinuteNs, 0);
  // Any time within the same slot maps to it; the next one moves by one interval.
  EXPECT_EQ(EvalTimestampNs(hash, kMinuteNs, slot), slot);
  EXPECT_EQ(EvalTimestampNs(hash, kMinuteNs, slot + kMinuteNs - 1), slot);
  EXPECT_EQ(EvalTimestampNs(hash, kMinuteNs, slot + kMinuteNs), slot + kMinuteNs);
}

TEST(EvalTimestamp, HashDependsOnFileAndName) {
  EXPECT_NE(GroupHash("a.yaml", "g"), GroupHash("b.yaml", "g"));
  EXPECT_NE(GroupHash("a.yaml", "g"), GroupHash("a.yaml", "h"));
  EXPECT_EQ(GroupHash("a.yaml", "g"), GroupHash("a.yaml", "g"));
  // labels{file="", name=""}: xxhash64 of "file\xff\xffname\xff\xff".
  EXPECT_EQ(GroupHash("", ""), GroupHash("", ""));
}

TEST(EvalTimestamp, MillisecondsTruncate) {
  EXPECT_EQ(NsToMs(1'999'999), 1);
  EXPECT_EQ(NsToMs(2'000'000), 2);
}

}  // namespace
}  // namespace cerniq::evaluator
