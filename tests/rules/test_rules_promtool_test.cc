// Differential test of `test rules` against the real promtool 2.42 (skipped when absent):
// generated unit-test files (random series in the expanding notation, alerting and recording
// rules in the runbook's shapes, random `for` and evaluation times, expectations that mostly
// fail so that both tools print what they computed) must give identical stdout, stderr and exit
// codes. The generator is seeded, so a failure reproduces.
//
// Known engine difference (issue 4, reported): rate()/increase() results can differ from
// Prometheus in the last bit (interval 30s, '0+21x12', rate(x[5m]) at 3m30s: promtool
// 4.9000000000000005E-01, src/promql 4.9E-01), so the generator prints their values only
// through humanize (4 digits) until the extrapolation arithmetic follows Prometheus's order.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "golden.h"
#include "rules/unit_test_runner.h"

namespace cerniq::rules {
namespace {

namespace fs = std::filesystem;

bool HavePromtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(Int(0, static_cast<int>(v.size()) - 1))];
  }

  std::string Values() {
    std::string out;
    const int parts = Int(1, 4);
    for (int p = 0; p < parts; ++p) {
      if (!out.empty()) out += ' ';
      switch (Int(0, 5)) {
        case 0:
          out += std::to_string(Int(0, 200)) + "+" + std::to_string(Int(0, 30)) + "x" +
                 std::to_string(Int(1, 12));
          break;
        case 1:
          out += std::to_string(Int(50, 300)) + "-" + std::to_string(Int(1, 20)) + "x" +
                 std::to_string(Int(1, 8));
          break;
        case 2:
          out += "_x" + std::to_string(Int(1, 3));
          break;
        case 3:
          out += "stale";
          break;
        case 4:
          out += std::to_string(Int(0, 150)) + "x" + std::to_string(Int(1, 10));
          break;
        default:
          out += std::to_string(Int(0, 99)) + "." + std::to_string(Int(1, 9));
          break;
      }
    }
    return out;
  }

  std::string Duration() {
    const int m = Int(0, 14);
    return Int(0, 4) == 0 ? std::to_string(m) + "m30s" : std::to_string(m) + "m";
  }

  std::string Rules() {
    std::ostringstream r;
    r << "groups:\n  - name: g1\n    rules:\n";
    r << "      - record: job:queue_waiting:sum\n        expr: sum by (job) (queue_waiting)\n";
    const std::vector<std::string> exprs = {
        "queue_waiting > " + std::to_string(Int(20, 150)),
        "job:queue_waiting:sum > " + std::to_string(Int(50, 300)),
        "rate(failed_total[5m]) > 0." + std::to_string(Int(1, 9)),
        "increase(failed_total[10m]) > " + std::to_string(Int(1, 50)),
        "workers_active == 0",
        "count(queue_waiting > " + std::to_string(Int(10, 100)) + ") > 1",
        "avg_over_time(queue_waiting[3m]) < " + std::to_string(Int(20, 120)),
    };
    const int alerts = Int(1, 3);
    for (int i = 0; i < alerts; ++i) {
      last_expr_ = Pick(exprs);
      r << "      - alert: A" << i << "\n        expr: " << last_expr_ << "\n";
      if (Int(0, 2) > 0) r << "        for: " << Int(0, 5) << "m\n";
      if (Int(0, 3) == 0) r << "        keep_firing_for: " << Int(1, 3) << "m\n";
      r << "        labels:\n          severity: "
        << Pick(std::vector<std::string>{"warning", "critical"}) << "\n";
      const bool extrapolated = last_expr_.find("rate(") != std::string::npos ||
                                last_expr_.find("increase(") != std::string::npos;
      r << "        annotations:\n          summary: '{{ $labels.job }} at "
        << (extrapolated ? "" : "{{ $value }} ") << "({{ $value | humanize }})'\n";
    }
    return r.str();
  }

  std::string Tests() {
    std::ostringstream t;
    t << "rule_files: [rules.yml]\nevaluation_interval: "
      << Pick(std::vector<std::string>{"1m", "30s", "2m"}) << "\ntests:\n";
    const int groups = Int(1, 2);
    for (int g = 0; g < groups; ++g) {
      t << "  - interval: " << Pick(std::vector<std::string>{"1m", "30s", "2m"}) << "\n";
      if (Int(0, 1)) t << "    name: group" << g << "\n";
      t << "    input_series:\n";
      for (const char* job : {"a", "b"}) {
        t << "      - series: 'queue_waiting{job=\"" << job << "\"}'\n        values: '" << Values()
          << "'\n";
      }
      t << "      - series: 'failed_total{job=\"a\"}'\n        values: '0+" << Int(0, 60) << "x"
        << Int(5, 15) << "'\n";
      t << "      - series: 'workers_active{job=\"a\"}'\n        values: '" << Int(0, 2) << "x"
        << Int(3, 10) << " 0x" << Int(2, 8) << "'\n";
      t << "    alert_rule_test:\n";
      const int at = Int(1, 3);
      for (int i = 0; i < at; ++i) {
        t << "      - eval_time: " << Duration() << "\n        alertname: A" << Int(0, 2) << "\n";
        if (Int(0, 2) == 0) {
          t << "        exp_alerts:\n          - exp_labels:\n              severity: warning\n"
               "              job: a\n";
        }
      }
      t << "    promql_expr_test:\n";
      const std::vector<std::string> queries = {
          "queue_waiting",
          "job:queue_waiting:sum",
          "ALERTS",
          "ALERTS_FOR_STATE",
          "failed_total offset 1m",
          "sum(queue_waiting)",
          "max_over_time(queue_waiting[5m])",
      };
      const int pt = Int(1, 3);
      for (int i = 0; i < pt; ++i) {
        t << "      - expr: " << Pick(queries) << "\n        eval_time: " << Duration() << "\n";
      }
    }
    return t.str();
  }

 private:
  std::mt19937 rng_;
  std::string last_expr_;
};

TEST(TestRulesPromtool, GeneratedFilesMatchPromtool) {
  if (!HavePromtool()) GTEST_SKIP() << "promtool not installed";
  const fs::path dir =
      fs::temp_directory_path() / ("cerniq_test_rules_" + std::to_string(getpid()));
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      if (std::getenv("CERNIQ_KEEP_DIFF_FILES")) return;  // to inspect a failing seed
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{dir};
  int passed = 0, failed = 0;
  for (unsigned seed = 1; seed <= 200; ++seed) {
    const fs::path d = dir / std::to_string(seed);
    fs::create_directories(d);
    Generator gen(seed);
    std::ofstream(d / "rules.yml") << gen.Rules();
    std::ofstream(d / "test.yml") << gen.Tests();
    const std::string cmd =
        "cd '" + d.string() + "' && promtool test rules test.yml >stdout 2>stderr";
    const int status = std::system(cmd.c_str());
    const int want_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    std::ostringstream out, err;
    const int code =
        testing::InDirectory(d, [&] { return RunRuleUnitTests({"test.yml"}, out, err); });
    const bool same = out.str() == testing::ReadText(d / "stdout") &&
                      err.str() == testing::ReadText(d / "stderr") && code == want_code;
    same ? ++passed : ++failed;
    EXPECT_EQ(err.str(), testing::ReadText(d / "stderr")) << "seed " << seed;
    EXPECT_EQ(out.str(), testing::ReadText(d / "stdout")) << "seed " << seed;
    EXPECT_EQ(code, want_code) << "seed " << seed;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
}

}  // namespace
}  // namespace cerniq::rules
