#include "collect/postgres/query_collector.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>

#include "catalog/catalog.h"
#include "collect/families.h"
#include "log/limits.h"

namespace cerniq::collect::postgres {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

std::vector<std::string> LabelsOf(std::string_view metric) {
  const catalog::Metric* m = catalog::Find(metric);
  std::vector<std::string> labels;
  if (m != nullptr) {
    for (auto l : m->labels) labels.emplace_back(l);
  }
  return labels;
}

std::string DescribeLabels(const LabelPairs& labels) {
  std::string out = "{";
  for (const auto& [k, v] : labels) out += (out.size() > 1 ? "," : "") + k + "=\"" + v + "\"";
  return out + "}";
}

}  // namespace

bool ParseNumber(const char* text, double& out) {
  if (std::strcmp(text, "t") == 0 || std::strcmp(text, "f") == 0) {
    out = text[0] == 't' ? 1 : 0;
    return true;
  }
  if (*text == '\0') return false;
  char* end = nullptr;
  errno = 0;
  out = std::strtod(text, &end);  // also NaN, Infinity, -Infinity as PostgreSQL prints them
  return *end == '\0' && errno != ERANGE;
}

std::vector<std::string> ColumnNames(const PGresult* result) {
  std::vector<std::string> names;
  for (int i = 0; i < PQnfields(result); ++i) names.emplace_back(PQfname(result, i));
  return names;
}

bool CheckColumns(const std::string& query_name, const PGresult* result,
                  const std::vector<std::string>& expected, QueryError& error) {
  std::vector<std::string> got = ColumnNames(result);
  std::vector<std::string> got_sorted = got, want_sorted = expected;
  std::sort(got_sorted.begin(), got_sorted.end());
  std::sort(want_sorted.begin(), want_sorted.end());
  if (got_sorted == want_sorted) return true;
  error = AnswerError(query_name + ": returned columns (" + Join(got) + "), expected (" +
                      Join(expected) + ") in any order");
  return false;
}

QueryCollector::QueryCollector(std::string name, ConnectionSettings settings,
                               std::vector<QuerySpec> specs, long long max_rows)
    : PgCollector(std::move(name), std::move(settings)),
      specs_(std::move(specs)),
      max_rows_(max_rows) {}

bool QueryCollector::Pass(PgConnection& conn, std::vector<prometheus::MetricFamily>& families,
                          QueryError& error) {
  for (const QuerySpec& spec : specs_) {
    ResultPtr result = conn.Query(spec.sql, spec.params, error);
    if (!result) {
      error.message = DescribeError(spec.name, error);
      return false;
    }
    const PGresult* res = result.get();
    std::vector<std::string> labels = LabelsOf(spec.values.front().metric);
    std::vector<std::string> expected = labels;
    for (const auto& v : spec.values) expected.emplace_back(v.column);
    if (!CheckColumns(spec.name, res, expected, error)) return false;

    std::vector<int> label_index, value_index;
    for (const auto& l : labels) label_index.push_back(PQfnumber(res, ("\"" + l + "\"").c_str()));
    for (const auto& v : spec.values) {
      value_index.push_back(PQfnumber(res, ("\"" + std::string(v.column) + "\"").c_str()));
    }
    size_t first = families.size();
    for (const auto& v : spec.values) families.push_back(MakeFamily(v.metric));

    std::set<LabelPairs> seen;
    int rows = PQntuples(res);
    if (max_rows_ > 0 && rows > max_rows_) {
      log::LimitReached(log::limit::kPostgresRows, {{"query", spec.name},
                                                    {"rows", std::to_string(rows)},
                                                    {"max_rows", std::to_string(max_rows_)}});
      rows = static_cast<int>(max_rows_);
    }
    for (int row = 0; row < rows; ++row) {
      LabelPairs pairs;
      for (size_t i = 0; i < labels.size(); ++i) {
        // NULL labels become "": Prometheus treats an empty label as an absent one.
        pairs.emplace_back(labels[i], PQgetvalue(res, row, label_index[i]));
      }
      if (!seen.insert(pairs).second) {
        error = AnswerError(spec.name + ": two rows with the same labels " + DescribeLabels(pairs) +
                            " (group by the label columns)");
        return false;
      }
      for (size_t i = 0; i < spec.values.size(); ++i) {
        // NULL = no value (e.g. no successful build yet, no next run planned): no sample.
        if (PQgetisnull(res, row, value_index[i])) continue;
        const char* text = PQgetvalue(res, row, value_index[i]);
        double value = 0;
        if (!ParseNumber(text, value)) {
          error = AnswerError(spec.name + ": column " + std::string(spec.values[i].column) +
                              " of row " + std::to_string(row + 1) + " is not a number: \"" +
                              std::string(text).substr(0, 64) + "\"");
          return false;
        }
        AddSample(families[first + i], pairs, value);
      }
    }
  }
  return true;
}

}  // namespace cerniq::collect::postgres
