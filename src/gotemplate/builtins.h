#pragma once
// text/template's builtin functions: and, or, not, len, index, slice, print, printf, println,
// html, js, urlquery, call, eq, ne, lt, le, gt, ge (Go 1.19 semantics and error texts).
#include <string>
#include <string_view>

#include "gotemplate/exec.h"

namespace cerniq::gotemplate {

void AddBuiltinFunctions(FunctionTable& table);

}  // namespace cerniq::gotemplate
