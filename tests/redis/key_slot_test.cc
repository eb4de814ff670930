#include "collect/redis/key_slot.h"

#include <gtest/gtest.h>

namespace cerniq::collect::redis {
namespace {

TEST(KeySlot, Crc16IsXmodem) {
  EXPECT_EQ(Crc16Xmodem("123456789"), 0x31C3);  // the cluster spec's check value
  EXPECT_EQ(Crc16Xmodem(""), 0);
}

TEST(KeySlot, SlotsAsRedisComputesThem) {
  // Values of CLUSTER KEYSLOT on redis-server 7.0.
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("bar"), 5061);
  EXPECT_EQ(KeySlot("hello"), 866);
}

TEST(KeySlot, HashTags) {
  EXPECT_EQ(KeySlot("{bull}:churn:wait"), KeySlot("bull"));
  EXPECT_EQ(KeySlot("{bull}:churn:wait"), KeySlot("{bull}:alerts:meta"));
  EXPECT_EQ(KeySlot("x{user1000}.following"), KeySlot("user1000"));
  // Only the first '{' counts, and an empty tag means the whole key.
  EXPECT_EQ(KeySlot("foo{}{bar}"), Crc16Xmodem("foo{}{bar}") % 16384);
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), KeySlot("bar"));
  EXPECT_EQ(KeySlot("{bull"), Crc16Xmodem("{bull") % 16384);  // no closing brace: no tag
}

}  // namespace
}  // namespace cerniq::collect::redis
