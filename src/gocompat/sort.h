#pragma once
// Go's sort.Sort / sort.Slice where PromQL's output order depends on it (sort(), sort_desc(),
// topk/bottomk results, histogram buckets).
#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace cerniq::gocompat {

// Insertion sort up to 12 elements, exactly as Go (which also fixes where NaN keys end up);
// above that a stable sort stands in for pdqsort, whose order of equal elements differs.
template <typename T, typename Less>
void Sort(std::vector<T>& v, Less less) {
  if (v.size() <= 12) {
    for (std::size_t i = 1; i < v.size(); ++i)
      for (std::size_t j = i; j > 0 && less(v[j], v[j - 1]); --j) std::swap(v[j], v[j - 1]);
    return;
  }
  std::stable_sort(v.begin(), v.end(), less);
}

}  // namespace cerniq::gocompat
