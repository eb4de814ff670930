#include "gotemplate/builtins.h"

#include <gtest/gtest.h>

#include "run.h"

namespace cerniq::gotemplate {
namespace {

using fixture::Render;

std::string CallError(int col, const std::string& at, const std::string& msg) {
  return "template: t:1:" + std::to_string(col) + ": executing \"t\" at <" + at + ">: " + msg;
}

TEST(Builtins, LogicAndComparison) {
  EXPECT_EQ(Render("{{ and 1 0 }}|{{ or 0 \"\" }}|{{ not 0 }}|{{ and 1 2 }}|{{ or 0 3 }}"),
            "0||true|2|3");
  EXPECT_EQ(Render("{{ eq .n 1 2 3 }}|{{ ne .s \"hi\" }}|{{ le 1 1 }}|{{ ge \"a\" \"b\" }}|"
                   "{{ eq .p .p }}|{{ eq .np nil }}"),
            "true|false|true|false|true|true");
  EXPECT_EQ(Render("{{ eq .f 1 }}"),
            CallError(3, "eq .f 1", "error calling eq: incompatible types for comparison"));
  EXPECT_EQ(Render("{{ lt .m 1 }}"),
            CallError(3, "lt .m 1", "error calling lt: invalid type for comparison"));
}

TEST(Builtins, LenIndexSlice) {
  EXPECT_EQ(Render("{{ len .m }}|{{ len .l }}|{{ index .m \"b\" }}|{{ index .l 2 }}|"
                   "{{ slice .l 1 }}|{{ slice .s 1 2 }}|{{ index .s 0 }}"),
            "2|3|x|30|[20 30]|i|104");
  EXPECT_EQ(Render("{{ len 3 }}"), CallError(3, "len 3", "error calling len: len of type int"));
  EXPECT_EQ(Render("{{ len .p }}"),
            CallError(3, "len .p", "error calling len: len of type main.T"));
  EXPECT_EQ(Render("{{ index .np 0 }}"),
            CallError(3, "index .np 0", "error calling index: index of nil pointer"));
  EXPECT_EQ(
      Render("{{ index .m 1 }}"),
      CallError(3, "index .m 1", "error calling index: value has type int; should be string"));
  EXPECT_EQ(Render("{{ index .l 5 }}"),
            CallError(3, "index .l 5", "error calling index: index out of range: 5"));
  EXPECT_EQ(Render("{{ slice .l 2 1 }}"),
            CallError(3, "slice .l 2 1", "error calling slice: invalid slice index: 2 > 1"));
}

TEST(Builtins, EscapersAndCall) {
  EXPECT_EQ(
      Render("{{ html \"<a href='x'>&</a>\" }}|{{ js \"'a'<\\n\" }}|{{ urlquery \"a b&c\" }}"),
      "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;|\\'a\\'\\u003C\\u000A|a+b%26c");
  EXPECT_EQ(Render("{{ call .s }}"),
            CallError(3, "call .s", "error calling call: non-function of type string"));
}

}  // namespace
}  // namespace cerniq::gotemplate
