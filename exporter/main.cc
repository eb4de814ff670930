#include <iostream>

#include "app.h"
#include "catalog/catalog.h"
#include "cerniq_version.h"
#include "log/log.h"
#include "options.h"

namespace {

void PrintCatalog(const std::string& format) {
  if (format == "markdown") {
    std::cout << cerniq::catalog::MarkdownTable();
    return;
  }
  for (const auto& m : cerniq::catalog::All()) {
    std::cout << m.name << ' ' << cerniq::catalog::TypeName(m.type);
    for (auto label : m.labels) std::cout << ' ' << label;
    std::cout << '\n';
  }
}

}  // namespace

int main(int argc, char** argv) {
  using namespace cerniq;
  exporter::ParseOutcome outcome = exporter::ParseOptions(argc, argv);
  if (!outcome.options) {
    (outcome.exit_code == 0 ? std::cout : std::cerr) << outcome.message;
    return outcome.exit_code;
  }
  const exporter::Options& options = *outcome.options;
  if (options.version) {
    std::cout << "cerniq_exporter, version " << kVersion << " (revision: " << kRevision << ")\n";
    return 0;
  }
  if (!options.print_metrics.empty()) {
    PrintCatalog(options.print_metrics);
    return 0;
  }
  log::Level level;
  log::Format format;
  log::ParseLevel(options.log_level, level);
  log::ParseFormat(options.log_format, format);
  log::Configure(level, format);
  return exporter::Run(options);
}
