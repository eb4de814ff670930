#pragma once
// The Go values a Prometheus alert template handles, with their Go type names (they appear in
// error messages) and Go's fmt printing of them.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cerniq::rules::tmpl {

// template.sample: one element of a `query` result.
struct Sample {
  std::map<std::string, std::string> labels;
  double value = 0;
};

// The data of an alert template (template.AlertTemplateData in 2.42).
struct AlertData {
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> external_labels;
  std::string external_url;
  double value = 0;
};

class Value;
using ValueMap = std::map<std::string, Value>;
using SampleList = std::vector<std::shared_ptr<const Sample>>;

enum class Type {
  kInvalid,  // reflect.Value{}: a missing value, printed "<no value>"
  kNil,      // a nil interface{} (e.g. nil passed to print), printed "<nil>"
  kBool,
  kInt,    // int
  kFloat,  // float64
  kString,
  kHtml,        // html/template.HTML (from safeHtml)
  kStringMap,   // map[string]string
  kAnyMap,      // map[string]interface {} (from args)
  kAlertData,   // the alert template's data struct
  kTime,        // *time.Time (from toTime)
  kSample,      // *template.sample (nil allowed)
  kSampleList,  // template.queryResult
};

class Value {
 public:
  Value() = default;
  static Value Nil() { return Value(Type::kNil); }
  static Value Bool(bool b) {
    Value v(Type::kBool);
    v.i_ = b;
    return v;
  }
  static Value Int(std::int64_t i) {
    Value v(Type::kInt);
    v.i_ = i;
    return v;
  }
  static Value Float(double f) {
    Value v(Type::kFloat);
    v.f_ = f;
    return v;
  }
  static Value String(std::string s) {
    Value v(Type::kString);
    v.s_ = std::move(s);
    return v;
  }
  static Value Html(std::string s) {
    Value v(Type::kHtml);
    v.s_ = std::move(s);
    return v;
  }
  static Value StringMap(std::shared_ptr<const std::map<std::string, std::string>> m) {
    Value v(Type::kStringMap);
    v.string_map_ = std::move(m);
    return v;
  }
  static Value AnyMap(std::shared_ptr<const ValueMap> m) {
    Value v(Type::kAnyMap);
    v.any_map_ = std::move(m);
    return v;
  }
  static Value Data(std::shared_ptr<const AlertData> d) {
    Value v(Type::kAlertData);
    v.data_ = std::move(d);
    return v;
  }
  // A time as nanoseconds since the Unix epoch (UTC).
  static Value Time(std::int64_t unix_nanos) {
    Value v(Type::kTime);
    v.i_ = unix_nanos;
    return v;
  }
  static Value SamplePtr(std::shared_ptr<const Sample> s) {
    Value v(Type::kSample);
    v.sample_ = std::move(s);
    return v;
  }
  static Value Samples(std::shared_ptr<const SampleList> l) {
    Value v(Type::kSampleList);
    v.samples_ = std::move(l);
    return v;
  }

  Type type() const { return type_; }
  bool IsValid() const { return type_ != Type::kInvalid; }
  bool AsBool() const { return i_ != 0; }
  std::int64_t AsInt() const { return i_; }
  double AsFloat() const { return f_; }
  const std::string& AsString() const { return s_; }
  const std::map<std::string, std::string>& AsStringMap() const { return *string_map_; }
  const ValueMap& AsAnyMap() const { return *any_map_; }
  const AlertData& AsData() const { return *data_; }
  std::int64_t AsUnixNanos() const { return i_; }
  const std::shared_ptr<const Sample>& AsSample() const { return sample_; }
  const SampleList& AsSamples() const { return *samples_; }

  // A value read from a map[string]interface{} keeps the static type interface {} until a
  // pipeline step unwraps it; only error messages can tell.
  Value Boxed() const {
    Value v = *this;
    v.boxed_ = true;
    return v;
  }
  Value Unboxed() const {
    Value v = *this;
    v.boxed_ = false;
    return v;
  }
  bool IsBoxed() const { return boxed_; }

  // Go's reflect Type.String(): "float64", "map[string]string", "*template.sample", ...
  std::string TypeName() const;
  // Whether Go's reflect.Kind is String (string and template.HTML): fmt.Sprint spacing and
  // comparisons treat both as strings.
  bool IsStringKind() const { return type_ == Type::kString || type_ == Type::kHtml; }

 private:
  explicit Value(Type t) : type_(t) {}
  Type type_ = Type::kInvalid;
  bool boxed_ = false;
  std::int64_t i_ = 0;
  double f_ = 0;
  std::string s_;
  std::shared_ptr<const std::map<std::string, std::string>> string_map_;
  std::shared_ptr<const ValueMap> any_map_;
  std::shared_ptr<const AlertData> data_;
  std::shared_ptr<const Sample> sample_;
  std::shared_ptr<const SampleList> samples_;
};

// fmt.Sprint, fmt.Sprintln, fmt.Sprintf over template values.
std::string GoSprint(const std::vector<Value>& args);
std::string GoSprintln(const std::vector<Value>& args);
std::string GoSprintf(const std::string& format, const std::vector<Value>& args);

// time.Time.String() in UTC: "1970-01-01 00:00:01.5 +0000 UTC".
std::string GoTimeString(std::int64_t unix_nanos);

}  // namespace cerniq::rules::tmpl
