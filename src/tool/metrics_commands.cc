// `check metrics`: promtool 2.42's promlint of an exposition read on stdin. Problems go to
// stderr as "METRIC TEXT", exit 3 when there are any; an exposition that does not parse prints
// "error while linting: ..." and exits 1.
#include <iterator>
#include <ostream>

#include "expfmt/promlint.h"
#include "tool/command.h"
#include "tool/kingpin.h"

namespace cerniq::tool {
namespace {

int CheckMetrics(const std::vector<std::string>& args, CommandIO& io) {
  for (const auto& a : args) {
    if (a == "--extended") {
      io.err << "cerniqtool: \"check metrics --extended\" is not implemented by cerniqtool; use "
                "promtool check metrics --extended\n";
      return 1;
    }
    if (a.rfind("--", 0) == 0) {
      return UsageError(io.err, "promtool", "unknown long flag '" + a.substr(0, a.find('=')) + "'");
    }
    if (a.size() > 1 && a[0] == '-') {
      return UsageError(io.err, "promtool", "unknown short flag '" + a.substr(0, 2) + "'");
    }
    return UsageError(io.err, "promtool", "unexpected " + a);
  }
  const std::string text((std::istreambuf_iterator<char>(io.in)), std::istreambuf_iterator<char>());
  std::vector<expfmt::LintProblem> problems;
  try {
    problems = expfmt::LintText(text);
  } catch (const expfmt::ParseError& e) {
    io.err << "error while linting: " << e.what() << "\n";
    return 1;
  }
  for (const auto& p : problems) io.err << p.metric << " " << p.text << "\n";
  return problems.empty() ? 0 : 3;
}

}  // namespace

void AddMetricsCommands(std::vector<Command>& commands) {
  commands.push_back({{"check", "metrics"},
                      "< EXPOSITION",
                      "Lint a Prometheus text exposition read on stdin, as promtool 2.42 does.",
                      CheckMetrics});
}

}  // namespace cerniq::tool
