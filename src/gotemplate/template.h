#pragma once
// Go 1.19's text/template: parse a named template, execute it over data with a function map.
// Errors are Go's own texts ("template: NAME:LINE: MSG", "template: NAME:LINE:COL: executing
// \"NAME\" at <NODE>: MSG"). Execution uses missingkey=zero. The builtins (and, or, not, len,
// index, slice, print, printf, println, html, js, urlquery, call, eq, ne, lt, le, gt, ge) are
// always defined; a function map adds to them and wins on a name clash, as Funcs does in Go.
#include <string>
#include <string_view>

#include "gotemplate/exec.h"   // Function, FunctionTable, Param, CallResult, Execute
#include "gotemplate/parse.h"  // ParseResult, TemplateSet
#include "gotemplate/print.h"  // GoSprint, GoSprintf: fmt over values
#include "gotemplate/value.h"  // Value, Struct, Slice

namespace cerniq::gotemplate {

// template.New(name).Funcs(funcs).Parse(text).
ParseResult Parse(std::string name, std::string text, const FunctionTable& funcs);

bool IsBuiltinFunction(std::string_view name);

}  // namespace cerniq::gotemplate
