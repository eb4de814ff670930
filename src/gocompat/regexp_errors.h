#pragma once
// Go's regexp/syntax error texts for patterns RE2 rejects.
#include <optional>
#include <string>

namespace re2 {
class RE2;
}

namespace cerniq::gocompat {

// The code part of Go's regexp/syntax error for a failed RE2 compile ("invalid repeat count",
// "unexpected )", ...); nullopt for errors Go has no wording for.
std::optional<std::string> RegexpErrorCode(const re2::RE2& re);

// Go's whole regexp/syntax error text, "<code>: `<fragment>`": both libraries come from the
// same design, so the fragments agree. RE2's own text when Go has no wording.
std::string RegexpError(const re2::RE2& re);

}  // namespace cerniq::gocompat
