#pragma once
// The syntax error Go's YAML packages (gopkg.in/yaml.v2 2.4.0, gopkg.in/yaml.v3 3.0.1) return for
// a document, worded and numbered exactly as their error's Error() prints it. go-yaml is a
// line-by-line port of libyaml, so libyaml's scanner and parser run here as the syntax pass; what
// go-yaml does on top (its error line, its reader's 512-byte chunks, its composer's checks, how
// far it reads) is reproduced around them. Knows nothing of what the document means.
#include <optional>
#include <string>
#include <string_view>

namespace cerniq::goyaml {

enum class Version { kV2, kV3 };

// The error yaml.Unmarshal / yaml.UnmarshalStrict / Decoder.Decode (they parse alike) would
// return while parsing the first document of `text` ("yaml: line 12: found a tab character that
// violates indentation", "yaml: unknown anchor 'a' referenced"), or nullopt when it parses.
// Decode-time errors (types, unknown fields, repeated keys) are not syntax errors.
std::optional<std::string> SyntaxError(std::string_view text, Version version);

// `text` as go-yaml's scanner reads it, for a YAML parser that knows only '\n' and "\r\n" as
// line breaks and at most one leading BOM (yaml-cpp): the other breaks libyaml knows (a lone
// '\r', NEL, LS, PS) written as '\n', so lines are numbered alike, and the two BOMs go-yaml
// skips at the start dropped. (LS and PS stay in libyaml's scalar contents; they become breaks.)
std::string NormalizeLineBreaks(std::string_view text);

}  // namespace cerniq::goyaml
