#include "gocompat/filepath.h"

#include <cctype>
#include <cstring>
#include <vector>

namespace cerniq::gocompat {

std::string CleanPath(const std::string& path) {
  if (path.empty()) return ".";
  const bool rooted = path.front() == '/';
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string part = path.substr(start, end - start);
    if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!rooted) {
        parts.push_back(part);  // a relative path may climb above its start; "/.." is "/"
      }
    } else if (!part.empty() && part != ".") {
      parts.push_back(part);
    }
    start = end + 1;
  }
  std::string out = rooted ? "/" : "";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "/" : "") + parts[i];
  return out.empty() ? "." : out;
}

std::string DirPath(const std::string& path) {
  const auto slash = path.rfind('/');
  return CleanPath(slash == std::string::npos ? "" : path.substr(0, slash + 1));
}

std::string JoinDir(const std::string& dir, const std::string& path) {
  if (path.empty() || path.front() == '/') return path;
  return CleanPath(dir + "/" + path);
}

std::string PathErrorText(const std::string& op, const std::string& path, int errno_value) {
  std::string text = std::strerror(errno_value);  // glibc's words, capitalised; Go's are not
  if (!text.empty()) text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
  return op + " " + path + ": " + text;
}

}  // namespace cerniq::gocompat
