#include "gotemplate/template.h"

#include "gotemplate/builtins.h"

namespace cerniq::gotemplate {

bool IsBuiltinFunction(std::string_view name) {
  static const FunctionTable builtins = [] {
    FunctionTable t;
    AddBuiltinFunctions(t);
    return t;
  }();
  return builtins.find(name) != builtins.end();
}

ParseResult Parse(std::string name, std::string text, const FunctionTable& funcs) {
  return ParseTemplate(std::move(name), std::move(text), [&funcs](std::string_view f) {
    return funcs.find(f) != funcs.end() || IsBuiltinFunction(f);
  });
}

}  // namespace cerniq::gotemplate
