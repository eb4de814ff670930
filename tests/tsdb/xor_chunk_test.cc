#include "tsdb/xor_chunk.h"

#include <gtest/gtest.h>

#include <bit>
#include <random>
#include <vector>

#include "promql/value.h"

namespace cerniq::tsdb {
namespace {

struct Sample {
  int64_t t;
  uint64_t v_bits;
};

XorChunk Encode(const std::vector<Sample>& samples) {
  XorChunk chunk;
  XorAppender app(&chunk);
  for (const auto& s : samples) app.Append(s.t, std::bit_cast<double>(s.v_bits));
  return chunk;
}

std::vector<Sample> Decode(std::span<const uint8_t> bytes, bool* error = nullptr) {
  std::vector<Sample> out;
  XorIterator it(bytes);
  while (it.Next()) out.push_back({it.t(), std::bit_cast<uint64_t>(it.v())});
  if (error) *error = it.error();
  return out;
}

void ExpectRoundTrip(const std::vector<Sample>& samples) {
  XorChunk chunk = Encode(samples);
  ASSERT_EQ(chunk.NumSamples(), static_cast<int>(samples.size()));
  bool error = true;
  auto back = Decode(chunk.Bytes(), &error);
  EXPECT_FALSE(error);
  ASSERT_EQ(back.size(), samples.size());
  for (size_t i = 0; i < samples.size(); ++i) {
    EXPECT_EQ(back[i].t, samples[i].t) << i;
    EXPECT_EQ(back[i].v_bits, samples[i].v_bits) << i;
  }
}

uint64_t Bits(double v) { return std::bit_cast<uint64_t>(v); }

TEST(XorChunk, BytesAsPrometheusWritesThem) {
  // Derived by hand from the format: count 3; varint(1000) = d0 0f; 1.0 raw; uvarint(1000) =
  // e8 07; then bits 0 (same value), 0 (dod 0), 1 1 00001 001011 11111111111 (2.0 XOR 1.0).
  XorChunk chunk = Encode({{1000, Bits(1.0)}, {2000, Bits(1.0)}, {3000, Bits(2.0)}});
  std::vector<uint8_t> want = {0x00, 0x03, 0xd0, 0x0f, 0x3f, 0xf0, 0x00, 0x00, 0x00,
                               0x00, 0x00, 0x00, 0xe8, 0x07, 0x30, 0x97, 0xff, 0xc0};
  EXPECT_EQ(std::vector<uint8_t>(chunk.Bytes().begin(), chunk.Bytes().end()), want);
}

TEST(XorChunk, EveryFloatBitPatternRoundTrips) {
  std::vector<uint64_t> specials = {0,
                                    Bits(-0.0),
                                    Bits(1.0),
                                    Bits(-1.0),
                                    Bits(1e308),
                                    Bits(-1e-308),
                                    1 /* denormal */,
                                    0x7ff0000000000000ull,
                                    0xfff0000000000000ull,  // +-Inf
                                    0x7ff8000000000000ull,
                                    0xfff8000000000000ull,  // quiet NaNs
                                    0x7ff0000000000001ull,
                                    0x7ff8deadbeef1234ull,  // signalling NaN, NaN payload
                                    Bits(promql::StaleNaN()),
                                    0xffffffffffffffffull,
                                    0x8000000000000001ull};
  std::vector<Sample> samples;
  int64_t t = 1'700'000'000'000;
  for (uint64_t a : specials)
    for (uint64_t b : specials) {
      samples.push_back({t += 5000, a});
      samples.push_back({t += 5000, b});
    }
  for (size_t from = 0; from < samples.size(); from += 120)
    ExpectRoundTrip(std::vector<Sample>(
        samples.begin() + static_cast<long>(from),
        samples.begin() + static_cast<long>(std::min(samples.size(), from + 120))));
}

TEST(XorChunk, DeltaOfDeltaBucketBoundaries) {
  std::vector<int64_t> dods = {0,
                               1,
                               -1,
                               8191,
                               8192,
                               -8191,
                               -8192,
                               8193,
                               65535,
                               65536,
                               -65535,
                               -65536,
                               65537,
                               524287,
                               524288,
                               -524287,
                               -524288,
                               524289,
                               1 << 30,
                               -(1 << 30),
                               INT64_C(1) << 40,
                               -(INT64_C(1) << 40)};
  for (int64_t dod : dods) {
    int64_t delta = INT64_C(1) << 41;  // keeps every delta positive
    std::vector<Sample> samples = {{-5000, Bits(1)}, {-5000 + delta, Bits(2)}};
    for (int i = 0; i < 4; ++i) {
      delta += dod;
      samples.push_back({samples.back().t + delta, Bits(3.0 + i)});
    }
    SCOPED_TRACE(dod);
    ExpectRoundTrip(samples);
  }
}

TEST(XorChunk, RandomSeriesRoundTrip) {
  std::mt19937_64 rng(42);
  for (int round = 0; round < 300; ++round) {
    std::vector<Sample> samples;
    int64_t t = static_cast<int64_t>(rng() % 4'000'000'000'000) - 1'000'000'000'000;
    double v = 0;
    int n = 1 + static_cast<int>(rng() % 240);
    for (int i = 0; i < n; ++i) {
      t += 1 + static_cast<int64_t>(rng() % (round % 3 == 0 ? 10 : 100'000'000));
      switch (rng() % 5) {
        case 0:
          break;  // unchanged
        case 1:
          v += 1;
          break;  // counter
        case 2:
          v = static_cast<double>(rng() % 1000);
          break;
        case 3:
          v = std::bit_cast<double>(rng());
          break;  // any bit pattern
        default:
          v = std::ldexp(static_cast<double>(rng() % 100), -10);
      }
      samples.push_back({t, Bits(v)});
    }
    ExpectRoundTrip(samples);
  }
}

TEST(XorChunk, AppenderResumesOnDecodedChunk) {
  std::vector<Sample> samples;
  std::mt19937_64 rng(7);
  int64_t t = 0;
  for (int i = 0; i < 120; ++i)
    samples.push_back({t += 4990 + static_cast<int64_t>(rng() % 20), rng() % 3});
  XorChunk whole = Encode(samples);
  for (size_t split = 0; split <= samples.size(); split += 7) {
    XorChunk part = Encode({samples.begin(), samples.begin() + static_cast<long>(split)});
    XorChunk reopened(std::vector<uint8_t>(part.Bytes().begin(), part.Bytes().end()));
    XorAppender app(&reopened);
    ASSERT_TRUE(app.ok()) << app.error();
    for (size_t i = split; i < samples.size(); ++i)
      app.Append(samples[i].t, std::bit_cast<double>(samples[i].v_bits));
    EXPECT_TRUE(std::equal(reopened.Bytes().begin(), reopened.Bytes().end(), whole.Bytes().begin(),
                           whole.Bytes().end()))
        << split;
  }
}

// DecodeInto gives what a Next() loop filtered to [mint, maxt] gives, for whole chunks, cut
// ranges, flipped bytes and truncated streams (it stops where Next() stops, with the same
// error), and writes nothing past the samples it counts.
TEST(XorChunk, DecodeIntoEqualsNextLoop) {
  std::mt19937_64 rng(11);
  std::vector<Sample> samples;
  int64_t t = 1'700'000'000'000;
  for (int i = 0; i < 200; ++i) {
    t += 1 + static_cast<int64_t>(rng() % 20000);
    samples.push_back({t, rng() % 3 == 0 ? Bits(i * 0.5) : rng()});
  }
  XorChunk chunk = Encode(samples);
  std::vector<uint8_t> bytes(chunk.Bytes().begin(), chunk.Bytes().end());
  for (int round = 0; round < 300; ++round) {
    std::vector<uint8_t> input = bytes;
    if (round % 3 == 1) input[rng() % input.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    if (round % 3 == 2) input.resize(rng() % input.size());
    int64_t mint = samples[rng() % samples.size()].t - 1 + static_cast<int64_t>(rng() % 3);
    int64_t maxt = round % 5 == 0 ? INT64_MAX : mint + static_cast<int64_t>(rng() % 3'000'000);
    std::vector<int64_t> want_t;
    std::vector<double> want_v;
    XorIterator it(input);
    while (it.Next()) {
      if (it.t() < mint) continue;
      if (it.t() > maxt) break;
      want_t.push_back(it.t());
      want_v.push_back(it.v());
    }
    XorIterator it2(input);
    // One slot more than the room asked for, to see nothing is written past the count.
    const size_t room = static_cast<size_t>(std::max(it2.remaining(), 0)) + 1;
    std::vector<int64_t> got_t(room, 42);
    std::vector<double> got_v(room, 4.2);
    const size_t n = it2.DecodeInto(mint, maxt, got_t.data(), got_v.data());
    EXPECT_FALSE(it2.Next()) << round;
    EXPECT_EQ(it2.error(), it.error()) << round;
    ASSERT_EQ(n, want_t.size()) << round;
    for (size_t i = 0; i < n; ++i) {
      EXPECT_EQ(got_t[i], want_t[i]) << round << " " << i;
      EXPECT_EQ(Bits(got_v[i]), Bits(want_v[i])) << round << " " << i;
    }
    EXPECT_EQ(got_t[n], 42) << round;
  }
}

TEST(XorChunk, DamagedChunksFailCleanly) {
  std::vector<Sample> samples;
  for (int i = 0; i < 50; ++i) samples.push_back({i * 5003LL, Bits(i * 0.37)});
  XorChunk chunk = Encode(samples);
  std::vector<uint8_t> bytes(chunk.Bytes().begin(), chunk.Bytes().end());
  for (size_t len = 0; len < bytes.size(); ++len) {
    std::vector<uint8_t> cut(bytes.begin(), bytes.begin() + static_cast<long>(len));
    bool error = false;
    auto back = Decode(cut, &error);
    EXPECT_TRUE(error) << len;
    XorChunk damaged(cut);
    EXPECT_FALSE(XorAppender(&damaged).ok()) << len;
  }
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::vector<uint8_t> flipped = bytes;
    flipped[i] ^= 0xff;
    Decode(flipped);  // must not crash or read out of bounds; the result is unspecified
  }
  std::vector<uint8_t> padded = bytes;
  padded.push_back(0);
  XorChunk long_chunk(padded);
  EXPECT_FALSE(XorAppender(&long_chunk).ok());
}

TEST(XorChunk, FlatSeriesCostsTwoBitsPerSample) {
  std::vector<Sample> samples;
  for (int i = 0; i < 120; ++i) samples.push_back({1'700'000'000'000 + i * 5000LL, Bits(3.0)});
  // 2 header + 6 varint + 8 value + 2 uvarint, then 2 bits per sample for the remaining 119.
  EXPECT_EQ(Encode(samples).Bytes().size(), 2u + 6 + 8 + 2 + (119 * 2 + 7) / 8);
}

}  // namespace
}  // namespace cerniq::tsdb
