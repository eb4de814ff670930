#include "promql/labels.h"

#include <cstdio>

#include "promql/format.h"

#include <algorithm>

namespace cerniq::promql {
namespace {

const std::vector<Label>& EmptyLabels() {
  static const std::vector<Label> kEmpty;
  return kEmpty;
}

constexpr uint64_t kSeed = 0x9e3779b97f4a7c15ull;
constexpr char kSep = '\xff';  // cannot occur in valid UTF-8, so it separates names and values

bool Contains(const std::vector<std::string>& names, std::string_view n) {
  return std::find(names.begin(), names.end(), n) != names.end();
}

}  // namespace

uint64_t HashBytes(std::string_view s, uint64_t h) {
  // FNV-1a on 64 bits: simple, and good enough for grouping keys (collisions are checked).
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

Labels::Labels(std::vector<Label> labels) {
  std::stable_sort(labels.begin(), labels.end(),
                   [](const Label& a, const Label& b) { return a.name < b.name; });
  // Keep the last of equal names.
  std::vector<Label> unique;
  unique.reserve(labels.size());
  for (auto& l : labels) {
    if (!unique.empty() && unique.back().name == l.name) {
      unique.back() = std::move(l);
    } else {
      unique.push_back(std::move(l));
    }
  }
  uint64_t h = kSeed;
  for (const auto& l : unique) {
    h = HashBytes(l.name, h);
    h = HashBytes(std::string_view(&kSep, 1), h);
    h = HashBytes(l.value, h);
    h = HashBytes(std::string_view(&kSep, 1), h);
  }
  hash_ = h;
  if (!unique.empty()) data_ = std::make_shared<const std::vector<Label>>(std::move(unique));
}

const std::vector<Label>& Labels::items() const { return data_ ? *data_ : EmptyLabels(); }

std::string_view Labels::Get(std::string_view name) const {
  for (const auto& l : items())
    if (l.name == name) return l.value;
  return {};
}

bool Labels::Has(std::string_view name) const {
  for (const auto& l : items())
    if (l.name == name) return true;
  return false;
}

std::string Labels::String() const {
  std::string out = "{";
  bool first = true;
  for (const auto& l : items()) {
    if (!first) out += ", ";
    first = false;
    out += l.name;
    out += '=';
    out += GoQuote(l.value);
  }
  out += '}';
  return out;
}

Labels Labels::WithoutName() const {
  if (!Has(kMetricName)) return *this;
  std::vector<Label> out;
  for (const auto& l : items())
    if (l.name != kMetricName) out.push_back(l);
  return Labels(std::move(out));
}

Labels Labels::Keep(const std::vector<std::string>& names) const {
  std::vector<Label> out;
  for (const auto& l : items())
    if (Contains(names, l.name)) out.push_back(l);
  return Labels(std::move(out));
}

Labels Labels::Drop(const std::vector<std::string>& names) const {
  std::vector<Label> out;
  for (const auto& l : items())
    if (!Contains(names, l.name)) out.push_back(l);
  return Labels(std::move(out));
}

uint64_t Labels::HashFor(const std::vector<std::string>& names) const {
  uint64_t h = kSeed;
  for (const auto& l : items()) {
    if (!Contains(names, l.name)) continue;
    h = HashBytes(l.name, h);
    h = HashBytes(std::string_view(&kSep, 1), h);
    h = HashBytes(l.value, h);
    h = HashBytes(std::string_view(&kSep, 1), h);
  }
  return h;
}

uint64_t Labels::HashWithout(const std::vector<std::string>& names) const {
  uint64_t h = kSeed;
  for (const auto& l : items()) {
    if (l.name == kMetricName || Contains(names, l.name)) continue;
    h = HashBytes(l.name, h);
    h = HashBytes(std::string_view(&kSep, 1), h);
    h = HashBytes(l.value, h);
    h = HashBytes(std::string_view(&kSep, 1), h);
  }
  return h;
}

bool operator==(const Labels& a, const Labels& b) {
  if (a.hash_ != b.hash_) return false;
  return a.items() == b.items();
}

int Compare(const Labels& a, const Labels& b) {
  const auto& x = a.items();
  const auto& y = b.items();
  size_t n = std::min(x.size(), y.size());
  for (size_t i = 0; i < n; ++i) {
    if (int c = x[i].name.compare(y[i].name); c != 0) return c < 0 ? -1 : 1;
    if (int c = x[i].value.compare(y[i].value); c != 0) return c < 0 ? -1 : 1;
  }
  if (x.size() == y.size()) return 0;
  return x.size() < y.size() ? -1 : 1;
}

LabelsBuilder& LabelsBuilder::Set(std::string_view name, std::string_view value) {
  if (value.empty()) return Del(name);
  for (auto& l : labels_) {
    if (l.name == name) {
      l.value = std::string(value);
      return *this;
    }
  }
  labels_.push_back({std::string(name), std::string(value)});
  return *this;
}

LabelsBuilder& LabelsBuilder::Del(std::string_view name) {
  labels_.erase(std::remove_if(labels_.begin(), labels_.end(),
                               [&](const Label& l) { return l.name == name; }),
                labels_.end());
  return *this;
}

Labels LabelsFromMap(const std::map<std::string, std::string>& m) {
  std::vector<Label> v;
  v.reserve(m.size());
  for (const auto& [name, value] : m) v.push_back({name, value});
  return Labels(std::move(v));
}

bool IsValidLabelName(std::string_view s) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string_view GoEscape(char32_t r) {
  switch (r) {
    case '\a':
      return "\\a";
    case '\b':
      return "\\b";
    case '\f':
      return "\\f";
    case '\n':
      return "\\n";
    case '\r':
      return "\\r";
    case '\t':
      return "\\t";
    case '\v':
      return "\\v";
    case '\\':
      return "\\\\";
    default:
      return {};
  }
}

bool IsGoPrintable(char32_t r) {
  if (r < 0x20 || r == 0x7f) return false;
  if (r >= 0x80 && r < 0xa0) return false;  // C1 controls
  // Format characters and separators Go's unicode.IsPrint rejects that occur in practice.
  return r != 0xad && r != 0x2028 && r != 0x2029 && r != 0xfeff && !(r >= 0x200b && r <= 0x200f) &&
         !(r >= 0xfff9 && r <= 0xfffb);
}

std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  char buf[16];
  for (size_t i = 0; i < s.size();) {
    int width = 1;
    char32_t r = DecodeRune(s, i, &width);
    if (r == 0xFFFD && width == 1) {
      // Invalid UTF-8: Go escapes the byte.
      snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned char>(s[i]));
      out += buf;
    } else if (r == '"') {
      out += "\\\"";
    } else if (auto e = GoEscape(r); !e.empty()) {
      out += e;
    } else if (IsGoPrintable(r)) {
      out.append(s.substr(i, static_cast<size_t>(width)));
    } else if (r < 0x80) {
      snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(r));
      out += buf;
    } else {
      snprintf(buf, sizeof buf, r < 0x10000 ? "\\u%04x" : "\\U%08x", static_cast<unsigned>(r));
      out += buf;
    }
    i += static_cast<size_t>(width);
  }
  out += '"';
  return out;
}

}  // namespace cerniq::promql
