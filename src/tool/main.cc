// cerniqtool: a promtool-compatible command line. main() only dispatches to a Command.
#include <iostream>
#include <string>
#include <vector>

#include "cerniq_version.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace {

using cerniq::tool::Command;

std::vector<Command> AllCommands() {
  std::vector<Command> commands;
  cerniq::tool::AddPromqlCommands(commands);
  cerniq::tool::AddRulesCommands(commands);
  cerniq::tool::AddConfigCommands(commands);
  cerniq::tool::AddDashboardCommands(commands);
  cerniq::tool::AddQueryCommands(commands);
  cerniq::tool::AddMetricsCommands(commands);
  cerniq::tool::AddWebConfigCommands(commands);
  cerniq::tool::AddPromtoolOnlyCommands(commands);
  return commands;
}

void PrintUsage(const std::vector<Command>& commands, std::ostream& os) {
  os << "usage: cerniqtool <command> [<args> ...]\n\nCommands:\n";
  os << "  --version\n      Show the version.\n";
  std::string promtool_only;
  for (const auto& c : commands) {
    std::string name;
    for (const auto& w : c.words) name += (name.empty() ? "" : " ") + w;
    if (c.promtool_only) {
      promtool_only += "  " + name + "\n";
      continue;
    }
    os << "  " << name << (c.usage.empty() ? "" : " " + c.usage) << "\n      " << c.help << "\n";
  }
  os << "\npromtool 2.42 commands cerniqtool does not implement (use promtool):\n" << promtool_only;
}

// The command whose words match the longest prefix of args, or nullptr.
const Command* Match(const std::vector<Command>& commands, const std::vector<std::string>& args) {
  const Command* best = nullptr;
  for (const auto& c : commands) {
    if (c.words.size() > args.size()) continue;
    bool ok = true;
    for (size_t i = 0; i < c.words.size() && ok; ++i) ok = c.words[i] == args[i];
    if (ok && (!best || c.words.size() > best->words.size())) best = &c;
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  const auto commands = AllCommands();
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(commands, args.empty() ? std::cerr : std::cout);
    return args.empty() ? 1 : 0;
  }
  if (args[0] == "--version" || args[0] == "version") {
    std::cout << "cerniqtool, version " << cerniq::kVersion << " (revision: " << cerniq::kRevision
              << ")\n";
    return 0;
  }
  const Command* cmd = Match(commands, args);
  if (!cmd) {
    return cerniq::tool::UsageError(std::cerr, "cerniqtool", "unknown command \"" + args[0] + "\"");
  }
  std::vector<std::string> rest(args.begin() + static_cast<long>(cmd->words.size()), args.end());
  cerniq::tool::CommandIO io{std::cout, std::cerr};
  try {
    return cmd->run(rest, io);
  } catch (const std::exception& e) {
    std::cerr << "cerniqtool: error: " << e.what() << "\n";
    return 1;
  }
}
