#include "evaluator/alert_state.h"

#include <bit>
#include <cstdint>

#include <nlohmann/json.hpp>

namespace cerniq::evaluator {
namespace {

constexpr int kVersion = 2;
using nlohmann::json;

json LabelsJson(const promql::Labels& labels) {
  json out = json::object();
  for (const auto& l : labels) out[l.name] = l.value;
  return out;
}

promql::Labels LabelsFrom(const json& j) {
  std::map<std::string, std::string> m;
  for (const auto& [k, v] : j.items()) m[k] = v.get<std::string>();
  return promql::LabelsFromMap(m);
}

void PutOptional(json& j, const char* key, const std::optional<int64_t>& v) {
  if (v) j[key] = *v;
}

std::optional<int64_t> GetOptional(const json& j, const char* key) {
  if (!j.contains(key)) return std::nullopt;
  return j.at(key).get<int64_t>();
}

json AlertJson(const rules::Alert& a) {
  json j = {{"labels", LabelsJson(a.labels)},
            {"annotations", LabelsJson(a.annotations)},
            {"state", rules::AlertStateName(a.state)},
            {"value_bits", std::bit_cast<uint64_t>(a.value)},
            {"active_at_ms", a.active_at_ms}};
  PutOptional(j, "fired_at_ms", a.fired_at_ms);
  PutOptional(j, "resolved_at_ms", a.resolved_at_ms);
  PutOptional(j, "keep_firing_since_ms", a.keep_firing_since_ms);
  return j;
}

rules::Alert AlertFrom(const json& j) {
  rules::Alert a;
  a.labels = LabelsFrom(j.at("labels"));
  a.annotations = LabelsFrom(j.at("annotations"));
  const std::string state = j.at("state").get<std::string>();
  if (state == "pending") {
    a.state = rules::AlertState::kPending;
  } else if (state == "firing") {
    a.state = rules::AlertState::kFiring;
  } else if (state == "inactive") {
    a.state = rules::AlertState::kInactive;
  } else {
    throw std::runtime_error("unknown alert state \"" + state + "\"");
  }
  a.value = std::bit_cast<double>(j.at("value_bits").get<uint64_t>());
  a.active_at_ms = j.at("active_at_ms").get<int64_t>();
  a.fired_at_ms = GetOptional(j, "fired_at_ms");
  a.resolved_at_ms = GetOptional(j, "resolved_at_ms");
  a.keep_firing_since_ms = GetOptional(j, "keep_firing_since_ms");
  return a;
}

}  // namespace

std::string EncodeAlertState(const AlertStateMap& state) {
  json groups = json::object();
  for (const auto& [group, g] : state) {
    json by_rule = json::object();
    for (const auto& [rule, alerts] : g.rules) {
      json list = json::array();
      for (const auto& a : alerts) list.push_back(AlertJson(a));
      by_rule[rule] = std::move(list);
    }
    groups[group] = {{"last_eval_ms", g.last_eval_ms}, {"rules", std::move(by_rule)}};
  }
  return json{{"version", kVersion}, {"groups", groups}}.dump();
}

bool DecodeAlertState(const std::string& blob, AlertStateMap* state, std::string* error) {
  state->clear();
  if (blob.empty()) return true;
  try {
    const json j = json::parse(blob);
    const int version = j.at("version").get<int>();
    if (version != kVersion && version != 1) {
      *error = "alert state version " + j.at("version").dump() + " is not supported";
      return false;
    }
    AlertStateMap out;
    for (const auto& [group, g] : j.at("groups").items()) {
      GroupAlertState& to = out[group];
      if (version > 1) to.last_eval_ms = g.at("last_eval_ms").get<int64_t>();
      for (const auto& [rule, alerts] : (version > 1 ? g.at("rules") : g).items()) {
        auto& list = to.rules[rule];
        for (const auto& a : alerts) list.push_back(AlertFrom(a));
      }
    }
    *state = std::move(out);
    return true;
  } catch (const std::exception& e) {
    *error = std::string("bad alert state: ") + e.what();
    return false;
  }
}

}  // namespace cerniq::evaluator
