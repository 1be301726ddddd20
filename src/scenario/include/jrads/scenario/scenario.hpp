#pragma once
// The scenario file (YAML, docs/SCENARIO.md) parsed and validated into the Params types of
// the domain modules. This is an adapter: world and sensors never include it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "jrads/command/airspace.hpp"
#include "jrads/command/authority.hpp"
#include "jrads/core/result.hpp"
#include "jrads/engage/intercept.hpp"
#include "jrads/node/node_params.hpp"
#include "jrads/security/label.hpp"
#include "jrads/sensors/sensor_params.hpp"
#include "jrads/world/terrain.hpp"
#include "jrads/world/world.hpp"

namespace jrads::scenario {

// Article 6 of the agreement: one party coordinates the joint actions, the others direct
// their own forces.
enum class PartyRole : std::uint8_t { coordinating, directing };

struct Party {
  std::string id;
  std::string name;
  PartyRole role = PartyRole::directing;
  std::string commander;  // e.g. "Air Force Commander-in-Chief"; free text
  bool host = false;      // the party on whose territory the joint system stands
};

// The agreement's dates, for later issues (sharing and authority follow its state).
// A party's notice of termination of the agreement.
struct TerminationNotice {
  std::string party;  // a party id
  std::string date;   // YYYY-MM-DD, the day it was given
};

struct Agreement {
  std::string signature_date;  // ISO 8601 date, YYYY-MM-DD, validated as a real calendar date
  int term_years = 5;
  bool automatic_renewal = true;
  int notice_months = 6;
  std::vector<TerminationNotice> notices;
  // Each party's own classification words on the common scale (security::EquivalenceTable).
  std::vector<security::NationalLevel> classification_equivalence;
};

enum class SiteKind : std::uint8_t { air_base, mountain, other };

struct Site {
  std::string id;
  std::string name;
  SiteKind kind = SiteKind::other;
  world::LatLon position;
  std::vector<world::LatLon> plot;  // the joint system's plot, a simple polygon (may be empty)
  double plot_area_m2 = 0.0;        // computed on the ellipsoid (GeographicLib) from plot
};

// An area a track's origin in which counts as hostile behaviour for identification (territory
// beyond a border, say): a simple polygon.
struct OriginArea {
  std::string id;
  std::string name;
  std::vector<world::LatLon> polygon;
};

// A fire unit: notional envelope (the type's defaults, docs/ENGAGE.md, with any overrides),
// interceptors and simultaneous engagements. The envelope's site position is set in the
// region frame by whoever builds the engagement picture (the scenario has latitude/longitude).
struct FireUnit {
  std::string id;
  std::string party;
  std::string site;
  engage::FireUnitEnvelope envelope;
  int missiles = 8;  // interceptors ready to fire
  int channels = 2;  // simultaneous engagements
  std::vector<std::string> mezs;            // missile_engagement_zone ids it is assigned (the ROE then
                                            // requires the intercept inside one); empty: none
  std::vector<std::string> linked_sensors;  // ids of radars (either party) giving it fire-control data
  double ready_from_s = 0.0;                // not ready before this simulation time, >= 0
};

struct Scenario {
  std::string name;
  std::string description;
  std::uint64_t seed = 1;          // default seed when the command line gives none
  double duration_s = 3600.0;
  std::string date;                // day of the simulated period, YYYY-MM-DD; may be empty
  std::vector<Party> parties;
  Agreement agreement;
  std::vector<Site> sites;
  world::TerrainParams terrain;
  std::vector<sensors::SensorParams> sensors;
  sensors::AdsbBroadcastParams adsb;
  world::WorldParams world;        // platforms, defended assets, duration
  std::vector<FireUnit> fire_units;
  std::vector<OriginArea> hostile_origin_areas;
  // The chain of command and the airspace (validated with the command module's own checks).
  std::vector<command::Role> roles;
  std::vector<command::Delegation> delegations;
  std::vector<command::ZoneParams> zones;
  std::vector<command::WcsSetting> weapons_control;
  command::Wcs default_wcs = command::Wcs::tight;
  // The closed engagement loop (jrads/node/node_params.hpp): simulated operators, automatic
  // engagement delegated to units, and the doctrine.
  std::vector<node::OperatorParams> operators;
  std::vector<node::AutoEngagement> auto_engagements;
  node::EngagementRules engagement;
};

// Every problem found, each with file, line, column, key path and a message that says what
// is wrong and what is allowed. Empty errors <=> scenario present.
struct ParseOutcome {
  std::optional<Scenario> scenario;
  std::vector<Error> errors;
};

// Largest scenario text accepted (bytes).
inline constexpr std::size_t max_scenario_bytes = std::size_t{16} << 20;

// Parses YAML text; file_name is used in error locations only. Relative file paths inside the
// scenario (terrain.path) are resolved against base_dir, or left as written when it is empty.
// Never throws; at most about 100 errors are returned.
[[nodiscard]] ParseOutcome parse_scenario(std::string_view yaml_text, std::string_view file_name,
                                          std::string_view base_dir = {});
// Reads and parses a file (errors when it cannot be read, is empty, is larger than
// max_scenario_bytes or is not valid UTF-8 text); relative paths inside resolve against the
// file's directory.
[[nodiscard]] ParseOutcome load_scenario(const std::string& path);
// The embedded default scenario (scenarios/default.yaml compiled in).
[[nodiscard]] std::string_view default_scenario_yaml() noexcept;
// A one-screen human summary: parties and roles, sites, terrain, sensor counts per type and
// party, fire units with type and party, operators and automatic engagements, platforms per
// category and kind, duration.
[[nodiscard]] std::string summary(const Scenario& s);

}  // namespace jrads::scenario
