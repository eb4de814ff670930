#include "gocompat/sort.h"

#include <gtest/gtest.h>

#include <cmath>
#include <utility>
#include <vector>

namespace cerniq::gocompat {
namespace {

// Up to 12 elements Go insertion-sorts, so NaN keys (never less) stay where they stand relative
// to what came before them, as PromQL's sort() shows.
TEST(SortSlice, SmallSlicesAsGoInsertionSort) {
  std::vector<double> v = {3, NAN, 1, 2};
  SortSlice(v, [](double a, double b) { return a < b; });
  EXPECT_EQ(v[0], 3);
  EXPECT_TRUE(std::isnan(v[1]));
  EXPECT_EQ(v[2], 1);
  EXPECT_EQ(v[3], 2);
}

// A "less" that is true for equal keys (promtool's labels.Compare(a, b) <= 0) reverses equal
// elements under insertion sort: what promtool prints for repeated expected samples.
TEST(SortSlice, LessOrEqualReversesEqualElementsBelowThirteen) {
  std::vector<std::pair<int, int>> v = {{1, 0}, {1, 1}, {0, 2}, {1, 3}};
  SortSlice(v, [](const auto& a, const auto& b) { return a.first <= b.first; });
  const std::vector<std::pair<int, int>> want = {{0, 2}, {1, 3}, {1, 1}, {1, 0}};
  EXPECT_EQ(v, want);
}

TEST(SortSlice, LargeSlicesSorted) {
  std::vector<int> v;
  for (int i = 200; i > 0; --i) v.push_back(i % 37);
  SortSlice(v, [](int a, int b) { return a < b; });
  for (size_t i = 1; i < v.size(); ++i) EXPECT_LE(v[i - 1], v[i]);
}

}  // namespace
}  // namespace cerniq::gocompat
