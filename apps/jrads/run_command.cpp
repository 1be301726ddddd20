// `jrads run`: the whole chain, closed loop, in one process.
#include <chrono>
#include <cstdio>

#include "commands.hpp"
#include "jrads/run/engagement_run.hpp"
#include "jrads/run/run_output.hpp"
#include "jrads/scenario/scenario.hpp"
#include "jrads/sim/run_summary.hpp"
#include "progress_bar.hpp"

namespace jrads::app {

int run_chain(const ChainRun& run) {
  scenario::ParseOutcome parsed = run.scenario_path.empty()
                                      ? scenario::parse_scenario(scenario::default_scenario_yaml(), "<default scenario>")
                                      : scenario::load_scenario(run.scenario_path);
  if (!parsed.errors.empty()) {
    for (const auto& e : parsed.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    std::fprintf(stderr, "%zu error%s\n", parsed.errors.size(), parsed.errors.size() == 1 ? "" : "s");
    return 1;
  }
  const scenario::Scenario& s = *parsed.scenario;
  auto terrain = world::make_terrain(s.terrain);
  if (!terrain) {
    std::fprintf(stderr, "%s\n", terrain.error().to_string().c_str());
    return 1;
  }
  auto input = run::input_from_scenario(s, std::move(*terrain));
  if (!input) {
    std::fprintf(stderr, "%s\n", input.error().to_string().c_str());
    return 1;
  }
  run::RunOptions options;
  options.seed = run.seed.value_or(s.seed);
  ProgressBar bar("running");
  options.progress = [&bar](double f) { bar.update(f); };
  sim::RunSummary sensors_summary(s.sensors);
  if (run.print_sensors) options.extra_sinks.push_back(&sensors_summary);
  const auto started = std::chrono::steady_clock::now();
  auto result = run::run_engagements(std::move(*input), options, run.out_dir);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  bar.done();
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().to_string().c_str());
    return 1;
  }
  std::printf("Scenario: %s (seed %llu, %.0f s simulated in %.2f s, %.0fx real time)\n", s.name.c_str(),
              static_cast<unsigned long long>(options.seed), s.duration_s, wall_s, s.duration_s / std::max(wall_s, 1e-9));
  if (run.print_sensors) std::fputs(sensors_summary.to_text().c_str(), stdout);
  std::printf("\nEngagement outcome\n");
  std::fputs(run::outcome_text(*result).c_str(), stdout);
  if (!run.hide_paths) std::printf("Files written to %s\n", run.out_dir.c_str());
  return 0;
}

}  // namespace jrads::app
