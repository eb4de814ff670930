#include <gtest/gtest.h>

#include "expfmt/promlint.h"
#include "expfmt/text_parser.h"

namespace cerniq::expfmt {
namespace {

TEST(TextParser, MergesHistogramLinesAndDropsEmptyFamilies) {
  const auto fams = ParseText(
      "# HELP h H.\n# TYPE h histogram\nh_bucket{le=\"1\",a=\"x\"} "
      "1\nh_bucket{le=\"+Inf\",a=\"x\"} "
      "2\nh_sum{a=\"x\"} 3\nh_count{a=\"x\"} 2\n# TYPE lonely gauge\n");
  ASSERT_EQ(fams.size(), 1u);
  EXPECT_EQ(fams.at("h").metrics.size(), 1u);
  EXPECT_EQ(fams.at("h").type, MetricType::kHistogram);
}

TEST(TextParser, ReportsGoErrorsWithLines) {
  try {
    ParseText("a 1\nb{c=d} 1\n");
    FAIL();
  } catch (const ParseError& e) {
    EXPECT_STREQ(e.what(),
                 "text format parsing error in line 2: expected '\"' at start of label value, "
                 "found 'd'");
  }
  EXPECT_THROW(ParseText("a 1"), ParseError);  // no final newline
}

TEST(Promlint, SortsProblemsByMetricThenText) {
  const auto problems = LintText("# TYPE b_count counter\nb_count 1\nfooBar_ms 1\n");
  ASSERT_EQ(problems.size(), 6u);
  EXPECT_EQ(problems[0].metric, "b_count");
  EXPECT_EQ(problems[0].text, "counter metrics should have \"_total\" suffix");
  EXPECT_EQ(problems[1].text, "no help text");
  EXPECT_EQ(problems[2].text,
            "non-histogram and non-summary metrics should not have \"_count\" suffix");
  EXPECT_EQ(problems[3].metric, "fooBar_ms");
  EXPECT_EQ(problems[3].text, "metric names should be written in 'snake_case' not 'camelCase'");
}

}  // namespace
}  // namespace cerniq::expfmt
