// Differential test against the real promtool 2.42 (skipped when it is not installed): many
// templates are expanded by `promtool test rules` and by us, and parse-error templates are
// checked by `promtool check rules` and by CheckRules; the outputs must be identical.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "golden.h"
#include "promtool_output.h"
#include "rules/alert_template.h"
#include "rules/check_rules.h"
#include "rules/template_funcs.h"

namespace cerniq::rules {
namespace {

namespace fs = std::filesystem;

bool HavePromtool() { return std::system("command -v promtool >/dev/null 2>&1") == 0; }

// A YAML double-quoted scalar holding `s` exactly.
std::string YamlQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\')
      out += '\\', out += static_cast<char>(c);
    else if (c == '\n')
      out += "\\n";
    else if (c == '\t')
      out += "\\t";
    else
      out += static_cast<char>(c);
  }
  return out + "\"";
}

struct PromtoolRun {
  std::string out, err;
  int exit_code = 0;
};

PromtoolRun RunPromtool(const fs::path& dir, const std::string& args) {
  const std::string cmd = "cd '" + dir.string() + "' && promtool " + args + " >stdout 2>stderr";
  const int status = std::system(cmd.c_str());
  return {testing::ReadText(dir / "stdout"), testing::ReadText(dir / "stderr"),
          WIFEXITED(status) ? WEXITSTATUS(status) : -1};
}

// A scratch directory removed when the test ends, even after a failed ASSERT.
struct TempDir {
  explicit TempDir(const std::string& name)
      : path(fs::temp_directory_path() /
             ("cerniq_rules_" + name + "_" + std::to_string(getpid()))) {
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
  fs::path path;
};

const std::vector<std::string> kExpansions = {
    "{{ $value }}",
    "{{ .Value }}",
    "{{ $labels.k }}|{{ $labels.missing }}|",
    "{{ $labels }}",
    "{{ $externalLabels }} {{ $externalURL }}",
    "{{ $ }}",
    "{{ . }}",
    "{{ $value | humanize }}",
    "{{ humanize1024 $value }}",
    "{{ humanizeDuration $value }}",
    "{{ humanizePercentage $value }}",
    "{{ humanizeTimestamp $value }}",
    "{{ toTime $value }}",
    "{{ printf \"%.2f\" $value }}",
    "{{ printf \"%v|%s|%d|%q\" $value $value $value $value }}",
    "{{ printf \"%e|%E|%g|%G|%f|%F\" $value $value $value $value $value $value }}",
    "{{ printf \"%8.3f|%-8.3f|%+.1e|% g|%08.2f\" $value $value $value $value $value }}",
    "{{ printf \"%x|%X|%o|%b|%c|%U|%#x|%5d|%-5d|%05d\" 255 255 8 5 9731 9731 255 42 42 -42 }}",
    "{{ printf \"%s|%10s|%-10s|%.2s|%q|%x|% x\" \"h\u00e9llo\" \"ab\" \"ab\" \"h\u00e9llo\" "
    "\"a\\tb\" \"hi\" \"hi\" }}",
    "{{ printf \"%t|%v|%d\" true false true }}",
    "{{ printf \"%v\" $labels }}",
    "{{ printf \"%d %d\" 1 }}",
    "{{ printf \"%d\" 1 2 \"x\" }}",
    "{{ printf \"%!\" }}",
    "{{ printf \"100%%\" }}",
    "{{ printf \"%\" }}",
    "{{ printf \"%*d\" 5 42 }}",
    "{{ printf \"%v %v\" nil (args).x }}",
    "{{ print $value \"a\" 1 2 true }}",
    "{{ println $value \"a\" }}",
    "{{ print }}",
    "{{ if eq $labels.k \"12.5\" }}yes{{ else }}no{{ end }}",
    "{{ if ne $labels.k \"12.5\" }}yes{{ else if gt $value 0.0 }}pos{{ else }}neg{{ end }}",
    "{{ if and (gt $value 1.0) (lt $value 100.0) }}mid{{ end }}",
    "{{ or $labels.missing \"default\" }}",
    "{{ and $labels.k $labels.missing }}",
    "{{ not $labels.missing }}",
    "{{ le 1 2 }} {{ ge 2.5 2.5 }} {{ lt \"a\" \"b\" }} {{ gt 3 2 }}",
    "{{ eq 1 1 2 }} {{ eq \"a\" \"b\" \"a\" }}",
    "{{ lt true false }}",
    "{{ eq }}",
    "{{ range $i, $e := $labels }}[{{ $i }}:{{ $e }}]{{ end }}",
    "{{ range $labels }}<{{ . }}>{{ end }}",
    "{{ range $k, $v := $labels }}{{ if eq $k \"k\" }}{{ break }}{{ end }}{{ $k }};{{ end }}",
    "{{ range $k, $v := $labels }}{{ if eq $k \"__name__\" }}{{ continue }}{{ end }}{{ $k }};{{ "
    "end }}",
    "{{ range $externalLabels.missing }}x{{ else }}empty{{ end }}",
    "{{ range 3 }}x{{ end }}",
    "{{ with $labels.missing }}has{{ else }}none{{ end }}",
    "{{ with $labels.k }}k={{ . }}{{ end }}",
    "{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}",
    "{{ $x := \"a\" }}{{ with $y := \"b\" }}{{ $x }}{{ $y }}{{ end }}",
    "{{- \"  trimmed  \" -}}  |  {{- $value -}}  |",
    "a  {{- /* comment */ -}}  b",
    "{{ len $labels }} {{ len \"h\u00e9\" }} {{ index $labels \"k\" }} {{ index \"abc\" 1 }}",
    "{{ index $labels \"nope\" }}|",
    "{{ slice \"abcdef\" 1 3 }}",
    "{{ slice \"abc\" 2 1 }}",
    "{{ index \"abc\" 5 }}",
    "{{ index 1 }}",
    "{{ len nil }}",
    "{{ html \"<a href='x'>&</a>\" }}",
    "{{ js \"it's \\\"q\\\" <b>=&\" }}",
    "{{ urlquery \"a b&c=d/\u00e9\" }}",
    "{{ \"x\" | printf \"%s-%s\" \"y\" }}",
    "{{ toUpper \"abc \u00e9\u00df\" }}",
    "{{ toLower \"ABC \u00c9\" }}",
    "{{ title \"hello world-foo bar.baz\" }}",
    "{{ safeHtml \"<b>\" | printf \"%s\" }}",
    "{{ reReplaceAll \"(\\\\w+)@(\\\\w+)\" \"$2 at ${1}\" \"alice@example bob@test\" }}",
    "{{ reReplaceAll \"a*\" \"-\" \"baaac\" }}",
    "{{ reReplaceAll \"(?P<x>b)\" \"[$x]\" \"abc\" }}",
    "{{ reReplaceAll \"b\" \"$1x$$\" \"abc\" }}",
    "{{ reReplaceAll \"[\" \"\" \"\" }}",
    "{{ match \"^1\" $labels.k }} {{ match \"(?i)K\" \"k\" }}",
    "{{ match \"a(\" \"a\" }}",
    "{{ stripPort \"host:9090\" }} {{ stripPort \"[::1]\" }} {{ stripPort \"a:b:c\" }}",
    "{{ stripDomain \"node1.example.com:9100\" }} {{ stripDomain \"10.0.0.1:80\" }} {{ stripDomain "
    "\"web.local\" }}",
    "{{ parseDuration \"1h30m\" }} {{ parseDuration \"500ms\" }}",
    "{{ parseDuration \"\" }}",
    "{{ graphLink \"up == 0\" }} {{ tableLink \"sum(x) by (y)\" }}",
    "{{ args 1 \"two\" 3.5 }}",
    "{{ (args 1 2).arg1 }}",
    "{{ (args).missing }}|",
    "{{ query \"up\" }}",
    "{{ first (query \"up\") }}",
    "{{ humanize \"1e3\" }} {{ humanize \"x\" }}",
    "{{ humanize true }}",
    "{{ humanize $labels }}",
    "{{ humanizeDuration \"90\" }}",
    "{{ humanizeTimestamp \"NaN\" }} {{ humanizeTimestamp -1e10 }}",
    "{{ toTime \"abc\" }}",
    "{{ toTime \"NaN\" }}",
    "{{ .Labels.k | printf \"%q\" }}",
    "{{ $labels.k.sub }}",
    "{{ .Missing }}",
    "{{ $value.x }}",
    "{{ .Labels.k 1 }}",
    "{{ $labels.k 1 }}",
    "{{ humanize 1 2 }}",
    "{{ printf }}",
    "{{ toUpper 1 }}",
    "{{ toUpper nil }}",
    "{{ label \"k\" nil }}|",
    "{{ value nil }}",
    "{{ strvalue nil }}|",
    "{{ first nil }}",
    "{{ sortByLabel \"k\" (query \"up\") }}",
    "{{ 1.5 }} {{ 1e3 }} {{ -0 }} {{ 0x1F }} {{ 'a' }} {{ 1_000 }}",
    "{{ \"a\" }} {{ `raw\\n` }} {{ \"\\u00e9\\x41\\101\" }}",
    "{{ true }} {{ false }}",
    "{{ (1) }} {{ (\"x\") }} {{ ($value) }}",
    "{{ (args 1).arg0.x }}|",
    "{{ template \"t\" }}{{ define \"t\" }}in t: {{ . }}{{ end }}",
    "{{ define \"u\" }}[{{ . }}]{{ end }}{{ template \"u\" $value }}",
    "{{ template \"nope\" }}",
    "{{ block \"b\" $labels.k }}block {{ . }}{{ end }}",
    "{{ $value := 3 }}{{ $value }}",
    "{{ if $value }}truthy{{ end }}",
    "{{ externalURL }}",
    "{{ pathPrefix }}",
    "{{ call 1 }}",
    "{{ call nil }}",
    "line1\n{{ humanize \"bad\" }}\nline3",
    "x\n\n  {{ .Nope }}",
};

const std::vector<std::string> kParseErrors = {
    "{{",
    "{{ $value",
    "{{ }}",
    "{{ end }}",
    "{{ else }}",
    "{{ if }}",
    "{{ if 1 }}",
    "{{ range }}",
    "{{ with }}",
    "{{ .Foo }",
    "{{ nope }}",
    "{{ $nope }}",
    "{{ \"unterminated }}",
    "{{ `raw }}",
    "{{ 1x }}",
    "{{ 0x }}",
    "{{ $x := }}",
    "{{ $x = 1 }}",
    "{{ ( }}",
    "{{ ) }}",
    "{{ (1 }}",
    "{{ 1 | 2 }}",
    "{{ $value | 1 }}",
    "{{ .X.Y | . }}",
    "{{ break }}",
    "{{ continue }}",
    "{{ range $a, $b, $c := 1 }}{{ end }}",
    "{{ with $a, $b := 1 }}{{ end }}",
    "{{ if true }}{{ else }}{{ else }}{{ end }}",
    "{{ if true }}",
    "{{ /* unclosed }}",
    "{{ /* c */ x }}",
    "{{ \"a\".b }}",
    "{{ 1.b }}",
    "{{ nil.b }}",
    "{{ template }}",
    "{{ template x }}",
    "{{ define \"a\" }}",
    "{{ $x:y }}",
    "{{ @ }}",
    "{{ \u00e9 }}",
    "{{ 'ab' }}",
    "{{ 99999999999999999999 }}",
    "{{ \"\\q\" }}",
    "{{ printf \"%d\" 1 2 }",
    "ok\n{{ if }}",
    "{{ if\ntrue }}\n{{ end",
    "{{ range $i, $e := $labels }}",
    "{{ else if }}",
    "{{ if true }}{{ else if }}{{ end }}",
    "{{ $a, $b := 1 }}",
    "{{ .A..B }}",
    "{{ $.X | }}",
    "{{ and }}x{{ end }}",
    "{{ template \"a\" }}{{ define \"a\" }}{{ end }}{{ define \"a\" }}x{{ end }}",
};

TEST(TemplatePromtool, ExpansionsMatchPromtoolTestRules) {
  if (!HavePromtool()) GTEST_SKIP() << "promtool not installed";
  const TempDir scratch("expand");
  const fs::path& dir = scratch.path;
  std::ostringstream rules;
  rules << "groups:\n  - name: t\n    rules:\n      - alert: T\n        expr: v\n"
           "        annotations:\n";
  for (std::size_t i = 0; i < kExpansions.size(); ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "c%03zu", i);
    rules << "          " << name << ": " << YamlQuote(kExpansions[i]) << "\n";
  }
  std::ofstream(dir / "r.yml") << rules.str();
  const std::vector<std::string> values = {"12.5", "-3", "0", "1e+06", "NaN", "0.000123"};
  std::ostringstream test;
  test << "rule_files: [r.yml]\ntests:\n  - interval: 1m\n    external_labels: {cluster: prod}\n"
          "    external_url: http://example.com/prom\n    input_series:\n";
  for (const auto& v : values) {
    test << "      - series: 'v{k=\"" << v << "\"}'\n        values: '" << v << "'\n";
  }
  test << "    alert_rule_test:\n      - eval_time: 0m\n        alertname: T\n";
  std::ofstream(dir / "t.yml") << test.str();

  const PromtoolRun run = RunPromtool(dir, "test rules t.yml");
  auto alerts = testing::ParseListedAlerts(run.err);
  ASSERT_EQ(alerts.size(), values.size()) << run.out << run.err;

  tmpl::FunctionOptions options;  // promtool: a querier over the (empty) test storage, no URL
  options.query = [](std::string_view) -> std::variant<tmpl::SampleList, std::string> {
    return tmpl::SampleList{};
  };
  int mismatches = 0;
  for (const auto& alert : alerts) {
    tmpl::AlertData data;
    data.labels =
        std::map<std::string, std::string>{{"__name__", "v"}, {"k", alert.labels.at("k")}};
    data.external_labels = {{"cluster", "prod"}};
    data.external_url = "http://example.com/prom";
    data.value = std::get<double>(tmpl::GoParseFloat(alert.labels.at("k")));
    for (std::size_t i = 0; i < kExpansions.size(); ++i) {
      char name[32];
      std::snprintf(name, sizeof name, "c%03zu", i);
      const std::string got = ExpandAlertTemplate("T", kExpansions[i], data, options);
      const std::string want = alert.annotations.at(name);
      if (got != want) ++mismatches;
      EXPECT_EQ(got, want) << "template " << name << ": " << kExpansions[i]
                           << "\nvalue: " << alert.labels.at("k");
    }
  }
  RecordProperty("mismatches", mismatches);
}

TEST(TemplatePromtool, ParseErrorsMatchPromtoolCheckRules) {
  if (!HavePromtool()) GTEST_SKIP() << "promtool not installed";
  const TempDir scratch("parse");
  const fs::path& dir = scratch.path;
  std::ostringstream rules;
  rules << "groups:\n  - name: t\n    rules:\n";
  for (std::size_t i = 0; i < kParseErrors.size(); ++i) {
    rules << "      - alert: A" << i
          << "\n        expr: v\n        annotations:\n          a: " << YamlQuote(kParseErrors[i])
          << "\n";
  }
  std::ofstream(dir / "r.yml") << rules.str();
  const PromtoolRun want = RunPromtool(dir, "check rules r.yml");

  std::ostringstream out, err;
  int code = testing::InDirectory(dir, [&] { return CheckRules({"r.yml"}, {}, out, err); });
  EXPECT_EQ(out.str(), want.out);
  // Compare line by line for readable failures.
  std::istringstream got_lines(err.str()), want_lines(want.err);
  for (std::string g, w; std::getline(want_lines, w);) {
    std::getline(got_lines, g);
    EXPECT_EQ(g, w);
  }
  EXPECT_EQ(err.str().size(), want.err.size());
  EXPECT_EQ(code, want.exit_code);
}

}  // namespace
}  // namespace cerniq::rules
