#pragma once
// Go's strconv.ParseInt / ParseUint with base 0 and bit size 64, and the underscore rule of Go
// number syntax they share with ParseFloat.
#include <cstdint>
#include <optional>
#include <string_view>

namespace cerniq::gocompat {

// strconv.ParseUint(s, 0, 64): 0x / 0o / 0b / leading-0 octal prefixes, '_' between digits.
std::optional<std::uint64_t> ParseUint(std::string_view s);

// strconv.ParseInt(s, 0, 64): ParseUint after an optional sign, within int64.
std::optional<std::int64_t> ParseInt(std::string_view s);

// strconv's underscoreOK: "_" may only separate digits or follow a base prefix (1_000, 0x_1F).
bool UnderscoreOK(std::string_view s);

}  // namespace cerniq::gocompat
