#pragma once
// Go's path/filepath (Unix) and the os package's error texts, for paths a Go program prints:
// exporter-toolkit joins the web config's relative certificate paths with filepath.Join, and
// os.ReadFile's errors read "open PATH: no such file or directory".
#include <string>

namespace cerniq::gocompat {

// filepath.Clean: one slash between elements, no "." elements, ".." resolved lexically, "." for
// an empty result.
std::string CleanPath(const std::string& path);
// filepath.Dir: everything before the last slash, cleaned ("." when there is none).
std::string DirPath(const std::string& path);
// Prometheus's config.JoinDir: "" and absolute paths unchanged, else filepath.Join(dir, path).
std::string JoinDir(const std::string& dir, const std::string& path);

// *os.PathError's text: "OP PATH: " and the errno as Go's syscall names it ("no such file or
// directory", "permission denied", "is a directory").
std::string PathErrorText(const std::string& op, const std::string& path, int errno_value);

}  // namespace cerniq::gocompat
