#include "http/gzip.h"

#include <zlib.h>

#include <strings.h>

#include <stdexcept>

namespace cerniq::http {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// "q=0", "q=0.0", "q=0.000" refuse the coding.
bool RefusedByQuality(std::string_view params) {
  size_t q = params.find("q=");
  if (q == std::string_view::npos) return false;
  std::string_view value = Trim(params.substr(q + 2));
  return value.find_first_not_of("0.") == std::string_view::npos && !value.empty();
}

}  // namespace

bool AcceptsGzip(std::string_view accept_encoding) {
  while (!accept_encoding.empty()) {
    size_t comma = accept_encoding.find(',');
    std::string_view item = accept_encoding.substr(0, comma);
    accept_encoding = comma == std::string_view::npos ? "" : accept_encoding.substr(comma + 1);
    size_t semicolon = item.find(';');
    std::string_view coding = Trim(item.substr(0, semicolon));
    std::string_view params = semicolon == std::string_view::npos ? "" : item.substr(semicolon);
    if (((coding.size() == 4 && strncasecmp(coding.data(), "gzip", 4) == 0) || coding == "*") &&
        !RefusedByQuality(params))
      return true;
  }
  return false;
}

std::string Gzip(std::string_view data) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw std::runtime_error("deflateInit2 failed");
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw std::runtime_error("deflate failed");
  return out;
}

std::shared_ptr<const std::string> GzipCache::Cached(
    const std::shared_ptr<const std::string>& body) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!plain_) return nullptr;
  if (plain_ != body) {
    if (*plain_ != *body) return nullptr;
    plain_ = body;  // a new rendering with the same bytes: match it by address from now on
  }
  return compressed_;
}

std::shared_ptr<const std::string> GzipCache::Compress(
    const std::shared_ptr<const std::string>& body) {
  if (auto hit = Cached(body)) return hit;
  std::lock_guard<std::mutex> deflating(deflate_mutex_);
  if (auto hit = Cached(body)) return hit;  // compressed while we waited
  auto compressed = std::make_shared<const std::string>(Gzip(*body));
  std::lock_guard<std::mutex> lock(mutex_);
  plain_ = body;
  compressed_ = compressed;
  return compressed;
}

}  // namespace cerniq::http
