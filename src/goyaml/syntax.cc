#include "goyaml/syntax.h"

#include <yaml.h>

#include <algorithm>
#include <cstring>
#include <set>
#include <utility>
#include <vector>

namespace cerniq::goyaml {
namespace {

// go-yaml's raw input buffer holds 512 bytes (input_raw_buffer_size) where libyaml's holds 16K.
// The reader decodes and checks (UTF-8, control characters) one buffer at a time, so which of a
// reader error and a syntax error comes first depends on it: libyaml is fed go-yaml's chunks.
constexpr std::size_t kGoRawBufferSize = 512;
constexpr std::string_view kBom = "\xEF\xBB\xBF";

struct ChunkedInput {
  yaml_parser_t* parser;
  std::string_view text;
  std::size_t pos = 0;
};

int ReadChunk(void* data, unsigned char* buffer, size_t size, size_t* size_read) {
  auto* in = static_cast<ChunkedInput*>(data);
  const auto& raw = in->parser->raw_buffer;
  const std::size_t held = static_cast<std::size_t>(raw.last - raw.start);
  const std::size_t room = held < kGoRawBufferSize ? kGoRawBufferSize - held : 0;
  const std::size_t n = std::min({size, room, in->text.size() - in->pos});
  std::memcpy(buffer, in->text.data() + in->pos, n);
  in->pos += n;
  *size_read = n;
  return 1;
}

// decode.go parser.fail(): yaml.v2 prefers the problem mark, yaml.v3 the context mark; a line of
// 0 is not printed; scanner errors add 1 to libyaml's 0-based line, parser errors do not.
std::string FormatFailure(const yaml_parser_t& p, Version version) {
  const bool scanner = p.error == YAML_SCANNER_ERROR;
  const std::size_t first = version == Version::kV2 ? p.problem_mark.line : p.context_mark.line;
  const std::size_t second = version == Version::kV2 ? p.context_mark.line : p.problem_mark.line;
  std::size_t line = 0;
  if (first != 0) {
    line = first + (scanner ? 1 : 0);
  } else if (second != 0) {
    // yaml.v2 adds 1 only to the problem mark, yaml.v3 to either.
    line = second + (scanner && version == Version::kV3 ? 1 : 0);
  }
  std::string out = "yaml: ";
  if (line != 0) out += "line " + std::to_string(line) + ": ";
  out += p.problem != nullptr && *p.problem != '\0' ? p.problem
                                                    : "unknown problem parsing YAML content";
  return out;
}

// Walks the events of the first document as decode.go's parser does (stream start, document
// start, the nodes, document end; nothing after), checking aliases against earlier anchors.
class FirstDocument {
 public:
  FirstDocument(std::string_view text, Version version)
      : version_(version), input_{&parser_, text} {
    yaml_parser_initialize(&parser_);
    // newParser: an empty input is parsed as "\n".
    if (input_.text.empty()) input_.text = "\n";
    yaml_parser_set_input(&parser_, ReadChunk, &input_);
  }
  ~FirstDocument() {
    if (has_event_) yaml_event_delete(&event_);
    yaml_parser_delete(&parser_);
  }
  FirstDocument(const FirstDocument&) = delete;
  FirstDocument& operator=(const FirstDocument&) = delete;

  std::optional<std::string> Run() {
    if (!Next()) return error_;  // STREAM-START
    if (!Next()) return error_;
    if (event_.type == YAML_STREAM_END_EVENT) return std::nullopt;
    if (event_.type == YAML_DOCUMENT_START_EVENT) {
      auto* v = event_.data.document_start.version_directive;
      if (v != nullptr && (v->major != 1 || v->minor != 1)) return Incompatible();
    }
    // Bounded by the input: every event consumes input or closes an open collection.
    while (Next()) {
      switch (event_.type) {
        case YAML_ALIAS_EVENT:
          if (!anchors_.count(Text(event_.data.alias.anchor))) {
            return "yaml: unknown anchor '" + Text(event_.data.alias.anchor) + "' referenced";
          }
          break;
        case YAML_SCALAR_EVENT:
          Anchor(event_.data.scalar.anchor);
          break;
        case YAML_SEQUENCE_START_EVENT:
          Anchor(event_.data.sequence_start.anchor);
          break;
        case YAML_MAPPING_START_EVENT:
          Anchor(event_.data.mapping_start.anchor);
          break;
        case YAML_DOCUMENT_END_EVENT:
          return std::nullopt;
        default:
          break;
      }
    }
    return error_;
  }

  static std::string Text(const yaml_char_t* s) {
    return s == nullptr ? std::string() : reinterpret_cast<const char*>(s);
  }
  void Anchor(const yaml_char_t* anchor) {
    if (anchor != nullptr) anchors_.insert(Text(anchor));
  }
  // Whether the error came from the reader or the scanner, as opposed to the parser's grammar or
  // the composer's checks, which only see the tokens go-yaml had read by then.
  bool ScannerFailed() const {
    return parser_.error == YAML_READER_ERROR || parser_.error == YAML_SCANNER_ERROR;
  }
  // Index of the last token the parser looked at.
  std::size_t LastToken() const {
    return parser_.token_available ? parser_.tokens_parsed : parser_.tokens_parsed - 1;
  }

 private:
  // parserc.go yaml_parser_process_directives rejects every %YAML version but 1.1 (libyaml
  // 0.2.5 also takes 1.2); a parser error at the directive.
  std::string Incompatible() {
    parser_.error = YAML_PARSER_ERROR;
    parser_.problem = "found incompatible YAML document";
    parser_.problem_mark = event_.start_mark;
    parser_.context_mark = yaml_mark_t{};
    return FormatFailure(parser_, version_);
  }
  bool Next() {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = yaml_parser_parse(&parser_, &event_) != 0;
    if (!has_event_) error_ = FormatFailure(parser_, version_);
    return has_event_;
  }

  Version version_;
  yaml_parser_t parser_;
  ChunkedInput input_;
  yaml_event_t event_{};
  bool has_event_ = false;
  std::set<std::string> anchors_;
  std::optional<std::string> error_;
};

// What libyaml's scanner alone finds in the whole stream.
struct Scan {
  // The first reader or scanner error, formatted, with the number of tokens the scanner had
  // queued (consumed or not) when it failed.
  std::optional<std::string> error;
  std::size_t tokens_queued = 0;
  std::string problem;
  yaml_mark_t problem_mark{};
  // Character ranges of the double-quoted scalars before the error.
  std::vector<std::pair<std::size_t, std::size_t>> double_quoted;
};

Scan ScanTokens(std::string_view text, Version version) {
  yaml_parser_t parser;
  yaml_parser_initialize(&parser);
  ChunkedInput input{&parser, text.empty() ? std::string_view("\n") : text};
  yaml_parser_set_input(&parser, ReadChunk, &input);
  Scan scan;
  // Every token but a few zero-width ones (KEY, BLOCK-END, ...) consumes input.
  const std::size_t max_tokens = 8 * (text.size() + 4);
  for (std::size_t n = 0; n < max_tokens; ++n) {
    yaml_token_t token;
    if (!yaml_parser_scan(&parser, &token)) {
      scan.error = FormatFailure(parser, version);
      scan.tokens_queued =
          parser.tokens_parsed + static_cast<std::size_t>(parser.tokens.tail - parser.tokens.head);
      scan.problem = parser.problem != nullptr ? parser.problem : "";
      scan.problem_mark = parser.problem_mark;
      break;
    }
    if (token.type == YAML_SCALAR_TOKEN &&
        token.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE) {
      scan.double_quoted.emplace_back(token.start_mark.index, token.end_mark.index);
    }
    const bool end = token.type == YAML_STREAM_END_TOKEN;
    yaml_token_delete(&token);
    if (end) break;
  }
  yaml_parser_delete(&parser);
  return scan;
}

// Byte offset of the character libyaml numbers `index` in UTF-8 `text` (a leading BOM is not
// counted); npos past the end.
std::size_t ByteOffset(std::string_view text, std::size_t index) {
  std::size_t pos = text.substr(0, 3) == kBom ? 3 : 0;
  for (std::size_t n = 0; pos < text.size(); ++pos) {
    if ((static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) continue;  // continuation byte
    if (n++ == index) return pos;
  }
  return std::string_view::npos;
}

// Where libyaml 0.2.5's scanner and go-yaml's port disagree, rewrites one character of `text` so
// that libyaml scans it as go-yaml does, keeping every mark (same character count and class).
// Returns false when there is nothing (more) to rewrite.
bool RewriteOne(std::string& text, const Scan& scan) {
  auto at = [&](std::size_t index) { return ByteOffset(text, index); };
  if (scan.problem == "found unexpected ':'") {
    // libyaml rejects "x:" before ",?[]{}" in a flow collection; go-yaml takes the ':' into
    // the plain scalar. The scanner stopped at the ':'.
    const std::size_t pos = at(scan.problem_mark.index);
    if (pos < text.size() && text[pos] == ':') return text[pos] = 'x', true;
  }
  if (scan.problem == "found unknown escape character") {
    // go-yaml accepts "\'" in double quotes, libyaml does not. The scanner stopped at the '\'.
    const std::size_t pos = at(scan.problem_mark.index);
    if (pos + 1 < text.size() && text[pos] == '\\' && text[pos + 1] == '\'') {
      return text[pos + 1] = '"', true;
    }
  }
  // libyaml accepts "\/" in double quotes, go-yaml does not: make it an escape neither knows.
  for (const auto& [begin, end] : scan.double_quoted) {
    const std::size_t first = at(begin), last = std::min(at(end), text.size());
    for (std::size_t i = first; i + 1 < last; ++i) {
      if (text[i] != '\\') continue;
      if (text[i + 1] == '/') return text[i + 1] = 'q', true;
      ++i;
    }
  }
  return false;
}

// go-yaml's is_bom looks at the start of its buffer instead of the current character, so a BOM
// that starts a line is not skipped there (libyaml skips it): it is an ordinary character of a
// plain scalar. U+2603 is one too, three bytes long like the BOM.
void KeepLineStartBoms(std::string& text) {
  for (std::size_t pos = text.find(kBom, 1); pos != std::string::npos;
       pos = text.find(kBom, pos + 1)) {
    if (text[pos - 1] == '\n' || text[pos - 1] == '\r') text.replace(pos, 3, "\xE2\x98\x83");
  }
}

}  // namespace

std::optional<std::string> SyntaxError(std::string_view text, Version version) {
  std::string input(text);
  KeepLineStartBoms(input);
  Scan scan = ScanTokens(input, version);
  // Bounded: each rewrite removes one ':', "\'" or "\/" the scanner trips on.
  for (std::size_t rounds = 0; rounds <= input.size() && RewriteOne(input, scan); ++rounds) {
    scan = ScanTokens(input, version);
  }
  FirstDocument document(input, version);
  auto error = document.Run();
  // yaml.v3's scanner keeps two more tokens queued than libyaml's (for comments), so it meets a
  // reader or scanner error up to two tokens earlier than its parser would.
  if (version == Version::kV3 && scan.error && !document.ScannerFailed() &&
      scan.tokens_queued < document.LastToken() + 3) {
    return scan.error;
  }
  return error;
}

std::string NormalizeLineBreaks(std::string_view text) {
  // The reader skips a leading BOM; the scanner one more at column 0 (is_bom sees the first).
  for (int i = 0; i < 2 && text.substr(0, 3) == kBom; ++i) text.remove_prefix(3);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' && (i + 1 == text.size() || text[i + 1] != '\n')) {
      out += '\n';
    } else if (text.substr(i, 2) == "\xC2\x85") {  // NEL
      out += '\n';
      i += 1;
    } else if (text.substr(i, 3) == "\xE2\x80\xA8" || text.substr(i, 3) == "\xE2\x80\xA9") {
      out += '\n';  // LS, PS
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace cerniq::goyaml
