#pragma once
// Execution of parsed templates with the semantics of Go 1.19's text/template (exec.go) and the
// option missingkey=zero, as Prometheus uses it. Errors carry Go's exact text:
// "template: NAME:LINE:COL: executing \"NAME\" at <NODE>: MESSAGE".
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "gotemplate/ast.h"
#include "gotemplate/value.h"

namespace cerniq::gotemplate {

// The Go parameter types template functions declare; they decide how arguments are converted
// and which "wrong type" errors appear.
struct Param {
  enum Kind { kAny, kReflect, kString, kFloat, kInt, kBool, kPointer, kSlice };
  Param(Kind k) : kind(k) {}  // NOLINT: the basic kinds read as types in parameter lists
  // A pointer-to-struct or slice type of the caller's, e.g. "*template.sample".
  static Param Named(Kind k, std::string type) {
    Param p(k);
    p.type_name = std::move(type);
    return p;
  }
  Kind kind;
  std::string type_name;  // kPointer, kSlice
};

struct CallResult {
  Value value;
  std::optional<std::string> error;  // becomes "error calling NAME: <error>"

  static CallResult Ok(Value v) { return {std::move(v), std::nullopt}; }
  static CallResult Err(std::string e) { return {Value(), std::move(e)}; }
};

struct Function {
  std::vector<Param> params;  // with `variadic`, the last entry is the element type
  bool variadic = false;
  bool builtin = false;  // text/template's own functions (and/or short-circuit)
  std::function<CallResult(const std::vector<Value>& args)> call;

  static Function Of(std::vector<Param> params,
                     std::function<CallResult(const std::vector<Value>&)> call,
                     bool variadic = false) {
    Function f;
    f.params = std::move(params);
    f.variadic = variadic;
    f.call = std::move(call);
    return f;
  }
};

using FunctionTable = std::map<std::string, Function, std::less<>>;

// The result of executing: the output, or the Go error text.
struct ExecResult {
  std::string output;
  std::optional<std::string> error;
};

// Executes `set` over `data`. Functions are looked up in `funcs`, then among the builtins.
ExecResult Execute(const TemplateSet& set, const FunctionTable& funcs, const Value& data);

// isTrue of text/template: the truth of a value for if/with/and/or/not.
bool IsTrue(const Value& v);

// Go's %v of a single value (fmt.Sprint).
std::string GoValueString(const Value& v);

}  // namespace cerniq::gotemplate
