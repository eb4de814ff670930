#pragma once
// prometheus/common v0.39's model values as the Prometheus HTTP API returns them and promtool
// 2.42 prints them: String() (promtool's default output) and encoding/json's Encoder (-o json).
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace cerniq::promapi {

using LabelSet = std::map<std::string, std::string>;  // also model.Metric

struct SamplePair {
  int64_t t_ms = 0;  // model.Time
  double v = 0;
};
struct Sample {
  LabelSet metric;
  SamplePair point;
};
struct SampleStream {
  LabelSet metric;
  std::vector<SamplePair> values;
};
struct Scalar {
  SamplePair point;
};
using Vector = std::vector<Sample>;
using Matrix = std::vector<SampleStream>;
// client_golang v1.14 decodes no "string" result (it reports an unexpected value type).
using Value = std::variant<Scalar, Vector, Matrix>;

// A response whose data does not decode; what() is the decoder's message.
struct DecodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// json-iterator's error for a decoder that failed on a whole value (`text`), as client_golang
// reports it: "unmarshalerDecoder: MSG, error found in #10 byte of ...|...|..., bigger context
// ...|...|...".
std::string UnmarshalerError(const std::string& message, const std::string& text);

// The "data" of /api/v1/query and /query_range ({"resultType", "result"}).
Value DecodeQueryData(const nlohmann::json& data);
// The "data" of /api/v1/series and /label/<name>/values.
std::vector<LabelSet> DecodeLabelSets(const nlohmann::json& data);
std::vector<std::string> DecodeStrings(const nlohmann::json& data);

// fmt.Println(v): the value's String() (a matrix sorted by metric), then a newline.
std::string PrintValue(const Value& v);
// model.LabelSet.String(): {a="x", b="y"}.
std::string LabelSetString(const LabelSet& ls);

// json.NewEncoder(os.Stdout).Encode(v): one line of JSON, HTML characters escaped.
std::string EncodeValue(const Value& v);
std::string EncodeLabelSets(const std::vector<LabelSet>& sets);
std::string EncodeStrings(const std::vector<std::string>& strings);

}  // namespace cerniq::promapi
