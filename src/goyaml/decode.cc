#include "goyaml/decode.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <regex>

#include "gocompat/duration.h"
#include "gocompat/quote.h"

namespace cerniq::goyaml {
namespace {

constexpr std::string_view kLongTagPrefix = "tag:yaml.org,2002:";

bool IsNullText(const std::string& s) {
  return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL";
}

bool IsBoolText(const std::string& s, Version version) {
  if (s == "true" || s == "True" || s == "TRUE" || s == "false" || s == "False" || s == "FALSE") {
    return true;
  }
  if (version == Version::kV3) return false;
  // YAML 1.1 booleans of yaml.v2.
  for (const char* b : {"y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON",
                        "off", "Off", "OFF"}) {
    if (s == b) return true;
  }
  return false;
}

std::string WithoutUnderscores(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c != '_') out += c;
  }
  return out;
}

// strconv.ParseInt(s, 0, 64) / ParseUint acceptance: optional sign, 0x/0o/0b/0 prefixes.
std::optional<long double> ParseGoInt(const std::string& s) {
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  if (i >= s.size()) return std::nullopt;
  int base = 10;
  if (s[i] == '0' && i + 1 < s.size()) {
    const char p = s[i + 1];
    if (p == 'x' || p == 'X')
      base = 16, i += 2;
    else if (p == 'o' || p == 'O')
      base = 8, i += 2;
    else if (p == 'b' || p == 'B')
      base = 2, i += 2;
    else
      base = 8, i += 1;
  }
  if (i >= s.size()) return std::nullopt;
  long double v = 0;
  for (; i < s.size(); ++i) {
    int d = -1;
    const char c = s[i];
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    if (d < 0 || d >= base) return std::nullopt;
    v = v * base + d;
  }
  if (v > 18446744073709551615.0L) return std::nullopt;
  return neg ? -v : v;
}

bool IsYamlFloat(const std::string& s) {
  static const std::regex kFloat(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  return std::regex_match(s, kFloat);
}

bool IsSpecialFloat(const std::string& s) {
  for (const char* f : {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
                        "-.INF", ".nan", ".NaN", ".NAN"}) {
    if (s == f) return true;
  }
  return false;
}

bool IsTimestamp(const std::string& s) {
  static const std::regex kDate(R"(^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$)");
  return std::regex_match(s, kDate);
}

std::string ShortTag(const std::string& tag) {
  if (tag.rfind(kLongTagPrefix, 0) == 0) return "!!" + tag.substr(kLongTagPrefix.size());
  return tag;
}

}  // namespace

std::string YamlCppSyntaxError(const YAML::Exception& e) {
  std::string out = "yaml: ";
  if (!e.mark.is_null()) out += "line " + std::to_string(e.mark.line + 1) + ": ";
  if (e.msg == "illegal map value") return out + "mapping values are not allowed in this context";
  return out + e.msg;
}

Position NodePosition(const YAML::Node& node) {
  const auto mark = node.Mark();
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

std::string ResolvedTag(const YAML::Node& node, Version version) {
  switch (node.Type()) {
    case YAML::NodeType::Sequence:
    case YAML::NodeType::Map: {
      // An explicit tag wins (`!!str [a]` is reported as "!!str ``").
      const std::string& tag = node.Tag();
      if (!tag.empty() && tag != "?" && tag != "!") return ShortTag(tag);
      return node.IsSequence() ? "!!seq" : "!!map";
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "!!null";
    default:
      break;
  }
  const std::string& tag = node.Tag();
  if (tag == "!") return "!!str";  // quoted scalar
  if (tag != "?" && !tag.empty()) return ShortTag(tag);
  const std::string& s = node.Scalar();
  if (IsNullText(s)) return "!!null";
  if (IsBoolText(s, version)) return "!!bool";
  if (IsSpecialFloat(s)) return "!!float";
  const char c = s[0];
  if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
    if (IsTimestamp(s)) return "!!timestamp";
    const std::string plain = WithoutUnderscores(s);
    if (ParseGoInt(plain)) return "!!int";
    if (IsYamlFloat(plain)) return "!!float";
  }
  return "!!str";
}

std::optional<std::string> Decoder::Error() const {
  if (fatal_) return fatal_;
  if (type_errors_.empty()) return std::nullopt;
  std::string out = "yaml: unmarshal errors:";
  for (const auto& e : type_errors_) out += "\n  " + e;
  return out;
}

void Decoder::Record(const YAML::Node& node, std::string text) {
  if (type_errors_.empty() && !fatal_) first_position_ = NodePosition(node);
  type_errors_.push_back(std::move(text));
}

void Decoder::TypeMismatch(const YAML::Node& node, const std::string& go_type) {
  if (fatal_) return;
  const std::string tag = ResolvedTag(node, version_);
  std::string value;
  if (tag != "!!seq" && tag != "!!map") {
    // yaml.v3 shows at most 10 bytes of the value, cut to 7 plus "..." beyond that.
    const std::string& s = node.Scalar();
    value = s.size() > 10 ? " `" + s.substr(0, 7) + "...`" : " `" + s + "`";
  }
  Record(node, "line " + std::to_string(NodePosition(node).line) + ": cannot unmarshal " + tag +
                   value + " into " + go_type);
}

void Decoder::UnknownField(const YAML::Node& key, const std::string& go_type) {
  if (fatal_ || !known_fields_) return;
  Record(key, "line " + std::to_string(NodePosition(key).line) + ": field " + key.Scalar() +
                  " not found in type " + go_type);
}

void Decoder::Abort(std::string message) {
  if (!fatal_) fatal_ = std::move(message);
}

void Decoder::Abort(const YAML::Node& node, std::string message) {
  if (fatal_) return;
  first_position_ = NodePosition(node);
  fatal_ = std::move(message);
}

bool Decoder::UniqueKeys(const YAML::Node& map) {
  std::vector<std::pair<YAML::Node, YAML::Node>> pairs;
  for (const auto& kv : map) pairs.emplace_back(kv.first, kv.second);
  bool unique = true;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto& ki = pairs[i].first;
    for (std::size_t j = i + 1; j < pairs.size(); ++j) {
      const auto& kj = pairs[j].first;
      if (ki.Type() != kj.Type() || !ki.IsScalar() || ki.Scalar() != kj.Scalar()) continue;
      unique = false;
      if (fatal_) continue;
      Record(kj, "line " + std::to_string(NodePosition(kj).line) + ": mapping key " +
                     gocompat::Quote(kj.Scalar()) + " already defined at line " +
                     std::to_string(NodePosition(ki).line));
    }
  }
  return unique;
}

void Decoder::String(const YAML::Node& node, std::string& out, const std::string& go_type) {
  if (fatal_) return;
  if (node.IsNull() || !node.IsDefined()) {
    out.clear();
  } else if (node.IsScalar()) {
    out = node.Scalar();
  } else {
    TypeMismatch(node, go_type);
  }
}

void Decoder::Bool(const YAML::Node& node, bool& out) {
  if (fatal_) return;
  const std::string tag = ResolvedTag(node, version_);
  if (tag == "!!null") {
    out = false;
  } else if (tag == "!!bool") {
    const char c = node.Scalar()[0];
    out = c == 't' || c == 'T' || c == 'y' || c == 'Y' || node.Scalar() == "on" ||
          node.Scalar() == "On" || node.Scalar() == "ON";
  } else {
    TypeMismatch(node, "bool");
  }
}

void Decoder::Int(const YAML::Node& node, std::int64_t& out) {
  if (fatal_) return;
  const std::string tag = ResolvedTag(node, version_);
  if (tag == "!!null") {
    out = 0;
    return;
  }
  if (tag == "!!int") {
    if (auto v = ParseGoInt(WithoutUnderscores(node.Scalar()));
        v && *v >= -9223372036854775808.0L && *v <= 9223372036854775807.0L) {
      out = static_cast<std::int64_t>(*v);
      return;
    }
  } else if (tag == "!!float" && !IsSpecialFloat(node.Scalar())) {
    // yaml.v3 truncates a float into an int field when it fits.
    const double v = std::strtod(WithoutUnderscores(node.Scalar()).c_str(), nullptr);
    if (v <= 9223372036854775807.0 && v >= -9223372036854775808.0) {
      out = static_cast<std::int64_t>(v);
      return;
    }
  }
  TypeMismatch(node, "int");
}

void Decoder::Duration(const YAML::Node& node, std::int64_t& out) {
  if (fatal_) return;
  if (node.IsNull() || !node.IsDefined()) {
    out = 0;
    return;
  }
  if (!node.IsScalar()) {
    TypeMismatch(node, "string");  // from the unmarshal into a string inside UnmarshalYAML
    return;
  }
  auto parsed = gocompat::ParseDuration(node.Scalar());
  if (auto* err = std::get_if<std::string>(&parsed)) {
    Abort(*err);
    return;
  }
  out = std::get<std::int64_t>(parsed);
}

void Decoder::StringMap(const YAML::Node& node, std::map<std::string, std::string>& out,
                        const std::string& map_type, const std::string& value_type) {
  if (fatal_) return;
  if (node.IsNull() || !node.IsDefined()) return;
  if (!node.IsMap()) {
    TypeMismatch(node, map_type);
    return;
  }
  if (version_ == Version::kV3 && !UniqueKeys(node)) return;
  for (const auto& kv : node) {
    std::string key;
    if (!kv.first.IsScalar() && !kv.first.IsNull()) {
      TypeMismatch(kv.first, "string");
      continue;
    }
    String(kv.first, key);
    if (version_ == Version::kV2 && out.count(key)) {
      if (!fatal_) {
        Record(kv.first, "line " + std::to_string(NodePosition(kv.first).line) + ": key " +
                             gocompat::Quote(key) + " already set in map");
      }
      continue;
    }
    std::string value;
    String(kv.second, value, value_type);
    out[key] = value;
  }
}

bool Decoder::FieldOnce(std::set<std::string>& done, const YAML::Node& key,
                        const std::string& go_type) {
  if (done.insert(key.Scalar()).second) return true;
  if (!fatal_) {
    Record(key, "line " + std::to_string(NodePosition(key).line) + ": field " + key.Scalar() +
                    " already set in type " + go_type);
  }
  return false;
}

void Decoder::Float(const YAML::Node& node, double& out) {
  if (fatal_) return;
  const std::string tag = ResolvedTag(node, version_);
  if (tag == "!!null") {
    out = 0;
    return;
  }
  const std::string text = WithoutUnderscores(node.Scalar());
  if (tag == "!!int") {
    if (auto v = ParseGoInt(text)) {
      out = static_cast<double>(*v);
      return;
    }
  } else if (tag == "!!float") {
    if (IsSpecialFloat(node.Scalar())) {
      const std::string& s = node.Scalar();
      out = s.find("nan") != std::string::npos || s.find("NaN") != std::string::npos ||
                    s.find("NAN") != std::string::npos
                ? std::nan("")
                : (s[0] == '-' ? -INFINITY : INFINITY);
    } else {
      out = std::strtod(text.c_str(), nullptr);
    }
    return;
  }
  TypeMismatch(node, "float64");
}

void Decoder::StringList(const YAML::Node& node, std::vector<std::string>& out) {
  if (fatal_) return;
  if (node.IsNull() || !node.IsDefined()) return;
  if (!node.IsSequence()) {
    TypeMismatch(node, "[]string");
    return;
  }
  for (const auto& item : node) {
    std::string s;
    String(item, s);
    out.push_back(std::move(s));
  }
}

void DecodeStruct(Decoder& dec, const YAML::Node& node, const std::string& go_type,
                  const std::map<std::string, FieldDecoder>& fields) {
  if (node.IsNull() || !node.IsDefined()) return;
  if (!node.IsMap()) {
    dec.TypeMismatch(node, go_type);
    return;
  }
  std::set<std::string> done;
  for (const auto& kv : node) {
    auto it = fields.find(kv.first.Scalar());
    if (it == fields.end()) {
      dec.UnknownField(kv.first, go_type);
      continue;
    }
    if (!dec.FieldOnce(done, kv.first, go_type)) continue;
    it->second(kv.second);
  }
}

}  // namespace cerniq::goyaml
