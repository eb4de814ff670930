// text/template's builtin functions (Go 1.19 text/template/funcs.go).
#include "gotemplate/builtins.h"

#include <algorithm>
#include <variant>

#include "gocompat/html_escape.h"
#include "gocompat/query_escape.h"
#include "gotemplate/print.h"

namespace cerniq::gotemplate {
namespace {

using Args = std::vector<Value>;

constexpr auto Ok = &CallResult::Ok;
constexpr auto Err = &CallResult::Err;

Function Builtin(std::vector<Param> params, std::function<CallResult(const Args&)> call,
                 bool variadic = false) {
  Function f = Function::Of(std::move(params), std::move(call), variadic);
  f.builtin = true;
  return f;
}

// ---- comparison (text/template funcs.go) ----

enum class Kind { kInvalid, kBool, kInt, kFloat, kString };

Kind BasicKind(const Value& v) {
  switch (v.type()) {
    case Type::kBool:
      return Kind::kBool;
    case Type::kInt:
      return Kind::kInt;
    case Type::kFloat:
      return Kind::kFloat;
    case Type::kString:
    case Type::kHtml:
      return Kind::kString;
    default:
      return Kind::kInvalid;
  }
}

bool IsPointerStruct(const Value& v) {
  return v.type() == Type::kStruct && v.AsStruct().IsPointer();
}

bool IsNilValue(const Value& v) {
  return !v.IsValid() || v.type() == Type::kNil || v.IsNilPointer();
}

std::variant<bool, std::string> Eq(const Value& a, const Args& rest) {
  if (rest.empty()) return std::string("missing argument for comparison");
  const Kind k1 = BasicKind(a);
  for (const Value& b : rest) {
    const Kind k2 = BasicKind(b);
    bool truth = false;
    const bool a_valid = a.IsValid() && a.type() != Type::kNil;
    const bool b_valid = b.IsValid() && b.type() != Type::kNil;
    if (k1 != k2) {
      if (a_valid && b_valid) return std::string("incompatible types for comparison");
    } else {
      switch (k1) {
        case Kind::kBool:
          truth = a.AsBool() == b.AsBool();
          break;
        case Kind::kInt:
          truth = a.AsInt() == b.AsInt();
          break;
        case Kind::kFloat:
          truth = a.AsFloat() == b.AsFloat();
          break;
        case Kind::kString:
          truth = a.AsString() == b.AsString();
          break;
        case Kind::kInvalid:
          if (IsNilValue(a) || IsNilValue(b)) {
            truth = IsNilValue(a) == IsNilValue(b);
          } else if (IsPointerStruct(a) && IsPointerStruct(b)) {
            truth = &a.AsStruct() == &b.AsStruct();
          } else if (a.type() == Type::kTime && b.type() == Type::kTime) {
            truth = false;  // distinct *time.Time pointers
          } else {
            return "non-comparable type " + GoValueString(b) + ": " + b.TypeName();
          }
          break;
      }
    }
    if (truth) return true;
  }
  return false;
}

std::variant<bool, std::string> Lt(const Value& a, const Value& b) {
  const Kind k1 = BasicKind(a);
  if (k1 == Kind::kInvalid) return std::string("invalid type for comparison");
  const Kind k2 = BasicKind(b);
  if (k2 == Kind::kInvalid) return std::string("invalid type for comparison");
  if (k1 != k2) return std::string("incompatible types for comparison");
  switch (k1) {
    case Kind::kFloat:
      return a.AsFloat() < b.AsFloat();
    case Kind::kInt:
      return a.AsInt() < b.AsInt();
    case Kind::kString:
      return a.AsString() < b.AsString();
    default:
      return std::string("invalid type for comparison");
  }
}

CallResult FromBool(const std::variant<bool, std::string>& r, bool negate = false) {
  if (auto* e = std::get_if<std::string>(&r)) return Err(*e);
  return Ok(Value::Bool(std::get<bool>(r) != negate));
}

// ---- len, index, slice ----

std::variant<std::int64_t, std::string> IndexArg(const Value& index, std::size_t cap) {
  if (!index.IsValid() || index.type() == Type::kNil) {
    return std::string("cannot index slice/array with nil");
  }
  if (index.type() != Type::kInt) {
    return "cannot index slice/array with type " + index.TypeName();
  }
  const std::int64_t x = index.AsInt();
  if (x < 0 || static_cast<std::uint64_t>(x) > cap) {
    return "index out of range: " + std::to_string(x);
  }
  return x;
}

CallResult Index(const Args& args) {
  Value item = args[0];
  if (!item.IsValid() || item.type() == Type::kNil) return Err("index of untyped nil");
  for (std::size_t i = 1; i < args.size(); ++i) {
    const Value& index = args[i];
    switch (item.type()) {
      case Type::kString:
      case Type::kHtml:
      case Type::kSlice: {
        const std::size_t len =
            item.type() == Type::kSlice ? item.AsSlice().elems.size() : item.AsString().size();
        auto x = IndexArg(index, len);
        if (auto* e = std::get_if<std::string>(&x)) return Err(*e);
        const auto at = static_cast<std::size_t>(std::get<std::int64_t>(x));
        if (at >= len) {
          return Err(item.type() == Type::kSlice ? "reflect: slice index out of range"
                                                 : "reflect: string index out of range");
        }
        if (item.type() == Type::kSlice) {
          item = item.AsSlice().elems[at];
        } else {
          item = Value::Int(static_cast<unsigned char>(item.AsString()[at]));
        }
        break;
      }
      case Type::kStringMap:
      case Type::kAnyMap: {
        if (!index.IsValid() || index.type() == Type::kNil) {
          return Err("value is nil; should be of type string");
        }
        if (index.type() != Type::kString) {
          return Err("value has type " + index.TypeName() + "; should be string");
        }
        if (item.type() == Type::kStringMap) {
          auto it = item.AsStringMap().find(index.AsString());
          item = Value::String(it == item.AsStringMap().end() ? "" : it->second);
        } else {
          auto it = item.AsAnyMap().find(index.AsString());
          item = it == item.AsAnyMap().end() ? Value::Nil() : it->second;
        }
        break;
      }
      case Type::kStruct:
        if (item.IsNilPointer()) return Err("index of nil pointer");
        return Err("can't index item of type " + item.AsStruct().ElemTypeName());
      default:
        return Err("can't index item of type " + item.TypeName());
    }
  }
  return Ok(item);
}

CallResult SliceItem(const Args& args) {
  const Value& item = args[0];
  if (!item.IsValid() || item.type() == Type::kNil) return Err("slice of untyped nil");
  const std::size_t n = args.size() - 1;
  if (n > 3) return Err("too many slice indexes: " + std::to_string(n));
  std::size_t len = 0;
  if (item.type() == Type::kString || item.type() == Type::kHtml) {
    if (n == 3) return Err("cannot 3-index slice a string");
    len = item.AsString().size();
  } else if (item.type() == Type::kSlice) {
    len = item.AsSlice().elems.size();
  } else {
    return Err("can't slice item of type " + item.TypeName());
  }
  std::int64_t idx[3] = {0, static_cast<std::int64_t>(len), 0};
  for (std::size_t i = 0; i < n; ++i) {
    auto x = IndexArg(args[i + 1], len);
    if (auto* e = std::get_if<std::string>(&x)) return Err(*e);
    idx[i] = std::get<std::int64_t>(x);
  }
  if (idx[0] > idx[1]) {
    return Err("invalid slice index: " + std::to_string(idx[0]) + " > " + std::to_string(idx[1]));
  }
  if (n == 3 && idx[1] > idx[2]) {
    return Err("invalid slice index: " + std::to_string(idx[1]) + " > " + std::to_string(idx[2]));
  }
  const auto from = static_cast<std::size_t>(idx[0]);
  const auto to = static_cast<std::size_t>(idx[1]);
  if (item.type() == Type::kSlice) {
    const std::vector<Value>& elems = item.AsSlice().elems;
    auto out = std::make_shared<Slice>();
    out->type_name = item.AsSlice().type_name;
    out->elems.assign(elems.begin() + static_cast<std::ptrdiff_t>(from),
                      elems.begin() + static_cast<std::ptrdiff_t>(to));
    return Ok(Value::SliceOf(std::move(out)));
  }
  std::string s = item.AsString().substr(from, to - from);
  return Ok(item.type() == Type::kHtml ? Value::Html(std::move(s)) : Value::String(std::move(s)));
}

CallResult Len(const Args& args) {
  const Value& v = args[0];
  switch (v.type()) {
    case Type::kInvalid:
    case Type::kNil:
      return Err("reflect: call of reflect.Value.Type on zero Value");
    case Type::kString:
    case Type::kHtml:
      return Ok(Value::Int(static_cast<std::int64_t>(v.AsString().size())));
    case Type::kStringMap:
      return Ok(Value::Int(static_cast<std::int64_t>(v.AsStringMap().size())));
    case Type::kAnyMap:
      return Ok(Value::Int(static_cast<std::int64_t>(v.AsAnyMap().size())));
    case Type::kSlice:
      return Ok(Value::Int(static_cast<std::int64_t>(v.AsSlice().elems.size())));
    case Type::kStruct:
      if (v.IsNilPointer()) return Err("len of nil pointer");
      return Err("len of type " + v.AsStruct().ElemTypeName());
    case Type::kTime:
      return Err("len of type time.Time");
    default:
      return Err("len of type " + v.TypeName());
  }
}

// ---- html, js, urlquery ----

// evalArgs: a single string argument is used as is, anything else goes through fmt.Sprint.
std::string EvalArgs(const Args& args) {
  if (args.size() == 1 && args[0].type() == Type::kString) return args[0].AsString();
  return GoSprint(args);
}

std::string JsEscape(const std::string& s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '\\':
        out += "\\\\";
        continue;
      case '\'':
        out += "\\'";
        continue;
      case '"':
        out += "\\\"";
        continue;
      case '<':
        out += "\\u003C";
        continue;
      case '>':
        out += "\\u003E";
        continue;
      case '&':
        out += "\\u0026";
        continue;
      case '=':
        out += "\\u003D";
        continue;
      default:
        break;
    }
    if (c < ' ') {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

}  // namespace

void AddBuiltinFunctions(FunctionTable& t) {
  const auto R = Param::kReflect;
  t["and"] = Builtin({R, R}, nullptr, true);
  t["or"] = Builtin({R, R}, nullptr, true);
  t["not"] = Builtin({R}, [](const Args& a) { return Ok(Value::Bool(!IsTrue(a[0]))); });
  t["len"] = Builtin({R}, Len);
  t["index"] = Builtin({R, R}, Index, true);
  t["slice"] = Builtin({R, R}, SliceItem, true);
  t["print"] = Builtin(
      {Param::kAny}, [](const Args& a) { return Ok(Value::String(GoSprint(a))); }, true);
  t["println"] = Builtin(
      {Param::kAny}, [](const Args& a) { return Ok(Value::String(GoSprintln(a))); }, true);
  t["printf"] = Builtin(
      {Param::kString, Param::kAny},
      [](const Args& a) {
        return Ok(Value::String(GoSprintf(a[0].AsString(), Args(a.begin() + 1, a.end()))));
      },
      true);
  t["html"] = Builtin(
      {Param::kAny},
      [](const Args& a) { return Ok(Value::String(gocompat::HtmlEscapeString(EvalArgs(a)))); },
      true);
  t["js"] = Builtin(
      {Param::kAny}, [](const Args& a) { return Ok(Value::String(JsEscape(EvalArgs(a)))); }, true);
  t["urlquery"] = Builtin(
      {Param::kAny},
      [](const Args& a) { return Ok(Value::String(gocompat::QueryEscape(EvalArgs(a)))); }, true);
  t["call"] = Builtin(
      {R, R},
      [](const Args& a) -> CallResult {
        if (!a[0].IsValid() || a[0].type() == Type::kNil) return Err("call of nil");
        return Err("non-function of type " + a[0].TypeName());
      },
      true);
  t["eq"] = Builtin(
      {R, R}, [](const Args& a) { return FromBool(Eq(a[0], Args(a.begin() + 1, a.end()))); }, true);
  t["ne"] = Builtin({R, R}, [](const Args& a) { return FromBool(Eq(a[0], {a[1]}), true); });
  t["lt"] = Builtin({R, R}, [](const Args& a) { return FromBool(Lt(a[0], a[1])); });
  t["ge"] = Builtin({R, R}, [](const Args& a) { return FromBool(Lt(a[0], a[1]), true); });
  auto le = [](const Args& a) -> std::variant<bool, std::string> {
    auto lt = Lt(a[0], a[1]);
    if (std::holds_alternative<std::string>(lt) || std::get<bool>(lt)) return lt;
    return Eq(a[0], {a[1]});
  };
  t["le"] = Builtin({R, R}, [le](const Args& a) { return FromBool(le(a)); });
  t["gt"] = Builtin({R, R}, [le](const Args& a) { return FromBool(le(a), true); });
}

}  // namespace cerniq::gotemplate
