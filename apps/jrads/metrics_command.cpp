// `jrads metrics`: the picture's quality against truth.
#include <cstdio>
#include <optional>
#include <string>

#include "commands.hpp"
#include "jrads/metrics/metrics.hpp"

namespace jrads::app {

int metrics(const MetricsRun& run) {
  if (run.detections_path.empty() != run.detections_truth_path.empty()) {
    std::fprintf(stderr, "metrics: --detections and --detections-truth go together\n");
    return 1;
  }
  metrics::MetricsParams params;
  params.cutoff_m = run.cutoff_m;
  params.order_p = run.order_p;
  params.association_threshold_m = run.threshold_m;
  if (auto ok = metrics::validate(params); !ok) {
    std::fprintf(stderr, "metrics: %s\n", ok.error().to_string().c_str());
    return 1;
  }
  auto truth = metrics::read_truth_csv(run.truth_path);
  if (!truth) {
    std::fprintf(stderr, "%s\n", truth.error().to_string().c_str());
    return 1;
  }
  auto tracks = metrics::read_tracks_csv(run.tracks_path);
  if (!tracks) {
    std::fprintf(stderr, "%s\n", tracks.error().to_string().c_str());
    return 1;
  }
  std::optional<metrics::Coverage> coverage;
  if (!run.detections_path.empty()) {
    auto c = metrics::read_coverage(run.detections_path, run.detections_truth_path, *truth, params);
    if (!c) {
      std::fprintf(stderr, "%s\n", c.error().to_string().c_str());
      return 1;
    }
    coverage = std::move(*c);
  }
  const auto report = metrics::compute_metrics(*truth, *tracks, params, coverage ? &*coverage : nullptr);
  if (!report) {
    std::fprintf(stderr, "metrics: %s\n", report.error().to_string().c_str());
    return 1;
  }
  const std::string text = run.json ? metrics::to_json(*report) : metrics::to_text(*report);
  std::fputs(text.c_str(), stdout);
  if (!text.empty() && text.back() != '\n') std::fputc('\n', stdout);
  return 0;
}

}  // namespace jrads::app
