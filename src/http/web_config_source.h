#pragma once
// The web config in force, re-read when its file changes. exporter-toolkit re-parses the file at
// every request and handshake; here each request and handshake costs one stat(2), and the file
// is parsed again only when its identity (device, inode, size, modification time in ns) changed,
// which also catches Kubernetes' symlink swap of a mounted Secret. A file modified in the last
// two seconds is read again at each call (its timestamp may not have ticked since the previous
// write, as git's "racy" files) and parsed when its text differs.

#include <sys/types.h>

#include <memory>
#include <mutex>
#include <string>

#include "http/web_config.h"

namespace cerniq::http {

struct FileStamp {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = -1;
  long long mtime_ns = -1;
  bool operator==(const FileStamp&) const = default;
  static FileStamp Of(const std::string& path);  // size -1 when the file cannot be stat'ed
};

class WebConfigSource {
 public:
  // Throws config::ConfigError when the file is invalid at start.
  explicit WebConfigSource(std::string path);

  // The config in force, or nullptr with `error` set when the file changed into an invalid one
  // (exporter-toolkit then answers 500 and refuses handshakes, and so do we).
  std::shared_ptr<const WebConfig> Current(std::string& error);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::mutex mutex_;
  void Reload(const FileStamp& stamp, std::string text);

  FileStamp stamp_;
  std::string text_;
  std::shared_ptr<const WebConfig> config_;
  std::string error_;
};

}  // namespace cerniq::http
