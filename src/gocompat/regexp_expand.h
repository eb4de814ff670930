#pragma once
// Go's Regexp.Expand: the replacement templates of label_replace and reReplaceAll.
#include <re2/re2.h>

#include <string>
#include <string_view>
#include <vector>

namespace cerniq::gocompat {

// Appends `tmpl` to `dst` with $1, ${1}, $name and ${name} replaced by the groups of a match of
// `re` (groups[0] the whole match; an unknown or unmatched group adds nothing) and $$ by "$";
// a malformed reference keeps its "$" as text.
void RegexpExpand(std::string& dst, std::string_view tmpl, const re2::RE2& re,
                  const std::vector<re2::StringPiece>& groups);

}  // namespace cerniq::gocompat
