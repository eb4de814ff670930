#include "api/rules_state.h"

#include "api/go_json.h"
#include "gocompat/float_format.h"

namespace cerniq::api {
namespace {

void Field(std::string& out, const char* name) {
  out += '"';
  out += name;
  out += "\":";
}

// "name":"value", (a field followed by a comma).
void StringField(std::string& out, const char* name, const std::string& value) {
  Field(out, name);
  AppendJsonString(out, value);
  out += ',';
}

void LabelsField(std::string& out, const char* name, const promql::Labels& value) {
  Field(out, name);
  AppendLabels(out, value);
  out += ',';
}

void AppendAlert(std::string& out, const AlertState& a) {
  out += '{';
  LabelsField(out, "labels", a.labels);
  LabelsField(out, "annotations", a.annotations);
  StringField(out, "state", a.state);
  Field(out, "activeAt");
  out += JsonTime(a.active_at_ns);
  if (a.keep_firing_since_ns) {
    out += ',';
    Field(out, "keepFiringSince");
    out += JsonTime(a.keep_firing_since_ns);
  }
  out += ',';
  Field(out, "value");
  AppendJsonString(out, gocompat::FormatFloat(a.value, 'e'));
  out += '}';
}

void AppendAlerts(std::string& out, const std::vector<AlertState>& alerts, bool* first) {
  for (const auto& a : alerts) {
    if (!*first) out += ',';
    *first = false;
    AppendAlert(out, a);
  }
}

// The fields both rule kinds end with.
void AppendRuleTail(std::string& out, const RuleState& r, const char* type) {
  StringField(out, "health", r.health);
  if (!r.last_error.empty()) {
    StringField(out, "lastError", r.last_error);
  }
  Field(out, "evaluationTime");
  out += JsonFloat(r.evaluation_time_s) + ",";
  Field(out, "lastEvaluation");
  out += JsonTime(r.last_evaluation_ns) + ",";
  Field(out, "type");
  out += std::string("\"") + type + "\"}";
}

void AppendAlertingRule(std::string& out, const RuleState& r) {
  out += "{";
  StringField(out, "state", r.state);
  StringField(out, "name", r.name);
  StringField(out, "query", r.query);
  Field(out, "duration");
  out += JsonFloat(r.duration_s) + ",";
  Field(out, "keepFiringFor");
  out += JsonFloat(r.keep_firing_for_s) + ",";
  LabelsField(out, "labels", r.labels);
  LabelsField(out, "annotations", r.annotations);
  Field(out, "alerts");
  out += '[';
  bool first = true;
  AppendAlerts(out, r.alerts, &first);
  out += "],";
  AppendRuleTail(out, r, "alerting");
}

void AppendRecordingRule(std::string& out, const RuleState& r) {
  out += "{";
  StringField(out, "name", r.name);
  StringField(out, "query", r.query);
  if (!r.labels.empty()) {  // omitempty on a slice
    LabelsField(out, "labels", r.labels);
  }
  AppendRuleTail(out, r, "recording");
}

}  // namespace

std::string AlertsJson(const std::vector<RuleGroupState>& groups) {
  std::string out = "{\"alerts\":[";
  bool first = true;
  for (const auto& g : groups) {
    for (const auto& r : g.rules) {
      if (r.alerting) AppendAlerts(out, r.alerts, &first);
    }
  }
  return out + "]}";
}

std::string RulesJson(const std::vector<RuleGroupState>& groups, const std::string& type) {
  bool alerts = type.empty() || type == "alert";
  bool records = type.empty() || type == "record";
  std::string out = "{\"groups\":[";
  for (size_t i = 0; i < groups.size(); ++i) {
    const auto& g = groups[i];
    if (i) out += ',';
    out += '{';
    StringField(out, "name", g.name);
    StringField(out, "file", g.file);
    Field(out, "rules");
    out += '[';
    bool first = true;
    for (const auto& r : g.rules) {
      if (r.alerting ? !alerts : !records) continue;
      if (!first) out += ',';
      first = false;
      if (r.alerting) {
        AppendAlertingRule(out, r);
      } else {
        AppendRecordingRule(out, r);
      }
    }
    out += "],";
    Field(out, "interval");
    out += JsonFloat(g.interval_s) + ",";
    Field(out, "limit");
    out += std::to_string(g.limit) + ",";
    Field(out, "evaluationTime");
    out += JsonFloat(g.evaluation_time_s) + ",";
    Field(out, "lastEvaluation");
    out += JsonTime(g.last_evaluation_ns) + "}";
  }
  return out + "]}";
}

}  // namespace cerniq::api
