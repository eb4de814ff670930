#include "rules/linter.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <tuple>

#include "catalog/catalog.h"
#include "gocompat/duration.h"
#include "promql/ast.h"
#include "promql/function_defs.h"
#include "promql/parser.h"
#include "rules/lint_alerts.h"
#include "rules/lint_comments.h"
#include "rules/lint_context.h"
#include "rules/lint_duplicate.h"
#include "rules/lint_promql.h"
#include "rules/rule_loader.h"

namespace cerniq::rules {
namespace {

using promql::Expr;
using promql::NodeKind;

// Series Prometheus itself adds, which no exporter exposes.
bool IsPrometheusSeries(std::string_view name) {
  return name == "ALERTS" || name == "ALERTS_FOR_STATE" || name == "up" ||
         name.rfind("scrape_", 0) == 0;
}

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t prev = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cur = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1)});
      prev = cur;
    }
  }
  return row[b.size()];
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// The catalogue's view of a series name: its metric, and whether it is a histogram's family name
// (which has no series of its own) or one of its _bucket/_sum/_count series.
struct SeriesInfo {
  const catalog::Metric* metric = nullptr;
  bool histogram_family_name = false;
  bool bucket = false;
  bool counter_like = false;  // counters and histogram _count/_sum/_bucket only grow
};

SeriesInfo Describe(std::string_view name) {
  SeriesInfo info;
  info.metric = catalog::Find(name);
  if (!info.metric) return info;
  if (info.metric->type == catalog::Type::kHistogram) {
    info.histogram_family_name = name == info.metric->name;
    info.bucket = EndsWith(name, "_bucket");
    info.counter_like = !info.histogram_family_name;
  } else {
    info.counter_like = info.metric->type == catalog::Type::kCounter;
  }
  return info;
}

// le="80" selects one bucket per series, which sum() may add up without le.
bool PinsOneBucket(const promql::VectorSelector& vs) {
  for (const auto& m : vs.matchers) {
    if (m.name() == "le" && m.type() == promql::MatchType::kEqual) return true;
  }
  return false;
}

// What labels an expression's result carries, as far as a simple analysis can tell.
struct LabelFlow {
  bool known = false;          // true: exactly `kept` survive
  std::set<std::string> kept;  // when known
  std::set<std::string> dropped;
  std::string dropper;  // the expression that drops them, for messages
};

LabelFlow Flow(const Expr& e) {
  switch (e.kind) {
    case NodeKind::kParen:
      return Flow(*static_cast<const promql::ParenExpr&>(e).expr);
    case NodeKind::kAggregate: {
      const auto& a = static_cast<const promql::AggregateExpr&>(e);
      LabelFlow f;
      f.dropper = a.String();
      if (a.without) {
        f.dropped.insert(a.grouping.begin(), a.grouping.end());
      } else {
        f.known = true;
        f.kept.insert(a.grouping.begin(), a.grouping.end());
      }
      return f;
    }
    case NodeKind::kBinary: {
      const auto& b = static_cast<const promql::BinaryExpr&>(e);
      const bool lhs_vector = b.lhs->Type() == promql::ValueType::kVector;
      const bool rhs_vector = b.rhs->Type() == promql::ValueType::kVector;
      if (lhs_vector && !rhs_vector) return Flow(*b.lhs);
      if (rhs_vector && !lhs_vector) return Flow(*b.rhs);
      if (b.matching && b.matching->card == promql::Card::kOneToOne && b.matching->on) {
        LabelFlow f;
        f.known = true;
        f.kept.insert(b.matching->matching_labels.begin(), b.matching->matching_labels.end());
        f.dropper = b.String();
        return f;
      }
      return Flow(*b.lhs);
    }
    default:
      return {};
  }
}

class RuleLinter {
 public:
  RuleLinter(const RuleLintContext& ctx, const std::set<std::string>& recorded)
      : ctx_(ctx), rule_(ctx.rule()), recorded_(recorded), options_(ctx.options()) {}

  void Run(const Expr& root) {
    Walk(root, nullptr);
    CheckAlertFor(root);
    CheckTemplates(root);
    CheckRegexps(root, ctx_);
    CheckCounters(root, ctx_, recorded_);
    CheckAnnotations(ctx_);
    CheckAlertCondition(root, ctx_);
  }

 private:
  void Report(int offset, Severity severity, std::string check, std::string message,
              std::string fix = "") {
    ctx_.Report(offset, severity, std::move(check), std::move(message), std::move(fix));
  }

  void Walk(const Expr& e, const promql::Call* parent_call) {
    switch (e.kind) {
      case NodeKind::kVectorSelector:
        CheckSelector(static_cast<const promql::VectorSelector&>(e));
        return;
      case NodeKind::kMatrixSelector: {
        const auto& m = static_cast<const promql::MatrixSelector&>(e);
        CheckSelector(m.selector());
        if (parent_call) CheckRange(*parent_call, m);
        return;
      }
      case NodeKind::kSubquery:
        Walk(*static_cast<const promql::SubqueryExpr&>(e).expr, nullptr);
        return;
      case NodeKind::kCall: {
        const auto& c = static_cast<const promql::Call&>(e);
        for (const auto& a : c.args) Walk(*a, &c);
        return;
      }
      case NodeKind::kAggregate: {
        const auto& a = static_cast<const promql::AggregateExpr&>(e);
        CheckHistogramAggregation(a);
        if (a.param) Walk(*a.param, nullptr);
        Walk(*a.expr, nullptr);
        return;
      }
      case NodeKind::kBinary: {
        const auto& b = static_cast<const promql::BinaryExpr&>(e);
        CheckComparison(b);
        Walk(*b.lhs, nullptr);
        Walk(*b.rhs, nullptr);
        return;
      }
      case NodeKind::kUnary:
        Walk(*static_cast<const promql::UnaryExpr&>(e).expr, nullptr);
        return;
      case NodeKind::kParen:
        Walk(*static_cast<const promql::ParenExpr&>(e).expr, nullptr);
        return;
      default:
        return;
    }
  }

  void CheckSelector(const promql::VectorSelector& vs) {
    if (vs.name.empty() || IsPrometheusSeries(vs.name) || recorded_.count(vs.name)) return;
    const SeriesInfo info = Describe(vs.name);
    if (info.histogram_family_name) {
      Report(vs.pos.start, Severity::kBug, "promql/series",
             "`" + vs.name + "` is a histogram: cerniq_exporter exposes " + vs.name + "_bucket, " +
                 vs.name + "_sum and " + vs.name + "_count, not a series named " + vs.name + ".",
             "select " + vs.name + "_bucket{le=\"...\"} (or _count) instead, e.g. " + vs.name +
                 "_count - ignoring(le) " + vs.name +
                 "_bucket{le=\"80\"} for observations above 80");
      return;
    }
    if (info.metric) return;
    std::string best;
    std::size_t best_distance = 4;
    for (const auto& m : catalog::All()) {
      const std::size_t d = EditDistance(vs.name, m.name);
      if (d < best_distance) best_distance = d, best = std::string(m.name);
    }
    Report(vs.pos.start, Severity::kBug, "promql/series",
           "`" + vs.name +
               "` is not a metric cerniq_exporter exposes, so this selector matches nothing.",
           best.empty() ? "" : "did you mean " + best + "?");
  }

  void CheckRange(const promql::Call& call, const promql::MatrixSelector& m) {
    const std::string& fn = call.func ? call.func->name : "";
    if (fn != "rate" && fn != "irate" && fn != "increase") return;
    const SeriesInfo info = Describe(m.selector().name);
    if (info.metric && !info.counter_like && !info.histogram_family_name) {
      Report(call.pos.start, Severity::kBug, "promql/rate",
             fn + "() on `" + m.selector().name + "`, a gauge: " + fn +
                 " assumes a counter and treats every decrease as a reset.",
             fn == "increase" ? "use delta() for gauges" : "use deriv() for gauges");
    }
    if (m.range_ms < 4 * options_.scrape_interval_ms) {
      Report(
          call.pos.start, Severity::kWarning, "promql/rate",
          fn + "() over [" + gocompat::FormatDuration(m.range_ms) + "] is shorter than 4x the " +
              gocompat::FormatDuration(options_.scrape_interval_ms) +
              " scrape interval: one missed scrape leaves too few samples.",
          "use a window of at least " + gocompat::FormatDuration(4 * options_.scrape_interval_ms));
    }
  }

  void CheckHistogramAggregation(const promql::AggregateExpr& a) {
    const Expr* inner = a.expr.get();
    while (inner->kind == NodeKind::kParen)
      inner = static_cast<const promql::ParenExpr&>(*inner).expr.get();
    if (inner->kind != NodeKind::kVectorSelector) return;
    const auto& vs = static_cast<const promql::VectorSelector&>(*inner);
    if (!Describe(vs.name).bucket) return;
    const std::string family = vs.name.substr(0, vs.name.size() - std::string("_bucket").size());
    if (a.op == promql::Tok::kCount) {
      Report(a.pos.start, Severity::kBug, "promql/histogram",
             "count() over `" + vs.name + "` counts histogram buckets, not observations.",
             "use " + family + "_count");
    } else if (a.op == promql::Tok::kSum && !PinsOneBucket(vs)) {
      const bool keeps_le =
          a.without ? std::find(a.grouping.begin(), a.grouping.end(), "le") == a.grouping.end()
                    : std::find(a.grouping.begin(), a.grouping.end(), "le") != a.grouping.end();
      if (!keeps_le) {
        Report(a.pos.start, Severity::kBug, "promql/histogram",
               "sum() over `" + vs.name +
                   "` without le adds up cumulative buckets of different bounds.",
               "aggregate with by (le), or use " + family + "_count");
      }
    }
  }

  void CheckComparison(const promql::BinaryExpr& b) {
    using promql::Tok;
    if (b.return_bool) return;
    if (b.op != Tok::kLss && b.op != Tok::kLte && b.op != Tok::kGtr && b.op != Tok::kGte) return;
    const Expr* lhs = b.lhs.get();
    while (lhs->kind == NodeKind::kParen)
      lhs = static_cast<const promql::ParenExpr&>(*lhs).expr.get();
    if (lhs->kind != NodeKind::kVectorSelector || b.rhs->kind != NodeKind::kNumber) return;
    const auto& vs = static_cast<const promql::VectorSelector&>(*lhs);
    const double v = static_cast<const promql::NumberLiteral&>(*b.rhs).val;
    const SeriesInfo info = Describe(vs.name);
    if (!info.metric) return;
    const bool never =
        (info.counter_like && ((b.op == Tok::kLss && v <= 0) || (b.op == Tok::kLte && v < 0)));
    const bool zero_one = info.metric->help.rfind("1 when", 0) == 0;
    const bool never01 =
        zero_one && ((b.op == Tok::kGtr && v >= 1) || (b.op == Tok::kGte && v > 1) ||
                     (b.op == Tok::kLss && v <= 0) || (b.op == Tok::kLte && v < 0));
    if (never || never01) {
      Report(vs.pos.start, Severity::kBug, "promql/impossible",
             "`" + b.String() + "` can never be true: " + vs.name +
                 (never ? " never goes below 0." : " is always 0 or 1."));
    }
  }

  void CheckAlertFor(const Expr& root) {
    if (!rule_.IsAlerting() || rule_.for_ms != 0) return;
    const promql::VectorSelector* gauge = FindGauge(root);
    if (!gauge) return;
    Report(0, Severity::kWarning, "alerts/gauge-without-for",
           "alert `" + rule_.alert + "` has no `for` but reads the gauge `" + gauge->name +
               "`: a single noisy sample fires it.",
           "add for: 5m (or longer)");
  }

  const promql::VectorSelector* FindGauge(const Expr& e) const {
    switch (e.kind) {
      case NodeKind::kVectorSelector: {
        const auto& vs = static_cast<const promql::VectorSelector&>(e);
        const SeriesInfo info = Describe(vs.name);
        return info.metric && info.metric->type == catalog::Type::kGauge ? &vs : nullptr;
      }
      case NodeKind::kAggregate:
        return FindGauge(*static_cast<const promql::AggregateExpr&>(e).expr);
      case NodeKind::kBinary: {
        const auto& b = static_cast<const promql::BinaryExpr&>(e);
        if (auto* g = FindGauge(*b.lhs)) return g;
        return FindGauge(*b.rhs);
      }
      case NodeKind::kParen:
        return FindGauge(*static_cast<const promql::ParenExpr&>(e).expr);
      case NodeKind::kUnary:
        return FindGauge(*static_cast<const promql::UnaryExpr&>(e).expr);
      default:
        return nullptr;  // functions over ranges already smooth their input
    }
  }

  void CheckTemplates(const Expr& root) {
    if (!rule_.IsAlerting()) return;
    const LabelFlow flow = Flow(root);
    if (!flow.known && flow.dropped.empty()) return;
    static const std::regex kLabelUse(R"((?:\$labels|\.Labels)\.([A-Za-z_][A-Za-z0-9_]*))");
    std::set<std::string> reported;
    auto check = [&](const std::map<std::string, std::string>& templates) {
      for (const auto& [name, text] : templates) {
        for (std::sregex_iterator it(text.begin(), text.end(), kLabelUse), end; it != end; ++it) {
          const std::string label = (*it)[1];
          const bool lost = (flow.known && !flow.kept.count(label)) || flow.dropped.count(label);
          if (!lost || !reported.insert(label).second) continue;
          Report(
              0, Severity::kBug, "alerts/template",
              "`" + name + "` uses $labels." + label + ", which `" + flow.dropper +
                  "` removes: it always expands to an empty string.",
              "keep " + label + " in the aggregation's by() clause, or drop it from the template");
        }
      }
    };
    check(rule_.labels);
    check(rule_.annotations);
  }

  const RuleLintContext& ctx_;
  const Rule& rule_;
  const std::set<std::string>& recorded_;
  const LintOptions& options_;
};

}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kBug:
      return "bug";
  }
  return "";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kBug}) {
    if (SeverityName(s) == name) return s;
  }
  return std::nullopt;
}

const std::vector<std::string_view>& LintCheckNames() {
  static const std::vector<std::string_view> kNames = {
      "alerts/annotation", "alerts/comparison", "alerts/gauge-without-for", "alerts/template",
      "promql/counter",    "promql/histogram",  "promql/impossible",        "promql/rate",
      "promql/regexp",     "promql/series",     "rule/duplicate",           "cerniqtool/comment"};
  return kNames;
}

std::vector<LintFinding> LintRuleFiles(const std::vector<LintInput>& files,
                                       const LintOptions& options) {
  std::vector<LintFinding> all = FindDuplicateRules(files);
  std::vector<LintFinding> kept;
  for (std::size_t index = 0; index < files.size(); ++index) {
    const LintInput& in = files[index];
    const std::vector<std::string> lines = SplitLines(in.source);
    std::set<std::string> recorded;
    for (const auto& g : in.file.groups) {
      for (const auto& r : g.rules) {
        if (!r.record.empty()) recorded.insert(r.record);
      }
    }
    std::vector<LintFinding> findings;
    for (const auto& g : in.file.groups) {
      for (const auto& r : g.rules) {
        promql::ExprPtr expr;
        try {
          expr = promql::ParseExpr(r.expr);
        } catch (const std::exception&) {
          continue;  // loading already reported it
        }
        RuleLintContext ctx(in.path, lines, r, options, findings);
        RuleLinter(ctx, recorded).Run(*expr);
      }
    }
    for (auto& f : all) {
      if (f.file == in.path) findings.push_back(std::move(f));
    }
    const DisableComments comments(lines, in.file);
    auto problems = comments.Problems(in.path);
    findings.insert(findings.end(), problems.begin(), problems.end());
    std::stable_sort(findings.begin(), findings.end(), [](const auto& a, const auto& b) {
      return std::tie(a.line, a.column) < std::tie(b.line, b.column);
    });
    for (auto& f : findings) {
      if (!options.disabled_checks.count(f.check) && !comments.Disabled(f.line, f.check)) {
        kept.push_back(std::move(f));
      }
    }
  }
  return kept;
}

std::vector<LintFinding> LintRuleFile(const std::string& path, const std::string& source,
                                      const RuleFile& file, const LintOptions& options) {
  return LintRuleFiles({{path, source, file}}, options);
}

std::string FormatFindingsText(const std::vector<LintFinding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + ": " +
           std::string(SeverityName(f.severity)) + ": " + f.check + ": " + f.message;
    if (!f.fix.empty()) out += " (fix: " + f.fix + ")";
    out += "\n";
  }
  return out;
}

std::string FormatFindingsJson(const std::vector<LintFinding>& findings) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& f : findings) {
    arr.push_back({{"file", f.file},
                   {"line", f.line},
                   {"column", f.column},
                   {"severity", SeverityName(f.severity)},
                   {"check", f.check},
                   {"message", f.message},
                   {"fix", f.fix}});
  }
  return arr.dump(2) + "\n";
}

LintFilesResult LintRuleFilesAt(const std::vector<std::string>& paths, const LintOptions& options) {
  LintFilesResult result;
  std::vector<std::string> sources(paths.size());
  std::vector<RuleFile> loaded_files;
  loaded_files.reserve(paths.size());  // LintInput holds references into it
  std::vector<LintInput> inputs;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    std::ifstream in(paths[i], std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    sources[i] = text.str();
    RuleFileResult loaded = ParseRuleFile(sources[i]);
    if (!loaded.ok()) {
      result.load_errors.emplace_back(paths[i], std::move(loaded.errors));
      continue;
    }
    loaded_files.push_back(std::move(*loaded.file));
    inputs.push_back({paths[i], sources[i], loaded_files.back()});
  }
  result.findings = LintRuleFiles(inputs, options);
  return result;
}

}  // namespace cerniq::rules
