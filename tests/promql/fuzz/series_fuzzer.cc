// libFuzzer target: the series notation of test files (`x{a="b"} 1+2x3 _ stale`), and the
// test-file parser as a whole.
#include <cstddef>
#include <cstdint>
#include <string>

#include "promql/parser.h"
#include "promql/test_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace cerniq::promql;
  std::string input(reinterpret_cast<const char*>(data), size);
  try {
    ParseSeriesDesc(input);
  } catch (const ParseError&) {
  }
  try {
    auto cmds = ParseTestFile(input);
    MemoryStorage storage;
    for (const auto& c : cmds)
      if (c.kind == TestCommand::Kind::kLoad) ApplyLoad(c.load, storage);
  } catch (const TestFileError&) {
  }
  return 0;
}
