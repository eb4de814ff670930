#pragma once
// Command-line flags and environment of cerniq_exporter, resolved into one Config.
// Precedence: flag > environment > config file > built-in default.

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"

namespace cerniq::exporter {

struct Options {
  config::Config config;
  std::vector<std::string> listen_addresses = {":9755"};  // --web.listen-address, repeatable
  std::string web_config_file;  // exporter-toolkit's format: TLS, basic auth, headers
  std::string telemetry_path = "/metrics";
  std::string log_level = "info";
  std::string log_format = "logfmt";
  std::string print_metrics;  // "", "text" or "markdown"
  bool version = false;
};

struct ParseOutcome {
  std::optional<Options> options;  // nullopt: exit with `exit_code` after printing `message`
  int exit_code = 0;
  std::string message;  // for stdout when exit_code == 0, stderr otherwise
};

ParseOutcome ParseOptions(int argc, const char* const* argv);

}  // namespace cerniq::exporter
