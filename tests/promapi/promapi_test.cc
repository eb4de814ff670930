#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "promapi/client.h"
#include "promapi/model.h"

namespace cerniq::promapi {
namespace {

TEST(Client, EncodesParamsSortedByName) {
  EXPECT_EQ(EncodeParams({{"start", "1"}, {"match[]", "up{a=\"b c\"}"}, {"end", "2"}}),
            "end=2&match%5B%5D=up%7Ba%3D%22b+c%22%7D&start=1");
}

TEST(Model, PrintsVectorsAsPrometheusCommon) {
  const auto data = nlohmann::json::parse(
      R"({"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a<b>"},"value":[1.5,"1e21"]},{"metric":{},"value":[2,"NaN"]}]})");
  const Value v = DecodeQueryData(data);
  EXPECT_EQ(PrintValue(v), "up{job=\"a<b>\"} => 1000000000000000000000 @[1.5]\n{} => NaN @[2]\n");
  EXPECT_EQ(EncodeValue(v),
            "[{\"metric\":{\"__name__\":\"up\",\"job\":\"a\\u003cb\\u003e\"},\"value\":[1.5,"
            "\"1000000000000000000000\"]},{\"metric\":{},\"value\":[2,\"NaN\"]}]\n");
}

TEST(Model, SortsMatrixByMetricForPrinting) {
  const auto data = nlohmann::json::parse(
      R"({"resultType":"matrix","result":[{"metric":{"a":"2"},"values":[[1,"1"]]},{"metric":{"a":"1"},"values":[[1,"2"],[2,"3"]]}]})");
  EXPECT_EQ(PrintValue(DecodeQueryData(data)),
            "{a=\"1\"} =>\n2 @[1]\n3 @[2]\n{a=\"2\"} =>\n1 @[1]\n");
}

TEST(Model, RejectsStringResultsAsClientGolang) {
  const auto data = nlohmann::json::parse(R"({"resultType":"string","result":[1,"x"]})");
  EXPECT_THROW(DecodeQueryData(data), DecodeError);
  EXPECT_EQ(UnmarshalerError("m", "0123456789abc"),
            "unmarshalerDecoder: m, error found in #10 byte of ...|3456789abc|..., bigger context "
            "...|0123456789abc|...");
}

}  // namespace
}  // namespace cerniq::promapi
