#include "http/svg_chart.h"

#include <cmath>
#include <limits>
#include <regex>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cerniq::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kMinute = 60'000;

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

// The points="x,y x,y ..." of the first polyline.
std::vector<std::pair<double, double>> PolylinePoints(const std::string& svg) {
  std::smatch m;
  EXPECT_TRUE(std::regex_search(svg, m, std::regex("<polyline[^>]* points=\"([^\"]*)\"")));
  std::vector<std::pair<double, double>> out;
  std::string list = m[1];
  std::regex pair("([-0-9.]+),([-0-9.]+)");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), pair); it != std::sregex_iterator();
       ++it) {
    out.emplace_back(std::stod((*it)[1]), std::stod((*it)[2]));
  }
  return out;
}

SparklineSpec Hour() {
  SparklineSpec spec;
  spec.mint_ms = 0;
  spec.maxt_ms = 60 * kMinute;
  spec.title = "waiting jobs of churn";
  return spec;
}

TEST(Sparkline, WithoutPointsSaysSo) {
  std::string svg = RenderSparkline({}, Hour());
  EXPECT_THAT(svg, HasSubstr("no history yet"));
  EXPECT_THAT(svg, HasSubstr("<svg"));
  EXPECT_THAT(svg, Not(HasSubstr("polyline")));
  // Points outside the window do not count as history.
  std::vector<ChartPoint> outside = {{-5 * kMinute, 3}, {61 * kMinute, 4}};
  EXPECT_THAT(RenderSparkline(outside, Hour()), HasSubstr("no history yet"));
}

TEST(Sparkline, OnePlottedPointPerTwoPixelsKeepingTheMaximum) {
  std::vector<ChartPoint> points;
  for (int64_t t = 0; t <= 60 * kMinute; t += 1000) points.push_back({t, 10});
  points[1800].value = 99;  // a one-second spike in the middle
  SparklineSpec spec = Hour();
  std::string svg = RenderSparkline(points, spec);
  auto plotted = PolylinePoints(svg);
  EXPECT_EQ(plotted.size(), static_cast<size_t>(spec.width / 2));
  double top = spec.height;
  for (auto [x, y] : plotted) {
    EXPECT_GE(x, 0);
    EXPECT_LE(x, spec.width);
    top = std::min(top, y);
  }
  EXPECT_NEAR(top, 12, 0.05) << "the spike reaches the top of the plot, under the label";
  EXPECT_THAT(svg, HasSubstr("max 99"));
  EXPECT_THAT(svg, HasSubstr("last 10, max 99"));
}

TEST(Sparkline, StaleMarkersAndLongGapsBreakTheLine) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<ChartPoint> points = {
      {0, 1},           {kMinute, 2},      {2 * kMinute, nan}, {3 * kMinute, 3},
      {4 * kMinute, 4}, {20 * kMinute, 5}, {21 * kMinute, 6},  {22 * kMinute, 7}};
  std::string svg = RenderSparkline(points, Hour());
  EXPECT_EQ(Count(svg, "<polyline"), 3u) << svg;
  // A lone sample is a dot.
  std::vector<ChartPoint> lone = {{30 * kMinute, 4}};
  svg = RenderSparkline(lone, Hour());
  EXPECT_EQ(Count(svg, "<circle"), 1u);
  EXPECT_EQ(Count(svg, "<polyline"), 0u);
}

TEST(Sparkline, ThresholdLineWhenNearAndRedWhenReached) {
  std::vector<ChartPoint> below = {{0, 10}, {kMinute, 40}};
  SparklineSpec spec = Hour();
  spec.threshold = 50;
  std::string svg = RenderSparkline(below, spec);
  EXPECT_THAT(svg, HasSubstr("stroke-dasharray"));
  EXPECT_THAT(svg, HasSubstr("stroke=\"#2563eb\""));
  EXPECT_THAT(svg, Not(HasSubstr("stroke=\"#dc2626\" stroke-width=\"1.5\"")));

  std::vector<ChartPoint> over = {{0, 10}, {kMinute, 60}};
  svg = RenderSparkline(over, spec);
  EXPECT_THAT(svg, HasSubstr("stroke=\"#dc2626\" stroke-width=\"1.5\""));

  spec.threshold = 200;  // far above 3 jobs: drawing it would flatten the line
  std::vector<ChartPoint> low = {{0, 1}, {kMinute, 3}};
  svg = RenderSparkline(low, spec);
  EXPECT_THAT(svg, Not(HasSubstr("stroke-dasharray")));
  EXPECT_NEAR(PolylinePoints(svg).back().second, 12, 0.05) << "3 is the top of the plot";
}

TEST(Sparkline, AllZerosSitAtTheBottom) {
  std::vector<ChartPoint> zeros = {{0, 0}, {kMinute, 0}};
  SparklineSpec spec = Hour();
  auto plotted = PolylinePoints(RenderSparkline(zeros, spec));
  ASSERT_EQ(plotted.size(), 2u);
  EXPECT_NEAR(plotted[0].second, spec.height - 3, 0.05);
  EXPECT_THAT(RenderSparkline(zeros, spec), HasSubstr("max 0<"));
}

TEST(Sparkline, TitleIsEscaped) {
  SparklineSpec spec = Hour();
  spec.title = "waiting jobs of <script>alert(\"q\")</script>";
  std::string svg = RenderSparkline({}, spec);
  EXPECT_THAT(svg, Not(HasSubstr("<script")));
  EXPECT_THAT(svg, HasSubstr("&lt;script&gt;alert(&#34;q&#34;)&lt;/script&gt;"));
}

}  // namespace
}  // namespace cerniq::http
