#pragma once
// Go's fmt printing of template values: Sprint, Sprintln, Sprintf with Go's verbs, flags and
// error forms ("%!d(string=x)", "%!(EXTRA ...)"), and time.Time's String().
#include <cstdint>
#include <string>
#include <vector>

#include "gotemplate/value.h"

namespace cerniq::gotemplate {

std::string GoSprint(const std::vector<Value>& args);
std::string GoSprintln(const std::vector<Value>& args);
std::string GoSprintf(const std::string& format, const std::vector<Value>& args);

// time.Time.String() in UTC: "1970-01-01 00:00:01.5 +0000 UTC".
std::string GoTimeString(std::int64_t unix_nanos);

}  // namespace cerniq::gotemplate
