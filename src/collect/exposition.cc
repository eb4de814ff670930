#include "collect/exposition.h"

#include <map>
#include <sstream>

#include <prometheus/text_serializer.h>

#include "catalog/catalog.h"
#include "cerniq_version.h"
#include "collect/families.h"
#include "collect/process_metrics.h"
#include "log/limits.h"

namespace cerniq::collect {
namespace {

using namespace catalog::names;

void AppendSelfMetrics(const Snapshot& snapshot, std::vector<prometheus::MetricFamily>& out) {
  auto up = MakeFamily(kUp);
  for (const auto& [source, is_up] : snapshot.SourcesUp()) {
    AddSample(up, {{"source", source}}, is_up ? 1 : 0);
  }
  auto success = MakeFamily(kCollectorSuccess);
  auto duration = MakeFamily(kCollectorDuration);
  auto last_success = MakeFamily(kCollectorLastSuccess);
  auto passes = MakeFamily(kCollectorPasses);
  auto failures = MakeFamily(kCollectorFailures);
  for (const auto& [name, state] : snapshot.collectors) {
    AddSample(passes, {{"collector", name}}, static_cast<double>(state->passes));
    AddSample(failures, {{"collector", name}}, static_cast<double>(state->failures));
    if (!state->finished_first_pass) continue;
    AddSample(success, {{"collector", name}}, state->success ? 1 : 0);
    AddSample(duration, {{"collector", name}}, state->duration_seconds);
    if (state->last_success_unix > 0) {
      AddSample(last_success, {{"collector", name}}, state->last_success_unix);
    }
  }
  auto limits = MakeFamily(kLimitReached);
  for (const auto& [limit, count] : log::LimitCounts()) {
    AddSample(limits, {{"limit", limit}}, static_cast<double>(count));
  }
  auto build = MakeFamily(kBuildInfo);
  AddSample(build,
            {{"version", kVersion},
             {"revision", kRevision},
             {"branch", kBranch},
             {"compiler", kCompiler}},
            1);
  for (auto* f : {&up, &success, &duration, &last_success, &passes, &failures, &limits, &build}) {
    if (!f->metric.empty()) out.push_back(std::move(*f));
  }
  for (auto& f : ProcessFamilies()) out.push_back(std::move(f));
}

}  // namespace

std::vector<prometheus::MetricFamily> SnapshotFamilies(const Snapshot& snapshot) {
  std::vector<prometheus::MetricFamily> out;
  std::map<std::string, size_t> index;  // family name -> position in out
  for (const auto& [name, state] : snapshot.collectors) {
    for (const auto& family : state->families) {
      auto [it, inserted] = index.emplace(family.name, out.size());
      if (inserted) {
        out.push_back(family);
      } else {
        auto& merged = out[it->second].metric;
        merged.insert(merged.end(), family.metric.begin(), family.metric.end());
      }
    }
  }
  AppendSelfMetrics(snapshot, out);
  return out;
}

std::string RenderText(const std::vector<prometheus::MetricFamily>& families) {
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace cerniq::collect
