// `check web-config WEB-CONFIG-FILE...`, as promtool 2.42's CheckWebConfig: each file validated
// by exporter-toolkit's rules (src/http/web_config.h, the exporter's own reader) and reported on
// stderr, "FILE SUCCESS" or "FILE FAILED: <error>"; exit 1 when any failed. Command-line errors
// are kingpin's ("promtool: error: ...", as the other promtool commands print them).
#include <ostream>

#include "http/web_config.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace cerniq::tool {
namespace {

constexpr char kProgram[] = "promtool";

int CheckWebConfig(const std::vector<std::string>& args, CommandIO& io) {
  const ArgSpec files_arg{"web-config-files", true, nullptr, /*repeatable=*/true};
  auto cl = ParseCommandLine(args, {}, {files_arg}, io.err, kProgram);
  if (!cl) return 1;
  const std::vector<std::string>& files = cl->arg_lists["web-config-files"];
  // kingpin's ExistingFiles values are checked after parsing, before the command runs.
  if (!CheckExistingFiles(files, io.err, kProgram)) return 1;
  bool failed = false;
  for (const auto& file : files) {
    if (auto error = http::ValidateWebConfigFile(file)) {
      io.err << file << " FAILED: " << *error << "\n";
      failed = true;
    } else {
      io.err << file << " SUCCESS\n";
    }
  }
  return failed ? 1 : 0;
}

}  // namespace

void AddWebConfigCommands(std::vector<Command>& commands) {
  commands.push_back({{"check", "web-config"},
                      "WEB-CONFIG-FILE...",
                      "Check web config files (--web.config.file) as promtool 2.42 does.",
                      CheckWebConfig});
}

}  // namespace cerniq::tool
