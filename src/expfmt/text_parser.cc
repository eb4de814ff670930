// A port of expfmt's state machine: each state reads on and returns the next, so the error of
// every malformed input is the one Go reports, at the same line.
#include "expfmt/text_parser.h"

#include <cmath>
#include <limits>
#include <set>

#include "gocompat/parse_float.h"
#include "gocompat/quote.h"
#include "gocompat/utf8.h"
#include "promql/labels.h"

namespace cerniq::expfmt {
namespace {

bool IsLabelNameStart(char b) {
  return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '_';
}
bool IsLabelNameContinuation(char b) { return IsLabelNameStart(b) || (b >= '0' && b <= '9'); }
bool IsMetricNameStart(char b) { return IsLabelNameStart(b) || b == ':'; }
bool IsMetricNameContinuation(char b) { return IsLabelNameContinuation(b) || b == ':'; }
bool IsBlankOrTab(char b) { return b == ' ' || b == '\t'; }
bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// fmt's %q of a byte, which Go formats as the rune of that value (strconv.QuoteRune).
std::string QuoteByte(char c) {
  const auto b = static_cast<unsigned char>(c);
  switch (b) {
    case '\a':
      return "'\\a'";
    case '\b':
      return "'\\b'";
    case '\f':
      return "'\\f'";
    case '\n':
      return "'\\n'";
    case '\r':
      return "'\\r'";
    case '\t':
      return "'\\t'";
    case '\v':
      return "'\\v'";
    case '\\':
      return "'\\\\'";
    case '\'':
      return "'\\''";
    default:
      break;
  }
  static const char* kHex = "0123456789abcdef";
  if (b < 0x20 || b == 0x7f) return std::string("'\\x") + kHex[b >> 4] + kHex[b & 15] + "'";
  if (b < 0x80) return std::string("'") + static_cast<char>(b) + "'";
  if (b < 0xa0 || b == 0xad) return std::string("'\\u00") + kHex[b >> 4] + kHex[b & 15] + "'";
  std::string out = "'";
  gocompat::AppendUtf8(out, b);
  return out + "'";
}

bool ValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    int width = 1;
    if (gocompat::DecodeRune(s, i, &width) == 0xFFFD && width == 1) return false;
    i += static_cast<std::size_t>(width);
  }
  return true;
}

// expfmt's parseFloat: strconv.ParseFloat without hex floats or underscores (and a hex float
// needs its 'p' exponent, so no hex number is left).
std::optional<double> ParseFloat(const std::string& s) {
  if (s.find_first_of("pP_") != std::string::npos) return std::nullopt;
  const std::size_t digits = !s.empty() && (s[0] == '+' || s[0] == '-') ? 1 : 0;
  if (s.size() > digits + 1 && s[digits] == '0' && (s[digits + 1] == 'x' || s[digits + 1] == 'X')) {
    return std::nullopt;
  }
  return gocompat::ParseFloat(s);
}

std::optional<int64_t> ParseInt(const std::string& s) {
  std::size_t i = s.empty() || (s[0] != '+' && s[0] != '-') ? 0 : 1;
  if (i == s.size()) return std::nullopt;
  for (std::size_t j = i; j < s.size(); ++j) {
    if (s[j] < '0' || s[j] > '9') return std::nullopt;
  }
  try {
    return std::stoll(s[0] == '+' ? s.substr(1) : s);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

class Parser {
 public:
  explicit Parser(std::string_view in) : in_(in) {}

  std::map<std::string, MetricFamily> Run() {
    for (St s = St::kStartOfLine; s != St::kDone;) s = Step(s);
    std::erase_if(families_, [](const auto& kv) { return kv.second.metrics.empty(); });
    if (eof_) ParseErrorAt("unexpected end of input stream");
    if (!error_.empty()) throw ParseError(error_);
    return std::move(families_);
  }

 private:
  enum class St {
    kDone,
    kStartOfLine,
    kStartComment,
    kReadingMetricName,
    kStartLabelName,
    kStartLabelValue,
    kReadingValue,
    kStartTimestamp,
    kReadingHelp,
    kReadingType
  };

  St Step(St s) {
    switch (s) {
      case St::kStartOfLine:
        return StartOfLine();
      case St::kStartComment:
        return StartComment();
      case St::kReadingMetricName:
        return ReadingMetricName();
      case St::kStartLabelName:
        return StartLabelName();
      case St::kStartLabelValue:
        return StartLabelValue();
      case St::kReadingValue:
        return ReadingValue();
      case St::kStartTimestamp:
        return StartTimestamp();
      case St::kReadingHelp:
        return ReadingHelp();
      case St::kReadingType:
        return ReadingType();
      case St::kDone:
        break;
    }
    return St::kDone;
  }

  bool ReadByte() {
    if (pos_ >= in_.size()) {
      eof_ = true;
      return false;
    }
    cur_ = in_[pos_++];
    eof_ = false;
    return true;
  }
  bool Failed() const { return eof_ || !error_.empty(); }
  void ParseErrorAt(const std::string& msg) {
    eof_ = false;
    error_ = "text format parsing error in line " + std::to_string(line_) + ": " + msg;
  }
  void SkipBlankTab() {
    while (ReadByte() && IsBlankOrTab(cur_)) {
    }
  }
  void SkipBlankTabIfCurrentBlankTab() {
    if (IsBlankOrTab(cur_)) SkipBlankTab();
  }
  void ReadTokenUntilWhitespace() {
    token_.clear();
    while (!Failed() && !IsBlankOrTab(cur_) && cur_ != '\n') {
      token_ += cur_;
      ReadByte();
    }
  }
  void ReadTokenUntilNewline(bool escapes) {
    token_.clear();
    bool escaped = false;
    while (!Failed()) {
      if (escapes && escaped) {
        if (cur_ == '\\') {
          token_ += '\\';
        } else if (cur_ == 'n') {
          token_ += '\n';
        } else {
          return ParseErrorAt(std::string("invalid escape sequence '\\") + cur_ + "'");
        }
        escaped = false;
      } else if (cur_ == '\n') {
        return;
      } else if (cur_ == '\\') {
        escaped = true;
      } else {
        token_ += cur_;
      }
      ReadByte();
    }
  }
  void ReadTokenAs(bool (*start)(char), bool (*continuation)(char)) {
    token_.clear();
    if (!start(cur_)) return;
    do {
      token_ += cur_;
    } while (ReadByte() && continuation(cur_));
  }
  void ReadTokenAsLabelValue() {
    token_.clear();
    bool escaped = false;
    while (ReadByte()) {
      if (escaped) {
        if (cur_ == '"' || cur_ == '\\') {
          token_ += cur_;
        } else if (cur_ == 'n') {
          token_ += '\n';
        } else {
          return ParseErrorAt(std::string("invalid escape sequence '\\") + cur_ + "'");
        }
        escaped = false;
      } else if (cur_ == '"') {
        return;
      } else if (cur_ == '\n') {
        return ParseErrorAt("label value " + gocompat::Quote(token_) +
                            " contains unescaped new-line");
      } else if (cur_ == '\\') {
        escaped = true;
      } else {
        token_ += cur_;
      }
    }
  }

  void SetOrCreateCurrentFamily() {
    is_count_ = is_sum_ = false;
    const std::string name = token_;
    if (auto it = families_.find(name); it != families_.end()) {
      mf_ = &it->second;
      return;
    }
    const bool count = EndsWith(name, "_count"), sum = EndsWith(name, "_sum");
    const bool bucket = EndsWith(name, "_bucket");
    for (MetricType t : {MetricType::kSummary, MetricType::kHistogram}) {
      const std::size_t cut = count ? 6 : sum ? 4 : bucket && t == MetricType::kHistogram ? 7 : 0;
      auto it = families_.find(name.substr(0, name.size() - cut));
      if (it != families_.end() && it->second.type == t) {
        mf_ = &it->second;
        is_count_ = count, is_sum_ = sum;
        return;
      }
    }
    mf_ = &families_[name];
    mf_->name = name;
  }

  bool TypeIs(MetricType t) const { return mf_->type == t; }

  St StartOfLine() {
    ++line_;
    SkipBlankTab();
    if (eof_) {
      eof_ = false;
      return St::kDone;
    }
    if (cur_ == '#') return St::kStartComment;
    if (cur_ == '\n') return St::kStartOfLine;
    return St::kReadingMetricName;
  }

  St StartComment() {
    SkipBlankTab();
    if (Failed()) return St::kDone;
    if (cur_ == '\n') return St::kStartOfLine;
    ReadTokenUntilWhitespace();
    if (Failed()) return St::kDone;
    if (cur_ == '\n') return St::kStartOfLine;
    const std::string keyword = token_;
    if (keyword != "HELP" && keyword != "TYPE") {
      while (cur_ != '\n') {
        if (!ReadByte()) return St::kDone;
      }
      return St::kStartOfLine;
    }
    SkipBlankTab();
    if (Failed()) return St::kDone;
    ReadTokenAs(IsMetricNameStart, IsMetricNameContinuation);
    if (Failed()) return St::kDone;
    if (cur_ == '\n') return St::kStartOfLine;
    if (!IsBlankOrTab(cur_)) return ParseErrorAt("invalid metric name in comment"), St::kDone;
    SetOrCreateCurrentFamily();
    SkipBlankTab();
    if (Failed()) return St::kDone;
    if (cur_ == '\n') return St::kStartOfLine;
    return keyword == "HELP" ? St::kReadingHelp : St::kReadingType;
  }

  St ReadingMetricName() {
    ReadTokenAs(IsMetricNameStart, IsMetricNameContinuation);
    if (Failed()) return St::kDone;
    if (token_.empty()) return ParseErrorAt("invalid metric name"), St::kDone;
    SetOrCreateCurrentFamily();
    if (!mf_->type) mf_->type = MetricType::kUntyped;
    metric_ = Metric{};
    SkipBlankTabIfCurrentBlankTab();
    if (Failed()) return St::kDone;
    if (TypeIs(MetricType::kSummary) || TypeIs(MetricType::kHistogram)) {
      current_labels_ = {{"__name__", mf_->name}};
    }
    if (cur_ != '{') return St::kReadingValue;
    return St::kStartLabelName;
  }

  St StartLabelName() {
    SkipBlankTab();
    if (Failed()) return St::kDone;
    if (cur_ == '}') {
      SkipBlankTab();
      if (Failed()) return St::kDone;
      return St::kReadingValue;
    }
    ReadTokenAs(IsLabelNameStart, IsLabelNameContinuation);
    if (Failed()) return St::kDone;
    if (token_.empty()) {
      return ParseErrorAt("invalid label name for metric " + gocompat::Quote(mf_->name)), St::kDone;
    }
    label_name_ = token_;
    if (label_name_ == "__name__")
      return ParseErrorAt("label name \"__name__\" is reserved"), St::kDone;
    if (!(TypeIs(MetricType::kSummary) && label_name_ == "quantile") &&
        !(TypeIs(MetricType::kHistogram) && label_name_ == "le")) {
      metric_.labels.emplace_back(label_name_, "");
      label_in_metric_ = true;
    } else {
      label_in_metric_ = false;
    }
    SkipBlankTabIfCurrentBlankTab();
    if (Failed()) return St::kDone;
    if (cur_ != '=') {
      return ParseErrorAt("expected '=' after label name, found " + QuoteByte(cur_)), St::kDone;
    }
    for (std::size_t i = 0; i < metric_.labels.size(); ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (metric_.labels[i].first == metric_.labels[j].first) {
          return ParseErrorAt("duplicate label names for metric " + gocompat::Quote(mf_->name)),
                 St::kDone;
        }
      }
    }
    return St::kStartLabelValue;
  }

  St StartLabelValue() {
    SkipBlankTab();
    if (Failed()) return St::kDone;
    if (cur_ != '"') {
      return ParseErrorAt("expected '\"' at start of label value, found " + QuoteByte(cur_)),
             St::kDone;
    }
    ReadTokenAsLabelValue();
    if (Failed()) return St::kDone;
    if (!ValidUtf8(token_)) {
      return ParseErrorAt("invalid label value " + gocompat::Quote(token_)), St::kDone;
    }
    const std::string value = token_;
    if (label_in_metric_) metric_.labels.back().second = value;
    for (auto [type, special] :
         {std::pair{MetricType::kSummary, "quantile"}, std::pair{MetricType::kHistogram, "le"}}) {
      if (!TypeIs(type)) continue;
      if (label_name_ == special) {
        if (!ParseFloat(value)) {
          return ParseErrorAt(std::string("expected float as value for '") + special +
                              "' label, got " + gocompat::Quote(value)),
                 St::kDone;
        }
      } else {
        current_labels_[label_name_] = value;
      }
    }
    SkipBlankTab();
    if (Failed()) return St::kDone;
    if (cur_ == ',') return St::kStartLabelName;
    if (cur_ == '}') {
      SkipBlankTab();
      if (Failed()) return St::kDone;
      return St::kReadingValue;
    }
    return ParseErrorAt("unexpected end of label value " + gocompat::Quote(value)), St::kDone;
  }

  St ReadingValue() {
    if (TypeIs(MetricType::kSummary) || TypeIs(MetricType::kHistogram)) {
      // Lines of one summary or histogram (same labels but quantile / le) make one metric.
      auto& seen = TypeIs(MetricType::kSummary) ? summaries_ : histograms_;
      if (seen.insert(current_labels_).second) mf_->metrics.push_back(metric_);
    } else {
      mf_->metrics.push_back(metric_);
    }
    ReadTokenUntilWhitespace();
    if (Failed()) return St::kDone;
    if (!ParseFloat(token_)) {
      return ParseErrorAt("expected float as value, got " + gocompat::Quote(token_)), St::kDone;
    }
    // A gauge histogram's sample sets Go's error, which the next read clears again.
    if (cur_ == '\n') return St::kStartOfLine;
    return St::kStartTimestamp;
  }

  St StartTimestamp() {
    SkipBlankTab();
    if (Failed()) return St::kDone;
    ReadTokenUntilWhitespace();
    if (Failed()) return St::kDone;
    if (!ParseInt(token_)) {
      return ParseErrorAt("expected integer as timestamp, got " + gocompat::Quote(token_)),
             St::kDone;
    }
    ReadTokenUntilNewline(false);
    if (Failed()) return St::kDone;
    if (!token_.empty()) {
      return ParseErrorAt("spurious string after timestamp: " + gocompat::Quote(token_)), St::kDone;
    }
    return St::kStartOfLine;
  }

  St ReadingHelp() {
    if (mf_->help) {
      return ParseErrorAt("second HELP line for metric name " + gocompat::Quote(mf_->name)),
             St::kDone;
    }
    ReadTokenUntilNewline(true);
    if (Failed()) return St::kDone;
    mf_->help = token_;
    return St::kStartOfLine;
  }

  St ReadingType() {
    if (mf_->type) {
      return ParseErrorAt("second TYPE line for metric name " + gocompat::Quote(mf_->name) +
                          ", or TYPE reported after samples"),
             St::kDone;
    }
    ReadTokenUntilNewline(false);
    if (Failed()) return St::kDone;
    std::string upper = token_;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::pair<const char*, MetricType> kTypes[] = {
        {"COUNTER", MetricType::kCounter},     {"GAUGE", MetricType::kGauge},
        {"SUMMARY", MetricType::kSummary},     {"UNTYPED", MetricType::kUntyped},
        {"HISTOGRAM", MetricType::kHistogram}, {"GAUGE_HISTOGRAM", MetricType::kGaugeHistogram}};
    for (const auto& [name, type] : kTypes) {
      if (upper == name) {
        mf_->type = type;
        return St::kStartOfLine;
      }
    }
    return ParseErrorAt("unknown metric type " + gocompat::Quote(token_)), St::kDone;
  }

  std::string_view in_;
  std::size_t pos_ = 0;
  char cur_ = 0;
  bool eof_ = false;
  std::string error_;
  int line_ = 0;
  std::string token_;
  std::map<std::string, MetricFamily> families_;
  MetricFamily* mf_ = nullptr;
  Metric metric_;
  std::string label_name_;
  bool label_in_metric_ = false;
  bool is_count_ = false, is_sum_ = false;
  std::map<std::string, std::string> current_labels_;
  std::set<std::map<std::string, std::string>> summaries_, histograms_;
};

}  // namespace

std::map<std::string, MetricFamily> ParseText(std::string_view text) { return Parser(text).Run(); }

}  // namespace cerniq::expfmt
