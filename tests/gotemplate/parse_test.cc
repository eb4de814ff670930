#include "gotemplate/parse.h"

#include <gtest/gtest.h>

#include "run.h"

namespace cerniq::gotemplate {
namespace {

using fixture::Render;

TEST(Parse, GoErrorTexts) {
  EXPECT_EQ(Render("{{ .x | print "), "template: t:1: unclosed action");
  EXPECT_EQ(Render("{{ .Foo }"), "template: t:1: unexpected \"}\" in operand");
  EXPECT_EQ(Render("{{ if }}"), "template: t:1: missing value for if");
  EXPECT_EQ(Render("{{ end }}"), "template: t:1: unexpected {{end}}");
  EXPECT_EQ(Render("x\n{{ nope }}"), "template: t:2: function \"nope\" not defined");
  EXPECT_EQ(Render("{{ $y }}"), "template: t:1: undefined variable \"$y\"");
  EXPECT_EQ(Render("{{ break }}"), "template: t:1: {{break}} outside {{range}}");
}

TEST(Parse, DefinesAndComments) {
  EXPECT_EQ(Render("{{ define \"x\" }}[{{ . }}]{{ end }}{{ template \"x\" .s }}{{/* c */}}"),
            "[hi]");
  ParseResult r =
      ParseTemplate("t", "{{ define \"a\" }}1{{ end }}b", [](std::string_view) { return false; });
  ASSERT_TRUE(r.set);
  EXPECT_EQ(r.set->trees.size(), 2u);
}

TEST(Parse, GoUnquote) {
  EXPECT_EQ(GoUnquote("\"a\\n\\u00e9\\x41\""), "a\n\u00e9A");
  EXPECT_EQ(GoUnquote("`raw\\n`"), "raw\\n");
  EXPECT_FALSE(GoUnquote("\"open"));
  EXPECT_FALSE(GoUnquote("\"\\q\""));
}

}  // namespace
}  // namespace cerniq::gotemplate
