#include "gotemplate/template.h"

#include <gtest/gtest.h>

#include "run.h"

namespace cerniq::gotemplate {
namespace {

TEST(Template, FunctionMapAddsToBuiltinsAndWins) {
  EXPECT_TRUE(IsBuiltinFunction("printf"));
  EXPECT_FALSE(IsBuiltinFunction("humanize"));
  FunctionTable funcs;
  Function len;
  len.params = {Param::kAny};
  len.call = [](const std::vector<Value>&) { return CallResult{Value::String("mine"), {}}; };
  funcs["len"] = len;
  EXPECT_EQ(fixture::Render("{{ len .s }}|{{ print 1 }}", funcs), "mine|1");
  EXPECT_EQ(fixture::Render("{{ mine }}"), "template: t:1: function \"mine\" not defined");
}

}  // namespace
}  // namespace cerniq::gotemplate
