#pragma once
// The command-line errors of kingpin, the flag library of promtool 2.42, as every cerniqtool
// command prints them: "<program>: error: <message>, try --help" and exit status 1.
#include <functional>
#include <map>
#include <optional>
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

// A small kingpin: flags and positional arguments of one (sub)command, checked while parsed as
// kingpin does (a value's error is reported at its token), then required flags, then required
// arguments, each with kingpin's message.
struct FlagSpec {
  std::string name;         // long name, without "--"
  char short_name = 0;      // e.g. 'o' for -o
  bool required = false;    // "required flag --NAME not provided"
  bool repeatable = false;  // Strings(), StringMap(): every value is kept
  // Checks a value; returns kingpin's error message, or nullopt when the value is fine.
  std::function<std::optional<std::string>(const std::string&)> check;
};

struct ArgSpec {
  std::string name;
  bool required = true;
  std::function<std::optional<std::string>(const std::string&)> check;
  bool repeatable = false;  // Strings(), ExistingFiles(): takes every remaining argument
};

struct ParsedCommandLine {
  std::map<std::string, std::vector<std::string>> flags;      // by long name
  std::map<std::string, std::string> args;                    // by argument name (the last value)
  std::map<std::string, std::vector<std::string>> arg_lists;  // every value, by argument name
  bool help = false;                                          // --help / -h was given
};

// Parses `args` against the specs; prints the usage error and returns nullopt on failure.
std::optional<ParsedCommandLine> ParseCommandLine(const std::vector<std::string>& args,
                                                  const std::vector<FlagSpec>& flags,
                                                  const std::vector<ArgSpec>& positional,
                                                  std::ostream& err, const std::string& program);

}  // namespace cerniq::tool
