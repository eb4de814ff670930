#include "rules/unit_test_runner.h"

#include <glob.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "gocompat/duration.h"
#include "gocompat/float_format.h"
#include "gocompat/quote.h"
#include "gocompat/sort.h"
#include "promql/engine.h"
#include "promql/parser.h"
#include "promql/storage.h"
#include "rules/rule_group.h"
#include "rules/rule_loader.h"
#include "rules/unit_test_file.h"

namespace cerniq::rules {
namespace {

constexpr int64_t kDefaultEvaluationIntervalMs = 60 * 1000;

struct LabeledAlert {
  promql::Labels labels;
  promql::Labels annotations;
  bool operator==(const LabeledAlert&) const = default;
};

bool AlertLess(const LabeledAlert& a, const LabeledAlert& b) {
  if (int c = Compare(a.labels, b.labels); c != 0) return c < 0;
  return Compare(a.annotations, b.annotations) < 0;
}

// indentLines of unittest.go: every line after the first gets `indent`.
std::string IndentLines(const std::string& lines, const std::string& indent) {
  std::string out;
  std::size_t start = 0;
  bool first = true;
  while (true) {
    const auto nl = lines.find('\n', start);
    if (!first) out += indent;
    first = false;
    out += lines.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    if (nl == std::string::npos) break;
    out += '\n';
    start = nl + 1;
  }
  return out;
}

std::string AlertsString(const std::vector<LabeledAlert>& alerts) {
  if (alerts.empty()) return "[]";
  auto one = [](const LabeledAlert& a) {
    return "\nLabels:" + a.labels.String() + "\nAnnotations:" + a.annotations.String();
  };
  std::string s = "[\n0:" + IndentLines(one(alerts[0]), "  ");
  for (std::size_t i = 1; i < alerts.size(); ++i) {
    s += ",\n" + std::to_string(i) + ":" + IndentLines(one(alerts[i]), "  ");
  }
  return s + "\n]";
}

struct ParsedSample {
  promql::Labels labels;
  double value = 0;
};

std::string SamplesString(const std::vector<ParsedSample>& samples) {
  if (samples.empty()) return "nil";
  std::string s;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (i > 0) s += ", ";
    s += samples[i].labels.String() + " " + gocompat::FormatFloat(samples[i].value, 'E');
  }
  return s;
}

// reflect.DeepEqual on float64: NaN never equals NaN.
bool SamplesEqual(const std::vector<ParsedSample>& a, const std::vector<ParsedSample>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i].labels == b[i].labels) || !(a[i].value == b[i].value)) return false;
  }
  return true;
}

std::string Dir(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// filepath.Join(dir, file) for a relative file, cleaned the simple way Go does for these inputs.
std::string Join(const std::string& dir, const std::string& file) {
  if (dir == ".") return file;
  return dir + "/" + file;
}

std::vector<std::string> Glob(const std::string& pattern) {
  glob_t g{};
  std::vector<std::string> out;
  if (glob(pattern.c_str(), 0, nullptr, &g) == 0) {
    for (std::size_t i = 0; i < g.gl_pathc; ++i) out.push_back(g.gl_pathv[i]);
  }
  globfree(&g);
  return out;
}

class QuerySuite {
 public:
  QuerySuite(int64_t eval_interval_ms)
      : engine_([&] {
          promql::EngineOptions o;
          o.max_samples = 10000;
          o.timeout = std::chrono::milliseconds(100 * 1000);
          o.no_step_subquery_interval = [eval_interval_ms](int64_t) { return eval_interval_ms; };
          return o;
        }()) {}

  promql::MemoryStorage& storage() { return storage_; }

  // rules.EngineQueryFunc / unittest.go query(): vectors and scalars, else an error.
  std::variant<promql::Vector, std::string> Query(const std::string& expr, int64_t ts) {
    try {
      return RuleQueryResult(engine_.Instant(storage_, expr, ts));
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
  }

 private:
  promql::Engine engine_;
  promql::MemoryStorage storage_;
};

struct StorageAppender : SampleAppender {
  explicit StorageAppender(promql::MemoryStorage& s) : storage(s) {}
  std::optional<std::string> Append(const promql::Labels& l, int64_t t, double v) override {
    // The TSDB drops a sample at or before the series' last timestamp at commit, silently.
    storage.Append(l, t, v);
    return std::nullopt;
  }
  void Commit() override {}
  promql::MemoryStorage& storage;
};

// The load command of the test group: per series (the last definition of a label set wins),
// the samples still to append.
struct LoadedSeries {
  uint32_t id = 0;
  promql::Labels labels;
  std::vector<std::pair<int64_t, double>> samples;
  std::size_t next = 0;
};

// The input series (promql.NewLazyLoader over "load <interval>"): the last definition of a label
// set wins. Returns the parser's error for a bad series.
std::variant<std::vector<LoadedSeries>, std::string> LoadInputSeries(const TestGroup& tg,
                                                                     QuerySuite& suite) {
  std::map<promql::Labels, std::vector<std::pair<int64_t, double>>> defs;
  for (const auto& in : tg.input_series) {
    promql::SeriesDescription desc;
    try {
      desc = promql::ParseSeriesDesc(in.series + " " + in.values);
    } catch (const std::exception& e) {
      return std::string(e.what());
    }
    std::vector<std::pair<int64_t, double>> samples;
    for (std::size_t i = 0; i < desc.values.size(); ++i) {
      if (!desc.values[i].omitted) {
        samples.push_back({static_cast<int64_t>(i) * tg.interval_ms, desc.values[i].value});
      }
    }
    defs[desc.labels] = std::move(samples);
  }
  std::vector<LoadedSeries> series;
  for (auto& [labels, samples] : defs) {
    series.push_back({suite.storage().SeriesId(labels), labels, std::move(samples), 0});
  }
  return series;
}

// Manager.LoadGroups (the first file with errors stops loading) and orderedGroups: by
// group_eval_order index (0 when unlisted); Go leaves ties in random order, we keep file order.
std::variant<std::vector<RuleGroupEvaluator>, std::vector<std::string>> LoadGroups(
    const std::vector<std::string>& rule_files, const std::map<std::string, int>& group_order) {
  std::vector<RuleGroupEvaluator> groups;
  for (const auto& f : rule_files) {
    RuleFileResult r = LoadRuleFile(f);
    if (!r.ok()) return r.errors;
    for (const auto& g : r.file->groups) groups.emplace_back(g, /*restored=*/true);
  }
  std::stable_sort(groups.begin(), groups.end(), [&](const auto& a, const auto& b) {
    auto ia = group_order.find(a.name());
    auto ib = group_order.find(b.name());
    return (ia == group_order.end() ? 0 : ia->second) < (ib == group_order.end() ? 0 : ib->second);
  });
  return groups;
}

// The distinct eval times of the alert tests, in order; an error for a test without alertname.
std::variant<std::vector<int64_t>, std::string> AlertEvalTimes(const TestGroup& tg) {
  std::set<int64_t> times;
  for (const auto& a : tg.alert_rule_tests) {
    if (a.alertname.empty()) {
      std::string where = tg.name.empty() ? "" : " (in TestGroup " + tg.name + ")";
      return "an item under alert_rule_test misses required attribute alertname at eval_time " +
             gocompat::FormatDuration(a.eval_time_ms) + where;
    }
    times.insert(a.eval_time_ms);
  }
  return std::vector<int64_t>(times.begin(), times.end());
}

// Appends every input sample at or before `ts` not yet appended.
void AppendDueSamples(std::vector<LoadedSeries>& series, int64_t ts,
                      promql::MemoryStorage& storage) {
  for (auto& s : series) {
    for (; s.next < s.samples.size() && s.samples[s.next].first <= ts; ++s.next) {
      storage.Append(s.id, s.samples[s.next].first, s.samples[s.next].second);
    }
  }
}

// Evaluates every group at `ts`; the rules' evaluation errors as promtool lists them.
std::vector<std::string> EvalGroups(std::vector<RuleGroupEvaluator>& groups, int64_t ts,
                                    const RuleEvalContext& ctx, promql::MemoryStorage& storage) {
  std::vector<std::string> eval_errs;
  StorageAppender app(storage);
  for (auto& g : groups) {
    g.Eval(ts, ctx, app);
    for (const auto& r : g.rules()) {
      if (r.last_error) {
        eval_errs.push_back("    rule: " + r.name() + ", time: " +
                            gocompat::FormatTimeDuration(ts) + ", err: " + *r.last_error);
      }
    }
  }
  return eval_errs;
}

// The firing alerts of the rules named by the alert tests at `t`, by alert name.
std::map<std::string, std::vector<LabeledAlert>> FiringAlerts(
    const TestGroup& tg, int64_t t, const std::vector<RuleGroupEvaluator>& groups) {
  std::set<std::string> present;
  for (const auto& a : tg.alert_rule_tests) {
    if (a.eval_time_ms == t) present.insert(a.alertname);
  }
  std::map<std::string, std::vector<LabeledAlert>> got;
  for (const auto& g : groups) {
    for (const auto& r : g.rules()) {
      const AlertingRule* ar = r.alerting();
      if (!ar || !present.count(ar->name())) continue;
      for (const auto& a : ar->ActiveAlerts()) {
        if (a.state == AlertState::kFiring) got[ar->name()].push_back({a.labels, a.annotations});
      }
    }
  }
  return got;
}

// Compares the alert tests at `t` with the firing alerts; a mismatch adds promtool's report.
void CheckAlertTests(const TestGroup& tg, int64_t t, const std::vector<RuleGroupEvaluator>& groups,
                     std::vector<std::string>& errs) {
  std::map<std::string, std::vector<LabeledAlert>> got = FiringAlerts(tg, t, groups);
  for (const auto& test : tg.alert_rule_tests) {
    if (test.eval_time_ms != t) continue;
    std::vector<LabeledAlert> got_alerts = got[test.alertname];
    std::vector<LabeledAlert> exp_alerts;
    for (const auto& e : test.exp_alerts) {
      auto labels = e.labels;
      labels["alertname"] = test.alertname;
      exp_alerts.push_back({promql::LabelsFromMap(labels), promql::LabelsFromMap(e.annotations)});
    }
    std::sort(got_alerts.begin(), got_alerts.end(), AlertLess);
    std::sort(exp_alerts.begin(), exp_alerts.end(), AlertLess);
    if (got_alerts != exp_alerts) {
      std::string name = tg.name.empty() ? "" : "    name: " + tg.name + ",\n";
      errs.push_back(name + "    alertname: " + test.alertname +
                     ", time: " + gocompat::FormatDuration(test.eval_time_ms) +
                     ", \n        exp:" + IndentLines(AlertsString(exp_alerts), "            ") +
                     ", \n        got:" + IndentLines(AlertsString(got_alerts), "            "));
    }
  }
}

// One promql_expr_test against the final storage; a mismatch or error adds promtool's report.
void CheckPromqlExprTest(const PromqlTestCase& test, QuerySuite& suite,
                         std::vector<std::string>& errs) {
  const std::string head = "    expr: " + gocompat::Quote(test.expr) +
                           ", time: " + gocompat::FormatDuration(test.eval_time_ms);
  auto result = suite.Query(test.expr, test.eval_time_ms);
  if (auto* e = std::get_if<std::string>(&result)) {
    errs.push_back(head + ", err: " + *e);
    return;
  }
  std::vector<ParsedSample> got;
  for (const auto& s : std::get<promql::Vector>(result)) got.push_back({s.metric, s.v});
  std::vector<ParsedSample> exp;
  for (const auto& s : test.exp_samples) {
    try {
      // parser.ParseMetric("") of Prometheus yields the empty label set.
      const bool blank = s.labels.find_first_not_of(" \t\r\n") == std::string::npos;
      exp.push_back({blank ? promql::Labels() : promql::ParseMetric(s.labels), s.value});
    } catch (const std::exception& e) {
      errs.push_back(head + ", err: labels " + gocompat::Quote(s.labels) + ": " + e.what());
      return;
    }
  }
  // promtool: sort.Slice(..., labels.Compare(a, b) <= 0). "Less" is true for equal label sets
  // and sort.Slice is unstable, so only Go's algorithm puts repeated expected series in
  // promtool's order.
  auto by_labels = [](const ParsedSample& a, const ParsedSample& b) {
    return Compare(a.labels, b.labels) <= 0;  // labels.Compare (found by ADL)
  };
  gocompat::SortSlice(exp, by_labels);
  gocompat::SortSlice(got, by_labels);
  if (!SamplesEqual(exp, got)) {
    errs.push_back(head + ",\n        exp: " + SamplesString(exp) +
                   "\n        got: " + SamplesString(got));
  }
}

// testGroup.test of unittest.go: evaluates the rules step by step up to the last eval time,
// checking the alert tests as their times pass, then the PromQL expression tests.
std::vector<std::string> RunTestGroup(const TestGroup& tg, int64_t eval_interval_ms,
                                      const std::map<std::string, int>& group_order,
                                      const std::vector<std::string>& rule_files) {
  QuerySuite suite(eval_interval_ms);
  auto loaded_series = LoadInputSeries(tg, suite);
  if (auto* e = std::get_if<std::string>(&loaded_series)) return {*e};
  std::vector<LoadedSeries>& series = std::get<std::vector<LoadedSeries>>(loaded_series);
  auto loaded_groups = LoadGroups(rule_files, group_order);
  if (auto* e = std::get_if<std::vector<std::string>>(&loaded_groups)) return *e;
  std::vector<RuleGroupEvaluator>& groups =
      std::get<std::vector<RuleGroupEvaluator>>(loaded_groups);

  int64_t maxt = 0;
  for (const auto& a : tg.alert_rule_tests) maxt = std::max(maxt, a.eval_time_ms);
  for (const auto& p : tg.promql_expr_tests) maxt = std::max(maxt, p.eval_time_ms);
  auto times = AlertEvalTimes(tg);
  if (auto* e = std::get_if<std::string>(&times)) return {*e};
  const std::vector<int64_t>& eval_times = std::get<std::vector<int64_t>>(times);
  std::size_t curr = 0;

  RuleEvalContext ctx;
  ctx.query = [&suite](const std::string& expr, int64_t ts) { return suite.Query(expr, ts); };
  ctx.external_labels = tg.external_labels;
  ctx.external_url = tg.external_url;

  std::vector<std::string> errs;
  for (int64_t ts = 0; ts <= maxt; ts += eval_interval_ms) {
    AppendDueSamples(series, ts, suite.storage());
    std::vector<std::string> eval_errs = EvalGroups(groups, ts, ctx, suite.storage());
    if (!eval_errs.empty()) {
      errs.insert(errs.end(), eval_errs.begin(), eval_errs.end());
      return errs;
    }
    // Alert tests whose eval_time falls in [ts, ts + interval) read this evaluation.
    while (curr < eval_times.size() && ts <= eval_times[curr] &&
           eval_times[curr] < ts + eval_interval_ms) {
      CheckAlertTests(tg, eval_times[curr], groups, errs);
      ++curr;
    }
  }
  for (const auto& test : tg.promql_expr_tests) CheckPromqlExprTest(test, suite, errs);
  return errs;
}

// ruleUnitTest: the errors of one file (empty when it passed).
std::vector<std::string> RunFile(const std::string& filename, std::ostream& err) {
  std::ifstream in(filename, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  auto parsed = ParseUnitTestFile(content.str());
  if (auto* e = std::get_if<std::string>(&parsed)) return {*e};
  UnitTestFile file = std::move(std::get<UnitTestFile>(parsed));

  std::vector<std::string> rule_files;
  const std::string base = Dir(filename);
  for (auto rf : file.rule_files) {
    if (!rf.empty() && rf[0] != '/') rf = Join(base, rf);
    auto matches = Glob(rf);
    if (matches.empty()) err << "  WARNING: no file match pattern " << rf << "\n" << std::flush;
    rule_files.insert(rule_files.end(), matches.begin(), matches.end());
  }
  const int64_t eval_interval =
      file.evaluation_interval_ms == 0 ? kDefaultEvaluationIntervalMs : file.evaluation_interval_ms;

  std::map<std::string, int> group_order;
  for (std::size_t i = 0; i < file.group_eval_order.size(); ++i) {
    const auto& name = file.group_eval_order[i];
    if (group_order.count(name)) return {"group name repeated in evaluation order: " + name};
    group_order[name] = static_cast<int>(i);
  }

  std::vector<std::string> errs;
  for (const auto& tg : file.tests) {
    auto e = RunTestGroup(tg, eval_interval, group_order, rule_files);
    errs.insert(errs.end(), e.begin(), e.end());
  }
  return errs;
}

}  // namespace

int RunRuleUnitTests(const std::vector<std::string>& files, std::ostream& out, std::ostream& err) {
  bool failed = false;
  for (const auto& f : files) {
    out << "Unit Testing:  " << f << "\n" << std::flush;
    auto errs = RunFile(f, err);
    if (!errs.empty()) {
      err << "  FAILED:\n" << std::flush;
      for (const auto& e : errs) {
        err << e << "\n" << std::flush;
        out << "\n" << std::flush;
      }
      failed = true;
    } else {
      out << "  SUCCESS\n";
    }
    out << "\n" << std::flush;
  }
  return failed ? 1 : 0;
}

}  // namespace cerniq::rules
