#pragma once
// Minimal HTTP GET for tests (libcurl), bounded by a timeout.

#include <chrono>
#include <string>

namespace cerniq::testing {

struct HttpResult {
  int status = 0;  // 0 when the request failed
  std::string body;
  std::string content_type;
  std::string error;
};

HttpResult HttpGet(const std::string& url,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000),
                   const std::string& method = "GET");

}  // namespace cerniq::testing
