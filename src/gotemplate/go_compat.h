#pragma once
// The Go-compatibility helpers the engine uses, named in one place. Interim: they live in
// src/rules/go_format (compiled into this library, see CMakeLists.txt) and src/promql/format
// until src/gocompat holds them; then only this file and CMakeLists.txt change.
#include "promql/format.h"
#include "rules/go_format.h"

namespace cerniq::gotemplate {

using promql::AppendUtf8;
using rules::GoFormatFloat;
using rules::GoQuote;
using rules::GoQuotePrefix;
using rules::GoUnderscoreOK;

}  // namespace cerniq::gotemplate
