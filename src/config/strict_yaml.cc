#include "config/strict_yaml.h"

#include <cmath>
#include <map>

#include "gocompat/duration.h"

namespace cerniq::config {
namespace {

std::string Format(const std::string& file, int line, int col, const std::string& message) {
  if (line <= 0) return file + ": " + message;
  return file + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + message;
}

std::string Quote(std::string_view s) { return "\"" + std::string(s) + "\""; }

// A YAML scalar as a finite-or-infinite number; nullopt for anything else (NaN included).
std::optional<double> ScalarNumber(const YAML::Node& n) {
  std::string s = n.IsScalar() ? n.Scalar() : "";
  size_t used = 0;
  double v = 0;
  try {
    v = std::stod(s, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (s.empty() || used != s.size() || std::isnan(v)) return std::nullopt;
  return v;
}

}  // namespace

ConfigError::ConfigError(const std::string& file, int line, int col, const std::string& message)
    : std::runtime_error(Format(file, line, col, message)),
      file_(file),
      line_(line),
      col_(col),
      message_(message) {}

ConfigError::ConfigError(const std::string& file, const std::string& message)
    : ConfigError(file, 0, 0, message) {}

void Fail(const std::string& file, const YAML::Node& node, const std::string& message) {
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) throw ConfigError(file, message);
  throw ConfigError(file, mark.line + 1, mark.column + 1, message);
}

MapReader::MapReader(const YAML::Node& node, std::string file, std::string what)
    : node_(node), file_(std::move(file)), what_(std::move(what)) {
  if (node_.IsNull()) return;  // an empty section means all defaults
  if (!node_.IsMap()) FailAt(node_, what_ + " must be a mapping");
  std::map<std::string, YAML::Mark> seen;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (!it->first.IsScalar()) FailAt(it->first, "keys of " + what_ + " must be strings");
    std::string key = it->first.Scalar();
    if (!seen.emplace(key, it->first.Mark()).second) {
      FailAt(it->first, "duplicate key " + Quote(key) + " in " + what_);
    }
  }
}

bool MapReader::Has(std::string_view key) const {
  if (!node_.IsMap()) return false;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (it->first.Scalar() == key) return true;
  }
  return false;
}

YAML::Node MapReader::Node(std::string_view key) {
  used_.emplace(key);
  if (!node_.IsMap()) return YAML::Node();
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    if (it->first.Scalar() == key) return it->second;
  }
  return YAML::Node();
}

void MapReader::FailAt(const YAML::Node& node, const std::string& message) const {
  Fail(file_, node.Mark().is_null() ? node_ : node, message);
}

std::string MapReader::String(std::string_view key, const std::string& fallback) {
  YAML::Node n = Node(key);
  if (!n || n.IsNull()) return fallback;
  if (!n.IsScalar()) FailAt(n, what_ + "." + std::string(key) + " must be a string");
  return n.Scalar();
}

std::string MapReader::RequiredString(std::string_view key) {
  YAML::Node n = Node(key);
  if (!n || n.IsNull()) FailAt(node_, what_ + "." + std::string(key) + " is required");
  return String(key, "");
}

bool MapReader::Bool(std::string_view key, bool fallback) {
  YAML::Node n = Node(key);
  if (!n || n.IsNull()) return fallback;
  const std::string& s = n.IsScalar() ? n.Scalar() : "";
  if (s == "true") return true;
  if (s == "false") return false;
  FailAt(n, what_ + "." + std::string(key) + " must be true or false, got " + Quote(s));
}

long long MapReader::Int(std::string_view key, long long fallback, long long min, long long max) {
  YAML::Node n = Node(key);
  if (!n || n.IsNull()) return fallback;
  std::string s = n.IsScalar() ? n.Scalar() : "";
  size_t used = 0;
  long long v = 0;
  try {
    v = std::stoll(s, &used, 10);
  } catch (const std::exception&) {
    used = 0;
  }
  if (s.empty() || used != s.size()) {
    FailAt(n, what_ + "." + std::string(key) + " must be an integer, got " + Quote(s));
  }
  if (v < min || v > max) {
    FailAt(n, what_ + "." + std::string(key) + " must be between " + std::to_string(min) + " and " +
                  std::to_string(max));
  }
  return v;
}

double MapReader::Double(std::string_view key, double fallback) {
  YAML::Node n = Node(key);
  if (!n || n.IsNull()) return fallback;
  auto v = ScalarNumber(n);
  if (!v) FailAt(n, what_ + "." + std::string(key) + " must be a number, got " + Quote(n.Scalar()));
  return *v;
}

std::chrono::milliseconds MapReader::Duration(std::string_view key,
                                              std::chrono::milliseconds fallback) {
  YAML::Node n = Node(key);
  if (!n || n.IsNull()) return fallback;
  std::string s = n.IsScalar() ? n.Scalar() : "";
  // Prometheus's syntax; any failure (out of range too) keeps the config's own wording.
  auto d = gocompat::ParseDuration(s);
  if (!std::holds_alternative<std::int64_t>(d)) {
    FailAt(n, what_ + "." + std::string(key) + ": not a valid duration string: " + Quote(s));
  }
  return std::chrono::milliseconds(std::get<std::int64_t>(d));
}

std::vector<std::string> MapReader::StringList(std::string_view key) {
  YAML::Node n = Node(key);
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (!n.IsSequence()) FailAt(n, what_ + "." + std::string(key) + " must be a list");
  for (const auto& item : n) {
    if (!item.IsScalar()) FailAt(item, what_ + "." + std::string(key) + " items must be strings");
    out.push_back(item.Scalar());
  }
  return out;
}

std::vector<double> MapReader::DoubleList(std::string_view key, std::vector<double> fallback) {
  YAML::Node n = Node(key);
  if (!n || n.IsNull()) return fallback;
  if (!n.IsSequence()) FailAt(n, what_ + "." + std::string(key) + " must be a list");
  std::vector<double> out;
  for (const auto& item : n) {
    auto v = ScalarNumber(item);
    if (!v) {
      FailAt(item, what_ + "." + std::string(key) + " items must be numbers, got " +
                       Quote(item.IsScalar() ? item.Scalar() : ""));
    }
    out.push_back(*v);
  }
  return out;
}

void MapReader::Finish() {
  if (!node_.IsMap()) return;
  for (auto it = node_.begin(); it != node_.end(); ++it) {
    const std::string& key = it->first.Scalar();
    if (!used_.contains(key)) FailAt(it->first, "unknown key " + Quote(key) + " in " + what_);
  }
}

YAML::Node ParseYaml(const std::string& text, const std::string& file) {
  try {
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    if (e.mark.is_null()) throw ConfigError(file, e.msg);
    throw ConfigError(file, e.mark.line + 1, e.mark.column + 1, e.msg);
  }
}

}  // namespace cerniq::config
