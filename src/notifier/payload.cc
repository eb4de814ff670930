#include "notifier/payload.h"

#include <chrono>
#include <cstdio>

#include "gocompat/utf8.h"

namespace cerniq::notifier {
namespace {

void AppendUnicodeEscape(std::string& out, unsigned code) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", code);
  out += buf;
}

void AppendAsciiByte(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    case '<':
    case '>':
    case '&':  // Go escapes these for embedding in HTML
      AppendUnicodeEscape(out, c);
      return;
    default:
      if (c < 0x20) {
        AppendUnicodeEscape(out, c);
      } else {
        out += static_cast<char>(c);
      }
  }
}

// A JSON object of a label set; Go sorts map keys bytewise, as LabelSet already is.
void AppendLabelSet(std::string& out, const LabelSet& labels) {
  out += '{';
  for (size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += GoJsonString(labels[i].first);
    out += ':';
    out += GoJsonString(labels[i].second);
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
  out += "\"endsAt\":" + GoJsonString(FormatTimeMillis(a.ends_at_ms));
  out += ",\"startsAt\":" + GoJsonString(FormatTimeMillis(a.starts_at_ms));
  if (!a.generator_url.empty()) out += ",\"generatorURL\":" + GoJsonString(a.generator_url);
  out += ",\"labels\":";
  AppendLabelSet(out, a.labels);
  out += '}';
}

}  // namespace

std::string GoJsonString(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      AppendAsciiByte(out, c);
      ++i;
      continue;
    }
    int width = 1;
    char32_t r = gocompat::DecodeRune(s, i, &width);
    if (r == 0xFFFD && width == 1) {
      out += "\\ufffd";
    } else if (r == 0x2028 || r == 0x2029) {
      AppendUnicodeEscape(out, static_cast<unsigned>(r));
    } else {
      out.append(s.substr(i, width));
    }
    i += width;
  }
  out += '"';
  return out;
}

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
