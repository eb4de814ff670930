#include "promapi/client.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netdb.h>

#include <cerrno>
#include <cstring>
#include <map>
#include <memory>

#include "gocompat/float_format.h"
#include "gocompat/parse_float.h"
#include "gocompat/query_escape.h"
#include "gocompat/quote.h"

namespace cerniq::promapi {
namespace {

// promtool's queries give up after two minutes.
constexpr long kTimeoutMs = 2 * 60 * 1000;

size_t AppendBody(char* data, size_t size, size_t n, void* body) {
  static_cast<std::string*>(body)->append(data, size * n);
  return size * n;
}

// The host:port Go's dialer names: the URL's host (resolved when it is a name) and port.
std::string DialAddress(const std::string& url) {
  std::unique_ptr<CURLU, decltype(&curl_url_cleanup)> u(curl_url(), curl_url_cleanup);
  char* host = nullptr;
  char* port = nullptr;
  if (curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK ||
      curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK) {
    return "";
  }
  curl_url_get(u.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
  std::string h = host;
  const std::string p = port ? port : "";
  curl_free(host);
  curl_free(port);
  if (h.empty() || h[0] != '[') {
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(h.c_str(), nullptr, &hints, &res) == 0 && res) {
      char buf[INET6_ADDRSTRLEN] = {};
      const void* addr =
          res->ai_family == AF_INET6
              ? static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(res->ai_addr)->sin6_addr)
              : &reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr;
      if (inet_ntop(res->ai_family, addr, buf, sizeof buf)) {
        h = res->ai_family == AF_INET6 ? "[" + std::string(buf) + "]" : buf;
      }
      freeaddrinfo(res);
    }
  }
  return h + ":" + p;
}

// net/http's transport error, after `Method "URL": `.
std::string TransportError(CURL* curl, CURLcode code, const std::string& url) {
  long os_errno = 0;
  curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_errno);
  if (code == CURLE_OPERATION_TIMEDOUT) return "context deadline exceeded";
  if (code == CURLE_COULDNT_CONNECT) {
    std::string text = os_errno ? std::strerror(static_cast<int>(os_errno)) : "connection refused";
    if (!text.empty()) text[0] = static_cast<char>(std::tolower(text[0]));
    return "dial tcp " + DialAddress(url) + ": connect: " + text;
  }
  if (code == CURLE_COULDNT_RESOLVE_HOST) return "dial tcp: lookup: no such host";
  return curl_easy_strerror(code);
}

// The body of a status client_golang treats as an error: ("type", "message").
std::pair<std::string, std::string> StatusError(long status) {
  if (status / 100 == 4) return {"client_error", "client error: " + std::to_string(status)};
  if (status / 100 == 5) return {"server_error", "server error: " + std::to_string(status)};
  return {"bad_response", "bad response code " + std::to_string(status)};
}

// apiClientImpl.Do after the transport: status and envelope checks.
ApiResult Interpret(long status, const std::string& body) {
  ApiResult r;
  const bool api_error = status == 400 || status == 422;
  if (status / 100 != 2 && !api_error) {
    auto [type, msg] = StatusError(status);
    r.error = type + ": " + msg;
    r.detail = body;
    return r;
  }
  nlohmann::json envelope;
  if (status != 204) {
    envelope = nlohmann::json::parse(body, nullptr, false);
    if (envelope.is_discarded() || !envelope.is_object()) {
      r.error = "bad_response: invalid JSON response body";
      return r;
    }
  }
  auto text = [&](const char* key) {
    return envelope.contains(key) && envelope[key].is_string() ? envelope[key].get<std::string>()
                                                               : std::string();
  };
  if (envelope.contains("warnings") && envelope["warnings"].is_array()) {
    for (const auto& w : envelope["warnings"]) {
      if (w.is_string()) r.warnings.push_back(w.get<std::string>());
    }
  }
  if (text("status") == "error") {
    r.error = text("errorType") + ": " + text("error");
    return r;
  }
  if (api_error && text("status") == "success") {
    r.error = "bad_response: inconsistent body for response code";
    return r;
  }
  r.ok = true;
  if (envelope.contains("data")) {
    r.data = envelope["data"];
    r.data_text = nlohmann::ordered_json::parse(body, nullptr, false)["data"].dump();
  }
  return r;
}

}  // namespace

std::string EncodeParams(const Params& params) {
  std::multimap<std::string, std::string> sorted(params.begin(), params.end());
  std::string out;
  for (const auto& [k, v] : sorted) {
    out += (out.empty() ? "" : "&") + gocompat::QueryEscape(k) + "=" + gocompat::QueryEscape(v);
  }
  return out;
}

Client::Client(std::string base, Headers headers) : base_(std::move(base)), headers_(headers) {
  while (!base_.empty() && base_.back() == '/') base_.pop_back();
}

ApiResult Client::PostWithGetFallback(const std::string& endpoint, const Params& params) const {
  ApiResult r = Do("POST", base_ + endpoint, EncodeParams(params));
  if (r.error.rfind("client_error: client error: 405", 0) == 0 ||
      r.error.rfind("server_error: server error: 501", 0) == 0) {
    return Get(endpoint, params);
  }
  return r;
}

ApiResult Client::Get(const std::string& endpoint, const Params& params) const {
  const std::string query = EncodeParams(params);
  return Do("GET", base_ + endpoint + (query.empty() ? "" : "?" + query), "");
}

ApiResult Client::Do(const std::string& method, const std::string& url,
                     const std::string& body) const {
  const std::string op = method == "POST" ? "Post" : "Get";
  const auto scheme_end = base_.find(':');
  const std::string scheme = base_.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {  // Go prints an opaque URL without its path
    ApiResult r;
    r.error = op + " " + gocompat::Quote(base_) + ": unsupported protocol scheme " +
              gocompat::Quote(scheme);
    return r;
  }
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  curl_slist* list = nullptr;
  if (method == "POST")
    list = curl_slist_append(list, "Content-Type: application/x-www-form-urlencoded");
  for (const auto& [k, v] : headers_) list = curl_slist_append(list, (k + ": " + v).c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(list,
                                                                          curl_slist_free_all);
  std::string response;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_USERAGENT, "Go-http-client/1.1");
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
  curl_easy_setopt(c, CURLOPT_NOPROXY, "localhost,127.0.0.1,::1");
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, kTimeoutMs);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, header_list.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &response);
  if (method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  const CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    ApiResult r;
    r.error = op + " " + gocompat::Quote(url) + ": " + TransportError(c, code, url);
    return r;
  }
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  return Interpret(status, response);
}

}  // namespace cerniq::promapi
