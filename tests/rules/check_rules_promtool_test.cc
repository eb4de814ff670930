// Differential test of `check rules` against the real promtool 2.42 (skipped when absent): many
// small rule files exercising the YAML decoding, validation and lint paths are checked by both,
// and stdout, stderr and the exit code must be identical.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "golden.h"
#include "rules/check_rules.h"

namespace cerniq::rules {
namespace {

namespace fs = std::filesystem;

bool HavePromtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

// Each entry is one rule file. YAML syntax errors are mostly left out: their wording comes from
// libyaml in promtool and from yaml-cpp here (see goyaml::YamlCppSyntaxError); the translated ones
// and unterminated quotes are in.
const std::vector<std::string> kFiles = {
    "groups:\n  - name: g: x\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        annotations:\n"
    "          summary: Value is: {{ $value }}\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: \"up\n",
    "groups: []\n",
    "groups:\n",
    "groups:\n  - name: g\n",
    "groups:\n  - name: g\n    rules:\n",
    "groups:\n  - name: g\n    rules: []\n  - name: g\n    rules: []\n  - name: g\n",
    "groups:\n  - rules: []\n",
    "groups:\n  - name: \"\"\n",
    "groups:\n  - name: 123\n  - name: true\n  - name: [a]\n",
    "groups:\n  - name: g\n    interval: 1.5\n",
    "groups:\n  - name: g\n    interval: {a: b}\n    limit: [1]\n",
    "groups:\n  - name: g\n    interval: ~\n    limit: ~\n",
    "groups:\n  - name: g\n    limit: 0x10\n  - name: h\n    limit: 1e3\n  - name: i\n    limit: "
    "-1\n",
    "groups:\n  - name: g\n    limit: 99999999999999999999\n",
    "groups:\n  - name: g\n    limit: 1_000\n    interval: 1h\n",
    "groups:\n  - name: g\n    labels: {a: b}\n    query_offset: 1m\n",
    "groups:\n  - name: g\n    rules:\n      - [a]\n      - x\n      -\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 0\n"
    "        keep_firing_for: 0s\n      - record: a:b:c\n        expr: up\n"
    "        keep_firing_for: 0s\n        for: 0m\n",
    "groups:\n  - name: g\n    rules:\n      - record: 1abc\n        expr: up\n      - record: "
    "a-b\n"
    "        expr: up\n        labels: {x: '{{'}\n",
    "groups:\n  - name: g\n    rules:\n      - alert: my alert!\n        expr: up\n"
    "        labels:\n          a.b: x\n        annotations:\n          1abc: z\n",
    // One invalid label per rule: promtool lists several in random (Go map) order.
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels:\n"
    "          \"\": y\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels:\n"
    "          a: '{{ $labels.x'\n        annotations:\n          b: '{{ if }}'\n"
    "          c: '{{ .Value | humanize }}'\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: 1 +\n"
    "      - record: r\n        expr: sum(rate(x[5m])) by (job)\n"
    "      - record: s\n        expr: 'x{'\n      - alert: B\n        expr: \"foo[5m]\"\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n"
    "        annotations:\n          a: x\n          a: y\n        labels:\n          l: 1\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        unknown: 1\n"
    "        other: 2\n  - name: h\n    nope: 1\nextra: 1\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: &l {a: "
    "b}\n"
    "      - alert: A\n        expr: down\n        labels: *l\n",
    "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n---\ngroups: 3\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels: {b: "
    "\"2\", a: \"1\"}\n"
    "      - alert: A\n        expr: up\n        labels: {a: \"1\", b: \"2\"}\n      - record: r\n"
    "        expr: x\n  - name: h\n    rules:\n      - record: r\n        expr: y\n"
    "      - alert: B\n        expr: up\n      - alert: B\n        expr: down\n        labels: "
    "{}\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        record: r\n        expr: ''\n"
    "        for: 5m\n        annotations: {x: y}\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: [up]\n      - alert: {a: "
    "b}\n"
    "        expr: up\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 1h30m\n"
    "        keep_firing_for: 1w2d\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 1m1m\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        for: 5y\n"
    "      - alert: B\n        expr: up\n        for: 300y\n",
    "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up\n        labels:\n"
    "          x: [1]\n        annotations: [a]\n        for: [1]\n",
    "groups:\n  - name: \"\\u00e9\\\"q\\\"\"\n    rules:\n      - alert: \"t\\tab\"\n        expr: "
    "up\n"
    "        labels: {\"bad-name\": x}\n",
    "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: |\n      sum by (job) (\n        up\n   "
    "   ) > 0\n"
    "    annotations:\n      d: |\n        line {{ $value }}\n        {{ if }}\n",
    "groups: {a: b}\n",
    "[1, 2]\n",
    "# only a comment\n",
    "~\n",
    "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n"
    "        labels:\n          a: b\n          a: c\n          a: d\n",
};

struct Output {
  std::string out, err;
  int code = 0;
};

void ExpectSameAsPromtool(const std::vector<std::string>& flags) {
  if (!HavePromtool()) GTEST_SKIP() << "promtool not installed";
  const fs::path dir =
      fs::temp_directory_path() / ("cerniq_check_rules_" + std::to_string(getpid()));
  fs::create_directories(dir);
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code ec;
      fs::remove_all(p, ec);
    }
  } cleanup{dir};

  std::vector<std::string> files;
  std::string args = "check rules";
  CheckRulesOptions options;
  for (const auto& f : flags) {
    args += " " + f;
    if (f == "--lint-fatal")
      options.lint_fatal = true;
    else if (f.rfind("--lint=", 0) == 0)
      options.lint = f.substr(7);
  }
  for (std::size_t i = 0; i < kFiles.size(); ++i) {
    const std::string name = "f" + std::to_string(i) + ".yml";
    std::ofstream(dir / name) << kFiles[i];
    files.push_back(name);
    args += " " + name;
  }
  const std::string cmd = "cd '" + dir.string() + "' && promtool " + args + " >stdout 2>stderr";
  const int status = std::system(cmd.c_str());
  Output want{testing::ReadText(dir / "stdout"), testing::ReadText(dir / "stderr"),
              WIFEXITED(status) ? WEXITSTATUS(status) : -1};

  std::ostringstream out, err;
  const int code = testing::InDirectory(dir, [&] { return CheckRules(files, options, out, err); });
  EXPECT_EQ(out.str(), want.out);
  std::istringstream got_lines(err.str()), want_lines(want.err);
  int line_no = 0;
  for (std::string g, w; std::getline(want_lines, w);) {
    std::getline(got_lines, g);
    EXPECT_EQ(g, w) << "stderr line " << ++line_no;
  }
  EXPECT_EQ(err.str(), want.err);
  EXPECT_EQ(code, want.code);
}

TEST(CheckRulesPromtool, DefaultLint) { ExpectSameAsPromtool({}); }
TEST(CheckRulesPromtool, LintFatal) { ExpectSameAsPromtool({"--lint-fatal"}); }
TEST(CheckRulesPromtool, LintNone) { ExpectSameAsPromtool({"--lint=none"}); }
TEST(CheckRulesPromtool, LintAllAndUnknown) { ExpectSameAsPromtool({"--lint=all,bogus"}); }

}  // namespace
}  // namespace cerniq::rules
