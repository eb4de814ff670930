#include "http/gzip.h"

#include <zlib.h>

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace cerniq::http {
namespace {

std::string Gunzip(const std::string& data) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  std::string out(1 << 20, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&z, Z_FINISH), Z_STREAM_END);
  out.resize(z.total_out);
  inflateEnd(&z);
  return out;
}

TEST(Gzip, AcceptEncoding) {
  EXPECT_TRUE(AcceptsGzip("gzip"));
  EXPECT_TRUE(AcceptsGzip("deflate, GZIP;q=0.5"));
  EXPECT_TRUE(AcceptsGzip("*"));
  EXPECT_FALSE(AcceptsGzip(""));
  EXPECT_FALSE(AcceptsGzip("identity"));
  EXPECT_FALSE(AcceptsGzip("gzip;q=0"));
  EXPECT_FALSE(AcceptsGzip("gzip; q=0.000"));
  EXPECT_FALSE(AcceptsGzip("x-gzip2"));
}

std::shared_ptr<const std::string> Shared(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(Gzip, RoundTripAndCache) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "metric{i=\"" + std::to_string(i) + "\"} 1\n";
  GzipCache cache;
  auto body = Shared(text);
  auto first = cache.Compress(body);
  EXPECT_LT(first->size(), text.size() / 4);
  EXPECT_EQ(Gunzip(*first), text);
  EXPECT_EQ(cache.Compress(body), first);  // same body: same compression, not a new one
  EXPECT_EQ(cache.Compress(Shared(text)), first) << "a new rendering with the same bytes";
  EXPECT_EQ(Gunzip(*cache.Compress(Shared("other"))), "other");
}

// The scrapers of one rendering on many threads get one compression, not one each.
TEST(Gzip, ConcurrentCompressionsOfOneBodyShareOneResult) {
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "metric{i=\"" + std::to_string(i) + "\"} 1\n";
  auto body = Shared(text);
  GzipCache cache;
  std::vector<std::shared_ptr<const std::string>> results(8);
  std::vector<std::thread> threads;
  for (auto& result : results) {
    threads.emplace_back([&cache, &body, &result] { result = cache.Compress(body); });
  }
  for (auto& t : threads) t.join();
  for (const auto& result : results) EXPECT_EQ(result, results.front());
  EXPECT_EQ(Gunzip(*results.front()), text);
}

}  // namespace
}  // namespace cerniq::http
