#pragma once
// The subcommands that run the picture and its metrics; main.cpp parses arguments and calls these.
#include <cstdint>
#include <optional>
#include <string>

namespace jrads::app {

struct TrackRun {
  std::string in_dir;    // holds sensors.csv and detections.csv
  std::string out_path;  // tracks.csv; empty: <in_dir>/tracks.csv
  bool hide_paths = false;  // do not print where the files went (a temporary directory)
  std::string scenario_path;      // flight plans and defended assets for identification
  bool default_scenario = false;  // ... from the embedded default scenario
  bool jpda = false;              // JPDA association for established tracks (dense clutter)
};
// Runs the tracker over a directory's detections and writes tracks.csv and alerts.csv.
// Returns the process exit code.
int track(const TrackRun& run);

struct MetricsRun {
  std::string truth_path, tracks_path;
  std::string detections_path, detections_truth_path;  // both or neither: coverage
  bool json = false;
  double cutoff_m = 2000.0, order_p = 2.0, threshold_m = 2000.0;
};
// Compares tracks with truth and prints the quality measures. Returns the exit code.
int metrics(const MetricsRun& run);

struct ChainRun {
  std::string scenario_path;  // empty: the embedded default
  std::optional<std::uint64_t> seed;
  std::string out_dir;
  bool hide_paths = false;     // a temporary directory
  bool print_sensors = false;  // also the sensors' tallies (the demo)
  std::string keys_dir;        // the two nodes' keys (jrads keys); empty: exercise keys from the seed
  std::string log_reader;      // the party whose staff reads the log; empty: the lead party
  std::string picture = "central";  // "central" or "regional" (run::PictureMode)
  bool federated = false;            // national nodes as `jrads node` processes over DDS
  std::optional<std::uint32_t> domain;  // federated: the DDS domain (default: from the process id)
  int cut_links = 0;                    // federated: the exercise cuts the national nodes' links this many times
  int cut_windows = 10;                 // federated: each cut lasts this many windows
  int cut_from_s = 0;                   // federated: the cuts are spread over the run after this second
  std::optional<double> until_s;        // stop after this many simulated seconds (default: the scenario's end)
};
// World, sensors, picture, engagement planning, command and simulated outcomes in one process
// (jrads run); writes the run's files into out_dir and prints the outcome.
int run_chain(const ChainRun& run);

struct NodeRun {
  std::string config_path;
};
// One node of a federated run (jrads node --config): serves until its controller ends the run.
int node(const NodeRun& run);

struct BenchRun {
  std::string what;         // "federation"
  int tracks = 1000;
  int seconds = 10;
  std::uint32_t domain = 0;
  std::string out_dir;      // where the helper processes' logs go (default: .)
  std::string role;         // internal: "national" for the sending process
  bool throughput = false;  // internal: the sending process sends as fast as it can
};
// jrads bench federation: latency to the fused picture beside ddsperf, and sustained updates/s.
int bench(const BenchRun& run);

}  // namespace jrads::app
