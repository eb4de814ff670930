#pragma once
// A small inline SVG line chart ("sparkline") of one series over a time window, for the status
// page: no script, no external asset, every text escaped. Pure function of its inputs.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace cerniq::http {

struct ChartPoint {
  int64_t t_ms = 0;
  double value = 0;  // NaN (stale markers too) and infinities end the line, as an absence
};

struct SparklineSpec {
  int64_t mint_ms = 0;  // left edge
  int64_t maxt_ms = 0;  // right edge (now)
  // Drawn as a dashed line when it falls inside the plotted range; the line turns red when the
  // last value reaches it (the runbook's "waiting < N" is healthy below N).
  std::optional<double> threshold;
  std::string title;  // plain text: the chart's accessible name and tooltip (escaped here)
  int width = 180;
  int height = 40;
  // Samples further apart than this are not joined (Prometheus's 5m lookback: after it a
  // series counts as absent).
  int64_t max_gap_ms = 5 * 60'000;
};

// Points in time order. At most one plotted point per two pixels (the maximum of the samples
// that fall there: a short spike stays visible). Without a point in the window the chart says
// "no history yet".
std::string RenderSparkline(std::span<const ChartPoint> points, const SparklineSpec& spec);

}  // namespace cerniq::http
