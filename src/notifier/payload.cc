#include "notifier/payload.h"

#include <chrono>
#include <cstdio>

#include "gocompat/json_string.h"

namespace cerniq::notifier {
namespace {

// A JSON object of a label set; Go sorts map keys bytewise, as LabelSet already is.
void AppendLabelSet(std::string& out, const LabelSet& labels) {
  out += '{';
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += gocompat::JsonString(labels[i].first);
    out += ':';
    out += gocompat::JsonString(labels[i].second);
  }
  out += '}';
}

void AppendAlert(std::string& out, const Alert& a) {
  out += '{';
  if (!a.annotations.empty()) {  // `json:"annotations,omitempty"`
    out += "\"annotations\":";
    AppendLabelSet(out, a.annotations);
    out += ',';
  }
  out += "\"endsAt\":" + gocompat::JsonString(FormatTimeMillis(a.ends_at_ms));
  out += ",\"startsAt\":" + gocompat::JsonString(FormatTimeMillis(a.starts_at_ms));
  if (!a.generator_url.empty()) out += ",\"generatorURL\":" + gocompat::JsonString(a.generator_url);
  out += ",\"labels\":";
  AppendLabelSet(out, a.labels);
  out += '}';
}

}  // namespace

std::string FormatTimeMillis(int64_t unix_ms) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds(unix_ms)};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss<milliseconds> hms{t - day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", int(ymd.year()),
                unsigned(ymd.month()), unsigned(ymd.day()), int(hms.hours().count()),
                int(hms.minutes().count()), int(hms.seconds().count()),
                int(hms.subseconds().count()));
  return buf;
}

std::string EncodeAlerts(std::span<const Alert> alerts) {
  std::string out = "[";
  for (size_t i = 0; i < alerts.size(); ++i) {
    if (i > 0) out += ',';
    AppendAlert(out, alerts[i]);
  }
  out += ']';
  return out;
}

}  // namespace cerniq::notifier
