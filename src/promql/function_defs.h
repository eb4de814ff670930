#pragma once
// The signature table of PromQL 2.42's functions, used by the parser for type checks.
#include <string>
#include <string_view>
#include <vector>

#include "promql/ast.h"

namespace cerniq::promql {

struct FunctionDef {
  std::string name;
  std::vector<ValueType> arg_types;
  int variadic = 0;  // 0: fixed; n > 0: up to n optional trailing args; -1: unlimited
  ValueType return_type = ValueType::kVector;
};

const FunctionDef* LookupFunction(std::string_view name);
// Every function name PromQL 2.42 knows, sorted.
std::vector<std::string> FunctionNames();

}  // namespace cerniq::promql
