#include "gotemplate/print.h"

#include <gtest/gtest.h>

#include "run.h"

namespace cerniq::gotemplate {
namespace {

using fixture::Render;

TEST(Print, SprintfVerbsAndFlags) {
  EXPECT_EQ(Render("{{ printf \"%d %s %5.1f|%-4s|%q %x %v %t %e %g\" 42 \"s\" 3.14159 \"ab\" "
                   "\"q\\\"\" 255 1e6 true 1234.5 0.00001 }}"),
            "42 s   3.1|ab  |\"q\\\"\" ff 1e+06 true 1.234500e+03 1e-05");
  EXPECT_EQ(
      Render("{{ printf \"%6.2f|%-8v|%08.3f|%+d|% d|%x|%X|%o|%c|%U\" 3.14159 \"ab\" 3.14159 5 "
             "5 \"hi\" 255 8 65 65 }}"),
      "  3.14|ab      |0003.142|+5| 5|6869|FF|10|A|U+0041");
}

TEST(Print, SprintfErrorForms) {
  EXPECT_EQ(Render("{{ printf \"%d %s\" 1.5 3 }}|{{ printf \"%d\" }}|{{ printf \"%d\" 1 2 }}|"
                   "{{ printf \"%z\" 1 }}"),
            "%!d(float64=1.5) %!s(int=3)|%!d(MISSING)|1%!(EXTRA int=2)|%!z(int=1)");
}

TEST(Print, SprintSpacingAndComposites) {
  EXPECT_EQ(Render("{{ print 1 2 \"a\" \"b\" 3 }}|{{ println 1 \"a\" }}|{{ .m }}|{{ .l }}"),
            "1 2ab3|1 a\n|map[a:1 b:x]|[10 20 30]");
  EXPECT_EQ(GoSprint({fixture::PointerT(), Value::Nil()}), "&{1 b} <nil>");
}

TEST(Print, TimeString) {
  EXPECT_EQ(GoTimeString(1500000000), "1970-01-01 00:00:01.5 +0000 UTC");
  EXPECT_EQ(GoTimeString(-1500000000), "1969-12-31 23:59:58.5 +0000 UTC");
}

}  // namespace
}  // namespace cerniq::gotemplate
