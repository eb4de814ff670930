#pragma once
// One JSON POST to an Alertmanager (libcurl), bounded by a timeout and abortable, so stopping
// the notifier never waits for a slow Alertmanager.

#include <atomic>
#include <chrono>
#include <string>

namespace cerniq::notifier {

struct PostResult {
  int status = 0;     // HTTP status; 0 when no response arrived
  std::string error;  // transport error or "bad response status 500 Internal Server Error"
  bool ok() const { return status / 100 == 2; }
  // Worth another attempt: no response, a 5xx or 429; a 4xx would fail again.
  bool retryable() const { return status == 0 || status / 100 == 5 || status == 429; }
};

PostResult PostJson(const std::string& url, const std::string& body,
                    std::chrono::milliseconds timeout, const std::atomic<bool>& cancelled);

}  // namespace cerniq::notifier
