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

// Compresses a shared body, reusing the last result when it is the same body: the scrapes of one
// /metrics rendering share one compression. Same object or same bytes both count (comparing
// bytes costs far less than deflating them). Thread-safe; one deflate at a time, so the scrapers
// that arrive while a new body is being compressed wait for that result instead of each
// deflating it again.
class GzipCache {
 public:
  std::shared_ptr<const std::string> Compress(const std::shared_ptr<const std::string>& body);

 private:
  std::shared_ptr<const std::string> Cached(const std::shared_ptr<const std::string>& body);

  std::mutex mutex_;          // guards plain_ and compressed_
  std::mutex deflate_mutex_;  // held while deflating
  std::shared_ptr<const std::string> plain_;
  std::shared_ptr<const std::string> compressed_;
};

}  // namespace cerniq::http
