// promtool 2.42's commands that cerniqtool does not implement (the list is cmd/promtool/main.go's,
// plus `check healthy`, `check ready` and `push metrics` of later promtools). Each answers with
// one line that names promtool and exits 1, rather than a usage error that suggests a typo.
#include <ostream>

#include "tool/command.h"

namespace cerniq::tool {

void AddPromtoolOnlyCommands(std::vector<Command>& commands) {
  static const std::vector<std::vector<std::string>> kPromtoolOnly = {
      {"check", "service-discovery"},
      {"check", "config"},
      {"check", "healthy"},
      {"check", "ready"},
      {"push", "metrics"},
      {"push"},
      {"debug", "pprof"},
      {"debug", "metrics"},
      {"debug", "all"},
      {"debug"},
      {"tsdb", "bench", "write"},
      {"tsdb", "analyze"},
      {"tsdb", "list"},
      {"tsdb", "dump"},
      {"tsdb", "create-blocks-from", "openmetrics"},
      {"tsdb", "create-blocks-from", "rules"},
      {"tsdb"},
  };
  for (const auto& words : kPromtoolOnly) {
    std::string name;
    for (const auto& w : words) name += (name.empty() ? "" : " ") + w;
    commands.push_back({words, "", "promtool's; not implemented by cerniqtool.",
                        [name](const std::vector<std::string>&, CommandIO& io) {
                          io.err << "cerniqtool: \"" << name
                                 << "\" is not implemented by cerniqtool; use promtool " << name
                                 << "\n";
                          return 1;
                        },
                        true});
  }
}

}  // namespace cerniq::tool
