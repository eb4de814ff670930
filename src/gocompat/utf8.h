#pragma once
// Go's unicode/utf8: the one UTF-8 decoder and encoder of the project.
#include <cstddef>
#include <string>
#include <string_view>

namespace cerniq::gocompat {

inline constexpr char32_t kRuneError = 0xFFFD;  // utf8.RuneError
inline constexpr char32_t kMaxRune = 0x10FFFF;

// utf8.DecodeRuneInString(s[pos:]) for pos < s.size(): an invalid or truncated sequence,
// an overlong encoding or a surrogate decodes as kRuneError with width 1.
char32_t DecodeRune(std::string_view s, std::size_t pos, int* width);

// utf8.ValidRune: a code point outside the surrogates and at most kMaxRune.
bool ValidRune(char32_t r);

// utf8.AppendRune: the UTF-8 encoding of r; an invalid rune encodes as kRuneError.
void AppendUtf8(std::string& out, char32_t r);

// utf8.ValidString.
bool ValidString(std::string_view s);

// utf8.RuneCountInString: each invalid byte counts as one rune.
std::size_t RuneCount(std::string_view s);

// The byte length of the first max_runes runes of s (all of s when it has fewer).
std::size_t RunePrefixBytes(std::string_view s, std::size_t max_runes);

}  // namespace cerniq::gocompat
