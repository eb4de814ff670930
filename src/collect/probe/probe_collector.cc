#include "collect/probe/probe_collector.h"

#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>

#include "catalog/catalog.h"
#include "collect/families.h"

namespace cerniq::collect::probe {
namespace {

constexpr size_t kMaxBody = 64 * 1024;  // a health answer is small; never buffer more

size_t WriteBody(char* data, size_t size, size_t n, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t len = size * n;
  if (body->size() + len > kMaxBody) return 0;  // aborts the transfer
  body->append(data, len);
  return len;
}

std::string ScalarText(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  return v.dump();  // true, false, numbers, null
}

}  // namespace

bool BodyMatches(const std::string& body, const std::map<std::string, std::string>& expect,
                 std::string& why) {
  if (expect.empty()) return true;
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) {
    why = "answer is not a JSON object";
    return false;
  }
  for (const auto& [key, want] : expect) {
    auto it = doc.find(key);
    if (it == doc.end()) {
      why = "answer has no field \"" + key + "\"";
      return false;
    }
    std::string got = ScalarText(*it);
    if (got != want) {
      why = "field \"" + key + "\" is " + it->dump() + ", expected " + want;
      return false;
    }
  }
  return true;
}

ProbeCollector::ProbeCollector(config::ProbeConfig config) : config_(std::move(config)) {
  static std::once_flag curl_init;
  std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

collect::CollectResult ProbeCollector::Collect() {
  collect::CollectResult result;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    result.error = "curl_easy_init failed";
    return result;
  }
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, config_.url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM in threads
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, WriteBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "cerniq_exporter probe");
  CURLcode rc = curl_easy_perform(curl.get());
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);

  bool up = false;
  std::string why;
  if (rc != CURLE_OK) {
    why = curl_easy_strerror(rc);
  } else if (status < 200 || status > 299) {
    why = "HTTP status " + std::to_string(status);
  } else {
    up = BodyMatches(body, config_.expect, why);
  }
  auto family = collect::MakeFamily(catalog::names::kServiceUp);
  collect::AddSample(family, {{"service", config_.service}}, up ? 1 : 0);
  result.families.push_back(std::move(family));
  // The probe itself worked even when the service is down: cerniq_service_up carries that.
  result.success = true;
  result.source_reached = true;
  if (!up) result.error = config_.service + " unhealthy: " + why;
  return result;
}

}  // namespace cerniq::collect::probe
