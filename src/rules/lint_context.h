#pragma once
// What every check of the rule linter shares: the rule being linted, where its `expr` sits in the
// file (to place findings on the offending token), and the list findings go to. Internal to
// src/rules (linter.cc and the lint_*.cc checks).
#include <string>
#include <utility>
#include <vector>

#include "rules/linter.h"

namespace cerniq::rules {

// Maps byte offsets of an `expr` to file positions by finding the expression's lines in the
// source, which works for plain, quoted and block scalars alike.
class ExprLocator {
 public:
  ExprLocator(const std::vector<std::string>& lines, const Rule& rule)
      : lines_(lines), rule_(rule) {}
  std::pair<int, int> At(int offset) const;

 private:
  const std::vector<std::string>& lines_;
  const Rule& rule_;
};

// One rule under lint: reports findings at an offset in its `expr` or at a file position.
class RuleLintContext {
 public:
  RuleLintContext(const std::string& path, const std::vector<std::string>& lines, const Rule& rule,
                  const LintOptions& options, std::vector<LintFinding>& out)
      : path_(path),
        lines_(lines),
        rule_(rule),
        options_(options),
        locate_(lines, rule),
        out_(out) {}

  const Rule& rule() const { return rule_; }
  const LintOptions& options() const { return options_; }
  // The file's lines (0-based index = line - 1).
  const std::vector<std::string>& lines() const { return lines_; }

  void Report(int expr_offset, Severity severity, std::string check, std::string message,
              std::string fix = "") const {
    auto [line, col] = locate_.At(expr_offset);
    ReportAt({line, col}, severity, std::move(check), std::move(message), std::move(fix));
  }
  void ReportAt(Position pos, Severity severity, std::string check, std::string message,
                std::string fix = "") const {
    out_.push_back({path_, pos.line, pos.column, std::move(check), std::move(message),
                    std::move(fix), severity});
  }

 private:
  const std::string& path_;
  const std::vector<std::string>& lines_;
  const Rule& rule_;
  const LintOptions& options_;
  ExprLocator locate_;
  std::vector<LintFinding>& out_;
};

// The source split into lines (without their '\n').
std::vector<std::string> SplitLines(const std::string& source);

}  // namespace cerniq::rules
