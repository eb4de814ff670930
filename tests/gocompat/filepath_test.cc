// path/filepath's Clean, Dir, Prometheus's JoinDir and os.PathError's text, as Go 1.19 gives
// them (values from Go's own filepath tests).
#include "gocompat/filepath.h"

#include <cerrno>

#include <gtest/gtest.h>

namespace cerniq::gocompat {
namespace {

TEST(Filepath, CleanAsGo) {
  EXPECT_EQ(CleanPath(""), ".");
  EXPECT_EQ(CleanPath("./a//b/./c/"), "a/b/c");
  EXPECT_EQ(CleanPath("a/../../b"), "../b");
  EXPECT_EQ(CleanPath("/../a/.."), "/");
  EXPECT_EQ(CleanPath("abc/def/../../.."), "..");
}

TEST(Filepath, DirAndJoinDirAsGo) {
  EXPECT_EQ(DirPath("web.yml"), ".");
  EXPECT_EQ(DirPath("./web.yml"), ".");
  EXPECT_EQ(DirPath("/etc/web.yml"), "/etc");
  EXPECT_EQ(DirPath("/web.yml"), "/");
  EXPECT_EQ(JoinDir(".", "certs/a.crt"), "certs/a.crt");
  EXPECT_EQ(JoinDir("sub", "../a.crt"), "a.crt");
  EXPECT_EQ(JoinDir("sub", "/abs/a.crt"), "/abs/a.crt");
  EXPECT_EQ(JoinDir("sub", ""), "");
}

TEST(Filepath, PathErrorText) {
  EXPECT_EQ(PathErrorText("open", "x.pem", ENOENT), "open x.pem: no such file or directory");
  EXPECT_EQ(PathErrorText("read", "d", EISDIR), "read d: is a directory");
}

}  // namespace
}  // namespace cerniq::gocompat
