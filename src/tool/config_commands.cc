// `check exporter-config FILE...`: validates cerniq_exporter config files the way
// `promtool check config` reports Prometheus's (`check config` itself is promtool's, for
// prometheus.yml, and answers "not implemented"): "Checking FILE", then "  SUCCESS" on stdout or "
// FAILED:" and the file:line:col error on stderr; a blank line ends each file; exit 1 when any file
// failed.
#include <exception>
#include <ostream>

#include "config/config.h"
#include "config/strict_yaml.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace cerniq::tool {
namespace {

void ReportFailure(CommandIO& io, const std::string& message) {
  io.out.flush();
  io.err << "  FAILED:\n" << message << "\n";
  io.err.flush();
}

int CheckConfig(const std::vector<std::string>& args, CommandIO& io) {
  std::vector<std::string> files;
  for (const auto& a : args) {
    if (a == "--") continue;
    if (a.rfind("--", 0) == 0) {
      return UsageError(io.err, "cerniqtool", "unknown long flag '" + a + "'");
    }
    files.push_back(a);
  }
  if (files.empty()) {
    return UsageError(io.err, "cerniqtool", "required argument 'config-files' not provided");
  }
  bool failed = false;
  for (const auto& file : files) {
    io.out << "Checking " << file << "\n";
    try {
      const config::Config c = config::LoadConfigFile(file);
      std::size_t queues = 0;
      for (const auto& p : c.bullmq.prefixes) queues += p.queues.size();
      io.out << "  SUCCESS: " << queues << " queues, " << c.probes.size() << " probes, postgres "
             << (c.postgres.enabled() ? "on" : "off") << "\n";
    } catch (const config::ConfigError& e) {
      ReportFailure(io, e.what());
      failed = true;
    } catch (const std::exception& e) {  // anything the loader did not place
      ReportFailure(io, file + ": " + e.what());
      failed = true;
    }
    io.out << "\n";
  }
  return failed ? 1 : 0;
}

}  // namespace

void AddConfigCommands(std::vector<Command>& commands) {
  commands.push_back({{"check", "exporter-config"},
                      "CONFIG-FILE...",
                      "Check cerniq_exporter config files (unknown keys, types, file:line:col).",
                      CheckConfig});
}

}  // namespace cerniq::tool
