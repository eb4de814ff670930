// Go 1.19's sort.Slice and sort.Sort (pattern-defeating quicksort), swap for swap.
//
// Why: promtool 2.42 (built with Go 1.19) sorts what it prints with sort.Slice and comparisons
// such as `labels.Compare(a, b) <= 0`. That "less" is true for equal elements and sort.Slice is
// not stable, so equal elements come out in an order only this exact algorithm reproduces
// (insertion sort up to 12 elements, pdqsort with Go's deterministic xorshift above).
// sort.Stable needs no port: every stable sort gives the same order (std::stable_sort).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace cerniq::gocompat {

namespace sort_internal {

enum class SortedHint { kUnknown, kIncreasing, kDecreasing };

// Less(i, j) and Swap(i, j) on positions, as Go's lessSwap.
template <typename Less, typename Swap>
class PdqSorter {
 public:
  PdqSorter(Less& less, Swap& swap) : less_(less), swap_(swap) {}

  void Sort(int a, int b, int limit) {
    constexpr int kMaxInsertion = 12;
    bool was_balanced = true;
    bool was_partitioned = true;
    for (;;) {
      const int length = b - a;
      if (length <= kMaxInsertion) return InsertionSort(a, b);
      if (limit == 0) return HeapSort(a, b);
      if (!was_balanced) {
        BreakPatterns(a, b);
        --limit;
      }
      auto [pivot, hint] = ChoosePivot(a, b);
      if (hint == SortedHint::kDecreasing) {
        ReverseRange(a, b);
        pivot = (b - 1) - (pivot - a);
        hint = SortedHint::kIncreasing;
      }
      if (was_balanced && was_partitioned && hint == SortedHint::kIncreasing &&
          PartialInsertionSort(a, b)) {
        return;
      }
      if (a > 0 && !less_(a - 1, pivot)) {
        a = PartitionEqual(a, b, pivot);
        continue;
      }
      auto [mid, already_partitioned] = Partition(a, b, pivot);
      was_partitioned = already_partitioned;
      const int left_len = mid - a, right_len = b - mid;
      const int balance_threshold = length / 8;
      if (left_len < right_len) {
        was_balanced = left_len >= balance_threshold;
        Sort(a, mid, limit);
        a = mid + 1;
      } else {
        was_balanced = right_len >= balance_threshold;
        Sort(mid + 1, b, limit);
        b = mid;
      }
    }
  }

 private:
  void InsertionSort(int a, int b) {
    for (int i = a + 1; i < b; ++i) {
      for (int j = i; j > a && less_(j, j - 1); --j) swap_(j, j - 1);
    }
  }

  void SiftDown(int lo, int hi, int first) {
    int root = lo;
    for (;;) {
      int child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && less_(first + child, first + child + 1)) ++child;
      if (!less_(first + root, first + child)) return;
      swap_(first + root, first + child);
      root = child;
    }
  }

  void HeapSort(int a, int b) {
    const int first = a, hi = b - a;
    for (int i = (hi - 1) / 2; i >= 0; --i) SiftDown(i, hi, first);
    for (int i = hi - 1; i >= 0; --i) {
      swap_(first, first + i);
      SiftDown(0, i, first);
    }
  }

  // Moves [a,b) so that elements before the returned position are less than the pivot.
  std::pair<int, bool> Partition(int a, int b, int pivot) {
    swap_(a, pivot);
    int i = a + 1, j = b - 1;
    while (i <= j && less_(i, a)) ++i;
    while (i <= j && !less_(j, a)) --j;
    if (i > j) {
      swap_(j, a);
      return {j, true};
    }
    swap_(i, j);
    ++i;
    --j;
    for (;;) {
      while (i <= j && less_(i, a)) ++i;
      while (i <= j && !less_(j, a)) --j;
      if (i > j) break;
      swap_(i, j);
      ++i;
      --j;
    }
    swap_(j, a);
    return {j, false};
  }

  int PartitionEqual(int a, int b, int pivot) {
    swap_(a, pivot);
    int i = a + 1, j = b - 1;
    for (;;) {
      while (i <= j && !less_(a, i)) ++i;
      while (i <= j && less_(a, j)) --j;
      if (i > j) break;
      swap_(i, j);
      ++i;
      --j;
    }
    return i;
  }

  bool PartialInsertionSort(int a, int b) {
    constexpr int kMaxSteps = 5, kShortestShifting = 50;
    int i = a + 1;
    for (int step = 0; step < kMaxSteps; ++step) {
      while (i < b && !less_(i, i - 1)) ++i;
      if (i == b) return true;
      if (b - a < kShortestShifting) return false;
      swap_(i, i - 1);
      if (i - a >= 2) {  // shift the smaller one to the left (Go scans down to index 1)
        for (int j = i - 1; j >= 1 && less_(j, j - 1); --j) swap_(j, j - 1);
      }
      if (b - i >= 2) {  // shift the greater one to the right
        for (int j = i + 1; j < b && less_(j, j - 1); ++j) swap_(j, j - 1);
      }
    }
    return false;
  }

  void BreakPatterns(int a, int b) {
    const int length = b - a;
    if (length < 8) return;
    uint64_t random = static_cast<uint64_t>(length);  // Go seeds xorshift with the length
    const uint64_t modulus = uint64_t{1} << std::bit_width(static_cast<uint64_t>(length));
    for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; ++idx) {
      random ^= random << 13;
      random ^= random >> 17;
      random ^= random << 5;
      int other = static_cast<int>(random & (modulus - 1));
      if (other >= length) other -= length;
      swap_(idx, a + other);
    }
  }

  std::pair<int, SortedHint> ChoosePivot(int a, int b) {
    constexpr int kShortestNinther = 50, kMaxSwaps = 4 * 3;
    const int l = b - a;
    int swaps = 0;
    int i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
    if (l >= 8) {
      if (l >= kShortestNinther) {
        i = Median(i - 1, i, i + 1, swaps);
        j = Median(j - 1, j, j + 1, swaps);
        k = Median(k - 1, k, k + 1, swaps);
      }
      j = Median(i, j, k, swaps);
    }
    if (swaps == 0) return {j, SortedHint::kIncreasing};
    if (swaps == kMaxSwaps) return {j, SortedHint::kDecreasing};
    return {j, SortedHint::kUnknown};
  }

  void Order2(int& a, int& b, int& swaps) {
    if (less_(b, a)) {
      ++swaps;
      std::swap(a, b);
    }
  }

  int Median(int a, int b, int c, int& swaps) {
    Order2(a, b, swaps);
    Order2(b, c, swaps);
    Order2(a, b, swaps);
    return b;
  }

  void ReverseRange(int a, int b) {
    for (int i = a, j = b - 1; i < j; ++i, --j) swap_(i, j);
  }

  Less& less_;
  Swap& swap_;
};

}  // namespace sort_internal

// sort.Slice / sort.Sort on positions [0, n): less(i, j) and swap(i, j) as in Go.
template <typename Less, typename Swap>
void SortSlice(std::size_t n, Less less, Swap swap) {
  if (n <= 1) return;
  const int limit = std::bit_width(n);
  sort_internal::PdqSorter<Less, Swap> sorter(less, swap);
  sorter.Sort(0, static_cast<int>(n), limit);
}

// sort.Slice(v, func(i, j int) bool { return less(v[i], v[j]) }).
template <typename T, typename Less>
void SortSlice(std::vector<T>& v, Less less) {
  SortSlice(
      v.size(), [&](int i, int j) { return less(v[i], v[j]); },
      [&](int i, int j) { std::swap(v[i], v[j]); });
}

}  // namespace cerniq::gocompat
