#pragma once
// Go's unicode.IsPrint (= strconv.IsPrint), which decides what strconv.Quote escapes.

namespace cerniq::gocompat {

// True for letters, marks, numbers, punctuation, symbols and U+0020 in the Unicode version of
// the Go that built promtool 2.42 (13.0.0); false for other spaces, controls, format
// characters, private use, unassigned code points, surrogates and anything past U+10FFFF.
bool IsPrint(char32_t r);

}  // namespace cerniq::gocompat
