#include "gotemplate/value.h"

#include <gtest/gtest.h>

#include "run.h"

namespace cerniq::gotemplate {
namespace {

TEST(Value, GoTypeNames) {
  EXPECT_EQ(Value::Float(1).TypeName(), "float64");
  EXPECT_EQ(Value::Html("x").TypeName(), "template.HTML");
  EXPECT_EQ(Value::AnyMap(std::make_shared<const ValueMap>()).TypeName(),
            "map[string]interface {}");
  EXPECT_EQ(fixture::PointerT().TypeName(), "*main.T");
  EXPECT_EQ(fixture::PointerT().AsStruct().ElemTypeName(), "main.T");
  EXPECT_TRUE(fixture::PointerT(true).IsNilPointer());
  EXPECT_EQ(fixture::PointerT().AsStruct().Field("B")->AsString(), "b");
  EXPECT_EQ(fixture::PointerT().AsStruct().Field("Z"), nullptr);
}

}  // namespace
}  // namespace cerniq::gotemplate
