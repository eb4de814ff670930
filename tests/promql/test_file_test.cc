#include "promql/test_file.h"

#include <gtest/gtest.h>

#include <sstream>

namespace cerniq::promql {
namespace {

constexpr const char* kGood = R"(# a comment
load 5m
  http{job="api", instance="0"} 0+10x10
  http{job="api", instance="1"} 0+20x10
  gap 1 _ 3 _x2 5

eval instant at 50m sum by (job) (http)
  {job="api"} 300

eval_ordered instant at 50m sort_desc(http)
  http{job="api", instance="1"} 200
  http{job="api", instance="0"} 100

eval instant at 50m count(http)
  {} 2

eval instant at 50m scalar(count(http))
  2

eval_fail instant at 0m label_replace(http, "x", "", "job", "(")

clear

eval instant at 50m http
)";

TEST(TestFile, ParsesCommands) {
  auto cmds = ParseTestFile(kGood);
  ASSERT_EQ(cmds.size(), 8u);
  EXPECT_EQ(cmds[0].kind, TestCommand::Kind::kLoad);
  EXPECT_EQ(cmds[0].load.interval_ms, 300000);
  ASSERT_EQ(cmds[0].load.series.size(), 3u);
  EXPECT_EQ(cmds[0].load.series[2].values.size(), 6u);
  EXPECT_TRUE(cmds[0].load.series[2].values[1].omitted);
  EXPECT_EQ(cmds[1].eval.line, 7);
  EXPECT_EQ(cmds[1].eval.time_ms, 3000000);
  EXPECT_TRUE(cmds[2].eval.ordered);
  EXPECT_EQ(cmds[2].eval.expected[1].position, 2);
  EXPECT_EQ(cmds[4].eval.expected_scalar, 2);
  EXPECT_TRUE(cmds[5].eval.fail);
  EXPECT_EQ(cmds[6].kind, TestCommand::Kind::kClear);
}

TEST(TestFile, RunnerPassesGoodFile) {
  std::ostringstream out;
  auto sum = RunTestFile("good.test", kGood, out);
  EXPECT_EQ(sum.passed, 6) << out.str();
  EXPECT_EQ(sum.failed, 0) << out.str();
}

TEST(TestFile, RunnerReportsEachFailureWithLine) {
  std::string bad = R"(load 1m
  x{a="b"} 1 2 3

eval instant at 2m x
  x{a="b"} 4

eval instant at 2m x
  x{a="c"} 3

eval instant at 2m x

eval_fail instant at 2m x

eval_ordered instant at 2m sort(x or vector(1))
  x{a="b"} 3
  {} 1

eval instant at 2m x
  x{a="b"} 3
)";
  std::ostringstream out;
  auto sum = RunTestFile("bad.test", bad, out);
  EXPECT_EQ(sum.passed, 1);
  EXPECT_EQ(sum.failed, 5);
  std::string o = out.str();
  EXPECT_NE(
      o.find("bad.test:4: x: error in \"x\": expected 4 for {__name__=\"x\", a=\"b\"} but got 3"),
      std::string::npos)
      << o;
  EXPECT_NE(o.find("bad.test:7: x: error in \"x\": unexpected metric {__name__=\"x\", a=\"b\"}"),
            std::string::npos);
  EXPECT_NE(o.find("bad.test:12: x: expected error evaluating query \"x\" but got none"),
            std::string::npos);
  EXPECT_NE(o.find("bad.test:14:"), std::string::npos);
}

TEST(TestFile, RangeModeAndAtVariantsAreChecked) {
  // time() differs between steps only if the runner really evaluates a range query; a wrong
  // engine that ignored the step would still pass a plain instant check.
  std::string t = "load 1m\n  x 0+1x10\n\neval instant at 5m x - x offset 1m\n  {} 1\n";
  std::ostringstream out;
  EXPECT_EQ(RunTestFile("t.test", t, out).passed, 1) << out.str();
  Engine engine(TestRunnerEngineOptions());
  MemoryStorage s;
  ApplyLoad(ParseTestFile(t)[0].load, s);
  EvalCommand wrong{
      1, "x", 5 * 60000, false, false, std::nullopt, {{Labels{{"__name__", "x"}}, 5, 1}}};
  EXPECT_EQ(CheckEval(engine, s, wrong), "");
  // With `@ 5m` added, evaluation at -50m must still see 5.
  EvalCommand at{
      1, "x", 5 * 60000, false, false, std::nullopt, {{Labels{{"__name__", "x"}}, 6, 1}}};
  EXPECT_NE(CheckEval(engine, s, at), "");
}

TEST(TestFile, MalformedFilesAreErrorsWithPositions) {
  EXPECT_THROW(ParseTestFile("bogus command\n"), TestFileError);
  try {
    ParseTestFile("load 1m\n  x{a=\"b\" 1\n");
    FAIL();
  } catch (const TestFileError& e) {
    EXPECT_EQ(std::string(e.what()), "2:9: parse error: unexpected character inside braces: '1'");
  }
  try {
    ParseTestFile("eval instant at 1m sum(x\n");
    FAIL();
  } catch (const TestFileError& e) {
    EXPECT_EQ(std::string(e.what()), "1:25: parse error: unclosed left parenthesis");
  }
  std::ostringstream out;
  auto sum = RunTestFile("p.test", "load 1x\n", out);
  EXPECT_EQ(sum.failed, 1);
}

}  // namespace
}  // namespace cerniq::promql
