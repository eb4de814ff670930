#pragma once
// `promtool test rules` of Prometheus 2.42 (cmd/promtool/unittest.go): loads each unit-test
// file, evaluates its rule files over the input series with src/promql's engine, checks the
// alert and PromQL expectations, and prints promtool's exact report.
#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace cerniq::rules {

// Runs every file; writes stdout and stderr text in promtool's order; returns the exit code
// (1 when any file failed). The files are expected to exist (cerniqtool's `test rules` checks).
int RunRuleUnitTests(const std::vector<std::string>& files, std::ostream& out, std::ostream& err);

// Go's time.Duration.String() for whole milliseconds: "0s", "1m0s", "1h30m0s", "1.5s", "500ms".
std::string GoDurationString(int64_t ms);

}  // namespace cerniq::rules
