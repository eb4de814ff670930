// The unit-test file decoder against promtool 2.42's recorded outputs
// (../shared/golden/promtool/test-*).
#include <gtest/gtest.h>

#include <filesystem>

#include "golden.h"
#include "rules/unit_test_file.h"

namespace cerniq::rules {
namespace {

std::string Error(std::string_view yaml) {
  auto r = ParseUnitTestFile(yaml);
  if (auto* e = std::get_if<std::string>(&r)) return *e;
  return "";
}

TEST(UnitTestFile, GoldenUnknownField) {
  auto golden = testing::GoldenPromtoolDir();
  if (!golden) GTEST_SKIP() << "CERNIQ_SHARED_DIR/golden/promtool not found";
  const auto dir = *golden / "test-unknown-field";
  const std::string stderr_text = testing::ReadText(dir / "stderr");
  const std::string prefix = "  FAILED:\n";
  ASSERT_EQ(stderr_text.rfind(prefix, 0), 0u);
  EXPECT_EQ(Error(testing::ReadText(dir / "t_unknown.yml")) + "\n",
            stderr_text.substr(prefix.size()));
}

TEST(UnitTestFile, EveryGoldenTestFileDecodes) {
  auto golden = testing::GoldenPromtoolDir();
  if (!golden) GTEST_SKIP() << "CERNIQ_SHARED_DIR/golden/promtool not found";
  int decoded = 0;
  for (const auto& entry : std::filesystem::directory_iterator(*golden)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("test-", 0) != 0 || name == "test-unknown-field") continue;
    const std::string command = testing::ReadText(entry.path() / "command");
    const std::string file =
        command.substr(command.rfind(' ') + 1, command.find('\n') - command.rfind(' ') - 1);
    if (!std::filesystem::exists(entry.path() / file)) continue;  // the missing-file case
    auto r = ParseUnitTestFile(testing::ReadText(entry.path() / file));
    EXPECT_TRUE(std::holds_alternative<UnitTestFile>(r))
        << name << ": " << std::get<std::string>(r);
    ++decoded;
  }
  EXPECT_GE(decoded, 20);
}

}  // namespace
}  // namespace cerniq::rules
