#include "expfmt/promlint.h"

#include <algorithm>

namespace cerniq::expfmt {
namespace {

using Problems = std::vector<LintProblem>;

bool HasSuffix(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool ContainsWord(std::string_view lower_name, std::string_view word) {
  const std::string inner = "_" + std::string(word) + "_";
  return lower_name.find(inner) != std::string_view::npos ||
         HasSuffix(lower_name, inner.substr(0, inner.size() - 1));
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void Add(Problems& out, const MetricFamily& mf, std::string text) {
  out.push_back({mf.name, std::move(text)});
}

MetricType TypeOf(const MetricFamily& mf) { return mf.type.value_or(MetricType::kCounter); }

void LintHelp(const MetricFamily& mf, Problems& out) {
  if (!mf.help) Add(out, mf, "no help text");
}

// promlint's units: a unit (possibly prefixed) that is not its base unit.
void LintMetricUnits(const MetricFamily& mf, Problems& out) {
  static const std::pair<const char*, const char*> kUnits[] = {
      {"amperes", "amperes"},    {"bytes", "bytes"},     {"celsius", "celsius"},
      {"grams", "grams"},        {"joules", "joules"},   {"kelvin", "kelvin"},
      {"meters", "meters"},      {"metres", "metres"},   {"seconds", "seconds"},
      {"volts", "volts"},        {"minutes", "seconds"}, {"hours", "seconds"},
      {"days", "seconds"},       {"weeks", "seconds"},   {"kelvins", "kelvin"},
      {"fahrenheit", "celsius"}, {"rankine", "celsius"}, {"inches", "meters"},
      {"yards", "meters"},       {"miles", "meters"},    {"bits", "bytes"},
      {"calories", "joules"},    {"pounds", "grams"},    {"ounces", "grams"}};
  static const char* kPrefixes[] = {"pico",  "nano", "micro", "milli", "centi", "deci", "deca",
                                    "hecto", "kilo", "kibi",  "mega",  "mibi",  "giga", "gibi",
                                    "tera",  "tebi", "peta",  "pebi",  ""};
  // Go ranges over a map here, so a name with two units gets either; the first word wins here.
  std::size_t start = 0;
  while (start <= mf.name.size()) {
    const std::size_t end = std::min(mf.name.find('_', start), mf.name.size());
    const std::string word = mf.name.substr(start, end - start);
    for (const auto& [unit, base] : kUnits) {
      for (const char* prefix : kPrefixes) {
        if (word != std::string(prefix) + unit) continue;
        if (word != base) {
          Add(out, mf, "use base unit \"" + std::string(base) + "\" instead of \"" + word + "\"");
        }
        return;
      }
    }
    start = end + 1;
  }
}

void LintCounter(const MetricFamily& mf, Problems& out) {
  const MetricType t = TypeOf(mf);
  const bool total = HasSuffix(mf.name, "_total");
  if (t == MetricType::kCounter && !total) {
    Add(out, mf, "counter metrics should have \"_total\" suffix");
  } else if (t != MetricType::kUntyped && t != MetricType::kCounter && total) {
    Add(out, mf, "non-counter metrics should not have \"_total\" suffix");
  }
}

void LintHistogramSummaryReserved(const MetricFamily& mf, Problems& out) {
  const MetricType t = TypeOf(mf);
  if (t == MetricType::kUntyped) return;
  const bool histogram = t == MetricType::kHistogram, summary = t == MetricType::kSummary;
  if (!histogram && HasSuffix(mf.name, "_bucket")) {
    Add(out, mf, "non-histogram metrics should not have \"_bucket\" suffix");
  }
  if (!histogram && !summary && HasSuffix(mf.name, "_count")) {
    Add(out, mf, "non-histogram and non-summary metrics should not have \"_count\" suffix");
  }
  if (!histogram && !summary && HasSuffix(mf.name, "_sum")) {
    Add(out, mf, "non-histogram and non-summary metrics should not have \"_sum\" suffix");
  }
  for (const auto& m : mf.metrics) {
    for (const auto& [name, value] : m.labels) {
      if (!histogram && name == "le")
        Add(out, mf, "non-histogram metrics should not have \"le\" label");
      if (!summary && name == "quantile") {
        Add(out, mf, "non-summary metrics should not have \"quantile\" label");
      }
    }
  }
}

void LintMetricTypeInName(const MetricFamily& mf, Problems& out) {
  const std::string n = Lower(mf.name);
  for (const char* type : {"counter", "gauge", "summary", "histogram", "gauge_histogram"}) {
    if (ContainsWord(n, type)) {
      Add(out, mf, std::string("metric name should not include type '") + type + "'");
    }
  }
}

void LintReservedChars(const MetricFamily& mf, Problems& out) {
  if (mf.name.find(':') != std::string::npos) Add(out, mf, "metric names should not contain ':'");
}

bool CamelCase(const std::string& s) {
  for (std::size_t i = 1; i < s.size(); ++i) {
    if (s[i - 1] >= 'a' && s[i - 1] <= 'z' && s[i] >= 'A' && s[i] <= 'Z') return true;
  }
  return false;
}

void LintCamelCase(const MetricFamily& mf, Problems& out) {
  if (CamelCase(mf.name)) {
    Add(out, mf, "metric names should be written in 'snake_case' not 'camelCase'");
  }
  for (const auto& m : mf.metrics) {
    for (const auto& [name, value] : m.labels) {
      if (CamelCase(name)) {
        Add(out, mf, "label names should be written in 'snake_case' not 'camelCase'");
      }
    }
  }
}

void LintUnitAbbreviations(const MetricFamily& mf, Problems& out) {
  const std::string n = Lower(mf.name);
  for (const char* unit :
       {"s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"}) {
    if (ContainsWord(n, unit)) Add(out, mf, "metric names should not contain abbreviated units");
  }
}

}  // namespace

std::vector<LintProblem> LintFamily(const MetricFamily& mf) {
  Problems out;
  for (auto check :
       {LintHelp, LintMetricUnits, LintCounter, LintHistogramSummaryReserved, LintMetricTypeInName,
        LintReservedChars, LintCamelCase, LintUnitAbbreviations}) {
    check(mf, out);
  }
  return out;
}

std::vector<LintProblem> LintText(std::string_view exposition) {
  Problems problems;
  for (const auto& [name, mf] : ParseText(exposition)) {
    auto p = LintFamily(mf);
    problems.insert(problems.end(), p.begin(), p.end());
  }
  std::stable_sort(problems.begin(), problems.end(), [](const auto& a, const auto& b) {
    return a.metric != b.metric ? a.metric < b.metric : a.text < b.text;
  });
  return problems;
}

}  // namespace cerniq::expfmt
