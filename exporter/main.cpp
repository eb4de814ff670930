#include <cstring>
#include <iostream>

#include "cerniq_version.h"

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
    std::cout << "cerniq_exporter, version " << cerniq::kVersion
              << " (revision: " << cerniq::kRevision << ")\n";
    return 0;
  }
  return 0;
}
