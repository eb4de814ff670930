#include "gocompat/html_escape.h"

#include <gtest/gtest.h>

namespace cerniq::gocompat {
namespace {

// Expected texts are what Go 1.19's template.HTMLEscapeString returns for the same input.
TEST(HtmlEscapeString, EscapesTheFiveCharactersAndNul) {
  EXPECT_EQ(HtmlEscapeString(R"(<script>alert("x") & 'y'</script>)"),
            "&lt;script&gt;alert(&#34;x&#34;) &amp; &#39;y&#39;&lt;/script&gt;");
  EXPECT_EQ(HtmlEscapeString(std::string_view("a\0b", 3)),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(HtmlEscapeString, CopiesEverythingElse) {
  EXPECT_EQ(HtmlEscapeString(""), "");
  EXPECT_EQ(HtmlEscapeString("queue=churn é \xff\n"), "queue=churn é \xff\n");
  std::string out = "x";
  AppendHtmlEscaped(out, "&");
  EXPECT_EQ(out, "x&amp;");
}

}  // namespace
}  // namespace cerniq::gocompat
