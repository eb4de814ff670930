#include "scraped_series.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <map>
#include <stdexcept>

#include "promql/parser.h"

namespace cerniq::bench {
namespace {

using promql::Labels;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// The family a sample belongs to: its own name, or the histogram/summary it is a part of.
std::string FamilyType(const std::map<std::string, std::string, std::less<>>& types,
                       std::string_view name) {
  if (auto it = types.find(name); it != types.end()) return it->second;
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (!EndsWith(name, suffix)) continue;
    if (auto it = types.find(name.substr(0, name.size() - suffix.size())); it != types.end())
      return it->second;
  }
  return "untyped";
}

// Whether one of the '_'-separated words of `name` is in `words`.
bool HasWord(std::string_view name, std::initializer_list<std::string_view> words) {
  while (!name.empty()) {
    const size_t end = name.find('_');
    for (auto w : words) {
      if (name.substr(0, end) == w) return true;
    }
    name = end == std::string_view::npos ? std::string_view() : name.substr(end + 1);
  }
  return false;
}

Shape ShapeOf(const ScrapedSeries& s) {
  const std::string_view name = s.labels.Get("__name__");
  if (s.type == "histogram") return Shape::kHistogram;
  if (s.type == "counter") return s.value == 0 ? Shape::kRareCounter : Shape::kCounter;
  if (EndsWith(name, "_timestamp_seconds") && s.value > 1e9)
    return Contains(name, "collector") || Contains(name, "last_success") ? Shape::kTickTime
                                                                         : Shape::kHourlyTime;
  if (Contains(name, "_age_seconds")) return s.value > 0 ? Shape::kAge : Shape::kConstant;
  if (Contains(name, "duration_seconds")) return Shape::kDuration;
  if (HasWord(name, {"info", "up", "success", "paused", "exists", "threshold", "enabled"}))
    return Shape::kConstant;
  return s.value == std::floor(s.value) ? Shape::kIntegerWalk : Shape::kFloatWalk;
}

}  // namespace

const char* ShapeName(Shape shape) {
  static const char* kNames[] = {"constant",    "counter",  "rare counter", "integer walk",
                                 "float walk",  "duration", "age",          "tick time",
                                 "hourly time", "histogram"};
  return kNames[static_cast<int>(shape)];
}

std::vector<ScrapedSeries> ParseScrape(std::string_view text, const Labels& extra) {
  std::map<std::string, std::string, std::less<>> types;
  std::vector<ScrapedSeries> out;
  size_t line_no = 0;
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view() : text.substr(eol + 1);
    ++line_no;
    if (line.starts_with("# TYPE ")) {
      const auto rest = line.substr(7);
      const size_t space = rest.find(' ');
      types[std::string(rest.substr(0, space))] = std::string(rest.substr(space + 1));
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.rfind(' ');
    if (space == std::string_view::npos)
      throw std::runtime_error("line " + std::to_string(line_no) + ": no value");
    ScrapedSeries s;
    try {
      s.labels = promql::ParseMetric(line.substr(0, space));
    } catch (const std::exception& e) {
      throw std::runtime_error("line " + std::to_string(line_no) + ": " + e.what());
    }
    s.value = std::strtod(std::string(line.substr(space + 1)).c_str(), nullptr);
    s.type = FamilyType(types, s.labels.Get("__name__"));
    promql::LabelsBuilder b(s.labels);
    for (const auto& l : extra) b.Set(l.name, l.value);
    s.labels = b.Build();
    out.push_back(std::move(s));
  }
  return out;
}

HistoryModel::HistoryModel(const std::vector<ScrapedSeries>& series, int64_t start_ms,
                           uint64_t seed)
    : start_ms_(start_ms), rng_(seed) {
  std::map<std::string, int> histogram_ids;  // family + labels without le
  for (const auto& s : series) {
    Modelled m{s.labels, ShapeOf(s), s.value, s.value};
    if (m.shape == Shape::kHistogram) {
      std::string name(s.labels.Get("__name__"));
      for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
        if (EndsWith(name, suffix)) name.resize(name.size() - suffix.size());
      }
      const std::string key = name + s.labels.Drop({"__name__", "le"}).String();
      auto [it, added] = histogram_ids.try_emplace(key, static_cast<int>(histogram_max_.size()));
      if (added) histogram_max_.push_back(1);
      m.histogram = it->second;
      const std::string_view n = s.labels.Get("__name__");
      m.is_sum = EndsWith(n, "_sum");
      m.le = EndsWith(n, "_bucket") ? std::strtod(std::string(s.labels.Get("le")).c_str(), nullptr)
                                    : std::numeric_limits<double>::infinity();
      if (std::isfinite(m.le) && m.le > histogram_max_[it->second])
        histogram_max_[it->second] = m.le;
    }
    series_.push_back(std::move(m));
  }
  observation_.resize(histogram_max_.size());
  values_.resize(series_.size());
}

const std::vector<double>& HistoryModel::Advance(int64_t t_ms) {
  std::uniform_real_distribution<double> u(0, 1);
  for (size_t h = 0; h < observation_.size(); ++h) {
    const double max = histogram_max_[h] * 1.1;
    observation_[h] = u(rng_) < 0.05 ? (max >= 10 ? std::floor(u(rng_) * max) : u(rng_) * max)
                                     : std::numeric_limits<double>::quiet_NaN();
  }
  for (size_t i = 0; i < series_.size(); ++i) values_[i] = Next(series_[i], t_ms);
  return values_;
}

double HistoryModel::Next(Modelled& s, int64_t t_ms) {
  std::uniform_real_distribution<double> u(0, 1);
  switch (s.shape) {
    case Shape::kConstant:
      break;
    case Shape::kCounter:
      if (u(rng_) < 0.6) s.v += 1 + static_cast<double>(rng_() % 5);
      break;
    case Shape::kRareCounter:
      if (u(rng_) < 0.0005) s.v += 1;
      break;
    case Shape::kIntegerWalk:
      if (u(rng_) < 0.15) s.v = std::max(0.0, s.v + static_cast<double>(rng_() % 11) - 5);
      break;
    case Shape::kFloatWalk:
      if (u(rng_) < 0.05) s.v = s.v0 * (0.95 + 0.1 * u(rng_));
      break;
    case Shape::kDuration: {
      std::normal_distribution<double> n(0, 0.3);
      s.v = std::max(s.v0, 1e-4) * std::exp(n(rng_));
      break;
    }
    case Shape::kAge:  // the oldest job is replaced by a younger one now and then
      if (s.origin_ms == 0) s.origin_ms = t_ms - static_cast<int64_t>(s.v0 * 1000);
      if (u(rng_) < 0.02) s.origin_ms = t_ms - static_cast<int64_t>(rng_() % 5000);
      s.v = static_cast<double>(t_ms - s.origin_ms) / 1000.0;
      break;
    case Shape::kTickTime:
      s.v = static_cast<double>(t_ms) / 1000.0;
      break;
    case Shape::kHourlyTime:
      s.v = s.v0 + static_cast<double>((t_ms - start_ms_) / 3'600'000 * 3600);
      break;
    case Shape::kHistogram: {
      const double obs = observation_[s.histogram];
      if (!std::isnan(obs)) s.v += s.is_sum ? obs : (obs <= s.le ? 1 : 0);
      break;
    }
  }
  return s.v;
}

}  // namespace cerniq::bench
