#include "log/log.h"

#include <gtest/gtest.h>

namespace cerniq::log {
namespace {

TEST(Log, Logfmt) {
  EXPECT_EQ(FormatLine(Format::kLogfmt, "T", Level::kWarn, "collection failed",
                       {{"collector", "bullmq"}, {"err", "a \"b\"\nc"}}),
            "ts=T level=warn msg=\"collection failed\" collector=bullmq err=\"a \\\"b\\\"\\nc\"\n");
}

TEST(Log, Json) {
  EXPECT_EQ(FormatLine(Format::kJson, "T", Level::kInfo, "hi", {{"k", "v\t\x01"}}),
            "{\"ts\":\"T\",\"level\":\"info\",\"msg\":\"hi\",\"k\":\"v\\t\\u0001\"}\n");
}

TEST(Log, ParseNames) {
  Level l;
  Format f;
  EXPECT_TRUE(ParseLevel("debug", l));
  EXPECT_EQ(l, Level::kDebug);
  EXPECT_FALSE(ParseLevel("verbose", l));
  EXPECT_TRUE(ParseFormat("json", f));
  EXPECT_FALSE(ParseFormat("xml", f));
}

}  // namespace
}  // namespace cerniq::log
