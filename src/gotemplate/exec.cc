#include "gotemplate/exec.h"

#include <algorithm>

#include "gotemplate/builtins.h"
#include "gotemplate/go_compat.h"
#include "gotemplate/print.h"

namespace cerniq::gotemplate {
namespace {

struct ExecError {
  std::string message;
};
struct BreakSignal {};
struct ContinueSignal {};

// Go recurses 100000 templates deep; we stop far earlier to protect the C++ stack but keep Go's
// message, since only a runaway recursion reaches either limit.
constexpr int kMaxDepth = 1000;

std::string ParamTypeName(const Param& p) {
  switch (p.kind) {
    case Param::kAny:
      return "interface {}";
    case Param::kReflect:
      return "reflect.Value";
    case Param::kString:
      return "string";
    case Param::kFloat:
      return "float64";
    case Param::kInt:
      return "int";
    case Param::kBool:
      return "bool";
    case Param::kPointer:
    case Param::kSlice:
      return p.type_name;
  }
  return "";
}

// Go's canBeNil: interfaces, pointers, slices, and reflect.Value itself (a zero Value).
bool CanBeNil(const Param& p) {
  return p.kind != Param::kString && p.kind != Param::kFloat && p.kind != Param::kInt &&
         p.kind != Param::kBool;
}

bool Assignable(const Value& v, const Param& p) {
  switch (p.kind) {
    case Param::kAny:
    case Param::kReflect:
      return true;
    case Param::kString:
      return v.type() == Type::kString;
    case Param::kFloat:
      return v.type() == Type::kFloat;
    case Param::kInt:
      return v.type() == Type::kInt;
    case Param::kBool:
      return v.type() == Type::kBool;
    case Param::kPointer:
      return v.type() == Type::kStruct && v.TypeName() == p.type_name;
    case Param::kSlice:
      return v.type() == Type::kSlice && v.TypeName() == p.type_name;
  }
  return false;
}

// The zero value of a parameter type for a missing argument (nil interface, nil pointer, ...).
Value ZeroOf(const Param& p) {
  switch (p.kind) {
    case Param::kPointer: {
      auto nil = std::make_shared<Struct>();
      nil->type_name = p.type_name;
      nil->is_nil = true;
      return Value::StructOf(std::move(nil));
    }
    case Param::kSlice: {
      auto empty = std::make_shared<Slice>();
      empty->type_name = p.type_name;
      return Value::SliceOf(std::move(empty));
    }
    default:
      return Value::Nil();
  }
}

const FunctionTable& Builtins() {
  static const FunctionTable table = [] {
    FunctionTable t;
    AddBuiltinFunctions(t);
    return t;
  }();
  return table;
}

class State {
 public:
  State(const TemplateSet& set, const FunctionTable& funcs, std::string name)
      : set_(set), funcs_(funcs), name_(std::move(name)) {}

  void Run(const Value& data, const Node& root) {
    vars_.push_back({"$", data});
    Walk(data, root);
  }
  std::string& output() { return out_; }

 private:
  [[noreturn]] void Errorf(const std::string& msg) {
    if (node_ == nullptr) throw ExecError{"template: " + name_ + ": " + msg};
    const auto pos = static_cast<std::size_t>(node_->pos);
    const std::string_view before = std::string_view(set_.text).substr(0, pos);
    const auto nl = before.rfind('\n');
    const std::size_t col = nl == std::string_view::npos ? pos : pos - (nl + 1);
    const auto line = 1 + std::count(before.begin(), before.end(), '\n');
    throw ExecError{"template: " + set_.name + ":" + std::to_string(line) + ":" +
                    std::to_string(col) + ": executing " + GoQuote(name_) + " at <" +
                    node_->String() + ">: " + msg};
  }
  void At(const Node& n) { node_ = &n; }

  std::size_t Mark() const { return vars_.size(); }
  void Pop(std::size_t mark) { vars_.resize(mark); }
  void SetVar(const std::string& name, const Value& v) {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
      if (it->first == name) {
        it->second = v;
        return;
      }
    }
    Errorf("undefined variable: " + name);
  }
  void SetTopVar(std::size_t n, const Value& v) { vars_[vars_.size() - n].second = v; }
  Value VarValue(const std::string& name) {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    Errorf("undefined variable: " + name);
  }

  void Walk(const Value& dot, const Node& n) {
    switch (n.kind) {
      case NodeKind::kAction: {
        Value v = EvalPipeline(dot, n.pipe.get());
        if (n.pipe->decls.empty()) PrintValue(n, v);
        return;
      }
      case NodeKind::kBreak:
        throw BreakSignal{};
      case NodeKind::kContinue:
        throw ContinueSignal{};
      case NodeKind::kComment:
        return;
      case NodeKind::kIf:
      case NodeKind::kWith: {
        const std::size_t mark = Mark();
        Value v = EvalPipeline(dot, n.pipe.get());
        if (IsTrue(v)) {
          Walk(n.kind == NodeKind::kWith ? v : dot, *n.list);
        } else if (n.else_list) {
          Walk(dot, *n.else_list);
        }
        Pop(mark);
        return;
      }
      case NodeKind::kList:
        for (const auto& c : n.nodes) Walk(dot, *c);
        return;
      case NodeKind::kRange:
        WalkRange(dot, n);
        return;
      case NodeKind::kTemplate:
        WalkTemplate(dot, n);
        return;
      case NodeKind::kText:
        out_ += n.text;
        return;
      default:
        Errorf("unknown node: " + n.String());
    }
  }

  void WalkRange(const Value& dot, const Node& r) {
    At(r);
    const std::size_t outer = Mark();
    Value v = EvalPipeline(dot, r.pipe.get());
    const std::size_t mark = Mark();
    const Node& pipe = *r.pipe;
    auto one = [&](const Value& index, const Value& elem) {
      if (!pipe.decls.empty()) {
        if (pipe.is_assign) {
          SetVar(pipe.decls[0]->idents[0], pipe.decls.size() > 1 ? index : elem);
        } else {
          SetTopVar(1, elem);
        }
      }
      if (pipe.decls.size() > 1) {
        if (pipe.is_assign)
          SetVar(pipe.decls[1]->idents[0], elem);
        else
          SetTopVar(2, index);
      }
      try {
        Walk(elem, *r.list);
      } catch (const ContinueSignal&) {
      }
      Pop(mark);
    };
    bool iterated = false;
    try {
      switch (v.type()) {
        case Type::kStringMap:
          for (const auto& [k, val] : v.AsStringMap()) one(Value::String(k), Value::String(val));
          iterated = !v.AsStringMap().empty();
          break;
        case Type::kAnyMap:
          for (const auto& [k, val] : v.AsAnyMap()) one(Value::String(k), val);
          iterated = !v.AsAnyMap().empty();
          break;
        case Type::kSlice: {
          const std::vector<Value>& elems = v.AsSlice().elems;
          for (std::size_t i = 0; i < elems.size(); ++i) {
            one(Value::Int(static_cast<std::int64_t>(i)), elems[i]);
          }
          iterated = !elems.empty();
          break;
        }
        case Type::kInvalid:
        case Type::kNil:
          break;
        default:
          Errorf("range can't iterate over " + GoValueString(v));
      }
    } catch (const BreakSignal&) {
      iterated = true;
    }
    if (!iterated && r.else_list) Walk(dot, *r.else_list);
    Pop(outer);
  }

  void WalkTemplate(const Value& dot, const Node& t) {
    At(t);
    auto it = set_.trees.find(t.text);
    if (it == set_.trees.end()) Errorf("template " + GoQuote(t.text) + " not defined");
    if (depth_ >= kMaxDepth) Errorf("exceeded maximum template depth (100000)");
    Value new_dot = t.pipe ? EvalPipeline(dot, t.pipe.get()) : Value();
    State sub(set_, funcs_, t.text);
    sub.depth_ = depth_ + 1;
    sub.vars_.push_back({"$", new_dot});
    sub.Walk(new_dot, *it->second);
    out_ += sub.out_;
  }

  void PrintValue(const Node& n, const Value& v) {
    At(n);
    out_ += v.IsValid() ? GoValueString(v) : "<no value>";
  }

  // "If the object has type interface{}, dig down one level": a nil interface becomes invalid.
  static Value Dig(const Value& v) { return v.type() == Type::kNil ? Value() : v.Unboxed(); }

  Value EvalPipeline(const Value& dot, const Node* pipe) {
    if (pipe == nullptr) return Value();
    At(*pipe);
    std::optional<Value> value;  // nullopt: Go's missingVal (no final argument yet)
    for (const auto& cmd : pipe->nodes) value = Dig(EvalCommand(dot, *cmd, value));
    for (const auto& decl : pipe->decls) {
      if (pipe->is_assign)
        SetVar(decl->idents[0], *value);
      else
        vars_.push_back({decl->idents[0], *value});
    }
    return *value;
  }

  void NotAFunction(const std::vector<NodePtr>& args, const std::optional<Value>& final) {
    if (args.size() > 1 || final)
      Errorf("can't give argument to non-function " + args[0]->String());
  }

  Value IdealConstant(const Node& n) {
    At(n);
    const NumberValue& num = n.number;
    const bool looks_float = n.text.find_first_of(".eEpP") != std::string::npos &&
                             n.text.rfind("0x", 0) != 0 && n.text.rfind("0X", 0) != 0 &&
                             n.text[0] != '\'';
    if (num.is_float && looks_float) return Value::Float(num.float_value);
    if (num.is_int) return Value::Int(num.int_value);
    if (num.is_uint) Errorf(n.text + " overflows int");
    return Value();
  }

  Value EvalCommand(const Value& dot, const Node& cmd, const std::optional<Value>& final) {
    const Node& first = *cmd.nodes[0];
    switch (first.kind) {
      case NodeKind::kField:
        return EvalFieldNode(dot, first, cmd.nodes, final);
      case NodeKind::kChain:
        return EvalChainNode(dot, first, cmd.nodes, final);
      case NodeKind::kIdentifier:
        return EvalFunction(dot, first, cmd, cmd.nodes, final);
      case NodeKind::kPipe:
        NotAFunction(cmd.nodes, final);
        return EvalPipeline(dot, &first);
      case NodeKind::kVariable:
        return EvalVariableNode(dot, first, cmd.nodes, final);
      default:
        break;
    }
    At(first);
    NotAFunction(cmd.nodes, final);
    switch (first.kind) {
      case NodeKind::kBool:
        return Value::Bool(first.bool_value);
      case NodeKind::kDot:
        return dot;
      case NodeKind::kNil:
        Errorf("nil is not a command");
      case NodeKind::kNumber:
        return IdealConstant(first);
      case NodeKind::kString:
        return Value::String(first.str);
      default:
        break;
    }
    Errorf("can't evaluate command " + GoQuote(first.String()));
  }

  Value EvalFieldNode(const Value& dot, const Node& field, const std::vector<NodePtr>& args,
                      const std::optional<Value>& final) {
    At(field);
    return EvalFieldChain(dot, dot, field, field.idents, 0, args, final);
  }

  Value EvalChainNode(const Value& dot, const Node& chain, const std::vector<NodePtr>& args,
                      const std::optional<Value>& final) {
    At(chain);
    if (chain.base->kind == NodeKind::kNil) {
      Errorf("indirection through explicit nil in " + chain.String());
    }
    Value pipe = EvalArgUntyped(dot, *chain.base);
    return EvalFieldChain(dot, pipe, chain, chain.idents, 0, args, final);
  }

  Value EvalVariableNode(const Value& dot, const Node& var, const std::vector<NodePtr>& args,
                         const std::optional<Value>& final) {
    At(var);
    Value value = VarValue(var.idents[0]);
    if (var.idents.size() == 1) {
      NotAFunction(args, final);
      return value;
    }
    return EvalFieldChain(dot, value, var, var.idents, 1, args, final);
  }

  Value EvalFieldChain(const Value& /*dot*/, Value receiver, const Node& node,
                       const std::vector<std::string>& idents, std::size_t from,
                       const std::vector<NodePtr>& args, const std::optional<Value>& final) {
    static const std::vector<NodePtr> kNoArgs;
    for (std::size_t i = from; i + 1 < idents.size(); ++i) {
      receiver = EvalField(idents[i], node, kNoArgs, std::nullopt, receiver);
    }
    return EvalField(idents.back(), node, args, final, receiver);
  }

  Value EvalField(const std::string& name, const Node& node, const std::vector<NodePtr>& args,
                  const std::optional<Value>& final, const Value& receiver) {
    (void)node;
    if (!receiver.IsValid()) return Value();  // missingkey=zero
    if (receiver.type() == Type::kNil) Errorf("nil pointer evaluating interface {}." + name);
    const bool has_args = args.size() > 1 || final.has_value();
    switch (receiver.type()) {
      case Type::kStruct: {
        const Struct& st = receiver.AsStruct();
        const Value* field = st.Field(name);
        if (field == nullptr) break;
        if (st.is_nil) {
          Errorf("nil pointer evaluating " +
                 (receiver.IsBoxed() ? std::string("interface {}") : st.type_name) + "." + name);
        }
        if (has_args) Errorf(name + " has arguments but cannot be invoked as function");
        return *field;
      }
      case Type::kStringMap: {
        if (has_args) Errorf(name + " is not a method but has arguments");
        auto it = receiver.AsStringMap().find(name);
        return Value::String(it == receiver.AsStringMap().end() ? "" : it->second);
      }
      case Type::kAnyMap: {
        if (has_args) Errorf(name + " is not a method but has arguments");
        auto it = receiver.AsAnyMap().find(name);
        return it == receiver.AsAnyMap().end() ? Value::Nil() : it->second.Boxed();
      }
      default:
        break;
    }
    Errorf("can't evaluate field " + name + " in type " +
           (receiver.IsBoxed() ? std::string("interface {}") : receiver.TypeName()));
  }

  Value EvalFunction(const Value& dot, const Node& ident, const Node& cmd,
                     const std::vector<NodePtr>& args, const std::optional<Value>& final) {
    At(ident);
    auto it = funcs_.find(ident.text);
    if (it == funcs_.end()) {
      it = Builtins().find(ident.text);
      if (it == Builtins().end()) Errorf(GoQuote(ident.text) + " is not a defined function");
    }
    return EvalCall(dot, it->second, cmd, ident.text, args, final);
  }

  Value EvalCall(const Value& dot, const Function& fn, const Node& node, const std::string& name,
                 const std::vector<NodePtr>& all_args, const std::optional<Value>& final) {
    // The zeroth argument is the function's own node.
    const std::size_t nargs = all_args.empty() ? 0 : all_args.size() - 1;
    auto arg = [&](std::size_t i) -> const Node& { return *all_args[i + 1]; };
    const std::size_t num_in = nargs + (final ? 1 : 0);
    std::size_t num_fixed = nargs;
    if (fn.variadic) {
      num_fixed = fn.params.size() - 1;
      if (num_in < num_fixed) {
        Errorf("wrong number of args for " + name + ": want at least " +
               std::to_string(fn.params.size() - 1) + " got " + std::to_string(nargs));
      }
    } else if (num_in != fn.params.size()) {
      Errorf("wrong number of args for " + name + ": want " + std::to_string(fn.params.size()) +
             " got " + std::to_string(num_in));
    }

    if (fn.builtin && (name == "and" || name == "or")) {
      Value v;
      for (std::size_t i = 0; i < nargs; ++i) {
        v = EvalArg(dot, Param::kReflect, arg(i));
        if (IsTrue(v) == (name == "or")) return v;
      }
      if (final) v = ValidateType(*final, Param::kReflect);
      return v;
    }

    std::vector<Value> argv;
    std::size_t i = 0;
    for (; i < num_fixed && i < nargs; ++i) argv.push_back(EvalArg(dot, fn.params[i], arg(i)));
    if (fn.variadic) {
      for (; i < nargs; ++i) argv.push_back(EvalArg(dot, fn.params.back(), arg(i)));
    }
    if (final) {
      Param p = fn.params.back();
      if (fn.variadic && num_in - 1 < num_fixed) p = fn.params[num_in - 1];
      argv.push_back(ValidateType(*final, p));
    }
    CallResult r = fn.call(argv);
    if (r.error) {
      At(node);
      Errorf("error calling " + name + ": " + *r.error);
    }
    return r.value;
  }

  Value ValidateType(const Value& v, const Param& p) {
    if (!v.IsValid() || v.type() == Type::kNil) {
      if (CanBeNil(p)) return ZeroOf(p);
      Errorf("invalid value; expected " + ParamTypeName(p));
    }
    if (!Assignable(v, p)) {
      Errorf("wrong type for value; expected " + ParamTypeName(p) + "; got " + v.TypeName());
    }
    return v;
  }

  // evalArg with a nil type (the base of a chain): any value goes.
  Value EvalArgUntyped(const Value& dot, const Node& n) {
    At(n);
    switch (n.kind) {
      case NodeKind::kDot:
        return dot;
      case NodeKind::kField:
        return EvalFieldNode(dot, n, {}, std::nullopt);
      case NodeKind::kVariable:
        return EvalVariableNode(dot, n, {}, std::nullopt);
      case NodeKind::kPipe:
        return EvalPipeline(dot, &n);
      case NodeKind::kIdentifier: {
        std::vector<NodePtr> none;
        return EvalFunction(dot, n, n, none, std::nullopt);
      }
      case NodeKind::kChain:
        return EvalChainNode(dot, n, {}, std::nullopt);
      default:
        break;
    }
    Errorf("can't handle " + n.String() + " for arg of type <nil>");
  }

  Value EvalArg(const Value& dot, const Param& p, const Node& n) {
    At(n);
    static const std::vector<NodePtr> kSelf;
    switch (n.kind) {
      case NodeKind::kDot:
        return ValidateType(dot, p);
      case NodeKind::kNil:
        if (CanBeNil(p)) return ZeroOf(p);
        Errorf("cannot assign nil to " + ParamTypeName(p));
      case NodeKind::kField: {
        // Go passes the field node itself as the argument list: a field is never a method here.
        return ValidateType(EvalFieldChain(dot, dot, n, n.idents, 0, kSelf, std::nullopt), p);
      }
      case NodeKind::kVariable:
        return ValidateType(EvalVariableNode(dot, n, kSelf, std::nullopt), p);
      case NodeKind::kPipe:
        return ValidateType(EvalPipeline(dot, &n), p);
      case NodeKind::kIdentifier:
        return ValidateType(EvalFunction(dot, n, n, kSelf, std::nullopt), p);
      case NodeKind::kChain:
        return ValidateType(EvalChainNode(dot, n, kSelf, std::nullopt), p);
      default:
        break;
    }
    switch (p.kind) {
      case Param::kBool:
        At(n);
        if (n.kind == NodeKind::kBool) return Value::Bool(n.bool_value);
        Errorf("expected bool; found " + n.String());
      case Param::kFloat:
        At(n);
        if (n.kind == NodeKind::kNumber && n.number.is_float)
          return Value::Float(n.number.float_value);
        Errorf("expected float; found " + n.String());
      case Param::kInt:
        At(n);
        if (n.kind == NodeKind::kNumber && n.number.is_int) return Value::Int(n.number.int_value);
        Errorf("expected integer; found " + n.String());
      case Param::kAny:
      case Param::kReflect:
        return EvalEmptyInterface(dot, n);
      case Param::kString:
        At(n);
        if (n.kind == NodeKind::kString) return Value::String(n.str);
        Errorf("expected string; found " + n.String());
      default:
        break;
    }
    Errorf("can't handle " + n.String() + " for arg of type " + ParamTypeName(p));
  }

  Value EvalEmptyInterface(const Value& /*dot*/, const Node& n) {
    At(n);
    switch (n.kind) {
      case NodeKind::kBool:
        return Value::Bool(n.bool_value);
      case NodeKind::kNumber:
        return IdealConstant(n);
      case NodeKind::kString:
        return Value::String(n.str);
      default:
        break;
    }
    Errorf("can't handle assignment of " + n.String() + " to empty interface argument");
  }

  const TemplateSet& set_;
  const FunctionTable& funcs_;
  std::string name_;  // the template being executed ({{template}} changes it)
  std::vector<std::pair<std::string, Value>> vars_;
  const Node* node_ = nullptr;
  int depth_ = 0;
  std::string out_;
};

}  // namespace

bool IsTrue(const Value& v) {
  switch (v.type()) {
    case Type::kInvalid:
    case Type::kNil:
      return false;
    case Type::kBool:
      return v.AsBool();
    case Type::kInt:
      return v.AsInt() != 0;
    case Type::kFloat:
      return v.AsFloat() != 0;
    case Type::kString:
    case Type::kHtml:
      return !v.AsString().empty();
    case Type::kStringMap:
      return !v.AsStringMap().empty();
    case Type::kAnyMap:
      return !v.AsAnyMap().empty();
    case Type::kSlice:
      return !v.AsSlice().elems.empty();
    case Type::kStruct:
      return !v.AsStruct().is_nil;
    case Type::kTime:
      return true;
  }
  return false;
}

std::string GoValueString(const Value& v) { return GoSprint({v}); }

ExecResult Execute(const TemplateSet& set, const FunctionTable& funcs, const Value& data) {
  State state(set, funcs, set.name);
  auto root = set.trees.find(set.name);
  try {
    if (root == set.trees.end() || !root->second) {
      throw ExecError{"template: " + set.name + ": " + GoQuote(set.name) +
                      " is an incomplete or empty template"};
    }
    state.Run(data, *root->second);
  } catch (const ExecError& e) {
    return {"", e.message};
  } catch (const BreakSignal&) {
    // The parser only allows {{break}}/{{continue}} inside {{range}}.
  } catch (const ContinueSignal&) {
  }
  return {std::move(state.output()), std::nullopt};
}

}  // namespace cerniq::gotemplate
