#pragma once
// gzip for responses (zlib). Prometheus always asks for it; /metrics text shrinks about 10x.

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

namespace cerniq::http {

// True when an Accept-Encoding value accepts gzip (a `gzip` or `*` token without q=0).
bool AcceptsGzip(std::string_view accept_encoding);

// The gzip member (RFC 1952) of `data`.
std::string Gzip(std::string_view data);

// Compresses, reusing the last result when the body is the same: the scrapes of one snapshot
// share one compression (comparing bytes costs far less than deflating them).
class GzipCache {
 public:
  std::shared_ptr<const std::string> Compress(const std::string& body);

 private:
  std::mutex mutex_;
  std::shared_ptr<const std::string> plain_;
  std::shared_ptr<const std::string> compressed_;
};

}  // namespace cerniq::http
