#pragma once
// cerniqtool's subcommand registry. A command is matched by its leading words
// ("test promql", "check rules"); it gets the remaining arguments and parses them itself, so
// each command controls its own error output (promtool compatibility needs that).
#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace cerniq::tool {

struct CommandIO {
  std::ostream& out;
  std::ostream& err;
  std::istream& in = std::cin;  // `check metrics` reads the exposition here
};

struct Command {
  std::vector<std::string> words;  // e.g. {"test", "promql"}
  std::string usage;               // argument synopsis for the help text
  std::string help;                // one line
  std::function<int(const std::vector<std::string>& args, CommandIO& io)> run;
  bool promtool_only = false;  // a promtool command cerniqtool answers "not implemented" to
};

// Every module adds its commands here; keep one function per module.
void AddPromqlCommands(std::vector<Command>& commands);
void AddRulesCommands(std::vector<Command>& commands);
void AddConfigCommands(std::vector<Command>& commands);
void AddDashboardCommands(std::vector<Command>& commands);
void AddQueryCommands(std::vector<Command>& commands);
void AddMetricsCommands(std::vector<Command>& commands);
void AddWebConfigCommands(std::vector<Command>& commands);
void AddPromtoolOnlyCommands(std::vector<Command>& commands);

}  // namespace cerniq::tool
