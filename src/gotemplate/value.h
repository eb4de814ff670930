#pragma once
// The Go values a template handles, with their Go type names (they appear in error messages).
// Types the caller defines (structs, pointers to structs, slices) are described generically.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cerniq::gotemplate {

class Value;
struct Struct;
struct Slice;
using ValueMap = std::map<std::string, Value>;

enum class Type {
  kInvalid,  // reflect.Value{}: a missing value, printed "<no value>"
  kNil,      // a nil interface{} (e.g. nil passed to print), printed "<nil>"
  kBool,
  kInt,    // int
  kFloat,  // float64
  kString,
  kHtml,       // html/template.HTML (from safeHtml)
  kStringMap,  // map[string]string
  kAnyMap,     // map[string]interface {} (from args)
  kTime,       // *time.Time
  kStruct,     // a struct, or a pointer to one (nil allowed), of a type the caller names
  kSlice,      // a slice of a type the caller names
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
  // A time as nanoseconds since the Unix epoch (UTC).
  static Value Time(std::int64_t unix_nanos) {
    Value v(Type::kTime);
    v.i_ = unix_nanos;
    return v;
  }
  static Value StructOf(std::shared_ptr<const Struct> s) {
    Value v(Type::kStruct);
    v.struct_ = std::move(s);
    return v;
  }
  static Value SliceOf(std::shared_ptr<const Slice> s) {
    Value v(Type::kSlice);
    v.slice_ = std::move(s);
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
  std::int64_t AsUnixNanos() const { return i_; }
  const Struct& AsStruct() const { return *struct_; }
  const Slice& AsSlice() const { return *slice_; }
  // A nil pointer to a struct.
  bool IsNilPointer() const;

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
  std::shared_ptr<const Struct> struct_;
  std::shared_ptr<const Slice> slice_;
};

// A Go struct, or a pointer to one when type_name starts with "*" ("*template.sample"). Fields
// are in declaration order (fmt prints them so). A nil pointer may still list the field names
// (with zero values): Go tells "nil pointer evaluating" a field from "can't evaluate field".
struct Struct {
  std::string type_name;
  std::vector<std::pair<std::string, Value>> fields;
  bool is_nil = false;

  bool IsPointer() const { return !type_name.empty() && type_name[0] == '*'; }
  // The pointed-to type's name, as Go's len and index errors print it.
  std::string ElemTypeName() const { return IsPointer() ? type_name.substr(1) : type_name; }
  const Value* Field(std::string_view name) const;
};

// A Go slice (a nil slice is an empty one).
struct Slice {
  std::string type_name;
  std::vector<Value> elems;
};

}  // namespace cerniq::gotemplate
