#include "http/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

#include "gocompat/float_format.h"
#include "gocompat/html_escape.h"

namespace cerniq::http {
namespace {

constexpr double kTop = 12;    // pixels above the line: the "max" label
constexpr double kBottom = 3;  // pixels below the line

std::string Px(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// One plotted point per bucket of two pixels: the bucket's index and its largest sample.
struct BucketMax {
  int bucket;
  double value;
};
using Segment = std::vector<BucketMax>;

// Runs of samples inside the window with no NaN and no gap over max_gap_ms between them.
std::vector<Segment> Segments(std::span<const ChartPoint> points, const SparklineSpec& spec,
                              int buckets) {
  const double span = static_cast<double>(std::max<int64_t>(1, spec.maxt_ms - spec.mint_ms));
  std::vector<Segment> segments;
  Segment current;
  int64_t last_t = 0;
  auto close = [&] {
    if (!current.empty()) segments.push_back(std::move(current));
    current.clear();
  };
  for (const ChartPoint& p : points) {
    if (p.t_ms < spec.mint_ms || p.t_ms > spec.maxt_ms) continue;
    if (!std::isfinite(p.value)) {
      close();
      continue;
    }
    if (!current.empty() && p.t_ms - last_t > spec.max_gap_ms) close();
    last_t = p.t_ms;
    int b = static_cast<int>(static_cast<double>(p.t_ms - spec.mint_ms) / span * buckets);
    b = std::clamp(b, 0, buckets - 1);
    if (!current.empty() && current.back().bucket == b) {
      current.back().value = std::max(current.back().value, p.value);
    } else {
      current.push_back({b, p.value});
    }
  }
  close();
  return segments;
}

std::string Open(const SparklineSpec& spec, const std::string& title) {
  const std::string w = std::to_string(spec.width), h = std::to_string(spec.height);
  return "<svg class=\"spark\" xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" +
         h + "\" viewBox=\"0 0 " + w + " " + h + "\" role=\"img\" aria-label=\"" +
         gocompat::HtmlEscapeString(title) + "\"><title>" + gocompat::HtmlEscapeString(title) +
         "</title>";
}

}  // namespace

std::string RenderSparkline(std::span<const ChartPoint> points, const SparklineSpec& spec) {
  const int buckets = std::max(1, spec.width / 2);
  const std::vector<Segment> segments = Segments(points, spec, buckets);
  if (segments.empty()) {
    return Open(spec, spec.title + ": no history yet") + "<text x=\"4\" y=\"" +
           std::to_string(spec.height / 2 + 4) +
           "\" font-size=\"11\" fill=\"#6b7280\">no history yet</text></svg>";
  }
  double lo = 0, data_max = segments[0][0].value;
  for (const Segment& s : segments) {
    for (const BucketMax& b : s) {
      lo = std::min(lo, b.value);
      data_max = std::max(data_max, b.value);
    }
  }
  double hi = std::max(data_max, lo + 1);  // a flat line at 0 sits at the bottom
  const double last = segments.back().back().value;
  // A threshold far above the data would flatten the line: show it only when it is near.
  const bool show_threshold = spec.threshold && *spec.threshold <= 1.5 * hi;
  if (show_threshold) hi = std::max(hi, *spec.threshold);
  const bool over = spec.threshold && last >= *spec.threshold;
  const char* colour = over ? "#dc2626" : "#2563eb";
  const double plot_h = spec.height - kTop - kBottom;
  auto y = [&](double v) { return kTop + (hi - v) / (hi - lo) * plot_h; };
  auto x = [&](int bucket) { return (bucket + 0.5) * spec.width / buckets; };

  std::string out = Open(spec, spec.title + ": last " + gocompat::FloatString(last) + ", max " +
                                   gocompat::FloatString(data_max));
  if (show_threshold) {
    const std::string ty = Px(y(*spec.threshold));
    out += "<line x1=\"0\" x2=\"" + std::to_string(spec.width) + "\" y1=\"" + ty + "\" y2=\"" + ty +
           "\" stroke=\"#dc2626\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>";
  }
  for (const Segment& s : segments) {
    if (s.size() == 1) {
      out += "<circle cx=\"" + Px(x(s[0].bucket)) + "\" cy=\"" + Px(y(s[0].value)) +
             "\" r=\"1.5\" fill=\"" + colour + "\"/>";
      continue;
    }
    std::string line;
    for (const BucketMax& b : s) line += Px(x(b.bucket)) + "," + Px(y(b.value)) + " ";
    const std::string base = Px(y(lo));
    out += "<polygon fill=\"" + std::string(colour) + "\" fill-opacity=\"0.12\" points=\"" +
           Px(x(s.front().bucket)) + "," + base + " " + line + Px(x(s.back().bucket)) + "," + base +
           "\"/>";
    out += "<polyline fill=\"none\" stroke=\"" + std::string(colour) +
           "\" stroke-width=\"1.5\" points=\"" + line.substr(0, line.size() - 1) + "\"/>";
  }
  out += "<text x=\"" + std::to_string(spec.width - 2) +
         "\" y=\"10\" text-anchor=\"end\" font-size=\"9\" fill=\"#6b7280\">max " +
         gocompat::FloatString(data_max) + "</text></svg>";
  return out;
}

}  // namespace cerniq::http
