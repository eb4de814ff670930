#include "http/web_config_source.h"

#include <sys/stat.h>

#include "config/strict_yaml.h"
#include "log/log.h"

namespace cerniq::http {

FileStamp FileStamp::Of(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return FileStamp{};
  return FileStamp{st.st_dev, st.st_ino, st.st_size,
                   static_cast<long long>(st.st_mtim.tv_sec) * 1000000000LL + st.st_mtim.tv_nsec};
}

namespace {

bool RecentlyModified(const FileStamp& stamp) {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  long long now_ns = static_cast<long long>(now.tv_sec) * 1000000000LL + now.tv_nsec;
  return now_ns - stamp.mtime_ns < 2000000000LL;
}

// exporter-toolkit's start-up line ("TLS is enabled." with http2=...); here HTTP/2 is never
// served, so the line says when the file asks for it.
void LogServing(const std::string& path, const WebConfig& web) {
  if (!web.tls.Enabled()) {
    log::Info("TLS is disabled", {{"file", path}, {"http2", "false"}});
  } else if (web.http2) {
    log::Info("TLS is enabled",
              {{"file", path},
               {"http2", "false"},
               {"note",
                "http_server_config.http2 is true but HTTP/2 is not served (Boost.Beast has "
                "none): ALPN selects http/1.1"}});
  } else {
    log::Info("TLS is enabled", {{"file", path}, {"http2", "false"}});
  }
}

}  // namespace

WebConfigSource::WebConfigSource(std::string path)
    : path_(std::move(path)),
      stamp_(FileStamp::Of(path_)),
      text_(ReadWebConfigFile(path_)),
      config_(std::make_shared<const WebConfig>(ParseWebConfig(text_, path_))) {
  LogServing(path_, *config_);
}

void WebConfigSource::Reload(const FileStamp& stamp, std::string text) {
  stamp_ = stamp;
  text_ = std::move(text);
  try {
    config_ = std::make_shared<const WebConfig>(ParseWebConfig(text_, path_));
    error_.clear();
    log::Info("web config reloaded", {{"file", path_}});
    LogServing(path_, *config_);
  } catch (const std::exception& e) {
    config_.reset();
    error_ = e.what();
    log::Error("web config is invalid", {{"file", path_}, {"err", error_}});
  }
}

std::shared_ptr<const WebConfig> WebConfigSource::Current(std::string& error) {
  FileStamp now = FileStamp::Of(path_);
  std::lock_guard<std::mutex> lock(mutex_);
  if (!(now == stamp_) || RecentlyModified(now)) {
    try {
      std::string text = ReadWebConfigFile(path_);
      if (!(now == stamp_) || text != text_) Reload(now, std::move(text));
    } catch (const std::exception& e) {  // removed or unreadable
      stamp_ = now;
      text_.clear();
      config_.reset();
      error_ = e.what();
    }
  }
  if (!config_) error = error_;
  return config_;
}

}  // namespace cerniq::http
