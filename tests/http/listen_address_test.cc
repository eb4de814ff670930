#include "http/listen_address.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace cerniq::http {
namespace {

using ::testing::HasSubstr;

TEST(ListenAddress, GoForms) {
  std::string err;
  auto all = ParseListenAddress(":9755", err);
  ASSERT_TRUE(all);
  EXPECT_EQ(all->host, "");
  EXPECT_EQ(all->port, 9755);
  auto v4 = ParseListenAddress("127.0.0.1:0", err);
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  auto v6 = ParseListenAddress("[::1]:9755", err);
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(ParseListenAddress("[::]:1", err)->host, "::");
}

TEST(ListenAddress, Rejects) {
  std::string err;
  EXPECT_FALSE(ParseListenAddress("9755", err));
  EXPECT_THAT(err, HasSubstr("[host]:port"));
  EXPECT_FALSE(ParseListenAddress(":99999", err));
  EXPECT_THAT(err, HasSubstr("invalid port"));
  EXPECT_FALSE(ParseListenAddress("::1:9755", err));
  EXPECT_THAT(err, HasSubstr("brackets"));
  EXPECT_FALSE(ParseListenAddress("host:", err));
}

}  // namespace
}  // namespace cerniq::http
