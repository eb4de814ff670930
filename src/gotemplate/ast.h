#pragma once
// The parse tree of Go's text/template (text/template/parse, Go 1.19), reduced to what
// executing templates needs (no parse-tree API). Node::String() reproduces Go's node printing,
// which appears inside error messages ("at <humanize $labels.x>", "unexpected {{end}}").
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace cerniq::gotemplate {

enum class NodeKind {
  kList,
  kText,
  kAction,
  kIf,
  kRange,
  kWith,
  kTemplate,
  kBreak,
  kContinue,
  kComment,
  kPipe,
  kCommand,
  kField,
  kVariable,
  kChain,
  kIdentifier,
  kDot,
  kNil,
  kBool,
  kNumber,
  kString,
  kEnd,
  kElse,
};

// A number literal: Go keeps every interpretation that parses exactly.
struct NumberValue {
  bool is_int = false;
  bool is_uint = false;
  bool is_float = false;
  std::int64_t int_value = 0;
  std::uint64_t uint_value = 0;
  double float_value = 0;
};

struct Node;
using NodePtr = std::unique_ptr<Node>;

struct Node {
  NodeKind kind;
  int pos = 0;   // byte offset in the template text
  int line = 0;  // for nodes that record it

  std::string text;                 // Text, Comment, Identifier, Number (literal), String (quoted),
                                    // Template (name)
  std::string str;                  // String: the unquoted value
  std::vector<std::string> idents;  // Field, Variable, Chain (the fields after the base)
  bool bool_value = false;          // Bool
  NumberValue number;               // Number
  bool is_assign = false;           // Pipe: "=" rather than ":="

  NodePtr pipe;                // Action, If, Range, With, Template (may be null)
  NodePtr list;                // If, Range, With
  NodePtr else_list;           // If, Range, With (may be null)
  NodePtr base;                // Chain: the term the fields apply to
  std::vector<NodePtr> nodes;  // List: items; Pipe: commands; Command: arguments
  std::vector<NodePtr> decls;  // Pipe: declared variables

  Node(NodeKind k, int p) : kind(k), pos(p) {}
  std::string String() const;
};

// A parsed template set: the main template plus any {{define}}d ones, sharing one source text.
struct TemplateSet {
  std::string name;
  std::string text;
  std::map<std::string, NodePtr> trees;  // name -> root list
};

}  // namespace cerniq::gotemplate
