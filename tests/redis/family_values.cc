#include "family_values.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <sstream>

namespace cerniq::testing {
namespace {

bool Matches(const prometheus::ClientMetric& m,
             const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const auto& [name, value] : labels) {
    bool found = false;
    for (const auto& l : m.label) found = found || (l.name == name && l.value == value);
    if (!found) return false;
  }
  return true;
}

// `name{a="x",b="y"} value` (labels optional, escapes \\ \" \n) into name, labels and value.
bool ParseSample(const std::string& line, std::string& name, prometheus::ClientMetric& m,
                 double& value) {
  size_t i = line.find_first_of("{ ");
  if (i == std::string::npos) return false;
  name = line.substr(0, i);
  if (line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      size_t eq = line.find("=\"", i);
      if (eq == std::string::npos) return false;
      prometheus::ClientMetric::Label label{line.substr(i, eq - i), ""};
      for (i = eq + 2; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) {
          ++i;
          label.value += line[i] == 'n' ? '\n' : line[i];
        } else {
          label.value += line[i];
        }
      }
      m.label.push_back(std::move(label));
      i += (i < line.size() && line[i + 1] == ',') ? 2 : 1;
    }
    ++i;
  }
  char* end = nullptr;
  const char* start = line.c_str() + std::min(i, line.size());
  value = std::strtod(start, &end);
  return end != start;
}

}  // namespace

std::vector<prometheus::MetricFamily> FamiliesFromText(const std::string& text) {
  std::map<std::string, prometheus::MetricType> types;
  std::map<std::string, prometheus::MetricFamily> families;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream fields(line.substr(7));
      std::string name, type;
      fields >> name >> type;
      if (type == "counter") types[name] = prometheus::MetricType::Counter;
      if (type == "gauge") types[name] = prometheus::MetricType::Gauge;
      continue;
    }
    if (line.empty() || line[0] == '#') continue;
    std::string name;
    prometheus::ClientMetric m;
    double value = 0;
    if (!ParseSample(line, name, m, value)) continue;
    auto& family = families[name];
    family.name = name;
    auto type = types.find(name);
    family.type = type == types.end() ? prometheus::MetricType::Untyped : type->second;
    if (family.type == prometheus::MetricType::Counter) {
      m.counter.value = value;
    } else if (family.type == prometheus::MetricType::Gauge) {
      m.gauge.value = value;
    } else {
      m.untyped.value = value;
    }
    family.metric.push_back(std::move(m));
  }
  std::vector<prometheus::MetricFamily> out;
  for (auto& [name, family] : families) out.push_back(std::move(family));
  return out;
}

std::optional<double> ValueOf(const std::vector<prometheus::MetricFamily>& families,
                              const std::string& family,
                              const std::vector<std::pair<std::string, std::string>>& labels) {
  for (const auto& f : families) {
    if (f.name != family) continue;
    for (const auto& m : f.metric) {
      if (!Matches(m, labels)) continue;
      if (f.type == prometheus::MetricType::Untyped) return m.untyped.value;
      return f.type == prometheus::MetricType::Counter ? m.counter.value : m.gauge.value;
    }
  }
  return std::nullopt;
}

size_t CountOf(const std::vector<prometheus::MetricFamily>& families, const std::string& family,
               const std::vector<std::pair<std::string, std::string>>& labels) {
  size_t n = 0;
  for (const auto& f : families) {
    if (f.name != family) continue;
    for (const auto& m : f.metric) n += Matches(m, labels) ? 1 : 0;
  }
  return n;
}

}  // namespace cerniq::testing
