#include "run/test_files.hpp"
#include "jrads/run/engagement_run.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "jrads/core/rng.hpp"
#include "jrads/metrics/csv_input.hpp"
#include "jrads/metrics/metrics.hpp"
#include "jrads/picture/csv_reader.hpp"
#include "jrads/picture/track_csv.hpp"
#include "jrads/run/run_output.hpp"
#include "jrads/scenario/scenario.hpp"
#include "jrads/security/audit.hpp"
#include "jrads/security/sealed_file.hpp"
#include "jrads/sim/csv_output.hpp"

namespace jrads::run {
namespace {

namespace fs = std::filesystem;
using test_files::fresh_dir;
using test_files::read_file;

scenario::Scenario default_scenario() {
  scenario::ParseOutcome p = scenario::parse_scenario(scenario::default_scenario_yaml(), "<default>");
  EXPECT_TRUE(p.errors.empty());
  return std::move(*p.scenario);
}

RunInput input_of(const scenario::Scenario& s) {
  auto terrain = world::make_terrain(s.terrain);
  EXPECT_TRUE(terrain.has_value());
  auto in = input_from_scenario(s, std::move(*terrain));
  EXPECT_TRUE(in.has_value()) << (in ? "" : in.error().message);
  return std::move(*in);
}

RunOptions seeded(std::uint64_t seed) {
  RunOptions o;
  o.seed = seed;
  return o;
}

std::vector<std::vector<std::string>> read_csv_text(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> fields;
    std::string field;
    std::istringstream ls(line);
    while (std::getline(ls, field, ',')) fields.push_back(field);
    if (!line.empty() && line.back() == ',') fields.emplace_back();
    rows.push_back(std::move(fields));
  }
  return rows;
}

std::vector<std::vector<std::string>> read_csv(const fs::path& p) { return read_csv_text(read_file(p)); }

const char* kFiles[] = {"sensors.csv", "truth.csv",       "detections.csv", "detections_truth.csv", "tracks.csv",
                        "alerts.csv",  "engagements.csv", "threats.csv",    "units.csv",            "summary.json"};

// The default scenario, closed loop: the chain defends (kills by truth), never engages a civil
// or friendly aircraft, and its record holds together: every launch follows an approval of the
// same engagement (and an order, unless automatic), every kill is of a hostile platform, and
// summary.json says what the result says.
TEST(EngagementRun, DefaultScenarioDefendsWithoutEngagingCivilOrFriendlyAircraft) {
  const scenario::Scenario s = default_scenario();
  const fs::path dir = fresh_dir("run-default");
  auto r = run_engagements(input_of(s), seeded(s.seed), dir);
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->civil_engaged, 0);
  EXPECT_EQ(r->fratricide, 0);
  EXPECT_EQ(r->threats, 15);
  EXPECT_GE(r->killed, 1);
  EXPECT_GE(r->rounds_used, r->killed);
  for (const char* f : kFiles) EXPECT_TRUE(fs::exists(dir / f)) << f;

  std::set<std::string> hostile;
  for (const auto& p : s.world.platforms) {
    if (p.category == world::Category::hostile) hostile.insert(p.id);
  }
  const auto rows = read_csv(dir / "engagements.csv");
  ASSERT_GE(rows.size(), 2U);
  EXPECT_EQ(read_file(dir / "engagements.csv").substr(0, std::string(kEngagementsHeader).size()), kEngagementsHeader);
  std::map<std::string, std::set<std::string>> seen;  // engagement -> events so far
  int launches = 0, kills = 0;
  double last_time = -1.0;
  for (std::size_t k = 1; k < rows.size(); ++k) {
    const auto& row = rows[k];
    ASSERT_EQ(row.size(), 16U) << "line " << k + 1;
    const double t = std::stod(row[0]);
    EXPECT_GE(t, last_time) << "rows are in time order, line " << k + 1;
    last_time = t;
    const std::string& event = row[1];
    const std::string& id = row[2];
    if (event == "launch") {
      ++launches;
      EXPECT_TRUE(seen[id].count("approval")) << "launch of engagement " << id << " without an approval";
      EXPECT_TRUE(seen[id].count("order") || row[15].find("automatic engagement") != std::string::npos) << id;
    }
    if (event == "outcome" && row[12] == "killed") {
      ++kills;
      EXPECT_TRUE(hostile.count(row[13])) << "killed " << row[13];
    }
    if (!id.empty()) seen[id].insert(event);
  }
  EXPECT_EQ(launches, r->rounds_used);
  EXPECT_EQ(kills, r->killed);

  const nlohmann::json j = nlohmann::json::parse(read_file(dir / "summary.json"));
  EXPECT_EQ(j.at("seed").get<std::uint64_t>(), s.seed);
  EXPECT_EQ(j.at("civil_engaged").get<int>(), 0);
  EXPECT_EQ(j.at("fratricide").get<int>(), 0);
  EXPECT_EQ(j.at("killed").get<int>(), r->killed);
  EXPECT_EQ(j.at("leakers").get<int>(), r->leakers);
  EXPECT_EQ(j.at("rounds_used").get<int>(), r->rounds_used);
  EXPECT_EQ(j.at("assets_hit").size(), r->assets_hit.size());
  // Every round flew through its unit's gate, on an order it held: each order held once, none
  // refused or repeated, and no round refused.
  const nlohmann::json& g = j.at("fire_unit_gates");
  int orders = 0;
  for (std::size_t k = 1; k < rows.size(); ++k) orders += rows[k][1] == "order" ? 1 : 0;
  EXPECT_GT(orders, 0);
  EXPECT_EQ(g.at("orders_held").get<int>(), orders);
  EXPECT_EQ(g.at("rounds_fired").get<int>(), r->rounds_used);
  EXPECT_EQ(g.at("orders_duplicated").get<int>(), 0);
  EXPECT_EQ(g.at("orders_refused").get<int>(), 0);
  EXPECT_EQ(g.at("launches_refused").get<int>(), 0);
}

// Same seed, same bytes in every file; another seed changes the sensors' reports.
TEST(EngagementRun, SameSeedGivesTheSameBytes) {
  scenario::Scenario s = default_scenario();
  s.duration_s = 2000.0;  // the first raid's engagements
  const fs::path a = fresh_dir("run-seed-a"), b = fresh_dir("run-seed-b"), c = fresh_dir("run-seed-c");
  // The audit log too, signed by the same (seeded) keys: Ed25519 signatures are deterministic.
  auto with_audit = [](std::uint64_t seed) {
    std::array<std::uint8_t, 32> k1{}, k2{};
    k1.fill(1);
    k2.fill(2);
    RunOptions o = seeded(seed);
    o.audit = AuditSigners{{"KAL-C2", "KAL", security::SigningKey::from_seed(k1)},
                           {"MOR-C2", "MOR", security::SigningKey::from_seed(k2)}};
    security::SymmetricKey kal, mor;  // the releases too, sealed with synthetic nonces
    for (auto& byte : kal.bytes()) byte = 3;
    for (auto& byte : mor.bytes()) byte = 4;
    o.release_keys = std::map<std::string, security::SymmetricKey>{{"KAL", kal}, {"MOR", mor}};
    return o;
  };
  ASSERT_TRUE(run_engagements(input_of(s), with_audit(11), a).has_value());
  ASSERT_TRUE(run_engagements(input_of(s), with_audit(11), b).has_value());
  ASSERT_TRUE(run_engagements(input_of(s), with_audit(12), c).has_value());
  for (const char* f : kFiles) EXPECT_EQ(read_file(a / f), read_file(b / f)) << f;
  EXPECT_EQ(read_file(a / "audit.log"), read_file(b / "audit.log"));
  for (const char* f : {"release/KAL/tracks.csv.sealed", "release/MOR/tracks.csv.sealed", "release/MOR/engagements.csv.sealed"})
    EXPECT_TRUE(read_file(a / f) == read_file(b / f)) << f;
  EXPECT_NE(read_file(a / "audit.log"), read_file(c / "audit.log"));
  EXPECT_NE(read_file(a / "detections.csv"), read_file(c / "detections.csv"));
  EXPECT_GT(read_csv(a / "engagements.csv").size(), 1U);
}

// The run's egress: with data keys, every track row and every event goes through the release
// gate for each party's node (allowed + refused = rows, for each party), KAL's node (the lead,
// whose picture it is) receives the whole picture, MOR's the rows not touched by KAL's national
// radar KAL-R3; the audit log records each distinct decision and the sealed files' hashes.
TEST(EngagementRun, EveryRowLeavesThroughTheReleaseGate) {
  scenario::Scenario s = default_scenario();
  s.duration_s = 1500.0;
  const fs::path dir = fresh_dir("run-release");
  RunOptions o = seeded(3);
  std::array<std::uint8_t, 32> k1{}, k2{};
  k1.fill(1);
  k2.fill(2);
  o.audit = AuditSigners{{"KAL-C2", "KAL", security::SigningKey::from_seed(k1)},
                         {"MOR-C2", "MOR", security::SigningKey::from_seed(k2)}};
  security::SymmetricKey kal_key, mor_key;
  for (auto& b : kal_key.bytes()) b = 11;
  for (auto& b : mor_key.bytes()) b = 22;
  o.release_keys = std::map<std::string, security::SymmetricKey>{{"KAL", kal_key}, {"MOR", mor_key}};
  auto r = run_engagements(input_of(s), o, dir);
  ASSERT_TRUE(r.has_value()) << r.error().to_string();
  const std::string tracks = read_file(dir / "tracks.csv");
  auto rows_of = [](const std::string& text) {
    return static_cast<std::uint64_t>(std::count(text.begin(), text.end(), '\n') - 1);  // less the header
  };
  const std::uint64_t track_rows = rows_of(tracks);
  const std::uint64_t event_rows = rows_of(read_file(dir / "engagements.csv"));
  const std::uint64_t threat_rows = rows_of(read_file(dir / "threats.csv"));
  const std::uint64_t alert_rows = rows_of(read_file(dir / "alerts.csv"));
  const std::uint64_t unit_rows = rows_of(read_file(dir / "units.csv"));
  EXPECT_GT(threat_rows, 0u);
  EXPECT_GT(alert_rows, 0u);
  EXPECT_GT(unit_rows, 3u);  // every unit at the start, and again as it fires
  // Each party's node, then the log's reader (the lead party's staff by default).
  ASSERT_EQ(r->releases.size(), 3u);
  for (int k = 0; k < 2; ++k) {
    const auto& x = r->releases[k];
    EXPECT_EQ(x.allowed + x.refused, track_rows + event_rows + threat_rows + alert_rows + unit_rows) << x.receiver;
  }
  EXPECT_EQ(r->releases[2].receiver, "log read by KAL");
  EXPECT_EQ(r->releases[2].allowed + r->releases[2].refused, alert_rows);  // every alert asked the log's gate
  EXPECT_EQ(r->releases[2].refused, 0u);
  auto open = [&](const fs::path& p, const security::SymmetricKey& k) {
    auto o2 = security::read_sealed(p, k);
    EXPECT_TRUE(o2.has_value()) << (o2 ? "" : o2.error().to_string());
    return o2 ? std::string(o2->plaintext.begin(), o2->plaintext.end()) : std::string();
  };
  // The lead party may have everything: its files are the run's.
  for (const auto& x : r->releases) EXPECT_EQ(x.refused == 0, x.party == "KAL") << x.receiver;
  for (const char* f : {"tracks.csv", "engagements.csv", "threats.csv", "alerts.csv", "units.csv"})
    EXPECT_TRUE(open(dir / "release/KAL" / (std::string(f) + ".sealed"), kal_key) == read_file(dir / f)) << f;  // (not printed: megabytes)
  const std::string mor = open(dir / "release/MOR/tracks.csv.sealed", mor_key);
  std::set<std::string> picture_rows;
  {
    std::istringstream all(tracks);
    std::string row;
    while (std::getline(all, row)) picture_rows.insert(row);
  }
  std::istringstream in(mor);
  std::string line;
  std::uint64_t mor_rows = 0;
  std::getline(in, line);
  while (std::getline(in, line)) {
    ++mor_rows;
    ASSERT_EQ(picture_rows.count(line), 1u) << line;  // a row of the picture, unchanged
  }
  EXPECT_GT(mor_rows, 0u);
  EXPECT_LT(mor_rows, track_rows);  // KAL-R3's tracks stay KAL's
  // MOR has no need-to-know for SENSORS: no alert of its names a sensor, none is about a radar
  // alone, and only spoofing alerts (which tell of a receiver) were stripped besides track rows.
  const auto mor_alerts = read_csv_text(open(dir / "release/MOR/alerts.csv.sealed", mor_key));
  std::uint64_t mor_spoofing = 0;
  for (std::size_t i = 1; i < mor_alerts.size(); ++i) {
    EXPECT_EQ(mor_alerts[i].at(3), "") << i;
    EXPECT_NE(mor_alerts[i].at(1), "radar_bias") << i;
    mor_spoofing += mor_alerts[i].at(1) == "adsb_spoofing";
  }
  // MOR's events, threats and unit status are those it may have, unchanged (none carries SENSORS).
  const std::string mor_events = open(dir / "release/MOR/engagements.csv.sealed", mor_key);
  const std::string mor_threats = open(dir / "release/MOR/threats.csv.sealed", mor_key);
  const std::string mor_units = open(dir / "release/MOR/units.csv.sealed", mor_key);
  EXPECT_TRUE(mor_units == read_file(dir / "units.csv"));  // both parties' units' status is shared
  EXPECT_EQ(r->releases[1].stripped, mor_rows + mor_spoofing);
  EXPECT_EQ(r->releases[1].allowed - r->releases[1].stripped,
            rows_of(mor_events) + rows_of(mor_threats) + rows_of(mor_units) + (mor_alerts.size() - 1 - mor_spoofing));
  EXPECT_LE(rows_of(mor_events), event_rows);
  EXPECT_LT(rows_of(mor_threats), threat_rows);  // threats to KAL-R3's tracks stay KAL's
  // The audit log: one record per distinct decision, the sealed files among the outputs.
  const std::string audit = read_file(dir / "audit.log");
  const auto contents = security::parse_audit(audit).value();
  std::uint64_t release_records = 0, decisions = 0;
  bool sealed_recorded = false;
  for (const auto& rec : contents.records) {
    release_records += rec.kind == "release";
    if (rec.kind == "output" && rec.body.rfind("file release/MOR/tracks.csv.sealed sha256 ", 0) == 0) sealed_recorded = true;
  }
  for (const auto& x : r->releases) decisions += x.decisions;
  EXPECT_EQ(release_records, decisions);
  EXPECT_TRUE(sealed_recorded);
}

TEST(EngagementRun, ALogReaderOutsideTheScenarioIsRefused) {
  RunOptions o = seeded(1);
  o.log_reader = "ZZ";
  auto r = run_engagements(input_of(default_scenario()), o, fresh_dir("run-log-reader"));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message, "log reader 'ZZ' is not a party of the scenario");
}

// With no rounds to fire the world is never touched: the run's FORMATS files are those of a
// plain simulation (60 s windows there, 1 s here), and its tracks.csv is what a tracker reading
// those files writes — the in-process picture sees exactly what the files hold.
TEST(EngagementRun, WithoutRoundsTheFilesAreThoseOfSimulateThenTrack) {
  scenario::Scenario s = default_scenario();
  s.duration_s = 900.0;
  for (auto& f : s.fire_units) f.missiles = 0;
  const fs::path run_dir = fresh_dir("run-no-rounds");
  RunInput in = input_of(s);
  const picture::TrackerParams tracker_params = in.tracker;
  sim::SimulationInput sim_input = in.sim;
  ASSERT_TRUE(run_engagements(std::move(in), seeded(5), run_dir).has_value());

  const fs::path sim_dir = fresh_dir("run-no-rounds-sim");
  {
    auto csv = sim::CsvOutput::open(sim_dir);
    ASSERT_TRUE(csv.has_value());
    sim::SimulationOptions so;
    so.seed = 5;
    std::vector<sim::SimulationSink*> sinks{csv->get()};
    sim::run_simulation(std::move(sim_input), so, sinks);
    ASSERT_TRUE((*csv)->commit().has_value());
  }
  for (const char* f : {"sensors.csv", "truth.csv", "detections.csv", "detections_truth.csv"}) {
    EXPECT_EQ(read_file(run_dir / f), read_file(sim_dir / f)) << f;
  }
  auto sites = picture::read_sensors_csv(sim_dir / "sensors.csv");
  ASSERT_TRUE(sites.has_value());
  auto reader = picture::DetectionReader::open(sim_dir / "detections.csv", *sites);
  ASSERT_TRUE(reader.has_value());
  picture::Tracker tracker(*sites, tracker_params);
  picture::Report report;
  while (true) {
    auto more = reader->next(report);
    ASSERT_TRUE(more.has_value());
    if (!*more) break;
    tracker.add(report);
  }
  tracker.finish();
  auto writer = picture::TrackCsvWriter::open(sim_dir / "tracks.csv");
  ASSERT_TRUE(writer.has_value());
  writer->write(tracker.take_rows());
  ASSERT_TRUE(writer->commit().has_value());
  EXPECT_EQ(read_file(run_dir / "tracks.csv"), read_file(sim_dir / "tracks.csv"));
  const auto rows = read_csv(run_dir / "engagements.csv");
  for (std::size_t k = 1; k < rows.size(); ++k) EXPECT_NE(rows[k][1], "launch");
}

// The default raids replaced by random ones: cruise missiles, drones and fighters from the
// north towards random defended assets, at random times (seeded).
void randomise_raids(scenario::Scenario& s, std::uint64_t seed) {
  std::vector<world::PlatformParams> keep, templates;
  for (const auto& p : s.world.platforms) {
    if (p.category != world::Category::hostile) {
      keep.push_back(p);
    } else if (p.id == "H-CM1" || p.id == "H-D1" || p.id == "H-F1") {
      templates.push_back(p);
    }
  }
  ASSERT_EQ(templates.size(), 3U);
  RngStream rng = Rng(seed).stream("test/raids");
  const auto& assets = s.world.defended_assets;
  for (int k = 0; k < 12; ++k) {
    world::PlatformParams p = templates[static_cast<std::size_t>(rng.uniform(0.0, 3.0)) % 3];
    p.id = "H-R" + std::to_string(k);
    p.callsign.clear();
    p.start_time_s = rng.uniform(300.0, 1500.0);
    const auto& a = assets[static_cast<std::size_t>(rng.uniform(0.0, static_cast<double>(assets.size()))) % assets.size()];
    world::Waypoint w0 = p.route.front(), w1 = p.route.front(), w2 = p.route.back();
    w0.lat_deg = 46.2;
    w0.lon_deg = rng.uniform(18.0, 22.0);
    w1.lat_deg = rng.uniform(44.9, 45.5);
    w1.lon_deg = rng.uniform(18.6, 21.6);
    w2.lat_deg = a.lat_deg;
    w2.lon_deg = a.lon_deg;
    p.route = {w0, w1, w2};
    keep.push_back(std::move(p));
  }
  s.world.platforms = std::move(keep);
}

// Mission R6 / the civil interlock: every track that truth says is a civil or friendly
// aircraft is refused, whoever orders it with whichever unit — in the default scenario and in
// randomised raids. Each inspected order is also asked why: most refusals carry the
// interlock's own rule (the others are refused by the ROE or authority before it matters).
void expect_civil_and_friendly_refused(scenario::Scenario s, std::uint64_t seed, double every_s,
                                       PictureMode mode = PictureMode::central) {
  RunInput in = input_of(s);
  std::vector<std::string> roles;
  for (const auto& r : in.chain.roles) roles.push_back(r.id);
  std::vector<std::string> units;
  for (const auto& u : in.units) units.push_back(u.unit.id);
  int checked = 0, by_interlock = 0, tracks_seen = 0;
  double next_s = 0.0;
  RunOptions options = seeded(seed);
  options.picture = mode;
  options.inspect = [&](SimTime now, const node::CommandPost& post, std::span<const node::PictureTrack> picture,
                        const world::World& world) {
    if (now.s() < next_s) return;
    next_s = now.s() + every_s;
    for (const node::PictureTrack& t : picture) {
      // The truth under the track: the nearest platform within 1.5 km at the row's time.
      const Eigen::Vector3d pos = ecef_from_geodetic(t.row.pos).vec();
      int best = -1;
      double best_m = 1500.0;
      for (std::uint32_t i = 0; i < world.platform_count(); ++i) {
        const auto st = world.state_at(PlatformIndex(i), t.row.time);
        if (!st) continue;
        const double d = (st->pos_ecef.vec() - pos).norm();
        if (d < best_m) {
          best_m = d;
          best = static_cast<int>(i);
        }
      }
      if (best < 0) continue;
      const world::Category c = world.platform(PlatformIndex(static_cast<std::uint32_t>(best))).category;
      if (c == world::Category::hostile) continue;
      ++tracks_seen;
      for (const std::string& role : roles) {
        for (const std::string& unit : units) {
          const auto events = post.try_order(now, role, unit, t);
          ASSERT_EQ(events.size(), 1U);
          ++checked;
          EXPECT_EQ(events[0].kind, node::EventKind::refusal)
              << role << " ordered " << unit << " to engage track " << t.row.track_number << " ("
              << world.platform(PlatformIndex(static_cast<std::uint32_t>(best))).id << ") at t=" << now.s() << " identity " << picture::to_string(t.row.identity) << " evidence " << (t.evidence ? t.evidence->log().size() : 0U) << ": " << events[0].reasons;
          for (const std::string& rule : events[0].rules) {
            if (rule.rfind("interlock:", 0) == 0) {
              ++by_interlock;
              break;
            }
          }
        }
      }
    }
  };
  const fs::path dir = fresh_dir("run-civil-" + std::to_string(seed) + "-" + to_string(mode));
  auto r = run_engagements(std::move(in), options, dir);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->civil_engaged, 0);
  EXPECT_EQ(r->fratricide, 0);
  EXPECT_GT(tracks_seen, 100);
  EXPECT_GE(by_interlock, checked * 99 / 100) << by_interlock << " of " << checked;
  ::testing::Test::RecordProperty("orders_checked", checked);
  ::testing::Test::RecordProperty("refused_by_interlock", by_interlock);
  std::printf("orders checked %d, refused by the interlock %d, civil/friendly track views %d\n", checked, by_interlock, tracks_seen);
}

TEST(EngagementRun, EveryCivilAndFriendlyTrackIsRefusedWhoeverOrdersItInTheDefaultScenario) {
  expect_civil_and_friendly_refused(default_scenario(), 20260615, 30.0);
}

// The same on the regional picture: the national pictures fused track to track, each regional
// track's evidence the merge of its members' and its identity the most protective.
TEST(EngagementRun, EveryCivilAndFriendlyTrackIsRefusedWhoeverOrdersItOnTheRegionalPicture) {
  expect_civil_and_friendly_refused(default_scenario(), 20260615, 30.0, PictureMode::regional);
}

// The tolerances docs/FEDERATION.md states between the regional picture (national pictures
// fused track to track) and the central one (one tracker of every sensor), on the default
// scenario: the same truth, no civil or friendly aircraft engaged by either, kills within 2 and
// leakers within 1; the picture's OSPA within 10 % and its completeness within 0.02.
TEST(EngagementRun, RegionalPictureAgreesWithTheCentralOneWithinTolerances) {
  const scenario::Scenario s = default_scenario();
  struct Outcome {
    RunResult result;
    metrics::MetricsReport picture;
  };
  const auto run = [&](PictureMode mode) {
    const fs::path dir = fresh_dir(std::string("run-picture-") + to_string(mode));
    RunOptions o = seeded(s.seed);
    o.picture = mode;
    auto r = run_engagements(input_of(s), o, dir);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    auto truth = metrics::read_truth_csv(dir / "truth.csv");
    auto tracks = metrics::read_tracks_csv(dir / "tracks.csv");
    EXPECT_TRUE(truth.has_value() && tracks.has_value());
    auto m = metrics::compute_metrics(*truth, *tracks, metrics::MetricsParams{}, nullptr);
    EXPECT_TRUE(m.has_value());
    return Outcome{*r, *m};
  };
  const Outcome central = run(PictureMode::central), regional = run(PictureMode::regional);
  for (const Outcome* o : {&central, &regional}) {
    EXPECT_EQ(o->result.civil_engaged, 0);
    EXPECT_EQ(o->result.fratricide, 0);
    EXPECT_EQ(o->picture.identity.civil_declared_hostile, 0);
  }
  EXPECT_EQ(regional.result.threats, central.result.threats);
  EXPECT_LE(std::abs(regional.result.killed - central.result.killed), 2);
  EXPECT_LE(std::abs(regional.result.leakers - central.result.leakers), 1);
  EXPECT_LE(regional.picture.ospa_m, 1.10 * central.picture.ospa_m);
  EXPECT_GE(regional.picture.siap.completeness, central.picture.siap.completeness - 0.02);
  std::printf("central: killed %d leakers %d OSPA %.1f m completeness %.4f tracks %lld\n", central.result.killed,
              central.result.leakers, central.picture.ospa_m, central.picture.siap.completeness,
              static_cast<long long>(central.picture.tracks));
  std::printf("regional: killed %d leakers %d OSPA %.1f m completeness %.4f tracks %lld\n", regional.result.killed,
              regional.result.leakers, regional.picture.ospa_m, regional.picture.siap.completeness,
              static_cast<long long>(regional.picture.tracks));
}

TEST(EngagementRun, EveryCivilAndFriendlyTrackIsRefusedWhoeverOrdersItInRandomisedRaids) {
  for (std::uint64_t seed : {101U, 202U, 303U}) {
    scenario::Scenario s = default_scenario();
    randomise_raids(s, seed);
    s.duration_s = 2400.0;
    expect_civil_and_friendly_refused(s, seed, 60.0);
  }
}

// A scenario that is not a run: a fire unit's linked sensor that the run does not have.
TEST(EngagementRun, InputErrorsNameTheCulprit) {
  scenario::Scenario s = default_scenario();
  s.fire_units[0].site = "nowhere";
  auto terrain = world::make_terrain(s.terrain);
  ASSERT_TRUE(terrain.has_value());
  auto in = input_from_scenario(s, std::move(*terrain));
  ASSERT_FALSE(in.has_value());
  EXPECT_NE(in.error().message.find("FU-KAL-1"), std::string::npos) << in.error().message;
  EXPECT_NE(in.error().message.find("nowhere"), std::string::npos) << in.error().message;
}

}  // namespace
}  // namespace jrads::run
