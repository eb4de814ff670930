#include "api/go_json.h"

#include <charconv>
#include <cmath>
#include <ctime>

#include "gocompat/float_format.h"
#include "gocompat/time.h"

namespace cerniq::api {

std::string JsonFloat(double v) {
  double abs = std::fabs(v);
  bool exp = abs != 0 && (abs < 1e-6 || abs >= 1e21);
  std::string s = gocompat::FormatFloat(v, exp ? 'e' : 'f');
  size_t n = s.size();
  if (exp && n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') {
    s.erase(n - 2, 1);  // e-07 -> e-7, as encoding/json does
  }
  return s;
}

void AppendSampleValue(std::string& out, double v) {
  double abs = std::fabs(v);
  bool exp = abs != 0 && (abs < 1e-6 || abs >= 1e21);
  out += '"';
  gocompat::AppendFloat(out, v, exp ? 'e' : 'f');
  out += '"';
}

char* FormatTimestamp(char* p, int64_t ms) {
  uint64_t t = static_cast<uint64_t>(ms);
  if (ms < 0) {
    *p++ = '-';
    t = 0 - t;
  }
  p = std::to_chars(p, p + 20, t / 1000).ptr;
  const auto fraction = static_cast<unsigned>(t % 1000);
  if (fraction != 0) {
    *p++ = '.';
    *p++ = static_cast<char>('0' + fraction / 100);
    *p++ = static_cast<char>('0' + fraction / 10 % 10);
    *p++ = static_cast<char>('0' + fraction % 10);
  }
  return p;
}

void AppendTimestamp(std::string& out, int64_t ms) {
  char buf[kTimestampMaxChars];
  out.append(buf, FormatTimestamp(buf, ms));  // one append: this runs once per point
}

void AppendLabels(std::string& out, const promql::Labels& labels) {
  out += '{';
  bool first = true;
  for (const auto& l : labels) {
    if (!first) out += ',';
    first = false;
    AppendJsonString(out, l.name);
    out += ':';
    AppendJsonString(out, l.value);
  }
  out += '}';
}

std::string JsonTime(std::optional<int64_t> unix_nanos) {
  if (!unix_nanos) return "\"0001-01-01T00:00:00Z\"";
  int64_t secs = *unix_nanos / 1'000'000'000;
  int64_t nanos = *unix_nanos % 1'000'000'000;
  if (nanos < 0) {
    nanos += 1'000'000'000;
    --secs;
  }
  std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string s = std::string("\"") + buf;
  return s + gocompat::TrimmedFraction(nanos) + "Z\"";
}

}  // namespace cerniq::api
