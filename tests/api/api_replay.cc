// The differential test's cerniq side. Generates a few hours of samples for the catalogue's
// metrics (13 BullMQ queues, counters with a reset, the churn histogram) and either writes
// them as OpenMetrics for `promtool tsdb create-blocks-from openmetrics`, or loads them into a
// MemoryStorage and answers API requests read from stdin ("METHOD\tPATH\tQUERY" per line) with
// "STATUS\tBODY" lines.
//   api_replay om FILE | api_replay answer
#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "api/api.h"
#include "catalog/catalog.h"
#include "catalog/runbook.h"
#include "gocompat/float_format.h"

namespace {

using cerniq::promql::Labels;

constexpr int64_t kStartMs = 1767225600000;  // 2026-01-01T00:00:00Z
constexpr int64_t kStepMs = 15000;
constexpr int kSamples = 4 * 240;  // 4 h

struct GeneratedSeries {
  Labels labels;
  int first = 0, last = kSamples;  // sample indexes [first, last)
  std::function<double(int)> value;
};

std::vector<std::string> ValuesFor(std::string_view label) {
  if (label == "state") return {"ACTIVE", "AT_RISK", "CHURNED"};
  if (label == "approval_type") return {"content", "discount"};
  if (label == "task_type") return {"review", "approval"};
  if (label == "status") return {"CONVERTED", "EXPIRED", "PENDING_CONSENT"};
  if (label == "nps_category") return {"DETRACTOR", "PASSIVE", "PROMOTER"};
  if (label == "job_name") return {"e5_churn", "e5_graph"};
  if (label == "service") return {"api", "graph", "llm"};
  if (label == "source") return {"postgres", "redis"};
  if (label == "collector") return {"bullmq", "hitl"};
  if (label == "version") return {"0.1.0"};
  if (label == "revision") return {"abc"};
  return {"x"};
}

// A deterministic wobble in [0, 1).
double Wave(int series, int i) {
  return 0.5 + 0.5 * std::sin(i / 23.0 + series * 1.7) * std::cos(i / 71.0 + series);
}

std::vector<GeneratedSeries> Generate() {
  std::vector<GeneratedSeries> out;
  const Labels base{{"instance", "127.0.0.1:9257"}, {"job", "cerniq"}};
  auto with = [&](std::string_view name, const std::vector<cerniq::promql::Label>& extra) {
    std::vector<cerniq::promql::Label> l(base.begin(), base.end());
    l.push_back({"__name__", std::string(name)});
    l.insert(l.end(), extra.begin(), extra.end());
    return Labels(l);
  };
  int n = 0;
  for (const auto& m : cerniq::catalog::All()) {
    std::vector<std::vector<cerniq::promql::Label>> label_sets{{}};
    for (auto label : m.labels) {
      std::vector<std::vector<cerniq::promql::Label>> next;
      std::vector<std::string> values;
      if (label == "queue") {
        for (const auto& t : cerniq::catalog::Etapa5Thresholds()) values.emplace_back(t.queue);
      } else if (label == "prefix") {
        values = {"bull"};
      } else {
        values = ValuesFor(label);
      }
      for (const auto& set : label_sets) {
        for (const auto& v : values) {
          next.push_back(set);
          next.back().push_back({std::string(label), v});
        }
      }
      label_sets = std::move(next);
    }
    for (const auto& set : label_sets) {
      int s = n++;
      std::string name(m.name);
      if (m.type == cerniq::catalog::Type::kHistogram) {
        static const char* kLe[] = {"10", "20", "30", "40",  "50",  "60",
                                    "70", "80", "90", "100", "+Inf"};
        for (int b = 0; b < 11; ++b) {
          auto extra = set;
          extra.push_back({"le", kLe[b]});
          out.push_back({with(name + "_bucket", extra), 0, kSamples, [b](int i) {
                           double total = 200 + i / 10;
                           return std::floor(
                               total * std::min(1.0, (b + 1) / 10.0 * (0.8 + 0.2 * Wave(b, i))));
                         }});
        }
        out.push_back(
            {with(name + "_count", set), 0, kSamples, [](int i) { return 200.0 + i / 10; }});
        out.push_back({with(name + "_sum", set), 0, kSamples,
                       [](int i) { return (200.0 + i / 10) * 41.25; }});
        continue;
      }
      GeneratedSeries g{with(name, set), 0, kSamples, nullptr};
      if (m.type == cerniq::catalog::Type::kCounter) {
        g.value = [s](int i) {  // increments of a few per step; every 5th series resets once
          int from = s % 5 == 0 && i >= 600 ? 600 : 0;
          double v = 0;
          for (int k = from; k <= i; ++k) v += std::floor(4 * Wave(s, k));
          return v;
        };
      } else if (name.find("seconds") != std::string::npos) {
        g.value = [s](int i) { return 0.125 * s + 300 * Wave(s, i); };
      } else {
        g.value = [s](int i) { return std::floor(120 * Wave(s, i)); };
      }
      if (s % 11 == 3) g.last = kSamples * 2 / 3;  // a series that vanishes
      out.push_back(std::move(g));
    }
  }
  out.push_back({with("up", {}), 0, kSamples, [](int) { return 1.0; }});
  return out;
}

int WriteOpenMetrics(const std::string& path) {
  auto series = Generate();
  std::sort(series.begin(), series.end(), [](const auto& a, const auto& b) {
    return a.labels.Get("__name__") < b.labels.Get("__name__");  // families stay contiguous
  });
  std::ofstream out(path);
  for (const auto& g : series) {
    std::string head(g.labels.Get("__name__"));
    head += '{';
    bool first = true;
    for (const auto& l : g.labels) {
      if (l.name == "__name__") continue;
      head += (first ? "" : ",") + l.name + "=\"" + l.value + "\"";
      first = false;
    }
    head += "} ";
    for (int i = g.first; i < g.last; ++i) {
      out << head << cerniq::gocompat::FormatFloat(g.value(i)) << ' '
          << (kStartMs + i * kStepMs) / 1000 << '\n';
    }
  }
  out << "# EOF\n";
  return out.good() ? 0 : 1;
}

int Answer() {
  auto storage = std::make_shared<cerniq::promql::MemoryStorage>();
  for (const auto& g : Generate()) {
    for (int i = g.first; i < g.last; ++i)
      storage->Append(g.labels, kStartMs + i * kStepMs, g.value(i));
  }
  struct View : cerniq::promql::Storage {
    std::shared_ptr<cerniq::promql::MemoryStorage> s;
    std::vector<cerniq::promql::SeriesView> Select(const std::vector<cerniq::promql::Matcher>& m,
                                                   int64_t mint, int64_t maxt) const override {
      return s->Select(m, mint, maxt);
    }
  };
  cerniq::api::Options options;
  options.metadata = cerniq::api::CatalogMetadata();
  cerniq::api::Api api(options, [storage](int64_t, int64_t) {
    auto v = std::make_unique<View>();
    v->s = storage;
    return std::unique_ptr<cerniq::promql::Storage>(std::move(v));
  });
  std::string line;
  while (std::getline(std::cin, line)) {
    size_t a = line.find('\t'), b = line.find('\t', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    cerniq::api::Request r{line.substr(0, a), line.substr(a + 1, b - a - 1), line.substr(b + 1), "",
                           ""};
    auto resp = api.Handle(r);
    std::cout << resp.status << '\t' << resp.body << '\n';
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "om" && argc == 3) return WriteOpenMetrics(argv[2]);
  if (mode == "answer") return Answer();
  std::cerr << "usage: api_replay om FILE | api_replay answer\n";
  return 2;
}
