// jrads: the command-line program. Thin: parses arguments and wires the modules together.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "jrads/scenario/generate.hpp"
#include "jrads/scenario/scenario.hpp"
#include "jrads/sim/csv_output.hpp"
#include "jrads/sim/run_summary.hpp"
#include "jrads/sim/simulation.hpp"
#include "audit_command.hpp"
#include "commands.hpp"
#include "keys_command.hpp"
#include "progress_bar.hpp"

namespace {

using jrads::scenario::ParseOutcome;
using jrads::scenario::Scenario;

void print_errors(const std::vector<jrads::Error>& errors) {
  for (const auto& e : errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
  std::fprintf(stderr, "%zu error%s\n", errors.size(), errors.size() == 1 ? "" : "s");
}

std::optional<Scenario> load(const std::string& path) {
  ParseOutcome outcome = path.empty() ? jrads::scenario::parse_scenario(jrads::scenario::default_scenario_yaml(),
                                                                        "<default scenario>")
                                      : jrads::scenario::load_scenario(path);
  if (!outcome.errors.empty()) {
    print_errors(outcome.errors);
    return std::nullopt;
  }
  return std::move(outcome.scenario);
}

struct SimRun {
  std::string scenario_path;  // empty: the embedded default
  std::optional<std::uint64_t> seed;
  std::string out_dir;  // empty: no files
  bool print_summary = false;
  bool announce_files = true;  // say where the files went (not for the demo's temporary directory)
};

int simulate(const SimRun& run) {
  auto scenario = load(run.scenario_path);
  if (!scenario) return 1;
  auto terrain = jrads::world::make_terrain(scenario->terrain);
  if (!terrain) {
    std::fprintf(stderr, "%s\n", terrain.error().to_string().c_str());
    return 1;
  }
  jrads::sim::SimulationInput input{scenario->world, std::move(*terrain), scenario->sensors, scenario->adsb};
  input.world.duration_s = scenario->duration_s;

  jrads::sim::SimulationOptions options;
  options.seed = run.seed.value_or(scenario->seed);
  jrads::app::ProgressBar bar("simulating");
  options.progress = [&bar](double f) { bar.update(f); };

  std::vector<jrads::sim::SimulationSink*> sinks;
  std::unique_ptr<jrads::sim::CsvOutput> csv;
  if (!run.out_dir.empty()) {
    auto opened = jrads::sim::CsvOutput::open(run.out_dir);
    if (!opened) {
      std::fprintf(stderr, "%s\n", opened.error().to_string().c_str());
      return 1;
    }
    csv = std::move(*opened);
    sinks.push_back(csv.get());
  }
  jrads::sim::RunSummary summary(scenario->sensors);
  sinks.push_back(&summary);

  // Wall time is measured here, in the program, for the user's information only.
  const auto started = std::chrono::steady_clock::now();
  jrads::sim::run_simulation(std::move(input), options, sinks);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  bar.done();
  if (csv) {
    if (auto status = csv->commit(); !status) {
      std::fprintf(stderr, "%s\n", status.error().to_string().c_str());
      return 1;
    }
  }
  if (run.print_summary) {
    std::printf("Scenario: %s (seed %llu, %.0f s simulated in %.2f s, %.0fx real time)\n", scenario->name.c_str(),
                static_cast<unsigned long long>(options.seed), scenario->duration_s, wall_s,
                scenario->duration_s / std::max(wall_s, 1e-9));
    std::fputs(summary.to_text().c_str(), stdout);
    if (!run.out_dir.empty() && run.announce_files) std::printf("Files written to %s\n", run.out_dir.c_str());
  }
  return 0;
}

// Writes the generated YAML next to its final name first, so an interrupted run never leaves
// a half-written scenario under that name.
int generate(const jrads::scenario::GenerateOptions& options, const std::string& out_path) {
  auto yaml = jrads::scenario::generate_scenario_yaml(options);
  if (!yaml) {
    std::fprintf(stderr, "generate: %s\n", yaml.error().to_string().c_str());
    return 1;
  }
  if (out_path.empty() || out_path == "-") {
    std::fwrite(yaml->data(), 1, yaml->size(), stdout);
    return 0;
  }
  const std::string tmp = out_path + ".tmp";
  std::FILE* fp = std::fopen(tmp.c_str(), "wb");
  if (fp == nullptr) {
    std::fprintf(stderr, "%s: cannot open for writing: %s\n", tmp.c_str(), std::strerror(errno));
    return 1;
  }
  const bool written = std::fwrite(yaml->data(), 1, yaml->size(), fp) == yaml->size();
  const bool closed = std::fclose(fp) == 0;
  std::error_code ec;
  if (written && closed) std::filesystem::rename(tmp, out_path, ec);
  if (!written || !closed || ec) {
    std::fprintf(stderr, "%s: write failed: %s\n", out_path.c_str(), ec ? ec.message().c_str() : std::strerror(errno));
    std::filesystem::remove(tmp, ec);
    return 1;
  }
  return 0;
}

// CLI11 would read "-1" into an unsigned seed as 2^64 - 1.
const CLI::Validator kNonNegative(
    [](std::string& text) { return text.rfind('-', 0) == 0 ? std::string("must not be negative") : std::string(); },
    "NON-NEGATIVE");
const CLI::Validator kNonEmpty([](std::string& text) { return text.empty() ? std::string("must not be empty") : std::string(); },
                               "NON-EMPTY");

// The demo: the whole chain on the default scenario (jrads run), then the picture scored
// against truth. Without --out the files go to a temporary directory removed afterwards.
int demo(SimRun run) {
  namespace fs = std::filesystem;
  const bool keep = !run.out_dir.empty();
  if (!keep) {
    std::error_code ec;
    const fs::path tmp = fs::temp_directory_path(ec) / ("jrads-demo-" + std::to_string(::getpid()));
    if (ec) {
      std::fprintf(stderr, "demo: no temporary directory: %s (use --out DIR)\n", ec.message().c_str());
      return 1;
    }
    run.out_dir = tmp.string();
    run.announce_files = false;
  }
  struct Cleanup {
    std::string dir;
    bool keep;
    ~Cleanup() {
      if (keep) return;
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);  // best effort
    }
  } cleanup{run.out_dir, keep};
  jrads::app::ChainRun chain;
  chain.seed = run.seed;
  chain.out_dir = run.out_dir;
  chain.hide_paths = !keep;
  chain.print_sensors = true;
  if (const int rc = jrads::app::run_chain(chain); rc != 0) return rc;
  std::printf("\nPicture quality against truth\n");
  jrads::app::MetricsRun m;
  const fs::path dir(run.out_dir);
  m.truth_path = (dir / "truth.csv").string();
  m.tracks_path = (dir / "tracks.csv").string();
  m.detections_path = (dir / "detections.csv").string();
  m.detections_truth_path = (dir / "detections_truth.csv").string();
  return jrads::app::metrics(m);
}

int run(int argc, char** argv);

}  // namespace

// Output that cannot be written (a full disk, a closed pipe) is a failure, not a silent success.
int main(int argc, char** argv) {
  const int rc = run(argc, argv);
  if (std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    std::fprintf(stderr, "jrads: cannot write to standard output: %s\n", std::strerror(errno));
    return 1;
  }
  return rc;
}

namespace {

int run(int argc, char** argv) {
  CLI::App app{"JRADS: joint regional air defence system (simulation and decision support)"};
  app.require_subcommand(1);

  SimRun demo_run;
  demo_run.print_summary = true;
  auto* demo_cmd = app.add_subcommand("demo", "Run the whole chain on the embedded default scenario: picture, engagements, outcome, picture quality");
  demo_cmd->add_option("--seed", demo_run.seed, "Random seed (default: the scenario's)")->check(kNonNegative);
  demo_cmd->add_option("--out", demo_run.out_dir, "Keep the simulation and picture files in this directory")->check(kNonEmpty);

  SimRun sim_run;
  auto* simulate_cmd = app.add_subcommand("simulate", "Simulate a scenario and write sensors, truth and detections CSV");
  simulate_cmd->add_option("scenario", sim_run.scenario_path, "Scenario YAML file (default: the embedded scenario)");
  simulate_cmd->add_option("--seed", sim_run.seed, "Random seed (default: the scenario's)")->check(kNonNegative);
  simulate_cmd->add_option("--out", sim_run.out_dir, "Output directory")->required()->check(kNonEmpty);
  simulate_cmd->add_flag("--summary", sim_run.print_summary, "Print the demo summary too");

  std::string validate_path;
  auto* validate = app.add_subcommand("validate", "Check a scenario file and print its errors or a summary");
  validate->add_option("file", validate_path, "Scenario YAML file")->required();

  jrads::scenario::GenerateOptions gen;
  std::string gen_out;
  auto* generate_cmd = app.add_subcommand("generate", "Write a generated load-test scenario (YAML)");
  generate_cmd->add_option("--aircraft", gen.aircraft, "Aircraft in the air at once (70% civil, 10% friend, 20% hostile)")
      ->capture_default_str();
  generate_cmd->add_option("--radars", gen.radars, "Radars, on a jittered grid (plus IFF and ADS-B stations)")
      ->capture_default_str();
  generate_cmd->add_option("--seed", gen.seed, "Layout and scenario seed")->capture_default_str()->check(kNonNegative);
  generate_cmd->add_option("--duration-s", gen.duration_s, "Simulated duration in seconds")->capture_default_str();
  generate_cmd->add_option("--out", gen_out, "Output file (default: standard output)");

  jrads::app::ChainRun chain_run;
  auto* run_cmd = app.add_subcommand(
      "run", "World, sensors, picture, engagement and command in one closed loop; writes the run's files and outcome");
  run_cmd->add_option("scenario", chain_run.scenario_path, "Scenario YAML file (default: the embedded scenario)");
  run_cmd->add_option("--seed", chain_run.seed, "Random seed (default: the scenario's)")->check(kNonNegative);
  run_cmd->add_option("--out", chain_run.out_dir, "Output directory")->required()->check(kNonEmpty);
  run_cmd->add_option("--keys", chain_run.keys_dir,
                      "Key directory holding both nodes' keys (<LEAD>-C2, <PARTNER>-C2; jrads keys init); "
                      "default: exercise keys derived from the seed")
      ->check(kNonEmpty);
  run_cmd->add_option("--log-reader", chain_run.log_reader,
                      "Party whose staff reads the log: only what it may have is logged (default: the lead party)")
      ->check(kNonEmpty);
  run_cmd->add_option("--picture", chain_run.picture,
                      "central: one tracker of every sensor; regional: each party's national picture, fused track "
                      "to track by the regional centre")
      ->capture_default_str()
      ->check(CLI::IsMember({"central", "regional"}));
  run_cmd->add_flag("--federated", chain_run.federated,
                    "Run each party's national picture as its own `jrads node` process, over Cyclone DDS on the "
                    "loopback (the picture is then regional)");
  run_cmd->add_option("--domain", chain_run.domain,
                      "Federated: the DDS domain (default: from the process id); the feed uses the next one")
      ->check(CLI::Range(0, 231));
  run_cmd->add_option("--until", chain_run.until_s,
                      "Stop after this many simulated seconds (default: the scenario's end); flights due later "
                      "never start")
      ->check(CLI::Range(1.0, 1e7));
  run_cmd->add_option("--cut-links", chain_run.cut_links,
                      "Federated: cut a national node's federation link (Cyclone's deaf and mute) this many times, "
                      "spread over the run, each node in turn; federation.json counts what was lost")
      ->capture_default_str()
      ->check(CLI::Range(0, 1000));
  run_cmd->add_option("--cut-windows", chain_run.cut_windows, "Federated: how many windows (seconds) each cut lasts")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  run_cmd->add_option("--cut-from", chain_run.cut_from_s,
                      "Federated: spread the cuts over the run after this many simulated seconds")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000000));

  jrads::app::BenchRun bench_run;
  bench_run.domain = 1 + static_cast<std::uint32_t>(getpid()) % 200;
  auto* bench_cmd = app.add_subcommand("bench", "Benchmarks that need processes: federation (docs/BENCHMARKS.md)");
  bench_cmd->add_option("what", bench_run.what, "federation")->required()->check(CLI::IsMember({"federation"}));
  bench_cmd->add_option("--tracks", bench_run.tracks, "Tracks of the national picture")->capture_default_str()->check(CLI::Range(1, 100000));
  bench_cmd->add_option("--seconds", bench_run.seconds, "Seconds of each measurement")->capture_default_str()->check(CLI::Range(1, 3600));
  bench_cmd->add_option("--domain", bench_run.domain, "DDS domain (ddsperf uses the next one)")->check(CLI::Range(0, 231));
  bench_cmd->add_option("--out", bench_run.out_dir, "Directory for the helper processes' logs (default: .)");
  bench_cmd->add_option("--role", bench_run.role)->group("");  // the sending process's own invocation
  bench_cmd->add_flag("--throughput", bench_run.throughput)->group("");

  jrads::app::NodeRun node_run;
  auto* node_cmd = app.add_subcommand("node", "Run one node of a federated run (docs/FEDERATION.md)");
  node_cmd->add_option("--config", node_run.config_path, "Node configuration (YAML)")->required()->check(kNonEmpty);

  jrads::app::add_keys_command(app);
  jrads::app::add_audit_command(app);

  jrads::app::TrackRun track_run;
  auto* track_cmd = app.add_subcommand("track", "Build the recognised air picture from sensors.csv and detections.csv");
  track_cmd->add_option("--in", track_run.in_dir, "Directory with sensors.csv and detections.csv")->required()->check(kNonEmpty);
  track_cmd->add_option("--out", track_run.out_path, "tracks.csv to write (default: DIR/tracks.csv)")->check(kNonEmpty);
  auto* track_scenario = track_cmd->add_option("--scenario", track_run.scenario_path,
                                               "Scenario whose flight plans and defended assets inform identification")
                             ->check(kNonEmpty);
  track_cmd->add_flag("--default-scenario", track_run.default_scenario, "The same from the embedded default scenario")
      ->excludes(track_scenario);
  track_cmd->add_flag("--jpda", track_run.jpda,
                      "Associate radar reports by JPDA, with score-based confirmation (for dense clutter; default GNN)");

  jrads::app::MetricsRun metrics_run;
  auto* metrics_cmd = app.add_subcommand("metrics", "Compare tracks.csv with truth.csv: OSPA, GOSPA, SIAP, identity");
  metrics_cmd->add_option("--truth", metrics_run.truth_path, "truth.csv")->required()->check(kNonEmpty);
  metrics_cmd->add_option("--tracks", metrics_run.tracks_path, "tracks.csv")->required()->check(kNonEmpty);
  metrics_cmd->add_option("--detections", metrics_run.detections_path,
                          "detections.csv, with --detections-truth: also score completeness within coverage");
  metrics_cmd->add_option("--detections-truth", metrics_run.detections_truth_path, "detections_truth.csv");
  metrics_cmd->add_flag("--json", metrics_run.json, "Print the JSON object of shared/FORMATS.md");
  metrics_cmd->add_option("--cutoff-m", metrics_run.cutoff_m, "OSPA/GOSPA cut-off c in metres")->capture_default_str();
  metrics_cmd->add_option("--order", metrics_run.order_p, "OSPA/GOSPA order p")->capture_default_str();
  metrics_cmd->add_option("--threshold-m", metrics_run.threshold_m, "SIAP association distance in metres")
      ->capture_default_str();

  CLI11_PARSE(app, argc, argv);

  if (metrics_cmd->parsed()) return jrads::app::metrics(metrics_run);

  if (track_cmd->parsed()) return jrads::app::track(track_run);

  if (generate_cmd->parsed()) return generate(gen, gen_out);
  if (run_cmd->parsed()) return jrads::app::run_chain(chain_run);
  if (node_cmd->parsed()) return jrads::app::node(node_run);
  if (bench_cmd->parsed()) return jrads::app::bench(bench_run);

  if (demo_cmd->parsed()) return demo(demo_run);
  if (simulate_cmd->parsed()) return simulate(sim_run);
  if (validate->parsed()) {
    auto scenario = load(validate_path);
    if (!scenario) return 1;
    std::fputs(jrads::scenario::summary(*scenario).c_str(), stdout);
    return 0;
  }
  return 0;
}

}  // namespace
