#include "tsdb/bit_stream.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace cerniq::tsdb {
namespace {

// The reference: bit i of the stream, most significant bit of each byte first.
bool BitAt(const std::vector<uint8_t>& bytes, size_t i) {
  return (bytes[i / 8] >> (7 - i % 8)) & 1;
}

// Word-at-a-time reads equal bit-by-bit ones at every offset and width, up to the last bit, and
// a read past the end fails without moving.
TEST(BitReader, ReadBitsMatchesBitByBitAtEveryOffset) {
  std::mt19937_64 rng(7);
  for (size_t size : {1u, 2u, 7u, 8u, 9u, 17u}) {
    std::vector<uint8_t> bytes(size);
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    const size_t bits = size * 8;
    for (size_t start = 0; start < bits; ++start) {
      for (int count = 1; count <= 64; ++count) {
        BitReader r(bytes);
        uint64_t skip;
        for (size_t left = start; left > 0; left -= std::min<size_t>(left, 64))
          ASSERT_TRUE(r.ReadBits(static_cast<int>(std::min<size_t>(left, 64)), &skip));
        uint64_t got = 0;
        if (start + static_cast<size_t>(count) > bits) {
          EXPECT_FALSE(r.ReadBits(count, &got));
          EXPECT_EQ(r.position(), start);
          continue;
        }
        ASSERT_TRUE(r.ReadBits(count, &got)) << start << "+" << count;
        uint64_t want = 0;
        for (int i = 0; i < count; ++i) want = (want << 1) | BitAt(bytes, start + i);
        EXPECT_EQ(got, want) << size << " bytes, " << start << "+" << count;
        EXPECT_EQ(r.position(), start + static_cast<size_t>(count));
      }
    }
  }
}

TEST(BitReader, ReadBitStopsAtTheEnd) {
  std::vector<uint8_t> bytes = {0xA5};
  BitReader r(bytes);
  bool bit;
  for (size_t i = 0; i < 8; ++i) {
    ASSERT_TRUE(r.ReadBit(&bit));
    EXPECT_EQ(bit, BitAt(bytes, i));
  }
  EXPECT_FALSE(r.ReadBit(&bit));
  uint64_t v;
  EXPECT_FALSE(r.ReadBits(1, &v));
}

}  // namespace
}  // namespace cerniq::tsdb
