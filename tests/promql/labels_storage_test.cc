#include <gtest/gtest.h>

#include <cmath>

#include "promql/labels.h"
#include "promql/storage.h"
#include "promql/value.h"

namespace cerniq::promql {
namespace {

TEST(Labels, SortedUniqueAndQuoted) {
  Labels l{{"b", "2"}, {"a", "x\"y\n"}, {"b", "3"}};
  EXPECT_EQ(l.size(), 2u);
  EXPECT_EQ(l.String(), "{a=\"x\\\"y\\n\", b=\"3\"}");
  EXPECT_EQ(l.Get("b"), "3");
  EXPECT_EQ(l.Get("zz"), "");
  EXPECT_EQ(Labels{}, Labels(std::vector<Label>{}));
  EXPECT_EQ(l.Keep({"b"}).String(), "{b=\"3\"}");
  EXPECT_EQ(l.Drop({"b"}).String(), "{a=\"x\\\"y\\n\"}");
  EXPECT_EQ(LabelsBuilder(l).Set("a", "").Set("c", "1").Build().String(), "{b=\"3\", c=\"1\"}");
}

TEST(Labels, HashesIgnoreNameWhenAskedTo) {
  Labels a{{"__name__", "x"}, {"job", "j"}};
  Labels b{{"__name__", "y"}, {"job", "j"}};
  EXPECT_NE(a.Hash(), b.Hash());
  EXPECT_EQ(a.HashWithout({}), b.HashWithout({}));
  EXPECT_EQ(a.HashFor({"job"}), b.HashFor({"job"}));
  EXPECT_LT(Compare(a, b), 0);
}

TEST(MemoryStorage, SelectsByMatchersAndTimeRange) {
  MemoryStorage s;
  Labels x1{{"__name__", "x"}, {"job", "a"}};
  Labels x2{{"__name__", "x"}, {"job", "b"}};
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(s.Append(x2, i * 1000, i));
    ASSERT_TRUE(s.Append(x1, i * 1000, -i));
  }
  EXPECT_FALSE(s.Append(x1, 5000, 1));  // out of order
  auto all = s.Select({Matcher(MatchType::kEqual, "__name__", "x")}, 2000, 4000);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].labels, x1);  // sorted by labels
  EXPECT_EQ(all[0].t.size(), 3u);
  EXPECT_EQ(all[0].v[0], -2);
  auto re = s.Select({Matcher(MatchType::kRegexMatch, "job", "b|c")}, 0, 100000);
  ASSERT_EQ(re.size(), 1u);
  EXPECT_EQ(re[0].labels, x2);
  EXPECT_TRUE(s.Select({Matcher(MatchType::kRegexMatch, "job", "a.")}, 0, 100000).empty());
  EXPECT_TRUE(s.Select({Matcher(MatchType::kEqual, "__name__", "x")}, 20000, 30000).empty());
}

TEST(MemoryStorage, SixteenBytesPerSample) {
  MemoryStorage s;
  Labels l{{"__name__", "x"}};
  for (int i = 0; i < 100000; ++i) s.Append(l, i * 15000, i);
  s.Compact();
  EXPECT_EQ(s.NumSamples(), 100000u);
  EXPECT_EQ(s.SampleBytes(), 100000u * 16);
}

TEST(Matcher, AnchoredRe2) {
  Matcher m(MatchType::kRegexMatch, "a", "b|c.*");
  EXPECT_TRUE(m.Matches("b"));
  EXPECT_TRUE(m.Matches("cde"));
  EXPECT_FALSE(m.Matches("ab"));
  EXPECT_FALSE(m.Matches("bb"));
  Matcher n(MatchType::kRegexNoMatch, "a", "");
  EXPECT_FALSE(n.Matches(""));
  EXPECT_TRUE(n.Matches("x"));
  EXPECT_EQ(m.String(), "a=~\"b|c.*\"");
  EXPECT_THROW(Matcher(MatchType::kRegexMatch, "a", "("), std::invalid_argument);
}

TEST(StaleNaN, IsDistinctFromOrdinaryNaN) {
  EXPECT_TRUE(IsStaleNaN(StaleNaN()));
  EXPECT_FALSE(IsStaleNaN(std::nan("")));
}

}  // namespace
}  // namespace cerniq::promql
