#include "tsdb/checkpoint.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tsdb/crc32.h"

namespace cerniq::tsdb {
namespace {

constexpr std::string_view kMagic = "CERNIQHS";
constexpr size_t kHeaderBytes = 16;
enum SectionKind : uint8_t { kSeries = 1, kBlob = 2, kEnd = 3 };

void PutU32(std::string* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void PutU64(std::string* out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out->push_back(static_cast<char>(v >> (8 * i)));
}

void PutBytes(std::string* out, std::string_view bytes) {
  PutU32(out, static_cast<uint32_t>(bytes.size()));
  out->append(bytes);
}

bool AppendSection(std::string* out, uint8_t kind, std::string_view payload) {
  if (payload.size() > UINT32_MAX - 16) return false;
  size_t start = out->size();
  out->push_back(static_cast<char>(kind));
  PutU32(out, static_cast<uint32_t>(payload.size()));
  out->append(payload);
  PutU32(out, Crc32(std::string_view(*out).substr(start)));
  return true;
}

std::string SeriesPayload(const SeriesSnapshot& s) {
  std::string out;
  PutU32(&out, static_cast<uint32_t>(s.labels.size()));
  for (const auto& l : s.labels) {
    PutBytes(&out, l.name);
    PutBytes(&out, l.value);
  }
  PutU32(&out, static_cast<uint32_t>(s.chunks.size()));
  for (const auto& c : s.chunks) {
    auto bytes = c.data->Bytes();
    PutBytes(&out, std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  }
  return out;
}

// The little-endian u32 at data[pos]; the caller has checked that 4 bytes are there.
uint32_t LoadU32(std::string_view data, size_t pos) {
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= uint32_t{static_cast<uint8_t>(data[pos + i])} << (8 * i);
  return v;
}

// A bounds-checked reader; `base` is the payload's offset in the file, for error offsets.
class Reader {
 public:
  Reader(std::string_view data, uint64_t base) : data_(data), base_(base) {}
  size_t left() const { return data_.size() - pos_; }
  uint64_t offset() const { return base_ + pos_; }
  bool U32(uint32_t* v) {
    if (left() < 4) return false;
    *v = LoadU32(data_, pos_);
    pos_ += 4;
    return true;
  }
  bool U64(uint64_t* v) {
    uint32_t lo, hi;
    if (!U32(&lo) || !U32(&hi)) return false;
    *v = (uint64_t{hi} << 32) | lo;
    return true;
  }
  bool Bytes(std::string_view* out) {
    uint32_t n;
    if (!U32(&n) || n > left()) return false;
    *out = data_.substr(pos_, n);
    pos_ += n;
    return true;
  }

 private:
  std::string_view data_;
  uint64_t base_;
  size_t pos_ = 0;
};

struct ParseError {
  std::string what;
  uint64_t offset;
};

std::optional<ParseError> ParseLabels(Reader& r, promql::Labels* labels) {
  uint32_t count;
  if (!r.U32(&count) || count > r.left() / 8) return ParseError{"bad label count", r.offset()};
  std::vector<promql::Label> items;
  items.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t at = r.offset();
    std::string_view name, value;
    if (!r.Bytes(&name) || !r.Bytes(&value)) return ParseError{"label runs past its section", at};
    if (name.empty() || (!items.empty() && name <= items.back().name))
      return ParseError{"labels not sorted or empty name", at};
    items.push_back({std::string(name), std::string(value)});
  }
  *labels = promql::Labels(std::move(items));
  return std::nullopt;
}

// Checks one chunk: it decodes to its last sample, fills its bytes, and its times follow the
// previous chunk's.
std::optional<ParseError> CheckChunk(std::string_view bytes, uint64_t at, int64_t* last_t,
                                     ChunkRef* out) {
  auto chunk = std::make_shared<XorChunk>(std::vector<uint8_t>(bytes.begin(), bytes.end()));
  if (bytes.size() < kChunkHeaderBytes || chunk->NumSamples() == 0)
    return ParseError{"empty chunk", at};
  XorIterator it(chunk->Bytes());
  for (int i = 0; it.Next(); ++i) {
    if (i == 0) out->min_t = it.t();
    if (it.t() <= *last_t) return ParseError{"chunk timestamps not increasing", at};
    *last_t = it.t();
  }
  if (it.error()) return ParseError{"malformed chunk", at};
  if (it.bits_total() - it.bits_read() >= 8) return ParseError{"chunk has trailing bytes", at};
  out->max_t = *last_t;
  out->data = std::move(chunk);
  return std::nullopt;
}

std::optional<ParseError> ParseSeries(std::string_view payload, uint64_t base,
                                      SeriesSnapshot* out) {
  Reader r(payload, base);
  if (auto e = ParseLabels(r, &out->labels)) return e;
  uint32_t count;
  if (!r.U32(&count) || count == 0 || count > r.left() / 4)
    return ParseError{"bad chunk count", r.offset()};
  int64_t last_t = INT64_MIN;
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t at = r.offset();
    std::string_view bytes;
    if (!r.Bytes(&bytes)) return ParseError{"chunk runs past its section", at};
    ChunkRef ref;
    if (auto e = CheckChunk(bytes, at, &last_t, &ref)) return e;
    out->chunks.push_back(std::move(ref));
  }
  if (r.left() != 0) return ParseError{"bytes after the last chunk", r.offset()};
  return std::nullopt;
}

std::optional<ParseError> ParseHeader(std::string_view data) {
  if (data.empty()) return ParseError{"empty file", 0};
  size_t magic_len = std::min(data.size(), kMagic.size());
  if (data.substr(0, magic_len) != kMagic.substr(0, magic_len))
    return ParseError{"not a cerniq history checkpoint (bad magic)", 0};
  if (data.size() < kHeaderBytes) return ParseError{"truncated header", data.size()};
  uint32_t version = LoadU32(data, 8);
  if (LoadU32(data, 12) != Crc32(data.substr(0, 12)))
    return ParseError{"header checksum mismatch", 12};
  if (version != kCheckpointVersion)
    return ParseError{"unsupported version " + std::to_string(version) + " (this build reads " +
                          std::to_string(kCheckpointVersion) + ")",
                      8};
  return std::nullopt;
}

std::optional<ParseError> Parse(std::string_view data, std::vector<SeriesSnapshot>* series,
                                std::string* blob) {
  if (auto e = ParseHeader(data)) return e;
  bool have_blob = false;
  // Every section is at least 9 bytes, so the loop ends within size/9 rounds.
  for (size_t pos = kHeaderBytes; pos < data.size();) {
    size_t left = data.size() - pos;
    if (left < 9) return ParseError{"truncated section header", pos};
    uint8_t kind = static_cast<uint8_t>(data[pos]);
    uint32_t length = LoadU32(data, pos + 1);
    if (length > left - 9)
      return ParseError{"section length " + std::to_string(length) + " runs past the end of file",
                        pos + 1};
    std::string_view payload = data.substr(pos + 5, length);
    if (LoadU32(data, pos + 5 + length) != Crc32(data.substr(pos, 5 + length)))
      return ParseError{"section checksum mismatch", pos};
    uint64_t base = pos + 5;
    pos += 9 + length;
    if (kind == kSeries) {
      SeriesSnapshot s;
      if (auto e = ParseSeries(payload, base, &s)) return e;
      if (!series->empty() && !(series->back().labels < s.labels))
        return ParseError{"series out of order or repeated", base};
      series->push_back(std::move(s));
    } else if (kind == kBlob) {
      if (have_blob) return ParseError{"second blob section", base};
      have_blob = true;
      *blob = std::string(payload);
    } else if (kind == kEnd) {
      uint64_t count = 0;
      if (length != 8 || !Reader(payload, base).U64(&count) || count != series->size())
        return ParseError{"end section does not match the series read", base};
      if (!have_blob) return ParseError{"no blob section", base};
      if (pos != data.size()) return ParseError{"bytes after the end section", pos};
      return std::nullopt;
    } else {
      return ParseError{"unknown section kind " + std::to_string(kind), base - 5};
    }
  }
  return ParseError{"truncated: no end section", data.size()};
}

CheckpointResult Failure(const std::string& path, std::string what, uint64_t offset,
                         bool with_offset) {
  CheckpointResult r;
  r.ok = false;
  r.error = std::move(what);
  r.offset = offset;
  r.message = path + ": " + r.error;
  if (with_offset) r.message += " at offset " + std::to_string(offset);
  return r;
}

CheckpointResult IoFailure(const std::string& path, const std::string& what) {
  return Failure(path, what + ": " + std::strerror(errno), 0, false);
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

bool SyncDirectory(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  int fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

CheckpointResult ParseCheckpoint(std::string_view data, std::vector<SeriesSnapshot>* series,
                                 std::string* blob) {
  if (auto e = Parse(data, series, blob)) return Failure("checkpoint", e->what, e->offset, true);
  return {};
}

CheckpointResult WriteCheckpoint(const HistoryStore& store, const std::string& path,
                                 std::string_view blob) {
  std::string data(kMagic);
  PutU32(&data, kCheckpointVersion);
  PutU32(&data, Crc32(data));
  auto series = store.Snapshot(INT64_MIN, INT64_MAX);
  for (const auto& s : series)
    if (!AppendSection(&data, kSeries, SeriesPayload(s)))
      return Failure(path, "series too large: " + s.labels.String(), 0, false);
  std::string end;
  PutU64(&end, series.size());
  if (!AppendSection(&data, kBlob, blob) || !AppendSection(&data, kEnd, end))
    return Failure(path, "blob too large", 0, false);

  std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return IoFailure(path, "create " + tmp);
  bool ok = WriteAll(fd, data) && ::fsync(fd) == 0;
  int saved = errno;
  ok = (::close(fd) == 0) && ok;
  if (!ok) {
    errno = saved;
    CheckpointResult r = IoFailure(path, "write " + tmp);
    ::unlink(tmp.c_str());
    return r;
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    CheckpointResult r = IoFailure(path, "rename " + tmp);
    ::unlink(tmp.c_str());
    return r;
  }
  if (!SyncDirectory(path)) return IoFailure(path, "fsync directory");
  return {};
}

CheckpointResult ReadCheckpoint(HistoryStore& store, const std::string& path, std::string* blob) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    CheckpointResult r = IoFailure(path, "open");
    r.missing = errno == ENOENT;
    return r;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return IoFailure(path, "read");
  std::string data = std::move(buffer).str();
  std::vector<SeriesSnapshot> series;
  std::string read_blob;
  if (auto e = Parse(data, &series, &read_blob)) return Failure(path, e->what, e->offset, true);
  if (auto error = store.Replace(std::move(series)); !error.empty())
    return Failure(path, error, 0, false);
  *blob = std::move(read_blob);
  return {};
}

std::string SetAsideCorrupt(const std::string& path, int64_t now_ms, std::string* error) {
  std::string target = path + ".corrupt-" + std::to_string(now_ms);
  // A second bad file within the same millisecond gets a counter rather than replacing the first.
  for (int i = 1; i < 100 && std::filesystem::exists(target); ++i)
    target = path + ".corrupt-" + std::to_string(now_ms) + "-" + std::to_string(i);
  if (::rename(path.c_str(), target.c_str()) != 0) {
    *error = "rename " + path + " to " + target + ": " + std::strerror(errno);
    return {};
  }
  return target;
}

}  // namespace cerniq::tsdb
