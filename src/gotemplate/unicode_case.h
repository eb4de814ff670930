#pragma once
// strings.ToUpper, strings.ToLower and strings.Title for the scripts alert texts use: ASCII,
// Latin-1, Latin Extended-A, Greek and Cyrillic. Other runes pass through unchanged.
#include <string>
#include <string_view>

namespace cerniq::gotemplate {

std::string GoToUpper(std::string_view s);
std::string GoToLower(std::string_view s);
std::string GoTitle(std::string_view s);

}  // namespace cerniq::gotemplate
