#pragma once
// Strict YAML reading for configuration files: duplicate keys, unknown keys and wrong types are
// errors that name `file:line:col`. yaml-cpp 0.7 accepts duplicate keys silently and has 0-based
// marks; this layer fixes both.

#include <chrono>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

namespace cerniq::config {

class ConfigError : public std::runtime_error {
 public:
  ConfigError(const std::string& file, int line, int col, const std::string& message);
  // Without a position (e.g. the file cannot be read).
  ConfigError(const std::string& file, const std::string& message);
  const std::string& file() const { return file_; }
  int line() const { return line_; }  // 1-based; 0 when unknown
  int col() const { return col_; }
  const std::string& message() const { return message_; }

 private:
  std::string file_;
  int line_ = 0;
  int col_ = 0;
  std::string message_;
};

// Throws ConfigError at the node's position.
[[noreturn]] void Fail(const std::string& file, const YAML::Node& node, const std::string& message);

// Reads one YAML mapping strictly. Each key is looked up once through the typed getters;
// Finish() then reports the first key no getter asked for.
class MapReader {
 public:
  // `what` names the mapping in errors ("redis", "bullmq.prefixes[0]", ...).
  MapReader(const YAML::Node& node, std::string file, std::string what);

  bool Has(std::string_view key) const;
  YAML::Node Node(std::string_view key);  // null node when absent
  std::string String(std::string_view key, const std::string& fallback);
  std::string RequiredString(std::string_view key);
  bool Bool(std::string_view key, bool fallback);
  long long Int(std::string_view key, long long fallback, long long min, long long max);
  double Double(std::string_view key, double fallback);
  std::chrono::milliseconds Duration(std::string_view key, std::chrono::milliseconds fallback);
  std::vector<std::string> StringList(std::string_view key);
  std::vector<double> DoubleList(std::string_view key, std::vector<double> fallback);

  void Finish();  // unknown keys are errors

  const std::string& file() const { return file_; }
  const YAML::Node& node() const { return node_; }
  [[noreturn]] void FailAt(const YAML::Node& node, const std::string& message) const;

 private:
  YAML::Node node_;
  std::string file_;
  std::string what_;
  std::set<std::string, std::less<>> used_;
};

// Parses text as one YAML document; syntax errors become ConfigError with a position.
YAML::Node ParseYaml(const std::string& text, const std::string& file);

}  // namespace cerniq::config
