// Go's fmt printing (Sprint, Sprintln, Sprintf) of template values.
#include <cmath>
#include <cstdio>

#include "gocompat/float_format.h"
#include "gocompat/quote.h"
#include "gocompat/time.h"
#include "gocompat/unicode.h"
#include "gocompat/utf8.h"
#include "gotemplate/print.h"

namespace cerniq::gotemplate {
namespace {

struct Spec {
  bool plus = false, minus = false, sharp = false, space = false, zero = false;
  bool has_width = false, has_prec = false;
  int width = 0, prec = 0;
};

// fmt.pad: width counts runes; zero padding only applies when not left-justified.
std::string Pad(const std::string& s, const Spec& spec, bool allow_zero = true) {
  if (!spec.has_width) return s;
  const std::size_t n = gocompat::RuneCount(s);
  if (static_cast<std::size_t>(spec.width) <= n) return s;
  const std::size_t fill = static_cast<std::size_t>(spec.width) - n;
  if (spec.minus) return s + std::string(fill, ' ');
  return std::string(fill, spec.zero && allow_zero ? '0' : ' ') + s;
}

std::string FormatInt(std::int64_t value, char verb, const Spec& spec) {
  const bool negative = value < 0;
  const std::uint64_t u =
      negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  if (verb == 'c' || verb == 'q' || verb == 'U') {
    std::string rune;
    const auto r = static_cast<std::uint32_t>(u);
    gocompat::AppendUtf8(rune, r);  // fmt's %c: an invalid rune prints as U+FFFD
    if (verb == 'c') return Pad(rune, spec, false);
    if (verb == 'q') return Pad(gocompat::QuoteRune(r), spec, false);
    char buf[32];
    std::snprintf(buf, sizeof buf, "U+%04X", r);
    std::string out = buf;
    if (spec.sharp && gocompat::IsPrint(r)) out += " '" + rune + "'";  // fmt.fmtUnicode
    return Pad(out, spec, false);
  }
  int base = 10;
  const char* digits = "0123456789abcdefx";
  std::string prefix;
  switch (verb) {
    case 'b':
      base = 2;
      if (spec.sharp) prefix = "0b";
      break;
    case 'o':
      base = 8;
      if (spec.sharp) prefix = "0";
      break;
    case 'O':
      base = 8;
      prefix = "0o";
      break;
    case 'x':
      base = 16;
      if (spec.sharp) prefix = "0x";
      break;
    case 'X':
      base = 16;
      digits = "0123456789ABCDEFX";
      if (spec.sharp) prefix = "0X";
      break;
    default:
      break;
  }
  std::string num;
  for (std::uint64_t v = u; v > 0; v /= static_cast<std::uint64_t>(base)) {
    num.insert(num.begin(), digits[v % static_cast<std::uint64_t>(base)]);
  }
  if (num.empty()) num = "0";
  int prec = spec.has_prec ? spec.prec : -1;
  if (prec == 0 && u == 0) num.clear();
  if (prec < 0 && spec.zero && spec.has_width && !spec.minus) {
    prec = spec.width - static_cast<int>(prefix.size());
    if (negative || spec.plus || spec.space) --prec;
  }
  if (prec > static_cast<int>(num.size()))
    num.insert(0, static_cast<std::size_t>(prec) - num.size(), '0');
  if (prefix == "0" && !num.empty() && num[0] == '0') prefix.clear();
  std::string sign = negative ? "-" : spec.plus ? "+" : spec.space ? " " : "";
  Spec no_zero = spec;
  no_zero.zero = false;
  return Pad(sign + prefix + num, no_zero);
}

std::string FormatFloat(double v, char verb, const Spec& spec) {
  char fmt = verb == 'v' ? 'g' : verb == 'F' ? 'f' : verb;
  int prec = spec.has_prec ? spec.prec : (fmt == 'e' || fmt == 'E' || fmt == 'f') ? 6 : -1;
  std::string num = gocompat::FormatFloat(v, fmt, prec);
  if (num[0] != '-' && num[0] != '+') num = "+" + num;
  if (spec.space && num[0] == '+' && !spec.plus) num[0] = ' ';
  if (num[1] == 'I' || num[1] == 'N') {
    if (num[1] == 'N' && !spec.space && !spec.plus) num = num.substr(1);
    Spec no_zero = spec;
    no_zero.zero = false;
    return Pad(num, no_zero);
  }
  if (!spec.plus && num[0] == '+') num = num.substr(1);
  if (spec.zero && spec.has_width && !spec.minus && spec.width > static_cast<int>(num.size())) {
    // The sign goes before the zeros.
    const bool has_sign = num[0] == '-' || num[0] == '+' || num[0] == ' ';
    const std::string sign = has_sign ? num.substr(0, 1) : "";
    const std::string body = has_sign ? num.substr(1) : num;
    return sign + std::string(static_cast<std::size_t>(spec.width) - num.size(), '0') + body;
  }
  return Pad(num, spec);
}

std::string FormatString(const std::string& s, char verb, const Spec& spec) {
  std::string str = s;
  if (spec.has_prec) {  // precision truncates to that many runes
    str = str.substr(0, gocompat::RunePrefixBytes(str, static_cast<std::size_t>(spec.prec)));
  }
  if (verb == 'q') return Pad(gocompat::Quote(str), spec);
  if (verb == 'x' || verb == 'X') {
    static const char* kLower = "0123456789abcdef";
    static const char* kUpper = "0123456789ABCDEF";
    const char* d = verb == 'x' ? kLower : kUpper;
    // fmtSbx: the precision counts bytes here; " " separates bytes, "#" adds 0x prefixes.
    std::string bytes = s;
    if (spec.has_prec && static_cast<std::size_t>(spec.prec) < bytes.size()) {
      bytes.resize(static_cast<std::size_t>(spec.prec));
    }
    std::string hex;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
      if (spec.space && i > 0) hex += ' ';
      if (spec.sharp && (spec.space || i == 0)) hex += verb == 'x' ? "0x" : "0X";
      const auto c = static_cast<unsigned char>(bytes[i]);
      hex += d[c >> 4];
      hex += d[c & 0xF];
    }
    return Pad(hex, spec);
  }
  return Pad(str, spec);
}

std::string Print(const Value& v, char verb, const Spec& spec, int depth);

std::string BadVerb(const Value& v, char verb, const Spec& spec) {
  if (v.type() == Type::kNil || v.type() == Type::kInvalid) {
    return std::string("%!") + verb + "(<nil>)";
  }
  return std::string("%!") + verb + "(" + v.TypeName() + "=" + Print(v, 'v', spec, 0) + ")";
}

template <typename Map, typename F>
std::string PrintMap(const Map& m, char verb, const Spec& spec, int depth, F element) {
  std::string out = "map[";
  bool first = true;
  for (const auto& [k, val] : m) {
    if (!first) out += ' ';
    first = false;
    out +=
        FormatString(k, verb == 'v' ? 's' : verb, spec) + ":" + element(val, verb, spec, depth + 1);
  }
  return out + "]";
}

std::string Print(const Value& v, char verb, const Spec& spec, int depth) {
  switch (v.type()) {
    case Type::kInvalid:
    case Type::kNil:
      if (verb == 'v') return Pad("<nil>", spec, false);
      return BadVerb(v, verb, spec);
    case Type::kBool:
      if (verb == 't' || verb == 'v') return Pad(v.AsBool() ? "true" : "false", spec, false);
      return BadVerb(v, verb, spec);
    case Type::kInt:
      if (std::string("vdbcoOqxXU").find(verb) != std::string::npos) {
        return FormatInt(v.AsInt(), verb == 'v' ? 'd' : verb, spec);
      }
      return BadVerb(v, verb, spec);
    case Type::kFloat:
      if (std::string("vgGeEfF").find(verb) != std::string::npos)
        return FormatFloat(v.AsFloat(), verb, spec);
      return BadVerb(v, verb, spec);
    case Type::kString:
    case Type::kHtml:
      if (std::string("vsqxX").find(verb) != std::string::npos)
        return FormatString(v.AsString(), verb, spec);
      return BadVerb(v, verb, spec);
    case Type::kStringMap:
      return PrintMap(v.AsStringMap(), verb, spec, depth,
                      [](const std::string& s, char vb, const Spec& sp, int) {
                        return std::string("vsqxX").find(vb) != std::string::npos
                                   ? FormatString(s, vb, sp)
                                   : BadVerb(Value::String(s), vb, sp);
                      });
    case Type::kAnyMap:
      return PrintMap(
          v.AsAnyMap(), verb, spec, depth,
          [](const Value& e, char vb, const Spec& sp, int d) { return Print(e, vb, sp, d); });
    case Type::kTime:
      // *time.Time is a fmt.Stringer: the string verbs print Time.String().
      if (std::string("vsqxX").find(verb) != std::string::npos) {
        return FormatString(GoTimeString(v.AsUnixNanos()), verb, spec);
      }
      return BadVerb(v, verb, spec);
    case Type::kStruct: {
      const Struct& st = v.AsStruct();
      if (st.is_nil) return Pad("<nil>", spec, false);
      // Go prints a nested pointer as an address; we print its contents instead.
      std::string out = st.IsPointer() ? "&{" : "{";
      for (std::size_t i = 0; i < st.fields.size(); ++i) {
        if (i > 0) out += ' ';
        out += Print(st.fields[i].second, verb, spec, depth + 1);
      }
      return out + "}";
    }
    case Type::kSlice: {
      std::string out = "[";
      for (std::size_t i = 0; i < v.AsSlice().elems.size(); ++i) {
        if (i > 0) out += ' ';
        out += Print(v.AsSlice().elems[i], verb, spec, depth + 1);
      }
      return out + "]";
    }
  }
  return "";
}

}  // namespace

std::string GoSprint(const std::vector<Value>& args) {
  std::string out;
  bool prev_string = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const bool is_string = args[i].IsStringKind();
    if (i > 0 && !is_string && !prev_string) out += ' ';
    out += Print(args[i], 'v', Spec{}, 0);
    prev_string = is_string;
  }
  return out;
}

std::string GoSprintln(const std::vector<Value>& args) {
  std::string out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (i > 0) out += ' ';
    out += Print(args[i], 'v', Spec{}, 0);
  }
  return out + "\n";
}

std::string GoSprintf(const std::string& format, const std::vector<Value>& args) {
  std::string out;
  std::size_t arg = 0;
  const std::size_t end = format.size();
  for (std::size_t i = 0; i < end;) {
    const std::size_t pct = format.find('%', i);
    if (pct == std::string::npos) {
      out.append(format, i, std::string::npos);
      break;
    }
    out.append(format, i, pct - i);
    i = pct + 1;
    Spec spec;
    for (; i < end; ++i) {
      const char c = format[i];
      if (c == '#')
        spec.sharp = true;
      else if (c == '0')
        spec.zero = !spec.minus;
      else if (c == '+')
        spec.plus = true;
      else if (c == '-')
        spec.minus = true, spec.zero = false;
      else if (c == ' ')
        spec.space = true;
      else
        break;
    }
    auto read_number = [&](int& n, bool& present) {
      if (i < end && format[i] == '*') {
        ++i;
        if (arg < args.size() && args[arg].type() == Type::kInt) {
          n = static_cast<int>(args[arg++].AsInt());
          present = true;
          return true;
        }
        if (arg < args.size()) ++arg;
        return false;
      }
      while (i < end && format[i] >= '0' && format[i] <= '9') {
        n = n * 10 + (format[i++] - '0');
        present = true;
      }
      return true;
    };
    if (!read_number(spec.width, spec.has_width)) out += "%!(BADWIDTH)";
    if (spec.has_width && spec.width < 0)
      spec.minus = true, spec.zero = false, spec.width = -spec.width;
    if (i < end && format[i] == '.') {
      ++i;
      spec.has_prec = true;
      if (!read_number(spec.prec, spec.has_prec)) out += "%!(BADPREC)", spec.has_prec = false;
      spec.has_prec = true;
      if (spec.prec < 0) spec.has_prec = false, spec.prec = 0;
    }
    if (i >= end) {
      out += "%!(NOVERB)";
      break;
    }
    // The verb is one rune.
    int vlen = 1;
    gocompat::DecodeRune(format, i, &vlen);
    const std::string verb_text = format.substr(i, vlen);
    i += vlen;
    if (verb_text == "%") {
      out += '%';
      continue;
    }
    if (arg >= args.size()) {
      out += "%!" + verb_text + "(MISSING)";
      continue;
    }
    const Value& v = args[arg++];
    if (vlen > 1 || verb_text == "w") {
      out += "%!" + verb_text + "(" +
             (v.IsValid() && v.type() != Type::kNil ? v.TypeName() + "=" + Print(v, 'v', spec, 0)
                                                    : "<nil>") +
             ")";
      continue;
    }
    out += Print(v, verb_text[0], spec, 0);
  }
  if (arg < args.size()) {
    out += "%!(EXTRA ";
    for (std::size_t k = arg; k < args.size(); ++k) {
      if (k > arg) out += ", ";
      if (args[k].type() == Type::kNil || !args[k].IsValid())
        out += "<nil>";
      else
        out += args[k].TypeName() + "=" + Print(args[k], 'v', Spec{}, 0);
    }
    out += ")";
  }
  return out;
}

std::string GoTimeString(std::int64_t unix_nanos) {
  std::int64_t secs = unix_nanos / 1000000000;
  std::int64_t nanos = unix_nanos % 1000000000;
  if (nanos < 0) nanos += 1000000000, --secs;
  std::int64_t days = secs / 86400;
  std::int64_t rem = secs % 86400;
  if (rem < 0) rem += 86400, --days;
  // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t year = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  if (month <= 2) ++year;
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s%04lld-%02lld-%02lld %02lld:%02lld:%02lld", year < 0 ? "-" : "",
                static_cast<long long>(year < 0 ? -year : year), static_cast<long long>(month),
                static_cast<long long>(day), static_cast<long long>(rem / 3600),
                static_cast<long long>(rem / 60 % 60), static_cast<long long>(rem % 60));
  std::string out = buf;
  return out + gocompat::TrimmedFraction(nanos) + " +0000 UTC";
}

}  // namespace cerniq::gotemplate
