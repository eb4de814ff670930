#include "tool/kingpin.h"

#include <sys/stat.h>

namespace cerniq::tool {

int UsageError(std::ostream& err, const std::string& program, const std::string& message) {
  err << program << ": error: " << message << ", try --help\n";
  return 1;
}

bool CheckExistingFiles(const std::vector<std::string>& files, std::ostream& err,
                        const std::string& program) {
  for (const auto& f : files) {
    struct stat st {};
    if (stat(f.c_str(), &st) != 0) {
      UsageError(err, program, "path '" + f + "' does not exist");
      return false;
    }
    if (S_ISDIR(st.st_mode)) {
      UsageError(err, program, "'" + f + "' is a directory");
      return false;
    }
  }
  return true;
}

}  // namespace cerniq::tool
