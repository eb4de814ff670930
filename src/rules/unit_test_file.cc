#include "rules/unit_test_file.h"

#include <yaml-cpp/yaml.h>

#include "goyaml/decode.h"
#include "goyaml/syntax.h"

namespace cerniq::rules {
namespace {

using goyaml::DecodeList;
using goyaml::Decoder;
using goyaml::DecodeStruct;
using goyaml::Version;
using goyaml::YamlCppSyntaxError;

void DecodeSeries(Decoder& dec, const YAML::Node& n, InputSeries& s) {
  DecodeStruct(dec, n, "main.series",
               {{"series", [&](const YAML::Node& v) { dec.String(v, s.series); }},
                {"values", [&](const YAML::Node& v) { dec.String(v, s.values); }}});
}

void DecodeAlert(Decoder& dec, const YAML::Node& n, ExpectedAlert& a) {
  DecodeStruct(
      dec, n, "main.alert",
      {{"exp_labels", [&](const YAML::Node& v) { dec.StringMap(v, a.labels); }},
       {"exp_annotations", [&](const YAML::Node& v) { dec.StringMap(v, a.annotations); }}});
}

void DecodeAlertTest(Decoder& dec, const YAML::Node& n, AlertTestCase& t) {
  DecodeStruct(dec, n, "main.alertTestCase",
               {{"eval_time", [&](const YAML::Node& v) { dec.Duration(v, t.eval_time_ms); }},
                {"alertname", [&](const YAML::Node& v) { dec.String(v, t.alertname); }},
                {"exp_alerts", [&](const YAML::Node& v) {
                   DecodeList(
                       dec, v, "[]main.alert", t.exp_alerts,
                       [&](const YAML::Node& i, ExpectedAlert& a) { DecodeAlert(dec, i, a); });
                 }}});
}

void DecodeSample(Decoder& dec, const YAML::Node& n, ExpectedSample& s) {
  DecodeStruct(dec, n, "main.sample",
               {{"labels", [&](const YAML::Node& v) { dec.String(v, s.labels); }},
                {"value", [&](const YAML::Node& v) { dec.Float(v, s.value); }}});
}

void DecodePromqlTest(Decoder& dec, const YAML::Node& n, PromqlTestCase& t) {
  DecodeStruct(dec, n, "main.promqlTestCase",
               {{"expr", [&](const YAML::Node& v) { dec.String(v, t.expr); }},
                {"eval_time", [&](const YAML::Node& v) { dec.Duration(v, t.eval_time_ms); }},
                {"exp_samples", [&](const YAML::Node& v) {
                   DecodeList(
                       dec, v, "[]main.sample", t.exp_samples,
                       [&](const YAML::Node& i, ExpectedSample& s) { DecodeSample(dec, i, s); });
                 }}});
}

void DecodeTestGroup(Decoder& dec, const YAML::Node& n, TestGroup& g) {
  DecodeStruct(
      dec, n, "main.testGroup",
      {{"interval", [&](const YAML::Node& v) { dec.Duration(v, g.interval_ms); }},
       {"input_series",
        [&](const YAML::Node& v) {
          DecodeList(dec, v, "[]main.series", g.input_series,
                     [&](const YAML::Node& i, InputSeries& s) { DecodeSeries(dec, i, s); });
        }},
       {"alert_rule_test",
        [&](const YAML::Node& v) {
          DecodeList(dec, v, "[]main.alertTestCase", g.alert_rule_tests,
                     [&](const YAML::Node& i, AlertTestCase& t) { DecodeAlertTest(dec, i, t); });
        }},
       {"promql_expr_test",
        [&](const YAML::Node& v) {
          DecodeList(dec, v, "[]main.promqlTestCase", g.promql_expr_tests,
                     [&](const YAML::Node& i, PromqlTestCase& t) { DecodePromqlTest(dec, i, t); });
        }},
       // labels.Labels unmarshals through a map[string]string.
       {"external_labels", [&](const YAML::Node& v) { dec.StringMap(v, g.external_labels); }},
       {"external_url", [&](const YAML::Node& v) { dec.String(v, g.external_url); }},
       {"name", [&](const YAML::Node& v) { dec.String(v, g.name); }}});
}

}  // namespace

std::variant<UnitTestFile, std::string> ParseUnitTestFile(std::string_view content) {
  // promtool reads unit-test files with yaml.v2's UnmarshalStrict.
  if (auto e = goyaml::SyntaxError(content, goyaml::Version::kV2)) return *e;
  YAML::Node root;
  try {
    root = YAML::Load(goyaml::NormalizeLineBreaks(content));
  } catch (const YAML::Exception& e) {
    return YamlCppSyntaxError(e);
  }
  Decoder dec(/*known_fields=*/true, Version::kV2);
  UnitTestFile file;
  DecodeStruct(
      dec, root, "main.unitTestFile",
      {{"rule_files", [&](const YAML::Node& v) { dec.StringList(v, file.rule_files); }},
       {"evaluation_interval",
        [&](const YAML::Node& v) { dec.Duration(v, file.evaluation_interval_ms); }},
       {"group_eval_order", [&](const YAML::Node& v) { dec.StringList(v, file.group_eval_order); }},
       {"tests", [&](const YAML::Node& v) {
          DecodeList(dec, v, "[]main.testGroup", file.tests,
                     [&](const YAML::Node& i, TestGroup& g) { DecodeTestGroup(dec, i, g); });
        }}});
  if (auto e = dec.Error()) return *e;
  return file;
}

}  // namespace cerniq::rules
