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

// `text` with every line break libyaml knows but '\n' and "\r\n" (a lone '\r', NEL) written as
// '\n', for a YAML parser that only knows those (yaml-cpp). Lines and scalar contents stay as
// libyaml reads them: it folds these breaks into '\n' too.
std::string NormalizeLineBreaks(std::string_view text);

}  // namespace cerniq::goyaml
