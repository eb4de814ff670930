#include "gocompat/sort.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace cerniq::gocompat {
namespace {

// Up to 12 elements Go insertion-sorts, so NaN keys (never less) stay where they stand relative
// to what came before them, as PromQL's sort() shows.
TEST(Sort, SmallSlicesAsGoInsertionSort) {
  std::vector<double> v = {3, NAN, 1, 2};
  Sort(v, [](double a, double b) { return a < b; });
  EXPECT_EQ(v[0], 3);
  EXPECT_TRUE(std::isnan(v[1]));
  EXPECT_EQ(v[2], 1);
  EXPECT_EQ(v[3], 2);
}

TEST(Sort, LargeSlicesSorted) {
  std::vector<int> v;
  for (int i = 20; i > 0; --i) v.push_back(i);
  Sort(v, [](int a, int b) { return a < b; });
  for (int i = 0; i < 20; ++i) EXPECT_EQ(v[i], i + 1);
}

}  // namespace
}  // namespace cerniq::gocompat
