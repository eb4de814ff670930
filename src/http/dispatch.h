#pragma once
// Between Beast's messages and the Router's pure functions: target splitting, the web config's
// basic auth and headers, the call (an exception becomes a 500), HEAD, gzip and keep-alive.

#include <boost/beast/http.hpp>

#include <string>

#include "http/basic_auth.h"
#include "http/gzip.h"
#include "http/routes.h"
#include "http/web_config_source.h"

namespace cerniq::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// "/a%20b?x=1" -> path "/a b", query "x=1" (the path is percent-decoded, the query is not).
Request ToRequest(const BeastRequest& message);

// A plain-text error that closes the connection ("431 Request Header Fields Too Large").
BeastResponse ErrorResponse(int status);

class Dispatcher {
 public:
  // `web` (may be null: no web config) must outlive the dispatcher.
  explicit Dispatcher(const Router& router, WebConfigSource* web = nullptr)
      : router_(router), web_(web) {}
  BeastResponse Serve(const BeastRequest& message);
  // Whether Serve may run bcrypt (credentials not in the cache): the caller then runs it off the
  // I/O threads, so wrong passwords cannot stall other scrapers.
  bool MayBlock(const BeastRequest& message);

 private:
  Response Call(const Request& request) const;
  // The router's answer, or the web config's refusal (401; 500 when the file became invalid).
  Response Guarded(const BeastRequest& message, const Request& request);

  const Router& router_;
  WebConfigSource* web_;
  BasicAuth auth_;
  GzipCache gzip_;
};

}  // namespace cerniq::http
