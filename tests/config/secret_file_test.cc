// config::ReadSecretFile, used for the Redis and the PostgreSQL password files alike.

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "config/secret_file.h"

namespace cerniq::config {
namespace {

std::string Write(const std::string& name, const std::string& content) {
  std::string path = ::testing::TempDir() + "/" + name + "-" + std::to_string(getpid());
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

TEST(SecretFileTest, TrailingNewlinesAreNotPartOfTheSecret) {
  for (const auto& [content, want] : std::vector<std::pair<std::string, std::string>>{
           {"s3cr3t\n", "s3cr3t"},
           {"s3cr3t\r\n\n", "s3cr3t"},
           {"s3cr3t", "s3cr3t"},
           {" two words \t\n", " two words \t"},  // other blanks are the password's
           {"line1\nline2\n", "line1\nline2"},
           {"", ""}}) {
    std::string path = Write("secret", content), secret = "unchanged", reason;
    ASSERT_TRUE(ReadSecretFile(path, secret, reason)) << reason;
    EXPECT_EQ(secret, want);
    std::remove(path.c_str());
  }
}

TEST(SecretFileTest, MissingFileGivesTheReasonAndKeepsTheSecret) {
  std::string secret = "unchanged", reason;
  EXPECT_FALSE(ReadSecretFile(::testing::TempDir() + "/no-such-secret", secret, reason));
  EXPECT_EQ(reason, "No such file or directory");
  EXPECT_EQ(secret, "unchanged");
}

}  // namespace
}  // namespace cerniq::config
