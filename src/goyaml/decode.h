#pragma once
// What Go's YAML libraries (gopkg.in/yaml.v3, and yaml.v2's UnmarshalStrict) report while
// decoding into Go types, reproduced over yaml-cpp nodes: type errors ("line 3: cannot unmarshal
// !!str `abc` into int"), duplicate keys, unknown fields, and the errors that abort decoding.
// Users: rule files and promtool's unit-test files (src/rules), the web config (src/http).
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "goyaml/position.h"
#include "goyaml/syntax.h"

namespace cerniq::goyaml {

// Which Go YAML library's rules a Decoder applies (`Version`, syntax.h): kV3 is gopkg.in/yaml.v3
// (rule files); kV2 is yaml.v2's UnmarshalStrict (promtool's unit-test files, exporter-toolkit's
// web config: repeated keys reported inline, YAML 1.1 booleans).

// yaml.v3 Node.Line / Node.Column (1-based) of a yaml-cpp node; {0, 0} when it has no mark.
Position NodePosition(const YAML::Node& node);

// yaml.v3's short tag of a node after implicit resolution: !!null, !!bool, !!int, !!float,
// !!timestamp, !!str, !!seq, !!map.
std::string ResolvedTag(const YAML::Node& node, Version version = Version::kV3);

// A yaml-cpp parse error in go-yaml's form. Syntax errors come from goyaml::SyntaxError (libyaml,
// go-yaml's wording and lines) before yaml-cpp runs; this covers what yaml-cpp alone rejects.
std::string YamlCppSyntaxError(const YAML::Exception& e);

// Collects the errors of one yaml.v3 decode. Type errors accumulate; a "fatal" error (one
// returned by a custom unmarshaler, e.g. a bad duration) aborts the decode and replaces them.
class Decoder {
 public:
  explicit Decoder(bool known_fields, Version version = Version::kV3)
      : known_fields_(known_fields), version_(version) {}

  bool Failed() const { return fatal_.has_value() || !type_errors_.empty(); }
  bool Aborted() const { return fatal_.has_value(); }
  // The error text as yaml.v3 formats it ("yaml: unmarshal errors:\n  line ..."), if any.
  std::optional<std::string> Error() const;
  // Where the first recorded error is ({0, 0} when none, or when it had no node): lets a caller
  // that prints file:line:col point at it.
  Position FirstErrorPosition() const { return first_position_; }

  // Records "cannot unmarshal <tag> `<value>` into <go_type>".
  void TypeMismatch(const YAML::Node& node, const std::string& go_type);
  void UnknownField(const YAML::Node& key, const std::string& go_type);
  void Abort(std::string message);
  // An error returned by a custom unmarshaler of `node` (e.g. "unknown cipher: RC4").
  void Abort(const YAML::Node& node, std::string message);

  // yaml.v3 rejects a mapping whose keys repeat before decoding any of its fields; returns false
  // (and records the errors) when `map` has repeated keys.
  bool UniqueKeys(const YAML::Node& map);

  // yaml.v2 strict: whether `key` is the first of its name in a struct (records "field X already
  // set in type T" otherwise).
  bool FieldOnce(std::set<std::string>& done, const YAML::Node& key, const std::string& go_type);

  // Decoders for the Go types rule files use. Each leaves `out` untouched on error.
  // `go_type` names the Go string type in type errors ("string", "config.plain").
  void String(const YAML::Node& node, std::string& out, const std::string& go_type = "string");
  // yaml.v2/v3 bool: the resolved !!bool values; null is false.
  void Bool(const YAML::Node& node, bool& out);
  void Int(const YAML::Node& node, std::int64_t& out);
  // Prometheus's model.Duration, in milliseconds.
  void Duration(const YAML::Node& node, std::int64_t& out_ms);
  void StringMap(const YAML::Node& node, std::map<std::string, std::string>& out,
                 const std::string& map_type = "map[string]string",
                 const std::string& value_type = "string");
  void Float(const YAML::Node& node, double& out);
  void StringList(const YAML::Node& node, std::vector<std::string>& out);

 private:
  void Record(const YAML::Node& node, std::string text);

  bool known_fields_;
  Version version_;
  std::vector<std::string> type_errors_;
  std::optional<std::string> fatal_;
  Position first_position_;
};

// Decodes one field's value; the caller's lambda picks the decoder for the field's Go type.
using FieldDecoder = std::function<void(const YAML::Node& value)>;

// Decodes a mapping into a Go struct named `go_type` ("main.series", "web.TLSConfig"): each
// known field once (yaml.v2 strict), unknown fields reported, in document order; null leaves the
// struct as it is.
void DecodeStruct(Decoder& dec, const YAML::Node& node, const std::string& go_type,
                  const std::map<std::string, FieldDecoder>& fields);

// Decodes a sequence into a Go slice named `go_type`, one item at a time.
template <typename T, typename F>
void DecodeList(Decoder& dec, const YAML::Node& node, const std::string& go_type,
                std::vector<T>& out, F decode_item) {
  if (node.IsNull() || !node.IsDefined()) return;
  if (!node.IsSequence()) {
    dec.TypeMismatch(node, go_type);
    return;
  }
  for (const auto& item : node) {
    T value;
    decode_item(item, value);
    out.push_back(std::move(value));
  }
}

}  // namespace cerniq::goyaml
