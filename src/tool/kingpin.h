#pragma once
// The command-line errors of kingpin, the flag library of promtool 2.42, as every cerniqtool
// command prints them: "<program>: error: <message>, try --help" and exit status 1.
#include <ostream>
#include <string>
#include <vector>

namespace cerniq::tool {

// Prints the error line on `err`; returns the exit status (1).
int UsageError(std::ostream& err, const std::string& program, const std::string& message);

// kingpin's ExistingFiles arguments: the first file that does not exist ("path 'F' does not
// exist") or is a directory ("'F' is a directory") is reported. Returns false after an error.
bool CheckExistingFiles(const std::vector<std::string>& files, std::ostream& err,
                        const std::string& program);

}  // namespace cerniq::tool
