#pragma once
// The requests of client_golang v1.14's api/prometheus/v1 (the API client promtool 2.42 uses),
// over libcurl, with Go's error texts: a transport error reads as net/http's
// (`Post "URL": dial tcp 127.0.0.1:9: connect: connection refused`), an API error as v1.Error's
// ("bad_data: 1:3: parse error: ...", with the body as detail for unexpected status codes).
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cerniq::promapi {

// url.Values: (name, value) pairs; Encode() sorts them by name as Go does.
using Params = std::vector<std::pair<std::string, std::string>>;
using Headers = std::vector<std::pair<std::string, std::string>>;

struct ApiResult {
  bool ok = false;
  std::string error;   // err.Error() when !ok
  std::string detail;  // v1.Error.Detail: the body of an unexpected status
  nlohmann::json data;
  std::string data_text;  // "data" as sent (keys in their order), for decoders' error contexts
  std::vector<std::string> warnings;
};

// url.Values.Encode().
std::string EncodeParams(const Params& params);

class Client {
 public:
  // `base` is the server's URL with its scheme ("http://127.0.0.1:9090", "https://h/prefix").
  explicit Client(std::string base, Headers headers = {});

  // DoGetFallback: a form POST to the endpoint, retried as GET on 405 or 501.
  ApiResult PostWithGetFallback(const std::string& endpoint, const Params& params) const;
  // Do: a GET with the parameters in the URL.
  ApiResult Get(const std::string& endpoint, const Params& params) const;

 private:
  ApiResult Do(const std::string& method, const std::string& url, const std::string& body) const;

  std::string base_;
  Headers headers_;
};

}  // namespace cerniq::promapi
