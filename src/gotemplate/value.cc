#include "gotemplate/value.h"

namespace cerniq::gotemplate {

std::string Value::TypeName() const {
  switch (type_) {
    case Type::kInvalid:
      return "<nil>";
    case Type::kNil:
      return "<nil>";
    case Type::kBool:
      return "bool";
    case Type::kInt:
      return "int";
    case Type::kFloat:
      return "float64";
    case Type::kString:
      return "string";
    case Type::kHtml:
      return "template.HTML";
    case Type::kStringMap:
      return "map[string]string";
    case Type::kAnyMap:
      return "map[string]interface {}";
    case Type::kTime:
      return "*time.Time";
    case Type::kStruct:
      return struct_->type_name;
    case Type::kSlice:
      return slice_->type_name;
  }
  return "";
}

bool Value::IsNilPointer() const { return type_ == Type::kStruct && struct_->is_nil; }

const Value* Struct::Field(std::string_view name) const {
  for (const auto& [field, value] : fields) {
    if (field == name) return &value;
  }
  return nullptr;
}

}  // namespace cerniq::gotemplate
