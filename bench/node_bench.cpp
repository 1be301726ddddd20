// The command post's planning cycle and the closed loop:
// - BM_CommandPostCycle/T/U: one planning cycle of a fresh post over T hostile tracks and U fire
//   units (threat evaluation T x assets, interlock per track, feasibility, kill probability and
//   ROE per pair, the assignment, proposals); line of sight always clear, so the terrain's cost
//   (run/line_of_sight_impl.hpp) is not in it.
// - BM_RunDefaultScenario: `jrads run` on the embedded default scenario, one simulated hour,
//   files written to a temporary directory.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <unistd.h>

#include "jrads/core/log.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/node/command_post.hpp"
#include "jrads/run/engagement_run.hpp"
#include "jrads/scenario/scenario.hpp"

namespace {

using namespace jrads;

constexpr double kKm = 1000.0;

struct Setup {
  LocalFrame region{Geodetic{44.5, 20.0, 0.0}};
  node::CommandPostParams params;
  command::ChainOfCommand chain;
  std::vector<node::PictureTrack> picture;
};

// U units on a grid over a 400 x 300 km region, half of each party, assets at a third of them;
// T hostile missile-like tracks from the north towards the assets.
Setup make_setup(int tracks, int units) {
  Setup s;
  s.chain.lead_party = "KAL";
  s.chain.parties = {"KAL", "MOR"};
  s.chain.roles = {{"KAL-CINC", "KAL", command::RoleKind::coordinator, ""},
                   {"MOR-ADC", "MOR", command::RoleKind::air_defence_commander, ""}};
  const int cols = std::max(1, static_cast<int>(std::ceil(std::sqrt(units * 4.0 / 3.0))));
  for (int k = 0; k < units; ++k) {
    const std::string party = k % 2 == 0 ? "KAL" : "MOR";
    const std::string id = "FU-" + std::to_string(k);
    node::FireUnit u;
    u.id = id;
    u.party = party;
    u.envelope = engage::notional_envelope(k % 3 == 0 ? engage::FireUnitType::long_range : engage::FireUnitType::medium_range);
    u.envelope.pos_enu = {(-200.0 + 400.0 * (k % cols + 0.5) / cols) * kKm, (-150.0 + 300.0 * (k / cols + 0.5) / cols) * kKm, 300.0};
    u.rounds = 8;
    u.channels = 4;
    s.params.units.push_back(u);
    s.chain.units.push_back({id, party});
    s.chain.roles.push_back({id + "-CDR", party, command::RoleKind::unit_commander, id});
    s.chain.roles.push_back({id + "-OP", party, command::RoleKind::fire_operator, id});
    if (k % 3 == 0) s.params.assets.push_back({"DA-" + std::to_string(k), u.envelope.pos_enu.head<2>(), 8 * kKm, 1.0});
  }
  RngStream rng = Rng(1).stream("bench/command-post");
  for (int j = 0; j < tracks; ++j) {
    const auto& a = s.params.assets[static_cast<std::size_t>(j) % s.params.assets.size()];
    node::PictureTrack t;
    t.pos_enu = {a.pos_enu.x() + rng.uniform(-60.0, 60.0) * kKm, a.pos_enu.y() + rng.uniform(20.0, 80.0) * kKm, 1000.0};
    const Eigen::Vector2d to = (a.pos_enu - t.pos_enu.head<2>()).normalized() * 240.0;
    t.vel_enu = {to.x(), to.y(), 0.0};
    t.row.time = SimTime();
    t.row.track_number = static_cast<std::uint32_t>(j + 1);
    t.row.identity = picture::Identity::hostile;
    t.row.pos = s.region.geodetic_from_enu(Enu::from(t.pos_enu));
    t.row.vel_enu = t.vel_enu;
    s.picture.push_back(t);
  }
  s.params.default_operator.decision_delay_s = 5.0;
  return s;
}

void BM_CommandPostCycle(benchmark::State& state) {
  silence_logs();
  const Setup s = make_setup(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  auto airspace = command::Airspace::make(s.region.origin(), {}, {}, command::Wcs::tight);
  command::AgreementState agreement;
  agreement.phase = command::AgreementPhase::in_force;
  agreement.in_force = true;
  std::size_t proposals = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto post = node::CommandPost::make(s.params, command::Authority::make(s.chain).value(), *airspace, agreement, s.region,
                                        1, [](const Eigen::Vector3d&, const Eigen::Vector3d&) { return true; });
    if (!post) {
      state.SkipWithError(post.error().message.c_str());
      return;
    }
    state.ResumeTiming();
    const node::StepResult r = post->step(SimTime(), s.picture);
    proposals += r.events.size();
    benchmark::DoNotOptimize(r);
  }
  state.counters["events"] = static_cast<double>(proposals) / static_cast<double>(state.iterations());
  state.counters["pairs"] = static_cast<double>(state.range(0) * state.range(1));
}
BENCHMARK(BM_CommandPostCycle)->Args({50, 5})->Args({200, 20})->Args({1000, 50})->Unit(benchmark::kMillisecond);

void BM_RunDefaultScenario(benchmark::State& state) {
  silence_logs();
  auto parsed = scenario::parse_scenario(scenario::default_scenario_yaml(), "default");
  if (!parsed.scenario) {
    state.SkipWithError("default scenario does not parse");
    return;
  }
  auto terrain = world::make_terrain(parsed.scenario->terrain);
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("jrads-bench-run-" + std::to_string(::getpid()));
  for (auto _ : state) {
    state.PauseTiming();
    auto in = run::input_from_scenario(*parsed.scenario, *terrain);
    state.ResumeTiming();
    run::RunOptions options;
    options.seed = parsed.scenario->seed;
    auto r = run::run_engagements(std::move(*in), options, dir);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(r->rounds_used);
  }
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  state.counters["sim_s_per_wall_s"] =
      benchmark::Counter(parsed.scenario->duration_s * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_RunDefaultScenario)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
