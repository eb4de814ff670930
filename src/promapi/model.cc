#include "promapi/model.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "gocompat/float_format.h"
#include "gocompat/json_string.h"
#include "gocompat/parse_float.h"
#include "gocompat/quote.h"
#include "gocompat/utf8.h"
#include "gotemplate/builtins.h"

namespace cerniq::promapi {
namespace {

using nlohmann::json;

// model.Time.UnmarshalJSON: seconds with at most three decimals kept, from the number's text.
int64_t DecodeTime(const json& j) {
  if (!j.is_number()) throw DecodeError("invalid time " + j.dump());
  const std::string text =
      j.is_number_float() ? gocompat::FormatFloat(j.get<double>(), 'f') : j.dump();
  const auto dot = text.find('.');
  try {
    const int64_t seconds = std::stoll(text.substr(0, dot));
    if (dot == std::string::npos) return seconds * 1000;
    std::string frac = text.substr(dot + 1, 3);
    frac.resize(3, '0');
    const int64_t ms = std::stoll(frac);
    return text[0] == '-' ? seconds * 1000 - ms : seconds * 1000 + ms;
  } catch (const std::exception&) {
    throw DecodeError("invalid time " + text);
  }
}

double DecodeSampleValue(const json& j) {
  if (!j.is_string()) throw DecodeError("sample value must be a quoted string");
  auto v = gocompat::ParseFloat(j.get<std::string>());
  if (!v)
    throw DecodeError("strconv.ParseFloat: parsing " + gocompat::Quote(j.get<std::string>()) +
                      ": invalid syntax");
  return *v;
}

SamplePair DecodePair(const json& j) {
  if (!j.is_array() || j.size() != 2) throw DecodeError("invalid sample pair " + j.dump());
  return {DecodeTime(j[0]), DecodeSampleValue(j[1])};
}

LabelSet DecodeLabels(const json& j) {
  LabelSet ls;
  if (j.is_null()) return ls;
  if (!j.is_object()) throw DecodeError("invalid label set " + j.dump());
  for (const auto& [name, value] : j.items()) {
    if (!value.is_string()) throw DecodeError("invalid label value " + value.dump());
    ls[name] = value.get<std::string>();
  }
  return ls;
}

const json& Field(const json& j, const char* name) {
  static const json kNull;
  return j.is_object() && j.contains(name) ? j.at(name) : kNull;
}

std::string TimeString(int64_t t_ms) {
  return gocompat::FormatFloat(static_cast<double>(t_ms) / 1000, 'f');
}

std::string PairString(const SamplePair& p) {
  return gocompat::FormatFloat(p.v, 'f') + " @[" + TimeString(p.t_ms) + "]";
}

// model.Metric.String(): the name, then the other labels as sorted `name="value"` strings.
std::string MetricString(const LabelSet& m) {
  std::vector<std::string> labels;
  std::string name;
  bool has_name = false;
  for (const auto& [k, v] : m) {
    if (k == "__name__") {
      name = v, has_name = true;
    } else {
      labels.push_back(k + "=" + gocompat::Quote(v));
    }
  }
  if (labels.empty()) return has_name ? name : "{}";
  std::sort(labels.begin(), labels.end());
  std::string out = name + "{";
  for (std::size_t i = 0; i < labels.size(); ++i) out += (i ? ", " : "") + labels[i];
  return out + "}";
}

// model.LabelSet.Before: fewer labels first, then by the union of names, value by value.
bool Before(const LabelSet& a, const LabelSet& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  std::vector<std::string> names;
  for (const auto& [k, v] : a) names.push_back(k);
  for (const auto& [k, v] : b) names.push_back(k);
  std::sort(names.begin(), names.end());
  for (const auto& n : names) {
    auto ai = a.find(n);
    if (ai == a.end()) return true;
    auto bi = b.find(n);
    if (bi == b.end()) return false;
    if (ai->second != bi->second) return ai->second < bi->second;
  }
  return false;
}

void AppendLabels(std::string& out, const LabelSet& ls) {
  out += '{';
  bool first = true;
  for (const auto& [k, v] : ls) {  // Go sorts map keys by their bytes, as std::map does
    if (!first) out += ',';
    first = false;
    gocompat::AppendJsonString(out, k);
    out += ':';
    gocompat::AppendJsonString(out, v);
  }
  out += '}';
}

void AppendPair(std::string& out, const SamplePair& p) {
  out += '[' + TimeString(p.t_ms) + ',';
  gocompat::AppendJsonString(out, gocompat::FormatFloat(p.v, 'f'));
  out += ']';
}

}  // namespace

std::string UnmarshalerError(const std::string& message, const std::string& text) {
  const std::size_t head = text.size();
  const std::size_t peek = head > 10 ? head - 10 : 0;
  const std::size_t context = head > 50 ? head - 50 : 0;
  return "unmarshalerDecoder: " + message + ", error found in #" + std::to_string(head - peek) +
         " byte of ...|" + text.substr(peek) + "|..., bigger context ...|" + text.substr(context) +
         "|...";
}

Value DecodeQueryData(const json& data) {
  const json& type = Field(data, "resultType");
  const json& result = Field(data, "result");
  const std::string t = type.is_string() ? type.get<std::string>() : "";
  if (t == "scalar") return Scalar{DecodePair(result)};
  if (t == "vector") {
    Vector vec;
    for (const auto& s : result) {
      vec.push_back({DecodeLabels(Field(s, "metric")), DecodePair(Field(s, "value"))});
    }
    return vec;
  }
  if (t == "matrix") {
    Matrix m;
    for (const auto& s : result) {
      SampleStream ss{DecodeLabels(Field(s, "metric")), {}};
      for (const auto& p : Field(s, "values")) ss.values.push_back(DecodePair(p));
      m.push_back(std::move(ss));
    }
    return m;
  }
  if (t == "string") throw DecodeError("unexpected value type \"string\"");
  throw DecodeError("unknown value type " + gocompat::Quote(t));
}

std::vector<LabelSet> DecodeLabelSets(const json& data) {
  std::vector<LabelSet> sets;
  if (!data.is_array()) return sets;
  for (const auto& s : data) sets.push_back(DecodeLabels(s));
  return sets;
}

std::vector<std::string> DecodeStrings(const json& data) {
  std::vector<std::string> out;
  if (!data.is_array()) return out;
  for (const auto& s : data) {
    if (!s.is_string()) throw DecodeError("invalid label value " + s.dump());
    out.push_back(s.get<std::string>());
  }
  return out;
}

std::string PrintValue(const Value& v) {
  std::string out;
  if (const auto* s = std::get_if<Scalar>(&v)) {
    out = "scalar: " + PairString(s->point);
  } else if (const auto* vec = std::get_if<Vector>(&v)) {
    for (std::size_t i = 0; i < vec->size(); ++i) {
      out +=
          (i ? "\n" : "") + MetricString((*vec)[i].metric) + " => " + PairString((*vec)[i].point);
    }
  } else {
    Matrix m = std::get<Matrix>(v);
    std::stable_sort(m.begin(), m.end(),
                     [](const auto& a, const auto& b) { return Before(a.metric, b.metric); });
    for (std::size_t i = 0; i < m.size(); ++i) {
      out += (i ? "\n" : "") + MetricString(m[i].metric) + " =>";
      for (const auto& p : m[i].values) out += "\n" + PairString(p);
    }
  }
  return out + "\n";
}

std::string LabelSetString(const LabelSet& ls) {
  std::vector<std::string> parts;
  for (const auto& [k, v] : ls) parts.push_back(k + "=" + gocompat::Quote(v));
  std::sort(parts.begin(), parts.end());
  std::string out = "{";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? ", " : "") + parts[i];
  return out + "}";
}

std::string EncodeValue(const Value& v) {
  std::string out;
  if (const auto* s = std::get_if<Scalar>(&v)) {
    AppendPair(out, s->point);
  } else if (const auto* vec = std::get_if<Vector>(&v)) {
    out += '[';
    for (std::size_t i = 0; i < vec->size(); ++i) {
      out += i ? ",{\"metric\":" : "{\"metric\":";
      AppendLabels(out, (*vec)[i].metric);
      out += ",\"value\":";
      AppendPair(out, (*vec)[i].point);
      out += '}';
    }
    out += ']';
  } else {
    const Matrix& m = std::get<Matrix>(v);
    out += '[';
    for (std::size_t i = 0; i < m.size(); ++i) {
      out += i ? ",{\"metric\":" : "{\"metric\":";
      AppendLabels(out, m[i].metric);
      out += ",\"values\":[";
      for (std::size_t j = 0; j < m[i].values.size(); ++j) {
        if (j) out += ',';
        AppendPair(out, m[i].values[j]);
      }
      out += "]}";
    }
    out += ']';
  }
  return out + "\n";
}

std::string EncodeLabelSets(const std::vector<LabelSet>& sets) {
  std::string out = "[";
  for (std::size_t i = 0; i < sets.size(); ++i) {
    if (i) out += ',';
    AppendLabels(out, sets[i]);
  }
  return out + "]\n";
}

std::string EncodeStrings(const std::vector<std::string>& strings) {
  std::string out = "[";
  for (std::size_t i = 0; i < strings.size(); ++i) {
    if (i) out += ',';
    gocompat::AppendJsonString(out, strings[i]);
  }
  return out + "]\n";
}

}  // namespace cerniq::promapi
