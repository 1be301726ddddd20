#include "jrads/sim/run_summary.hpp"

#include <algorithm>
#include <cstdio>

namespace jrads::sim {

RunSummary::RunSummary(const std::vector<sensors::SensorParams>& sensors) {
  for (const auto& p : sensors) {
    const auto* radar = std::get_if<sensors::RadarParams>(&p);
    scan_period_s_.push_back(radar != nullptr ? radar->scan_period_s : 0.0);
    clock_offset_ns_.push_back(radar != nullptr ? SimTime::from_s(radar->registration.clock_offset_s).ns() : 0);
  }
}

void RunSummary::on_start(const std::vector<sensors::SensorInfo>& sensors, const world::World& world) {
  for (const auto& info : sensors) sensors_.push_back({info.id, info.party, info.type, 0, 0});
  const auto& platforms = world.params().platforms;
  for (const auto& p : platforms) {
    category_of_.emplace_back(world::to_string(p.category));
    ++categories_[category_of_.back()].objects;
  }
  life_.assign(platforms.size(), {});
  holds_ns_.assign(platforms.size(), {});
  step_ns_ = SimTime::from_s(world.params().truth_step_s).ns();
}

void RunSummary::on_truth(SimTime t, std::span<const std::pair<PlatformIndex, world::PlatformState>> samples) {
  for (const auto& [idx, state] : samples) {
    Life& life = life_[idx.value()];
    if (life.samples == 0) life.first_ns = t.ns();
    life.last_ns = t.ns();
    ++life.samples;
  }
}

void RunSummary::on_detections(std::span<const sensors::Detection> detections) {
  for (const auto& d : detections) {
    SensorTally& tally = sensors_[d.sensor.value()];
    ++tally.reports;
    if (d.truth_index < 0) {
      ++tally.false_reports;
      continue;
    }
    if (d.type != sensors::SensorType::radar) continue;
    // A hold starts when the target was really seen: the stamp less the radar's clock error.
    const std::int64_t start = d.time.ns() - clock_offset_ns_[d.sensor.value()];
    const std::int64_t end = start + SimTime::from_s(scan_period_s_[d.sensor.value()]).ns();
    // Reports come in stamp order, so starts rarely go back: merge overlapping holds as they
    // come and memory stays at one interval per gap in cover, not one per report.
    auto& holds = holds_ns_[static_cast<std::size_t>(d.truth_index)];
    if (!holds.empty() && start >= holds.back().first && start <= holds.back().second) {
      holds.back().second = std::max(holds.back().second, end);
    } else {
      holds.emplace_back(start, end);
    }
  }
}

void RunSummary::on_finish() {
  for (std::size_t i = 0; i < life_.size(); ++i) {
    const Life& life = life_[i];
    CategoryTally& cat = categories_[category_of_[i]];
    cat.alive_samples += life.samples;
    if (life.samples == 0) continue;
    auto& holds = holds_ns_[i];
    std::sort(holds.begin(), holds.end());  // clock offsets differ between radars
    // Count the grid samples of the platform's life inside the union of hold intervals
    // [start, end): the next sample not yet counted moves forward monotonically.
    std::int64_t next = life.first_ns;
    for (const auto& [start, end] : holds) {
      std::int64_t from = std::max(next, start);
      from = life.first_ns + (from - life.first_ns + step_ns_ - 1) / step_ns_ * step_ns_;
      const std::int64_t to = std::min(end - 1, life.last_ns);
      if (to < from) continue;
      const std::int64_t count = (to - from) / step_ns_ + 1;
      cat.held_samples += count;
      next = from + count * step_ns_;
    }
  }
}

std::string RunSummary::to_text() const {
  std::string out;
  char line[256];
  out += "Sensors\n";
  std::snprintf(line, sizeof line, "  %-10s %-8s %-6s %10s %9s\n", "id", "party", "type", "reports", "clutter");
  out += line;
  for (const auto& s : sensors_) {
    const double frac = s.reports > 0 ? static_cast<double>(s.false_reports) / static_cast<double>(s.reports) : 0.0;
    std::snprintf(line, sizeof line, "  %-10s %-8s %-6s %10lld %8.1f%%\n", s.id.c_str(), s.party.c_str(),
                  to_string(s.type), static_cast<long long>(s.reports), 100.0 * frac);
    out += line;
  }
  out += "Air traffic (held = fraction of life with a radar detection within one scan period)\n";
  std::snprintf(line, sizeof line, "  %-10s %8s %8s\n", "category", "objects", "held");
  out += line;
  for (const auto& [name, c] : categories_) {
    const double held =
        c.alive_samples > 0 ? static_cast<double>(c.held_samples) / static_cast<double>(c.alive_samples) : 0.0;
    std::snprintf(line, sizeof line, "  %-10s %8lld %7.1f%%\n", name.c_str(), static_cast<long long>(c.objects),
                  100.0 * held);
    out += line;
  }
  return out;
}

}  // namespace jrads::sim
