#include "gotemplate/exec.h"

#include <gtest/gtest.h>

#include "run.h"

namespace cerniq::gotemplate {
namespace {

using fixture::Render;

std::string ExecError(int col, const std::string& at, const std::string& msg) {
  return "template: t:1:" + std::to_string(col) + ": executing \"t\" at <" + at + ">: " + msg;
}

TEST(Exec, FieldsVariablesAndControl) {
  EXPECT_EQ(Render("{{ .m.a }}|{{ .p.B }}|{{ $x := 5 }}{{ $x = 6 }}{{ $x }}|{{ .s }}"), "1|b|6|hi");
  EXPECT_EQ(Render("{{ if gt .f 1.0 }}big{{ else if lt .f 0.0 }}neg{{ else }}small{{ end }}"),
            "big");
  EXPECT_EQ(Render("{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}"), "a=1;b=x;");
  EXPECT_EQ(Render("{{ range $i, $e := .l }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $e }},"
                   "{{ end }}|{{ range .l }}{{ break }}{{ else }}none{{ end }}"),
            "10,30,|");
  EXPECT_EQ(Render("{{ with .m.zz }}set{{ else }}empty{{ end }}|{{ .p }}|{{ .np }}"),
            "empty|&{1 b}|<nil>");
}

TEST(Exec, ErrorsWithGoPositions) {
  // Values read from a map[string]interface{} keep the static type interface {} in errors.
  EXPECT_EQ(Render("{{ .p.C }}"),
            ExecError(5, ".p.C", "can't evaluate field C in type interface {}"));
  EXPECT_EQ(Render("{{ $p := .p }}{{ $p.C }}"),
            ExecError(19, "$p.C", "can't evaluate field C in type *main.T"));
  EXPECT_EQ(Render("{{ $p := .np }}{{ $p.A }}"),
            ExecError(20, "$p.A", "nil pointer evaluating *main.T.A"));
  EXPECT_EQ(Render("{{ .np.A }}"), ExecError(6, ".np.A", "nil pointer evaluating interface {}.A"));
  EXPECT_EQ(Render("{{ .s.x }}"),
            ExecError(5, ".s.x", "can't evaluate field x in type interface {}"));
  EXPECT_EQ(Render("{{ nil }}"), ExecError(3, "nil", "nil is not a command"));
  EXPECT_EQ(Render("{{ 1 2 }}"), ExecError(3, "1", "can't give argument to non-function 1"));
  EXPECT_EQ(Render("{{ range .n }}{{ end }}"), ExecError(9, ".n", "range can't iterate over 3"));
}

TEST(Exec, FunctionMapTypesAndArity) {
  FunctionTable funcs;
  Function twice;
  twice.params = {Param::kString};
  twice.call = [](const std::vector<Value>& a) {
    return CallResult{Value::String(a[0].AsString() + a[0].AsString()), std::nullopt};
  };
  funcs["twice"] = twice;
  Function field_a;
  field_a.params = {Param::Named(Param::kPointer, "*main.T")};
  field_a.call = [](const std::vector<Value>& a) -> CallResult {
    if (a[0].IsNilPointer()) return {Value(), "nil T"};
    return {*a[0].AsStruct().Field("A"), std::nullopt};
  };
  funcs["fieldA"] = field_a;
  EXPECT_EQ(Render("{{ twice .s }}|{{ .s | twice }}|{{ fieldA .p }}", funcs), "hihi|hihi|1");
  EXPECT_EQ(Render("{{ twice .n }}", funcs),
            ExecError(9, ".n", "wrong type for value; expected string; got int"));
  EXPECT_EQ(Render("{{ twice }}", funcs),
            ExecError(3, "twice", "wrong number of args for twice: want 1 got 0"));
  EXPECT_EQ(Render("{{ fieldA nil }}", funcs),
            ExecError(3, "fieldA nil", "error calling fieldA: nil T"));
  EXPECT_EQ(Render("{{ fieldA .n }}", funcs),
            ExecError(10, ".n", "wrong type for value; expected *main.T; got int"));
}

TEST(Exec, TruthOfValues) {
  EXPECT_FALSE(IsTrue(Value()));
  EXPECT_FALSE(IsTrue(Value::String("")));
  EXPECT_TRUE(IsTrue(fixture::PointerT()));
  EXPECT_FALSE(IsTrue(fixture::PointerT(true)));
  EXPECT_EQ(GoValueString(Value::Float(1e6)), "1e+06");
}

}  // namespace
}  // namespace cerniq::gotemplate
