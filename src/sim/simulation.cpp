#include "jrads/sim/simulation.hpp"

#include <algorithm>
#include <cmath>

namespace jrads::sim {

void run_simulation(SimulationInput input, const SimulationOptions& options, std::span<SimulationSink* const> sinks) {
  const Rng rng(options.seed);
  sensors::SensorSuite suite(std::move(input.sensors), input.adsb, input.terrain, rng);
  const double duration_s = input.world.duration_s;
  const double truth_step_s = input.world.truth_step_s;
  world::World world(std::move(input.world), std::move(input.terrain));
  for (SimulationSink* sink : sinks) sink->on_start(suite.sensors(), world);

  const double lag_s = suite.max_lag_s();
  const double history_s = suite.max_history_s();
  const SimTime end = SimTime::from_s(duration_s);
  const SimTime window = SimTime::from_s(options.window_s);
  JRADS_ASSERT(window >= SimTime::from_ns(1'000'000));  // a shorter window would never finish
  const SimTime truth_step = SimTime::from_s(truth_step_s);
  const SimTime lag = SimTime::from_s(lag_s);
  std::vector<sensors::Detection> fresh;
  std::vector<sensors::Detection> pending;
  SimTime next_truth;
  const auto by_time = [](const sensors::Detection& a, const sensors::Detection& b) {
    return a.time < b.time || (a.time == b.time && a.sensor < b.sensor);
  };

  for (SimTime t0; t0 < end; t0 += window) {
    const SimTime t1 = std::min(t0 + window, end);
    // History must reach back so a scan that began in the previous window can still be
    // evaluated at its own beam times.
    world.advance_to(t1, (t1 - t0).s() + history_s + 2.0 * truth_step_s);
    if (options.before_observe) options.before_observe(t0, t1, world);
    for (; next_truth < t1; next_truth += truth_step) {
      const auto samples = world.samples_at(next_truth);
      for (SimulationSink* sink : sinks) sink->on_truth(next_truth, samples);
    }
    fresh.clear();
    suite.observe(t0, t1, world, fresh);
    // Stable order: sensors emit deterministically, so ties keep their emission order.
    std::stable_sort(fresh.begin(), fresh.end(), by_time);
    const auto mid = static_cast<std::ptrdiff_t>(pending.size());
    pending.insert(pending.end(), fresh.begin(), fresh.end());
    std::inplace_merge(pending.begin(), pending.begin() + mid, pending.end(), by_time);
    // Reports still to come carry times no earlier than t1 - lag: everything before is final.
    const bool last = t1 == end;
    const auto cut = last ? pending.end()
                          : std::partition_point(pending.begin(), pending.end(),
                                                 [&](const sensors::Detection& d) { return d.time < t1 - lag; });
    if (cut != pending.begin()) {
      const std::span<const sensors::Detection> ready(pending.data(), static_cast<std::size_t>(cut - pending.begin()));
      for (SimulationSink* sink : sinks) sink->on_detections(ready);
      pending.erase(pending.begin(), cut);
    }
    if (options.after_window) options.after_window(t1, world);
    if (options.progress) options.progress(t1.s() / duration_s);
    if (std::any_of(sinks.begin(), sinks.end(), [](const SimulationSink* sink) { return sink->failed(); })) break;
  }
  for (SimulationSink* sink : sinks) sink->on_finish();
}

}  // namespace jrads::sim
