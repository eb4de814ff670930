#pragma once
// Command-line flags and environment of cerniq_exporter, resolved into one Config.
// Precedence: flag > environment > config file > built-in default.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace cerniq::exporter {

struct Options {
  config::Config config;
  std::string listen_address = ":9755";
  std::string telemetry_path = "/metrics";
  std::string log_level = "info";
  std::string log_format = "logfmt";
  std::string print_metrics;  // "", "text" or "markdown"
  bool version = false;
  // The local rule evaluator (src/evaluator): off without rule files.
  std::vector<std::string> rule_files;  // paths or globs
  std::chrono::milliseconds rules_evaluation_interval{15'000};
  std::map<std::string, std::string> rules_external_labels;
  bool web_enable_lifecycle = false;  // POST /-/reload (wired by the HTTP routes)
};

struct ParseOutcome {
  std::optional<Options> options;  // nullopt: exit with `exit_code` after printing `message`
  int exit_code = 0;
  std::string message;  // for stdout when exit_code == 0, stderr otherwise
};

ParseOutcome ParseOptions(int argc, const char* const* argv);

}  // namespace cerniq::exporter
