#pragma once
// Go's strconv.Quote, QuoteRune, Unquote and UnquoteChar.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cerniq::gocompat {

// strconv.Quote (fmt's %q of a string): invalid UTF-8 bytes become \xNN, runes that
// unicode.IsPrint rejects \xNN, \uNNNN or \UNNNNNNNN, the usual C escapes stay short.
std::string Quote(std::string_view s);

// fmt's %.Nq: the quote of the first max_runes runes of s.
std::string QuotePrefix(std::string_view s, std::size_t max_runes);

// strconv.QuoteRune (fmt's %q of a rune): 'x'; an invalid rune quotes as U+FFFD.
std::string QuoteRune(char32_t r);

// One character of a quoted literal, as strconv.UnquoteChar reads it from s[pos:].
struct UnquotedChar {
  char32_t value;  // a rune, or a single byte (\x, octal, invalid UTF-8 not escaped) ...
  bool multibyte;  // ... which this tells apart: true for a rune to encode as UTF-8
};

// strconv.UnquoteChar(s[pos:], quote): advances pos past the character; nullopt on invalid
// syntax (including an unescaped `quote`).
std::optional<UnquotedChar> UnquoteChar(std::string_view s, std::size_t& pos, char quote);

// How a '...' literal may be unquoted.
enum class SingleQuoted {
  kOneRune,    // strconv.Unquote: one character, like a Go rune literal
  kAnyLength,  // Prometheus's util/strutil.Unquote, where '...' is a string like "..."
};

// strconv.Unquote of a "...", '...' or `...` literal; nullopt on invalid syntax.
std::optional<std::string> Unquote(std::string_view quoted,
                                   SingleQuoted single = SingleQuoted::kOneRune);

}  // namespace cerniq::gocompat
