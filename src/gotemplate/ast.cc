#include "gotemplate/ast.h"

namespace cerniq::gotemplate {
namespace {

void WriteTo(const Node& n, std::string& out);

void WritePipe(const Node& p, std::string& out) {
  for (std::size_t i = 0; i < p.decls.size(); ++i) {
    if (i > 0) out += ", ";
    WriteTo(*p.decls[i], out);
  }
  if (!p.decls.empty()) out += " := ";  // Go prints ":=" for assignments too
  for (std::size_t i = 0; i < p.nodes.size(); ++i) {
    if (i > 0) out += " | ";
    WriteTo(*p.nodes[i], out);
  }
}

void WriteBranch(const Node& n, const char* keyword, std::string& out) {
  out += "{{";
  out += keyword;
  out += ' ';
  WritePipe(*n.pipe, out);
  out += "}}";
  WriteTo(*n.list, out);
  if (n.else_list) {
    out += "{{else}}";
    WriteTo(*n.else_list, out);
  }
  out += "{{end}}";
}

std::string JoinIdents(const std::vector<std::string>& idents, const char* sep) {
  std::string out;
  for (std::size_t i = 0; i < idents.size(); ++i) {
    if (i > 0) out += sep;
    out += idents[i];
  }
  return out;
}

void WriteTo(const Node& n, std::string& out) {
  switch (n.kind) {
    case NodeKind::kList:
      for (const auto& c : n.nodes) WriteTo(*c, out);
      return;
    case NodeKind::kText:
      out += n.text;
      return;
    case NodeKind::kComment:
      out += "{{" + n.text + "}}";
      return;
    case NodeKind::kAction:
      out += "{{";
      WritePipe(*n.pipe, out);
      out += "}}";
      return;
    case NodeKind::kIf:
      WriteBranch(n, "if", out);
      return;
    case NodeKind::kRange:
      WriteBranch(n, "range", out);
      return;
    case NodeKind::kWith:
      WriteBranch(n, "with", out);
      return;
    case NodeKind::kTemplate:
      out += "{{template \"" + n.text + "\"";
      if (n.pipe) {
        out += ' ';
        WritePipe(*n.pipe, out);
      }
      out += "}}";
      return;
    case NodeKind::kBreak:
      out += "{{break}}";
      return;
    case NodeKind::kContinue:
      out += "{{continue}}";
      return;
    case NodeKind::kPipe:
      WritePipe(n, out);
      return;
    case NodeKind::kCommand:
      for (std::size_t i = 0; i < n.nodes.size(); ++i) {
        if (i > 0) out += ' ';
        if (n.nodes[i]->kind == NodeKind::kPipe) {
          out += '(';
          WritePipe(*n.nodes[i], out);
          out += ')';
        } else {
          WriteTo(*n.nodes[i], out);
        }
      }
      return;
    case NodeKind::kField:
      for (const auto& id : n.idents) out += "." + id;
      return;
    case NodeKind::kVariable:
      out += JoinIdents(n.idents, ".");
      return;
    case NodeKind::kChain:
      if (n.base->kind == NodeKind::kPipe) {
        out += '(';
        WritePipe(*n.base, out);
        out += ')';
      } else {
        WriteTo(*n.base, out);
      }
      for (const auto& id : n.idents) out += "." + id;
      return;
    case NodeKind::kIdentifier:
      out += n.text;
      return;
    case NodeKind::kDot:
      out += ".";
      return;
    case NodeKind::kNil:
      out += "nil";
      return;
    case NodeKind::kBool:
      out += n.bool_value ? "true" : "false";
      return;
    case NodeKind::kNumber:
      out += n.text;
      return;
    case NodeKind::kString:
      out += n.text;
      return;
    case NodeKind::kEnd:
      out += "{{end}}";
      return;
    case NodeKind::kElse:
      out += "{{else}}";
      return;
  }
}

}  // namespace

std::string Node::String() const {
  std::string out;
  WriteTo(*this, out);
  return out;
}

}  // namespace cerniq::gotemplate
