#pragma once
// `jrads run`: the whole chain in one process, closed loop. The simulated world and sensors
// (sim) feed an in-process picture (picture::Tracker, reading each report exactly as a picture
// reading detections.csv would); the command post (node) decides on that picture; its launches
// fly out in the simulated world, where the outcome is drawn from a seeded stream and a kill
// destroys the platform, so that the sensors and the picture stop seeing it.
//
//   RunInput in = run::input_from_scenario(scenario, terrain).value();
//   RunResult r = run::run_engagements(std::move(in), {.seed = 7}, out).value();
//
// Truth is used only by the world (what an interceptor meets) and by the after-action summary;
// the command post never sees it. Same input and seed: the same files, byte for byte.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "jrads/command/agreement.hpp"
#include "jrads/command/airspace.hpp"
#include "jrads/command/authority.hpp"
#include "jrads/core/geodesy.hpp"
#include "jrads/core/result.hpp"
#include "jrads/node/command_post.hpp"
#include "jrads/picture/tracker.hpp"
#include "jrads/scenario/scenario.hpp"
#include "jrads/security/crypto.hpp"
#include "jrads/security/item_label.hpp"
#include "jrads/sim/simulation.hpp"

namespace jrads::run {

// A fire unit with its site; the run puts the envelope's site and the linked sensors in the
// picture's region frame.
struct UnitSite {
  node::FireUnit unit;  // envelope.pos_enu and linked_sensors are filled by the run
  Geodetic site;
  std::vector<std::string> linked_sensor_ids;
};

struct AssetSite {
  std::string id;
  Geodetic centre;
  double radius_m = 5000.0;
  double value = 1.0;
};

// The simulated interceptor's end game (notional): it homes on the nearest platform within
// its seeker's basket around the aim point at the predicted intercept time, and kills it with
// the notional kill probability of the true target class and geometry.
struct InterceptorParams {
  double basket_m = 1500.0;  // > 0
};

struct RunInput {
  sim::SimulationInput sim;
  picture::TrackerParams tracker;
  node::CommandPostParams post;  // units and assets are filled by the run from `units`/`assets`
  std::vector<UnitSite> units;
  std::vector<AssetSite> assets;
  command::ChainOfCommand chain;
  std::vector<command::ZoneParams> zones;
  std::vector<command::WcsSetting> wcs;
  command::Wcs default_wcs = command::Wcs::tight;
  command::AgreementState agreement;
  InterceptorParams interceptor;
  security::PartyTable parties;  // the bits of items' labels (scenario order)
};

// The scenario as a run: fire units at their sites (terrain height + 5 m), assets valued
// 1 / priority, the chain of command, airspace, doctrine, operators, automatic engagements,
// the picture's identification context, and the agreement's state on the scenario's day (in
// force when the scenario gives no day). Errors name what is missing.
[[nodiscard]] Result<RunInput> input_from_scenario(const scenario::Scenario& s, world::ElevationGrid terrain);

// The two nodes that sign the run's audit log (run_audit.hpp).
struct AuditNode {
  std::string node;   // node id, e.g. "KAL-C2"
  std::string party;
  security::SigningKey key;
};

struct AuditSigners {
  AuditNode writer;   // the lead (coordinating) party's node
  AuditNode partner;  // the other party's node: countersigns
};

// Where the command post's picture comes from.
enum class PictureMode : std::uint8_t {
  central,   // one tracker of every sensor: the nodes' reports fused at the measurement level
  regional,  // each party's node tracks its own sensors, and the regional centre fuses the
             // national pictures track to track (federation::RegionalPicture): the federated
             // system's picture, in one process
};
[[nodiscard]] const char* to_string(PictureMode m) noexcept;

// A federated run (jrads run --federated): each party's national picture is a `jrads node`
// process on the loopback, fed by this process (the exercise controller) and sending its track
// updates to the regional centre (also this process) over DDS. The national nodes must be
// running (federated_run.hpp starts them). The picture is then PictureMode::regional.
// The exercise cuts a national node's federation link (Cyclone's deaf and mute; its sensors'
// feed goes on) before window `from` (counted from 0) and restores it before window
// `from + windows`, and at least detection_bound + 0.5 s later, so that both ends have seen
// the loss. Then it waits (at most 5 s) for the node's snapshot.
struct LinkCut {
  std::string party;
  std::uint64_t from = 0;
  std::uint64_t windows = 10;
};

struct FederationOptions {
  std::uint32_t domain = 0;              // the federation's DDS domain
  std::uint32_t feed_domain = 1;         // the exercise controller's feed's (not `domain`)
  std::filesystem::path keys;            // every node's key file and public key
  std::string controller = "EXCON";      // node ids of this process's two participants
  std::string centre;                    // the regional centre: <LEAD>-RC
  std::map<std::string, std::string> nationals;  // party -> its national node
  double answer_timeout_s = 60.0;        // a national node silent this long (wall clock) fails the run
  std::vector<LinkCut> cuts;             // in window order, not overlapping
  // Where the run writes federation.json (its links, cuts and resynchronisations): empty, not.
  std::filesystem::path report;
};

struct RunOptions {
  std::uint64_t seed = 1;
  PictureMode picture = PictureMode::central;
  std::optional<FederationOptions> federation;
  std::function<void(double)> progress;  // fraction of simulated time done
  std::vector<sim::SimulationSink*> extra_sinks;  // also fed (a run summary, say)
  // Called after each command-post step with the picture the post saw and the world's truth,
  // for tests and exercises (which may ask the post what it would do: try_order). It must not
  // change anything.
  std::function<void(SimTime now, const node::CommandPost& post, std::span<const node::PictureTrack> picture,
                     const world::World& world)>
      inspect;
  // With signers: the run also writes audit.log (docs/RUN.md), its last file, recording the
  // SHA-256 of every other file it wrote.
  std::optional<AuditSigners> audit;
  // With a data key for every party: the run also writes release/<PARTY>/, what each party's
  // node may have of the tracks and engagements, sealed (release_export.hpp, docs/RUN.md).
  std::optional<std::map<std::string, security::SymmetricKey>> release_keys;
  // The party whose staff reads the run's log (the logger "jrads.run"); empty: the lead party.
  // Only what it may have is logged (log_egress.hpp).
  std::string log_reader;
};

// What happened, by truth and by the record (summary.json, docs/RUN.md).
struct AssetHit {
  std::string asset;
  std::string platform;
  double time_s = 0.0;
};
struct RunResult {
  int threats = 0;         // hostile platforms that flew
  int killed = 0;          // hostile platforms destroyed
  int leakers = 0;         // hostile platforms that reached a defended asset
  std::vector<AssetHit> assets_hit;
  int rounds_used = 0;
  int civil_engaged = 0;   // launches at a civil aircraft (aimed at, or met), counted at launch and end game
  int fratricide = 0;      // launches at a friendly aircraft (aimed at, or met)
  int misses = 0;          // interceptors that met nothing or did not kill
  int in_flight_at_end = 0;  // interceptors still flying when the run ended (no outcome)
  std::map<std::string, int> events;              // engagements.csv rows per event
  std::map<std::string, int> refusals_by_rule;    // "interlock:civil_evidence", "roe:no_fire_area"...
  int assessed_destroyed = 0, assessed_survived = 0;
  int assessment_wrong = 0;  // assessed destroyed but alive, or survived but killed
  // First detection of a hostile platform to its first launch, over those engaged.
  int engaged_threats = 0;
  double detect_to_engage_mean_s = 0.0, detect_to_engage_max_s = 0.0;
  std::vector<node::UnitStatus> units;  // rounds left at the end
  // The fire units' own gates, summed over the parties: orders held, repeated and refused,
  // rounds fired and launches refused (a refusal is a row of engagements.csv too).
  std::uint64_t gate_orders = 0, gate_orders_duplicated = 0, gate_orders_refused = 0;
  std::uint64_t gate_rounds_fired = 0, gate_launches_refused = 0;
  std::uint64_t audit_records = 0, audit_checkpoints = 0;  // audit.log, when written
  // The releases: per party's node (when release keys are given) and the log's reader, the
  // items allowed, refused, stripped, and the distinct decisions (each in the audit log).
  struct Release {
    std::string receiver, party;
    std::uint64_t decisions = 0, allowed = 0, refused = 0, stripped = 0;
  };
  std::vector<Release> releases;
};

// Runs the scenario and writes into `out_dir`: sensors.csv, truth.csv, detections.csv,
// detections_truth.csv (shared/FORMATS.md), tracks.csv, alerts.csv, engagements.csv,
// threats.csv, units.csv and summary.json (docs/RUN.md), release/<PARTY>/ when
// options.release_keys is set, and audit.log when options.audit is set. Each file appears under
// its final name only when complete.
[[nodiscard]] Result<RunResult> run_engagements(RunInput input, const RunOptions& options,
                                                const std::filesystem::path& out_dir);

}  // namespace jrads::run
