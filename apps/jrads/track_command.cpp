// `jrads track`: detections in, recognised air picture out.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "commands.hpp"
#include "jrads/picture/csv_reader.hpp"
#include "jrads/picture/track_csv.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/scenario/identification.hpp"
#include "jrads/scenario/scenario.hpp"
#include "progress_bar.hpp"

namespace jrads::app {

int track(const TrackRun& run) {
  namespace fs = std::filesystem;
  const fs::path dir(run.in_dir);
  auto sensors = picture::read_sensors_csv(dir / "sensors.csv");
  if (!sensors) {
    std::fprintf(stderr, "%s\n", sensors.error().to_string().c_str());
    return 1;
  }
  auto reader = picture::DetectionReader::open(dir / "detections.csv", *sensors);
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.error().to_string().c_str());
    return 1;
  }
  const fs::path out = run.out_path.empty() ? dir / "tracks.csv" : fs::path(run.out_path);
  auto writer = picture::TrackCsvWriter::open(out);
  if (!writer) {
    std::fprintf(stderr, "%s\n", writer.error().to_string().c_str());
    return 1;
  }
  picture::TrackerParams params;
  if (run.jpda) params.association = picture::Association::jpda;
  if (run.default_scenario || !run.scenario_path.empty()) {
    scenario::ParseOutcome parsed =
        run.default_scenario ? scenario::parse_scenario(scenario::default_scenario_yaml(), "<default scenario>")
                             : scenario::load_scenario(run.scenario_path);
    if (!parsed.errors.empty()) {
      for (const auto& e : parsed.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
      return 1;
    }
    params.context = scenario::identification_context(*parsed.scenario);
  }
  picture::Tracker tracker(*sensors, params);
  std::vector<picture::Alert> alerts;
  ProgressBar bar("tracking");
  const auto started = std::chrono::steady_clock::now();
  picture::Report report;
  std::uint64_t n = 0;
  while (true) {
    auto more = reader->next(report);
    if (!more) {
      bar.done();
      std::fprintf(stderr, "%s\n", more.error().to_string().c_str());
      return 1;  // the writer's destructor removes tracks.csv.partial
    }
    if (!*more) break;
    tracker.add(report);
    if ((++n & 0xFFF) == 0) {
      writer->write(tracker.take_rows());
      for (auto& a : tracker.take_alerts()) alerts.push_back(std::move(a));
      if (reader->bytes_total() > 0) bar.update(static_cast<double>(reader->bytes_read()) / static_cast<double>(reader->bytes_total()));
    }
  }
  tracker.finish();
  writer->write(tracker.take_rows());
  for (auto& a : tracker.take_alerts()) alerts.push_back(std::move(a));
  bar.done();
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (auto ok = writer->commit(); !ok) {
    std::fprintf(stderr, "%s\n", ok.error().to_string().c_str());
    return 1;
  }
  const fs::path alerts_path = out.parent_path() / "alerts.csv";
  if (auto ok = picture::write_alerts_csv(alerts_path, alerts, *sensors); !ok) {
    std::fprintf(stderr, "%s\n", ok.error().to_string().c_str());
    return 1;
  }
  {
    const auto& st = tracker.stats();
    std::printf("Tracked %llu reports in %.2f s (%.0f reports/s): %llu tracks started, %llu confirmed, %llu merged\n",
                static_cast<unsigned long long>(st.reports), wall_s, static_cast<double>(st.reports) / std::max(wall_s, 1e-9),
                static_cast<unsigned long long>(st.tracks_started), static_cast<unsigned long long>(st.tracks_confirmed),
                static_cast<unsigned long long>(st.tracks_merged));
    if (run.jpda) {
      std::printf("  JPDA: %llu clusters of established tracks, %llu of them by k-best events\n",
                  static_cast<unsigned long long>(st.jpda_clusters), static_cast<unsigned long long>(st.jpda_k_best));
    }
    if (st.late_reports_dropped > 0) {
      std::printf("  %llu reports arrived later than the reorder window and were dropped\n",
                  static_cast<unsigned long long>(st.late_reports_dropped));
    }
    std::printf("Alerts: %zu\n", alerts.size());
    std::size_t shown = 0;
    for (const auto& a : alerts) {
      if (++shown > 10) break;
      std::printf("  t=%.1f s %s: %s\n", a.time.s(), picture::to_string(a.kind), a.text.c_str());
    }
    if (!run.hide_paths) std::printf("Tracks written to %s, alerts to %s\n", out.string().c_str(), alerts_path.string().c_str());
  }
  return 0;
}

}  // namespace jrads::app
