#pragma once
// Parses and executes a template named "t" over a fixed data map; returns the output or the
// Go error text.
#include <memory>
#include <string>

#include "gotemplate/template.h"

namespace cerniq::gotemplate::fixture {

// A *main.T{A: 1, B: "b"}, or a nil one (which still knows its field names).
inline Value PointerT(bool nil = false) {
  auto s = std::make_shared<Struct>();
  s->type_name = "*main.T";
  s->fields = {{"A", Value::Int(1)}, {"B", Value::String("b")}};
  s->is_nil = nil;
  return Value::StructOf(std::move(s));
}

// map[string]interface{}{"m": map[string]string{...}, "n": 3, "f": 1.5, "s": "hi", "p": &T,
// "np": (*T)(nil), "l": []int{10, 20, 30}}
inline Value Data() {
  auto m = std::make_shared<const std::map<std::string, std::string>>(
      std::map<std::string, std::string>{{"a", "1"}, {"b", "x"}});
  auto l = std::make_shared<Slice>();
  l->type_name = "[]int";
  l->elems = {Value::Int(10), Value::Int(20), Value::Int(30)};
  auto data = std::make_shared<ValueMap>(ValueMap{{"m", Value::StringMap(m)},
                                                  {"n", Value::Int(3)},
                                                  {"f", Value::Float(1.5)},
                                                  {"s", Value::String("hi")},
                                                  {"p", PointerT()},
                                                  {"np", PointerT(true)},
                                                  {"l", Value::SliceOf(l)}});
  return Value::AnyMap(data);
}

inline std::string Render(const std::string& text, const FunctionTable& funcs = {},
                          const Value& data = Data()) {
  ParseResult parsed = Parse("t", text, funcs);
  if (!parsed.set) return parsed.error;
  ExecResult r = Execute(*parsed.set, funcs, data);
  return r.error ? *r.error : r.output;
}

}  // namespace cerniq::gotemplate::fixture
