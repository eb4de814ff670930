#pragma once
// The parser of Go 1.19's text/template, with Go's error texts ("template: NAME:LINE: MSG").
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "gotemplate/ast.h"

namespace cerniq::gotemplate {

struct ParseResult {
  std::optional<TemplateSet> set;
  std::string error;  // set when parsing failed
};

// Parses `text` like template.New(name).Funcs(...).Parse(text). `has_function` says whether an
// identifier names a function (builtins included), as Go checks at parse time.
ParseResult ParseTemplate(std::string name, std::string text,
                          const std::function<bool(std::string_view)>& has_function);

// strconv.Unquote for "..." and `...` literals; nullopt on invalid syntax.
std::optional<std::string> GoUnquote(std::string_view quoted);

}  // namespace cerniq::gotemplate
