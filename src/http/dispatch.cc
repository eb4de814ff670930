#include "http/dispatch.h"

#include <cctype>
#include <charconv>
#include <exception>

#include "log/log.h"

namespace cerniq::http {
namespace http = boost::beast::http;

namespace {

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned value = 0;
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::from_chars(&text[i + 1], &text[i + 3], value, 16).ptr == &text[i + 3]) {
      out += static_cast<char>(value);
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

// Boost 1.74's Beast speaks boost::string_view.
std::string_view Std(boost::beast::string_view text) { return {text.data(), text.size()}; }

std::string ReasonPhrase(int status) {
  return std::string(Std(http::obsolete_reason(static_cast<http::status>(status))));
}

// Kubelet probes carry no credentials: these stay open when basic auth is configured.
bool IsProbe(const std::string& path) { return path == "/health" || path == "/-/healthy"; }

}  // namespace

Request ToRequest(const BeastRequest& message) {
  Request request;
  request.method = std::string(Std(message.method_string()));
  std::string_view target = Std(message.target());
  size_t question = target.find('?');
  request.path = PercentDecode(target.substr(0, question));
  if (question != std::string_view::npos) request.query = std::string(target.substr(question + 1));
  if (request.path.empty()) request.path = "/";
  request.content_type = std::string(Std(message[http::field::content_type]));
  if (message.method() == http::verb::post) request.body = message.body();
  return request;
}

BeastResponse ErrorResponse(int status) {
  BeastResponse response{static_cast<http::status>(status), 11};
  response.set(http::field::content_type, "text/plain; charset=utf-8");
  response.set(http::field::connection, "close");
  response.body() = std::to_string(status) + " " + ReasonPhrase(status);
  response.prepare_payload();
  return response;
}

Response Dispatcher::Call(const Request& request) const {
  try {
    return router_.Handle(request);
  } catch (const std::exception& e) {
    log::Error("HTTP handler failed", {{"path", request.path}, {"err", e.what()}});
  } catch (...) {
    log::Error("HTTP handler failed", {{"path", request.path}, {"err", "unknown exception"}});
  }
  return Response{500, "text/plain; charset=utf-8", "internal error\n", {}};
}

Response Dispatcher::Guarded(const BeastRequest& message, const Request& request) {
  if (!web_) return Call(request);
  std::string error;
  auto web = web_->Current(error);
  if (!web) return Response{500, "text/plain; charset=utf-8", "Internal Server Error\n", {}};
  Response answer;
  if (web->users.empty() || IsProbe(request.path) ||
      auth_.Allowed(web->users, Std(message[http::field::authorization]))) {
    answer = Call(request);
  } else {
    answer = Response{401,
                      "text/plain; charset=utf-8",
                      "Unauthorized\n",
                      {{"WWW-Authenticate", "Basic"}, {"X-Content-Type-Options", "nosniff"}}};
  }
  for (const auto& [name, value] : web->headers) answer.headers[name] = value;
  return answer;
}

bool Dispatcher::MayBlock(const BeastRequest& message) {
  if (!web_) return false;
  std::string error;
  auto web = web_->Current(error);
  if (!web || web->users.empty()) return false;
  Request request = ToRequest(message);
  return !IsProbe(request.path) &&
         !auth_.Cheap(web->users, Std(message[http::field::authorization]));
}

BeastResponse Dispatcher::Serve(const BeastRequest& message) {
  Request request = ToRequest(message);
  Response answer = Guarded(message, request);
  BeastResponse response{static_cast<http::status>(answer.status), message.version()};
  response.set(http::field::content_type, answer.content_type);
  for (const auto& [name, value] : answer.headers) response.set(name, value);
  if (!answer.Body().empty() && AcceptsGzip(Std(message[http::field::accept_encoding]))) {
    // A shared body (/metrics) is compressed once for all its answers; the others are made for
    // this request only.
    response.body() = answer.shared_body ? *gzip_.Compress(answer.shared_body) : Gzip(answer.body);
    response.set(http::field::content_encoding, "gzip");
    response.set(http::field::vary, "Accept-Encoding");
  } else {
    response.body() = answer.shared_body ? *answer.shared_body : std::move(answer.body);
  }
  response.keep_alive(message.keep_alive());
  response.content_length(response.body().size());
  // HEAD: the headers of a GET, no body.
  if (message.method() == http::verb::head) response.body().clear();
  return response;
}

}  // namespace cerniq::http
