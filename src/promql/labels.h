#pragma once
// An immutable, sorted label set. Copies share the storage, because the engine moves the same
// label sets through every step of a range evaluation.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace cerniq::promql {

inline constexpr std::string_view kMetricName = "__name__";
inline constexpr std::string_view kBucketLabel = "le";

struct Label {
  std::string name;
  std::string value;
  bool operator==(const Label&) const = default;
};

class Labels {
 public:
  Labels() = default;
  // Sorts by name; with duplicate names the last one wins.
  explicit Labels(std::vector<Label> labels);
  Labels(std::initializer_list<Label> labels) : Labels(std::vector<Label>(labels)) {}

  const std::vector<Label>& items() const;
  size_t size() const { return items().size(); }
  bool empty() const { return items().empty(); }
  auto begin() const { return items().begin(); }
  auto end() const { return items().end(); }

  // Empty string when absent, as Prometheus treats a missing label and an empty value alike.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const;
  uint64_t Hash() const { return hash_; }
  // {__name__="x", a="b"} with Go-quoted values.
  std::string String() const;

  Labels WithoutName() const;
  Labels Keep(const std::vector<std::string>& names) const;  // names need not be sorted
  Labels Drop(const std::vector<std::string>& names) const;
  // Hash of just the named labels (or all but them), without building a label set.
  uint64_t HashFor(const std::vector<std::string>& names) const;
  uint64_t HashWithout(const std::vector<std::string>& names) const;

  friend bool operator==(const Labels& a, const Labels& b);
  friend int Compare(const Labels& a, const Labels& b);

 private:
  std::shared_ptr<const std::vector<Label>> data_;
  uint64_t hash_ = 0x9e3779b97f4a7c15ull;  // the hash of the empty set (HashBytes seed)
};

inline bool operator<(const Labels& a, const Labels& b) { return Compare(a, b) < 0; }

// Mutable helper for building a label set from another.
class LabelsBuilder {
 public:
  explicit LabelsBuilder(const Labels& base) : labels_(base.items()) {}
  LabelsBuilder& Set(std::string_view name, std::string_view value);  // empty value deletes
  LabelsBuilder& Del(std::string_view name);
  Labels Build() const { return Labels(labels_); }

 private:
  std::vector<Label> labels_;
};

// labels.FromMap: the label set of a name->value map (rule labels, annotations).
Labels LabelsFromMap(const std::map<std::string, std::string>& m);

// A valid label name: [a-zA-Z_][a-zA-Z0-9_]*.
bool IsValidLabelName(std::string_view s);

// Go's backslash escape for r ("\\n", "\\\\", ...), or empty.
std::string_view GoEscape(char32_t r);

// strconv.Quote for label values and strings: invalid UTF-8 bytes become \xNN, unprintable
// runes \uNNNN.
std::string GoQuote(std::string_view s);

uint64_t HashBytes(std::string_view s, uint64_t seed);

}  // namespace cerniq::promql
