// Response envelopes and query results, as web/api/v1's respond/respondError and the promql
// value marshallers write them.
#include <string_view>
#include "api/api.h"

#include "api/go_json.h"
#include "gocompat/float_format.h"

namespace cerniq::api {
namespace {

constexpr std::string_view kSuccessHead = "{\"status\":\"success\",\"data\":";

// respondError's status for each error type.
int StatusFor(const std::string& type) {
  if (type == "bad_data") return 400;
  if (type == "execution") return 422;
  if (type == "canceled" || type == "timeout") return 503;
  if (type == "not_found") return 404;
  return 500;
}

void AppendPoint(std::string& out, int64_t t, double v) {
  char head[kTimestampMaxChars + 2];  // '[', the timestamp and ',' in one append, per point
  head[0] = '[';
  char* end = FormatTimestamp(head + 1, t);
  *end++ = ',';
  out.append(head, end);
  AppendSampleValue(out, v);
  out += ']';
}

struct ResultWriter {
  std::string& out;
  void operator()(const promql::Vector& vec) const {
    out += "{\"resultType\":\"vector\",\"result\":[";
    for (size_t i = 0; i < vec.size(); ++i) {
      if (i) out += ',';
      out += "{\"metric\":";
      AppendLabels(out, vec[i].metric);
      out += ",\"value\":";
      AppendPoint(out, vec[i].t, vec[i].v);
      out += '}';
    }
    out += "]}";
  }
  void operator()(const promql::Matrix& mat) const {
    size_t points = 0;
    for (const auto& series : mat) points += series.points.size();
    out.reserve(out.size() + points * 32 + mat.size() * 256);  // grown once, not doubled
    out += "{\"resultType\":\"matrix\",\"result\":[";
    for (size_t i = 0; i < mat.size(); ++i) {
      if (i) out += ',';
      out += "{\"metric\":";
      AppendLabels(out, mat[i].metric);
      if (!mat[i].points.empty()) {
        out += ",\"values\":[";
        for (size_t j = 0; j < mat[i].points.size(); ++j) {
          if (j) out += ',';
          AppendPoint(out, mat[i].points[j].t, mat[i].points[j].v);
        }
        out += ']';
      }
      out += '}';
    }
    out += "]}";
  }
  // Scalar and String marshal [float64(t)/1000, v] through encoding/json.
  void operator()(const promql::Scalar& s) const {
    out += "{\"resultType\":\"scalar\",\"result\":[" + JsonFloat(static_cast<double>(s.t) / 1000) +
           ",";
    AppendJsonString(out, gocompat::FormatFloat(s.v, 'f'));
    out += "]}";
  }
  void operator()(const promql::String& s) const {
    out += "{\"resultType\":\"string\",\"result\":[" + JsonFloat(static_cast<double>(s.t) / 1000) +
           ",";
    AppendJsonString(out, s.v);
    out += "]}";
  }
};

}  // namespace

Response Success(std::string data) {
  std::string body;
  body.reserve(kSuccessHead.size() + data.size() + 1);
  body += kSuccessHead;
  body += data;
  body += '}';
  return Response{200, "application/json", std::move(body), {}};
}

Response Error(const std::string& type, const std::string& message) {
  return Response{StatusFor(type),
                  "application/json",
                  "{\"status\":\"error\",\"errorType\":" + JsonString(type) +
                      ",\"error\":" + JsonString(message) + "}",
                  {}};
}

Response NotReady() {
  return Response{503, "text/plain; charset=utf-8", "Service Unavailable", {}};
}

Response QuerySuccess(const promql::Value& value) {
  std::string body(kSuccessHead);  // the result written in place: a large one is not copied
  std::visit(ResultWriter{body}, value);
  body += '}';
  return Response{200, "application/json", std::move(body), {}};
}

}  // namespace cerniq::api
