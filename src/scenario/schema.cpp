#include "schema_impl.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <tuple>
#include <filesystem>
#include <functional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <variant>

#include "jrads/command/agreement.hpp"
#include "jrads/core/geodesy.hpp"
#include "jrads/core/units.hpp"
#include "jrads/scenario/agreement.hpp"
#include "jrads/scenario/kind_defaults.hpp"
#include "jrads/scenario/polygon.hpp"
#include "jrads/security/item_label.hpp"

namespace jrads::scenario::detail {
namespace {

using world::LatLon;
using world::PlatformKind;
using Keys = std::vector<std::string_view>;

// --- value ranges (docs/SCENARIO.md repeats them) ---------------------------------------------
constexpr double max_duration_s = 7.0 * 86400.0;
constexpr double max_time_s = 1e9;
const Range lat_range{-90.0, 90.0};
const Range lon_range{-180.0, 180.0};
const Range height_range{-500.0, 9000.0};   // terrain heights
const Range alt_range{-500.0, 30000.0};     // platform altitude above the ellipsoid
const Range agl_range{0.0, 30000.0, true};  // height above terrain (> 0)
const Range speed_range{0.0, 2000.0, true};
const Range time_range{0.0, max_time_s};
const Range probability{0.0, 1.0};
const Range k_factor_range{0.0, 10.0, true};
// 1 ms at least: the scan must be many nanoseconds long for the beam timing to mean anything.
const Range scan_period_range{0.001, 600.0};
const Range azimuth_range{0.0, 360.0, false, true};
const Range sensor_range_m{0.0, 2.0e6, true};
const Range antenna_agl_range{0.0, 1000.0};
const Range rcs_range{-60.0, 60.0};
const Range offset_range{-1.0e6, 1.0e6};
constexpr double max_site_plot_distance_m = 20000.0;
constexpr double max_terrain_cells = 16.0e6;
constexpr double max_terrain_span_deg = 20.0;
constexpr std::size_t max_ridges = 64;
constexpr std::size_t max_valleys = 256;
constexpr std::size_t max_ridge_points = 256;

const Keys top_keys = {"version", "name", "description", "seed", "duration_s", "truth_step_s", "date", "parties",
                       "agreement", "sites", "terrain", "adsb", "sensors", "defended_assets", "airways", "flights",
                       "platforms", "raids", "fire_units", "hostile_origin_areas", "roles", "delegations",
                       "airspace", "engagement", "operators", "auto_engagements"};
const Keys party_keys = {"id", "name", "role", "commander", "host"};
const Keys agreement_keys = {"signature_date", "term_years", "automatic_renewal", "notice_months", "notices",
                             "classification_equivalence"};
const Keys equivalence_keys = {"party", "name", "level"};
const Keys level_words = {"unclassified", "restricted", "confidential", "secret", "top_secret"};
const Keys notice_keys = {"party", "date"};
const Keys site_keys = {"id", "name", "kind", "position", "plot"};
const Keys terrain_types = {"flat", "synthetic", "dem"};
const Keys flat_keys = {"type", "height_m"};
const Keys synthetic_keys = {"type",        "seed",          "south_lat_deg", "west_lon_deg", "north_lat_deg",
                             "east_lon_deg", "resolution_m", "base_height_m", "roughness_m",  "ridges",
                             "valleys"};
const Keys dem_keys = {"type", "path"};
const Keys ridge_keys = {"axis", "half_width_m", "peak_min_m", "peak_max_m"};
const Keys valley_keys = {"from", "to", "half_width_m", "floor_m"};
const Keys adsb_keys = {"mean_interval_s", "jitter_s", "sigma_alt_m"};
const Keys sensor_types = {"radar", "iff", "adsb_receiver"};
const Keys radar_keys = {"id",
                         "type",
                         "party",
                         "site",
                         "position",
                         "height_agl_m",
                         "band",
                         "scan_period_s",
                         "start_azimuth_deg",
                         "reference_range_m",
                         "reference_pd",
                         "pfa",
                         "max_range_m",
                         "min_range_m",
                         "min_elevation_deg",
                         "max_elevation_deg",
                         "sigma_range_m",
                         "sigma_azimuth_deg",
                         "sigma_elevation_deg",
                         "range_resolution_m",
                         "azimuth_resolution_deg",
                         "clutter_per_scan",
                         "k_factor",
                         "registration",
                         "classification",
                         "releasable_to"};
const Keys iff_keys = {"id",          "type",           "party",         "site",
                       "position",    "height_agl_m",   "scan_period_s", "start_azimuth_deg",
                       "max_range_m", "p_miss",         "p_garble",      "sigma_range_m",
                       "sigma_azimuth_deg", "sigma_elevation_deg", "k_factor", "classification", "releasable_to"};
const Keys adsb_rx_keys = {"id", "type", "party", "site", "position", "height_agl_m", "max_range_m", "p_receive",
                           "k_factor", "classification", "releasable_to"};
const Keys registration_keys = {"azimuth_bias_deg", "range_bias_m", "clock_offset_s"};
const Keys bands = {"HF", "VHF", "UHF", "L", "S", "C", "X", "Ku", "K", "Ka"};
const Keys asset_keys = {"id", "name", "site", "position", "radius_m", "priority"};
const Keys airway_keys = {"id", "points"};
const Keys origin_area_keys = {"id", "name", "polygon"};
const Keys role_keys = {"id", "party", "kind", "unit"};
const Keys role_kind_words = {"coordinator", "air_defence_commander", "unit_commander", "fire_operator"};
const Keys delegation_keys = {"unit", "by", "zone", "from_s", "until_s", "threat"};
const Keys threat_words = {"any", "aircraft", "cruise_missile", "drone", "ballistic_missile"};
const Keys airspace_keys = {"default_wcs", "zones", "weapons_control"};
const Keys zone_keys = {"id", "kind", "polygon", "centreline", "airway", "half_width_m", "min_alt_m", "max_alt_m"};
const Keys zone_kind_words = {"no_fire_area", "safe_corridor", "missile_engagement_zone", "fighter_engagement_zone",
                              "control_area"};
const std::vector<command::ZoneKind> zone_kind_values = {
    command::ZoneKind::no_fire_area, command::ZoneKind::safe_corridor, command::ZoneKind::missile_engagement_zone,
    command::ZoneKind::fighter_engagement_zone, command::ZoneKind::control_area};
const Keys wcs_keys = {"zone", "party", "status"};
const Keys wcs_words = {"free", "tight", "hold"};
const Keys flight_keys = {"id",          "callsign", "kind",   "airway",  "reverse",  "flight_level",
                          "alt_m",       "speed_mps", "start_time_s", "icao", "squawk", "adsb_out",
                          "nacp",        "mode3_on", "rcs_dbsm", "swerling", "performance"};
const Keys platform_keys = {"id",    "callsign", "category", "kind",        "start_time_s", "speed_mps",
                            "alt_m", "agl_m",    "route",    "performance", "rcs_dbsm",     "swerling",
                            "transponder", "spoof"};
const Keys raid_platform_keys = {"id",    "callsign", "category", "kind",        "start_offset_s", "speed_mps",
                                 "alt_m", "agl_m",    "route",    "performance", "rcs_dbsm",       "swerling",
                                 "transponder", "spoof"};
const Keys raid_keys = {"id", "name", "start_time_s", "platforms"};
const Keys waypoint_keys = {"lat_deg", "lon_deg", "alt_m", "agl_m", "speed_mps"};
const Keys performance_keys = {"max_turn_rate_dps", "max_climb_mps", "max_accel_mps2"};
const Keys transponder_keys = {"icao", "squawk", "mode3_on", "mode5_equipped", "mode5_on", "adsb_out", "nacp"};
const Keys spoof_keys = {"icao", "squawk", "offset_east_m", "offset_north_m", "nacp"};
const Keys fire_unit_keys = {"id", "party", "site", "type", "missiles", "channels", "min_range_m", "max_range_m",
                            "min_altitude_m", "max_altitude_m", "interceptor_speed_mps", "reaction_time_s",
                            "mezs", "linked_sensors", "ready_from_s"};
const Keys fire_unit_type_words = {"long_range", "medium_range", "short_range", "point_defence"};
// Accepted and not read yet (engagement details of later work); any value.
const Keys fire_unit_reserved_keys = {"system", "launchers", "reload_time_s", "pk", "notes"};
const Keys engagement_keys = {"cycle_s", "shoot_look_shoot", "kill_assessment_s", "max_rounds_per_target"};
const Keys operator_keys = {"role", "decision_delay_s", "delay_jitter_s", "policy"};
const Keys policy_words = {"approve", "approve_hostile", "deny"};
const Keys auto_engagement_keys = {"unit", "by", "zone", "threat", "from_s", "until_s"};
// Never `any` or `aircraft`: manned aircraft and unspecified classes always need a human.
const Keys auto_threat_words = {"cruise_missile", "drone", "ballistic_missile"};
const Range operator_delay_range{0.0, 600.0};
const Range window_range{0.0, max_duration_s};  // delegation and automatic engagement windows

const Keys category_words = {"civil", "friend", "hostile"};
const std::vector<world::Category> category_values = {world::Category::civil, world::Category::friendly,
                                                      world::Category::hostile};
const Keys kind_words = {"airliner",   "business_jet",   "light_aircraft", "fighter",
                         "transport",  "helicopter",     "cruise_missile", "drone"};
const std::vector<PlatformKind> kind_values = {PlatformKind::airliner,       PlatformKind::business_jet,
                                               PlatformKind::light_aircraft, PlatformKind::fighter,
                                               PlatformKind::transport,      PlatformKind::helicopter,
                                               PlatformKind::cruise_missile, PlatformKind::drone};
const Keys civil_kind_words = {"airliner", "business_jet", "light_aircraft", "transport", "helicopter"};
const std::vector<PlatformKind> civil_kind_values = {PlatformKind::airliner, PlatformKind::business_jet,
                                                     PlatformKind::light_aircraft, PlatformKind::transport,
                                                     PlatformKind::helicopter};

Keys concat(const Keys& a, const Keys& b) {
  Keys out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// "it belongs to a radar" for every key of another sensor type.
Hints other_sensor_hints(const Keys& own) {
  Hints hints;
  const std::pair<const Keys*, const char*> kinds[] = {
      {&radar_keys, "type: radar"}, {&iff_keys, "type: iff"}, {&adsb_rx_keys, "type: adsb_receiver"}};
  for (const auto& [keys, name] : kinds) {
    for (const auto k : *keys) {
      if (std::find(own.begin(), own.end(), k) != own.end()) continue;
      if (std::any_of(hints.begin(), hints.end(), [&](const auto& h) { return h.first == k; })) continue;
      hints.emplace_back(k, std::string("it applies to sensors of ") + name);
    }
  }
  return hints;
}

// The value of a key in a mapping, looked up without checking the other keys (used to read a
// discriminator such as `type` before the allowed keys are known).
std::optional<YAML::Node> peek(const YAML::Node& map, std::string_view key) {
  if (!map.IsMap()) return std::nullopt;
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->first.IsScalar() && it->first.Scalar() == key) return YAML::Node(it->second);
  }
  return std::nullopt;
}

double distance_m(const LatLon& a, const LatLon& b) {
  return geodesic_inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg).distance_m;
}

// Two positions closer than about a metre (1e-5 deg): a leg between them has no direction.
bool same_place(const LatLon& a, const LatLon& b) noexcept {
  return std::abs(a.lat_deg - b.lat_deg) < 1e-5 && std::abs(a.lon_deg - b.lon_deg) < 1e-5;
}

struct Defined {
  std::string what;  // "sensor", "party", ...
  std::string path;
  YAML::Mark mark;
};

class Walker {
 public:
  Walker(Diagnostics& d, std::string base_dir) : d_(d), base_dir_(std::move(base_dir)) {}

  Scenario run(const YAML::Node& root);

 private:
  // --- ids and references ---
  bool define_id(const std::string& id, std::string_view what, const YAML::Node& at, const std::string& path);
  // Reads an id under key, defines it and returns it; "" when absent or invalid.
  std::string read_defined_id(MapReader& m, std::string_view what, bool required = true);
  // Reads a reference under key to an entry of table; nullptr when absent or undefined.
  const std::size_t* read_ref(MapReader& m, std::string_view key, const std::unordered_map<std::string, std::size_t>& table,
                              std::string_view what);
  const std::size_t* read_ref(const YAML::Node& v, const std::string& path,
                              const std::unordered_map<std::string, std::size_t>& table, std::string_view what);
  // Reads a sequence of references to entries of table, each listed once; returns the ids that
  // resolve and that keep accepts (keep reports why it refuses one).
  using Keep = std::function<bool(std::size_t index, const YAML::Node& item, const std::string& path)>;
  std::vector<std::string> read_ref_list(const YAML::Node& n, const std::string& path,
                                         const std::unordered_map<std::string, std::size_t>& table, std::string_view what,
                                         std::string_view items, const Keep& keep);

  // --- shapes ---
  std::optional<LatLon> read_latlon(const YAML::Node& n, const std::string& path);
  std::optional<LatLon> read_latlon(MapReader& m, std::string_view key);
  std::vector<LatLon> read_polyline(MapReader& m, std::string_view key, std::size_t min_points,
                                    std::size_t max_points, std::string_view what, bool& ok);
  std::optional<LatLon> read_place(MapReader& m, std::string_view what);  // site: or position:
  bool check_start_time(double t, const YAML::Node& at, const std::string& path);

  // --- sections ---
  void parties(const YAML::Node& n);
  void agreement(const YAML::Node& n);
  void sites(const YAML::Node& n);
  void terrain(const YAML::Node& n);
  world::SyntheticTerrainParams synthetic(MapReader& m);
  void adsb(const YAML::Node& n);
  void sensors(const YAML::Node& n);
  void antenna(MapReader& m, sensors::AntennaSite& a);
  // id, party and antenna: what every sensor type has.
  template <class SensorParamsT>
  void sensor_identity(MapReader& m, SensorParamsT& r);
  void radar(MapReader& m);
  void iff(MapReader& m);
  void adsb_receiver(MapReader& m);
  void defended_assets(const YAML::Node& n);
  void airways(const YAML::Node& n);
  void hostile_origin_areas(const YAML::Node& n);
  void roles(const YAML::Node& n);
  void delegations(const YAML::Node& n);
  void airspace(const YAML::Node& n);
  void check_chain(const YAML::Node& roles_node);
  void flights(const YAML::Node& n);
  void platforms(const YAML::Node& n);
  void raids(const YAML::Node& n);
  void fire_units(const YAML::Node& n);
  void fire_unit_zones();  // the units' mezs, once the airspace is read
  void engagement(const YAML::Node& n);
  void operators(const YAML::Node& n);
  void auto_engagements(const YAML::Node& n);
  // Why role r may not delegate unit u's automatic engagement; empty when it may.
  [[nodiscard]] std::string auto_engagement_refusal(const command::Role& r, const FireUnit& u) const;
  // "MOR's air defence commander (MOR-ADC)": the head of a party's chain of command.
  [[nodiscard]] std::string chain_head_text(const std::string& party) const;

  // --- platform parts ---
  struct RaidContext {
    double start_time_s = 0.0;
    bool valid = false;
  };
  void platform(const YAML::Node& n, const std::string& path, const RaidContext* raid);
  void performance(MapReader& m, world::Performance& perf);
  void rcs_and_swerling(MapReader& m, world::PlatformParams& p);
  int read_swerling(MapReader& m, int fallback);
  std::optional<std::uint32_t> read_icao(const YAML::Node& n, const std::string& path);
  std::optional<std::uint16_t> read_squawk(const YAML::Node& n, const std::string& path);
  void claim_icao(std::uint32_t icao, const YAML::Node& at, const std::string& path);
  void transponder(const YAML::Node& n, const std::string& path, world::Transponder& t);
  void spoof(const YAML::Node& n, const std::string& path, world::PlatformParams& p);
  bool callsign(MapReader& m, std::string& out);

  Diagnostics& d_;
  std::string base_dir_;
  Scenario s_;
  bool duration_ok_ = false;
  std::unordered_map<std::string, Defined> ids_;
  std::unordered_set<std::string> bad_ids_;  // ids given but invalid: references to them are not reported again
  std::unordered_map<std::string, std::size_t> parties_, sites_, sensors_, airways_, units_, roles_, zones_;
  // A fire unit's mezs name zones, which are read after the fire units.
  struct PendingRefs {
    std::size_t unit;
    YAML::Node node;
    std::string path;
  };
  std::vector<PendingRefs> pending_mezs_;
  std::vector<std::vector<LatLon>> airway_points_;
  std::unordered_map<std::uint32_t, std::string> icao_users_;
};

// ------------------------------------------------------------------------------------------------
// ids and references

bool Walker::define_id(const std::string& id, std::string_view what, const YAML::Node& at, const std::string& path) {
  const auto [it, inserted] = ids_.try_emplace(id, Defined{std::string(what), path, mark_of(at)});
  if (inserted) return true;
  d_.report(Errc::duplicate_id, at, path,
            "id " + quote(id) + " is already used by the " + it->second.what + " at " + it->second.path + " (" +
                line_text(it->second.mark) + "); every id in a scenario must be unique");
  return false;
}

std::string Walker::read_defined_id(MapReader& m, std::string_view what, bool required) {
  if (required && !m.require("id", "a unique identifier")) return {};
  const YAML::Node* v = m.find("id");
  if (v == nullptr) return {};
  auto id = read_id(d_, *v, m.path("id"));
  if (!id) {
    if (v->IsScalar()) bad_ids_.insert(v->Scalar());
    return {};
  }
  if (!define_id(*id, what, *v, m.path("id"))) return {};
  return *id;
}

const std::size_t* Walker::read_ref(MapReader& m, std::string_view key,
                                    const std::unordered_map<std::string, std::size_t>& table, std::string_view what) {
  const YAML::Node* v = m.find(key);
  if (v == nullptr) return nullptr;
  return read_ref(*v, m.path(key), table, what);
}

const std::size_t* Walker::read_ref(const YAML::Node& v, const std::string& path,
                                    const std::unordered_map<std::string, std::size_t>& table, std::string_view what) {
  if (!v.IsScalar()) {
    d_.report(Errc::invalid_argument, v, path, "expected the id of a " + std::string(what) + ", got " + describe(v));
    return nullptr;
  }
  const std::string& ref = v.Scalar();
  if (const auto it = table.find(ref); it != table.end()) return &it->second;
  if (bad_ids_.count(ref) != 0) return nullptr;  // its definition was already reported
  std::vector<std::string_view> names;
  names.reserve(table.size());
  for (const auto& [k, _] : table) names.push_back(k);
  std::sort(names.begin(), names.end());
  std::string msg = quote(ref) + " is not a defined " + std::string(what);
  if (const auto ids = ids_.find(ref); ids != ids_.end()) {
    msg += " (it is the id of a " + ids->second.what + ")";
  }
  if (const auto near = nearest(ref, names)) {
    msg += "; did you mean '" + std::string(*near) + "'?";
  } else if (names.empty()) {
    msg += "; none is defined";
  } else if (names.size() <= 12) {
    msg += "; defined: " + join_choices(names, ", ");
  }
  d_.report(Errc::dangling_ref, v, path, std::move(msg));
  return nullptr;
}

std::vector<std::string> Walker::read_ref_list(const YAML::Node& n, const std::string& path,
                                               const std::unordered_map<std::string, std::size_t>& table,
                                               std::string_view what, std::string_view items, const Keep& keep) {
  std::vector<std::string> ids;
  std::unordered_map<std::string, std::string> first;  // id -> where it was listed first
  for_each_item(d_, n, path, items, [&](const YAML::Node& item, const std::string& p, std::size_t) {
    const std::size_t* i = read_ref(item, p, table, what);
    if (i == nullptr) return;
    const std::string& id = item.Scalar();
    if (const auto [it, inserted] = first.try_emplace(id, p); !inserted) {
      d_.report(Errc::duplicate_id, item, p,
                quote(id) + " is listed twice (first at " + it->second + "); each " + std::string(what) +
                    " may appear once");
      return;
    }
    if (keep(*i, item, p)) ids.push_back(id);
  });
  return ids;
}

// ------------------------------------------------------------------------------------------------
// shapes

std::optional<LatLon> Walker::read_latlon(const YAML::Node& n, const std::string& path) {
  if (n.IsSequence()) {
    if (n.size() != 2) {
      d_.report(Errc::invalid_argument, n, path,
                "expected a position [lat_deg, lon_deg], got a sequence of " + std::to_string(n.size()) + " items");
      return std::nullopt;
    }
    if (!d_.charge(2)) return std::nullopt;
    auto it = n.begin();
    const YAML::Node lat_node = *it;
    const YAML::Node lon_node = *++it;
    auto lat = try_number(lat_node, lat_range);
    auto lon = try_number(lon_node, lon_range);
    if (!lat) lat = read_number(d_, lat_node, index_path(path, 0), lat_range);
    if (!lon) lon = read_number(d_, lon_node, index_path(path, 1), lon_range);
    if (!lat || !lon) return std::nullopt;
    return LatLon{*lat, *lon};
  }
  if (n.IsMap()) {
    MapReader m(d_, n, path, {"lat_deg", "lon_deg"}, "a position");
    LatLon p;
    const bool has_lat = m.require("lat_deg", "latitude in degrees");
    const bool has_lon = m.require("lon_deg", "longitude in degrees");
    const bool ok = has_lat && has_lon;
    const bool la = m.number("lat_deg", p.lat_deg, lat_range);
    const bool lo = m.number("lon_deg", p.lon_deg, lon_range);
    if (ok && la && lo) return p;
    return std::nullopt;
  }
  d_.report(Errc::invalid_argument, n, path,
            "expected a position, [lat_deg, lon_deg] or {lat_deg: ..., lon_deg: ...}, got " + describe(n));
  return std::nullopt;
}

std::optional<LatLon> Walker::read_latlon(MapReader& m, std::string_view key) {
  const YAML::Node* v = m.find(key);
  if (v == nullptr) return std::nullopt;
  return read_latlon(*v, m.path(key));
}

std::vector<LatLon> Walker::read_polyline(MapReader& m, std::string_view key, std::size_t min_points,
                                          std::size_t max_points, std::string_view what, bool& ok) {
  std::vector<LatLon> pts;
  ok = false;
  const YAML::Node* v = m.find(key);
  if (v == nullptr) return pts;
  const std::string path = m.path(key);
  const std::size_t errors_before = d_.error_count();
  for_each_item(d_, *v, path, "positions [lat_deg, lon_deg]", [&](const YAML::Node& item, const std::string& p, std::size_t) {
    if (auto pt = read_latlon(item, p)) pts.push_back(*pt);
  });
  if (d_.error_count() != errors_before || d_.stopped()) return pts;
  if (pts.size() < min_points || pts.size() > max_points) {
    d_.report(Errc::invalid_argument, *v, path,
              std::string(what) + " needs " + std::to_string(min_points) + " to " + std::to_string(max_points) +
                  " points, got " + std::to_string(pts.size()));
    return pts;
  }
  ok = true;
  return pts;
}

std::optional<LatLon> Walker::read_place(MapReader& m, std::string_view what) {
  if (!m.at_most_one({"site", "position"})) return std::nullopt;
  if (m.has("site")) {
    const std::size_t* i = read_ref(m, "site", sites_, "site");
    if (i == nullptr) return std::nullopt;
    return s_.sites[*i].position;
  }
  if (m.has("position")) return read_latlon(m, "position");
  d_.report(Errc::missing_key, m.node(), m.path("site"),
            std::string(what) + " needs 'site' (the id of a site) or 'position' ([lat_deg, lon_deg])");
  return std::nullopt;
}

bool Walker::check_start_time(double t, const YAML::Node& at, const std::string& path) {
  if (!duration_ok_ || t < s_.duration_s) return true;
  d_.report(Errc::invalid_argument, at, path,
            "start time " + number_text(t) + " s is not before the end of the scenario (duration_s = " +
                number_text(s_.duration_s) + "); allowed: [0, " + number_text(s_.duration_s) + ")");
  return false;
}

// ------------------------------------------------------------------------------------------------
// top level

Scenario Walker::run(const YAML::Node& root) {
  MapReader top(d_, root, "", top_keys, "the scenario");
  if (!top.is_map()) return std::move(s_);
  int version = 1;
  top.integer("version", version, 1, 1);
  top.require("name", "text naming the scenario");
  top.string("name", s_.name, 200);
  top.string("description", s_.description, 20000, true);
  top.u64("seed", s_.seed);
  if (top.require("duration_s", "the simulated time in seconds")) {
    duration_ok_ = top.number("duration_s", s_.duration_s, Range{0.0, max_duration_s, true});
  }
  s_.world.duration_s = s_.duration_s;
  if (top.number("truth_step_s", s_.world.truth_step_s, Range{0.0, 1.0, true})) {
    // Truth samples fall on motion steps (0.25 s): 0.25, 0.5, 0.75 or 1.
    const double steps = s_.world.truth_step_s / 0.25;
    if (std::abs(steps - std::round(steps)) > 1e-9) {
      d_.report(Errc::invalid_argument, *top.find("truth_step_s"), top.path("truth_step_s"),
                "truth_step_s (" + number_text(s_.world.truth_step_s) +
                    ") must be a multiple of the 0.25 s motion step: 0.25, 0.5, 0.75 or 1");
    }
  }
  if (top.string("date", s_.date, 64) && !is_calendar_date(s_.date)) {
    d_.report(Errc::invalid_argument, *top.find("date"), top.path("date"),
              "expected a calendar date YYYY-MM-DD (years 1900-2199), got " + quote(s_.date));
  }
  auto section = [&](std::string_view key) -> const YAML::Node* { return top.find(key); };
  if (top.require("parties", "a sequence of at least 2 parties")) parties(*section("parties"));
  if (top.require("agreement", "the agreement's signature date and term")) agreement(*section("agreement"));
  if (const auto* n = section("sites")) sites(*n);
  if (const auto* n = section("terrain")) terrain(*n);
  if (const auto* n = section("adsb")) adsb(*n);
  if (const auto* n = section("sensors")) sensors(*n);
  if (const auto* n = section("defended_assets")) defended_assets(*n);
  if (const auto* n = section("airways")) airways(*n);
  if (const auto* n = section("flights")) flights(*n);
  if (const auto* n = section("platforms")) platforms(*n);
  if (const auto* n = section("raids")) raids(*n);
  if (const auto* n = section("fire_units")) fire_units(*n);
  if (const auto* n = section("hostile_origin_areas")) hostile_origin_areas(*n);
  if (const auto* n = section("airspace")) airspace(*n);
  fire_unit_zones();
  if (const auto* n = section("roles")) roles(*n);
  if (const auto* n = section("delegations")) delegations(*n);
  if (const auto* n = section("engagement")) engagement(*n);
  if (const auto* n = section("operators")) operators(*n);
  if (const auto* n = section("auto_engagements")) auto_engagements(*n);
  if (const auto* n = section("roles"); n != nullptr && d_.error_count() == 0) check_chain(*n);
  return std::move(s_);
}

// ------------------------------------------------------------------------------------------------
// parties and agreement

void Walker::parties(const YAML::Node& n) {
  const std::size_t errors_before = d_.error_count();
  for_each_item(d_, n, "parties", "parties", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, party_keys, "a party");
    if (!m.is_map()) return;
    Party p;
    p.id = read_defined_id(m, "party");
    m.require("name", "text");
    m.string("name", p.name, 200);
    m.require("role", "coordinating or directing");
    m.choice("role", p.role, {"coordinating", "directing"}, {PartyRole::coordinating, PartyRole::directing});
    m.string("commander", p.commander, 200, true);
    m.boolean("host", p.host);
    if (!p.id.empty()) parties_[p.id] = s_.parties.size();
    s_.parties.push_back(std::move(p));
  });
  if (d_.error_count() != errors_before || d_.stopped()) return;
  const std::string path = "parties";
  if (s_.parties.size() < 2) {
    d_.report(Errc::invalid_argument, n, path,
              "the joint system needs at least 2 parties, got " + std::to_string(s_.parties.size()));
    return;
  }
  if (s_.parties.size() > security::kMaxParties) {
    d_.report(Errc::invalid_argument, n, path,
              "at most " + std::to_string(security::kMaxParties) + " parties (security labels), got " +
                  std::to_string(s_.parties.size()));
    return;
  }
  std::vector<std::string_view> coordinating, hosts;
  for (const auto& p : s_.parties) {
    if (p.role == PartyRole::coordinating) coordinating.push_back(p.id);
    if (p.host) hosts.push_back(p.id);
  }
  if (coordinating.size() != 1) {
    d_.report(Errc::invalid_argument, n, path,
              "exactly one party must have role 'coordinating' (Article 6), found " +
                  std::to_string(coordinating.size()) + (coordinating.empty() ? "" : ": " + join_choices(coordinating, " and ")));
  }
  if (hosts.size() != 1) {
    d_.report(Errc::invalid_argument, n, path,
              "exactly one party must be the host (host: true), found " + std::to_string(hosts.size()) +
                  (hosts.empty() ? "" : ": " + join_choices(hosts, " and ")));
  }
}

void Walker::agreement(const YAML::Node& n) {
  MapReader m(d_, n, "agreement", agreement_keys, "the agreement");
  if (!m.is_map()) return;
  Agreement& a = s_.agreement;
  if (m.require("signature_date", "a date YYYY-MM-DD") && m.string("signature_date", a.signature_date, 64) &&
      !is_calendar_date(a.signature_date)) {
    d_.report(Errc::invalid_argument, *m.find("signature_date"), m.path("signature_date"),
              "expected a calendar date YYYY-MM-DD (years 1900-2199), got " + quote(a.signature_date));
  }
  const bool term_ok = !m.has("term_years") || m.integer("term_years", a.term_years, 1, 99);
  const bool notice_ok = m.has("notice_months") && m.integer("notice_months", a.notice_months, 0, 1188);
  m.boolean("automatic_renewal", a.automatic_renewal);
  if (term_ok && notice_ok && a.notice_months >= a.term_years * 12) {
    d_.report(Errc::invalid_argument, *m.find("notice_months"), m.path("notice_months"),
              "a notice period of " + std::to_string(a.notice_months) + " months does not fit in a term of " +
                  std::to_string(a.term_years) + " years; allowed: [0, " + std::to_string(a.term_years * 12 - 1) + "]");
  }
  if (const YAML::Node* notices = m.find("notices")) {
    for_each_item(d_, *notices, m.path("notices"), "notices of termination", [&](const YAML::Node& item, const std::string& path, std::size_t) {
      MapReader nm(d_, item, path, notice_keys, "a notice of termination");
      if (!nm.is_map()) return;
      TerminationNotice notice;
      if (nm.require("party", "the party giving notice")) {
        if (read_ref(nm, "party", parties_, "party") != nullptr) nm.string("party", notice.party, 64);
      }
      if (nm.require("date", "the day notice was given, YYYY-MM-DD") && nm.string("date", notice.date, 64) &&
          !is_calendar_date(notice.date)) {
        d_.report(Errc::invalid_argument, *nm.find("date"), nm.path("date"),
                  "expected a calendar date YYYY-MM-DD (years 1900-2199), got " + quote(notice.date));
      }
      a.notices.push_back(std::move(notice));
    });
  }
  if (const YAML::Node* eq = m.find("classification_equivalence")) {
    const std::size_t errors_before = d_.error_count();
    for_each_item(d_, *eq, m.path("classification_equivalence"), "classification equivalences",
                  [&](const YAML::Node& item, const std::string& path, std::size_t) {
      MapReader em(d_, item, path, equivalence_keys, "a national classification");
      if (!em.is_map()) return;
      security::NationalLevel nl;
      if (em.require("party", "the party whose classification word this is")) {
        if (read_ref(em, "party", parties_, "party") != nullptr) em.string("party", nl.party, 64);
      }
      if (em.require("name", "the party's own word for the level, e.g. \"STROGO TAJNO\"")) em.string("name", nl.name, 64);
      if (em.require("level", "unclassified, restricted, confidential, secret or top_secret")) {
        em.choice("level", nl.level, level_words,
                  {security::Level::unclassified, security::Level::restricted, security::Level::confidential,
                   security::Level::secret, security::Level::top_secret});
      }
      a.classification_equivalence.push_back(std::move(nl));
    });
    // The table as a whole (a name twice for a party, two names for one level): the security
    // module's own check, reported at the list.
    if (d_.error_count() == errors_before) {
      if (const auto t = security::EquivalenceTable::make(a.classification_equivalence); !t) {
        d_.report(Errc::invalid_argument, *eq, m.path("classification_equivalence"), t.error().message);
      }
    }
  }
}

// ------------------------------------------------------------------------------------------------
// sites and terrain

void Walker::sites(const YAML::Node& n) {
  for_each_item(d_, n, "sites", "sites", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, site_keys, "a site");
    if (!m.is_map()) return;
    Site s;
    s.id = read_defined_id(m, "site");
    if (!m.string("name", s.name, 200)) s.name = s.id;
    m.choice("kind", s.kind, {"air_base", "mountain", "other"}, {SiteKind::air_base, SiteKind::mountain, SiteKind::other});
    const auto position = read_latlon(m, "position");
    bool plot_ok = false;
    if (m.has("plot")) {
      s.plot = read_polyline(m, "plot", 3, max_plot_vertices + 1, "a plot", plot_ok);
      if (plot_ok) {
        const auto area = simple_polygon_area_m2(s.plot);
        if (area) {
          s.plot_area_m2 = *area;
        } else {
          plot_ok = false;
          d_.report(Errc::invalid_argument, *m.find("plot"), m.path("plot"),
                    "the plot is not a simple polygon: " + area.error().message);
        }
      }
    }
    if (position) {
      s.position = *position;
      if (plot_ok && distance_m(s.position, s.plot.front()) > max_site_plot_distance_m) {
        d_.report(Errc::invalid_argument, *m.find("plot"), m.path("plot"),
                  "the plot lies " + number_text(std::round(distance_m(s.position, s.plot.front()) / 1000.0)) +
                      " km from the site position; at most " + number_text(max_site_plot_distance_m / 1000.0) +
                      " km allowed");
      }
    } else if (plot_ok) {
      // The vertex mean: plots are small, so this is the centre to well within a metre.
      std::size_t count = s.plot.size();
      if (count > 1 && s.plot.front().lat_deg == s.plot.back().lat_deg && s.plot.front().lon_deg == s.plot.back().lon_deg) {
        --count;
      }
      for (std::size_t i = 0; i < count; ++i) {
        s.position.lat_deg += s.plot[i].lat_deg / static_cast<double>(count);
        s.position.lon_deg += s.plot[i].lon_deg / static_cast<double>(count);
      }
    } else if (!m.has("position") && !m.has("plot")) {
      d_.report(Errc::missing_key, m.node(), m.path("position"),
                "a site needs 'position' ([lat_deg, lon_deg]) or 'plot' (a polygon of at least 3 positions)");
    }
    if (!s.id.empty()) sites_[s.id] = s_.sites.size();
    s_.sites.push_back(std::move(s));
  });
}

void Walker::terrain(const YAML::Node& n) {
  const std::string path = "terrain";
  if (!n.IsMap()) {
    d_.report(Errc::invalid_argument, n, path,
              "expected a mapping (the terrain) with a key 'type' (flat, synthetic or dem), got " + describe(n));
    return;
  }
  const auto type_node = peek(n, "type");
  if (!type_node) {
    d_.report(Errc::missing_key, n, key_path(path, "type"), "missing required key 'type' (flat, synthetic or dem)");
    return;
  }
  const auto type = read_choice(d_, *type_node, key_path(path, "type"), terrain_types);
  if (!type) return;
  switch (*type) {
    case 0: {
      MapReader m(d_, n, path, flat_keys, "a flat terrain");
      world::FlatTerrainParams flat;
      m.number("height_m", flat.height_m, height_range);
      s_.terrain = flat;
      break;
    }
    case 1: {
      MapReader m(d_, n, path, synthetic_keys, "a synthetic terrain");
      s_.terrain = synthetic(m);
      break;
    }
    default: {
      MapReader m(d_, n, path, dem_keys, "a DEM terrain");
      world::DemTerrainParams dem;
      if (m.require("path", "the file name of a GeoTIFF, SRTM .hgt or DTED raster") &&
          m.string("path", dem.path, 4096)) {
        std::filesystem::path p(dem.path);
        if (p.is_relative() && !base_dir_.empty()) p = std::filesystem::path(base_dir_) / p;
        dem.path = p.lexically_normal().string();
        std::error_code ec;
        if (!std::filesystem::is_regular_file(p, ec)) {
          d_.report(Errc::io_error, *m.find("path"), m.path("path"),
                    "no such file: " + quote(dem.path) +
                        " (a relative path is resolved against the scenario file's directory)");
        }
      }
      s_.terrain = dem;
      break;
    }
  }
}

world::SyntheticTerrainParams Walker::synthetic(MapReader& m) {
  world::SyntheticTerrainParams t;
  m.u64("seed", t.seed);
  bool bounds_ok = true;
  for (const auto& [key, out, range] : {std::tuple{"south_lat_deg", &t.south_lat_deg, Range{-89.0, 89.0}},
                                        std::tuple{"north_lat_deg", &t.north_lat_deg, Range{-89.0, 89.0}},
                                        std::tuple{"west_lon_deg", &t.west_lon_deg, lon_range},
                                        std::tuple{"east_lon_deg", &t.east_lon_deg, lon_range}}) {
    if (!m.require(key, "degrees") || !m.number(key, *out, range)) bounds_ok = false;
  }
  const bool res_ok = !m.has("resolution_m") || m.number("resolution_m", t.resolution_m, Range{10.0, 100000.0});
  m.number("base_height_m", t.base_height_m, height_range);
  m.number("roughness_m", t.roughness_m, Range{0.0, 5000.0});
  if (bounds_ok) {
    if (!(t.south_lat_deg < t.north_lat_deg)) {
      d_.report(Errc::invalid_argument, *m.find("north_lat_deg"), m.path("north_lat_deg"),
                "north_lat_deg must be greater than south_lat_deg (" + number_text(t.south_lat_deg) + ")");
      bounds_ok = false;
    }
    if (!(t.west_lon_deg < t.east_lon_deg)) {
      d_.report(Errc::invalid_argument, *m.find("east_lon_deg"), m.path("east_lon_deg"),
                "east_lon_deg must be greater than west_lon_deg (" + number_text(t.west_lon_deg) +
                    "); regions across the antimeridian are not supported");
      bounds_ok = false;
    }
  }
  if (bounds_ok && (t.north_lat_deg - t.south_lat_deg > max_terrain_span_deg ||
                    t.east_lon_deg - t.west_lon_deg > max_terrain_span_deg)) {
    d_.report(Errc::invalid_argument, m.node(), m.path(),
              "the terrain region spans more than " + number_text(max_terrain_span_deg) +
                  " degrees of latitude or longitude");
    bounds_ok = false;
  }
  if (bounds_ok && res_ok) {
    const double mid = units::rad_from_deg(0.5 * (t.south_lat_deg + t.north_lat_deg));
    const double m_per_deg = 111320.0;
    const double rows = (t.north_lat_deg - t.south_lat_deg) * m_per_deg / t.resolution_m + 1.0;
    const double cols = (t.east_lon_deg - t.west_lon_deg) * m_per_deg * std::cos(mid) / t.resolution_m + 1.0;
    if (rows * cols > max_terrain_cells) {
      const YAML::Node* at = m.has("resolution_m") ? m.find("resolution_m") : &m.node();
      d_.report(Errc::invalid_argument, *at, m.path("resolution_m"),
                "the terrain grid would have " + number_text(std::round(rows * cols)) + " cells; at most " +
                    number_text(max_terrain_cells) + " allowed: increase resolution_m or shrink the region");
    }
  }
  if (const YAML::Node* ridges = m.find("ridges")) {
    if (item_count(*ridges) > max_ridges) {
      d_.report(Errc::invalid_argument, *ridges, m.path("ridges"),
                "at most " + std::to_string(max_ridges) + " ridges allowed, got " + std::to_string(item_count(*ridges)));
    } else {
      for_each_item(d_, *ridges, m.path("ridges"), "ridges", [&](const YAML::Node& item, const std::string& path, std::size_t) {
        MapReader r(d_, item, path, ridge_keys, "a ridge");
        if (!r.is_map()) return;
        world::RidgeParams ridge;
        bool ok = false;
        if (r.require("axis", "a polyline of at least 2 positions")) {
          ridge.axis = read_polyline(r, "axis", 2, max_ridge_points, "a ridge axis", ok);
        }
        r.number("half_width_m", ridge.half_width_m, Range{0.0, 500000.0, true});
        const bool lo = !r.has("peak_min_m") || r.number("peak_min_m", ridge.peak_min_m, height_range);
        const bool hi = !r.has("peak_max_m") || r.number("peak_max_m", ridge.peak_max_m, height_range);
        if (lo && hi && ridge.peak_min_m > ridge.peak_max_m) {
          const YAML::Node* at = r.has("peak_max_m") ? r.find("peak_max_m") : r.find("peak_min_m");
          d_.report(Errc::invalid_argument, *at, r.path(r.has("peak_max_m") ? "peak_max_m" : "peak_min_m"),
                    "peak_max_m (" + number_text(ridge.peak_max_m) + ") must not be below peak_min_m (" +
                        number_text(ridge.peak_min_m) + ")");
        }
        t.ridges.push_back(std::move(ridge));
      });
    }
  }
  if (const YAML::Node* valleys = m.find("valleys")) {
    if (item_count(*valleys) > max_valleys) {
      d_.report(Errc::invalid_argument, *valleys, m.path("valleys"),
                "at most " + std::to_string(max_valleys) + " valleys allowed, got " + std::to_string(item_count(*valleys)));
    } else {
      for_each_item(d_, *valleys, m.path("valleys"), "valleys", [&](const YAML::Node& item, const std::string& path, std::size_t) {
        MapReader v(d_, item, path, valley_keys, "a valley");
        if (!v.is_map()) return;
        world::ValleyParams valley;
        v.require("from", "a position [lat_deg, lon_deg]");
        v.require("to", "a position [lat_deg, lon_deg]");
        const auto from = read_latlon(v, "from");
        const auto to = read_latlon(v, "to");
        if (from) valley.from = *from;
        if (to) valley.to = *to;
        if (from && to && same_place(*from, *to)) {
          d_.report(Errc::invalid_argument, *v.find("to"), v.path("to"), "a valley's 'to' must differ from its 'from'");
        }
        v.number("half_width_m", valley.half_width_m, Range{0.0, 100000.0, true});
        v.number("floor_m", valley.floor_m, height_range);
        t.valleys.push_back(valley);
      });
    }
  }
  return t;
}

void Walker::adsb(const YAML::Node& n) {
  MapReader m(d_, n, "adsb", adsb_keys, "the ADS-B broadcast settings");
  if (!m.is_map()) return;
  auto& a = s_.adsb;
  const bool mean_ok = !m.has("mean_interval_s") || m.number("mean_interval_s", a.mean_interval_s, Range{0.001, 60.0});
  const bool jitter_ok = m.has("jitter_s") && m.number("jitter_s", a.jitter_s, Range{0.0, 30.0});
  m.number("sigma_alt_m", a.sigma_alt_m, Range{0.0, 1000.0});
  if (mean_ok && jitter_ok && a.jitter_s >= a.mean_interval_s) {
    d_.report(Errc::invalid_argument, *m.find("jitter_s"), m.path("jitter_s"),
              "jitter_s (" + number_text(a.jitter_s) + ") must be less than mean_interval_s (" +
                  number_text(a.mean_interval_s) + ")");
  }
}

// ------------------------------------------------------------------------------------------------
// sensors

void Walker::antenna(MapReader& m, sensors::AntennaSite& a) {
  if (const auto place = read_place(m, "a sensor")) {
    a.lat_deg = place->lat_deg;
    a.lon_deg = place->lon_deg;
  }
  m.number("height_agl_m", a.height_agl_m, antenna_agl_range);
}

template <class SensorParamsT>
void Walker::sensor_identity(MapReader& m, SensorParamsT& r) {
  r.id = read_defined_id(m, "sensor");
  if (!r.id.empty()) sensors_[r.id] = s_.sensors.size();  // each sensor type's reader appends it last
  std::optional<std::size_t> party;
  if (m.require("party", "the id of a party")) {
    if (const auto* p = read_ref(m, "party", parties_, "party")) {
      r.party = s_.parties[*p].id;
      party = *p;
    }
  }
  antenna(m, r.antenna);
  // The label of its reports (docs/SCENARIO.md): SECRET and shared with every party unless
  // the scenario says otherwise; need-to-know AIR-PICTURE and SENSORS (which sensor saw what).
  security::Level level = security::Level::secret;
  m.choice("classification", level, level_words,
           {security::Level::unclassified, security::Level::restricted, security::Level::confidential,
            security::Level::secret, security::Level::top_secret});
  r.label.level = level;
  r.label.categories = security::category_bit(security::Category::air_picture) |
                       security::category_bit(security::Category::sensors);
  r.label.originator = static_cast<security::PartyIndex>(party.value_or(0));
  r.label.rel = 0;
  if (const YAML::Node* v = m.find("releasable_to")) {
    for (const std::string& id : read_ref_list(*v, m.path("releasable_to"), parties_, "party", "party ids",
                                               [](std::size_t, const YAML::Node&, const std::string&) { return true; })) {
      r.label.rel |= std::uint32_t{1} << parties_.at(id);
    }
  } else {
    for (std::size_t i = 0; i < s_.parties.size() && i < security::kMaxParties; ++i) r.label.rel |= std::uint32_t{1} << i;
  }
}

void Walker::sensors(const YAML::Node& n) {
  for_each_item(d_, n, "sensors", "sensors", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    if (!item.IsMap()) {
      d_.report(Errc::invalid_argument, item, path,
                "expected a mapping (a sensor) with keys id, type, party, site or position, ..., got " + describe(item));
      return;
    }
    const auto type_node = peek(item, "type");
    if (!type_node) {
      d_.report(Errc::missing_key, item, key_path(path, "type"),
                "missing required key 'type' (" + join_choices(sensor_types) + ")");
      return;
    }
    const auto type = read_choice(d_, *type_node, key_path(path, "type"), sensor_types);
    if (!type) return;
    switch (*type) {
      case 0: {
        static const Hints hints = other_sensor_hints(radar_keys);
        MapReader m(d_, item, path, radar_keys, "a radar", hints);
        radar(m);
        break;
      }
      case 1: {
        static const Hints hints = other_sensor_hints(iff_keys);
        MapReader m(d_, item, path, iff_keys, "an IFF interrogator", hints);
        iff(m);
        break;
      }
      default: {
        static const Hints hints = other_sensor_hints(adsb_rx_keys);
        MapReader m(d_, item, path, adsb_rx_keys, "an ADS-B receiver", hints);
        adsb_receiver(m);
        break;
      }
    }
  });
}

void Walker::radar(MapReader& m) {
  sensors::RadarParams r;
  sensor_identity(m, r);
  if (const YAML::Node* b = m.find("band")) {
    if (const auto i = read_choice(d_, *b, m.path("band"), bands)) r.band = std::string(bands[*i]);
  }
  m.number("scan_period_s", r.scan_period_s, scan_period_range);
  m.number("start_azimuth_deg", r.start_azimuth_deg, azimuth_range);
  m.number("reference_range_m", r.reference_range_m, sensor_range_m);
  const bool pd_ok = m.number("reference_pd", r.reference_pd, Range{0.0, 1.0, true, true});
  const bool pfa_ok = m.number("pfa", r.pfa, Range{1e-15, 0.1});
  // The reference SNR is ln(pfa)/ln(pd) - 1: a detection probability at or below the false
  // alarm probability would need zero or negative signal.
  if (pd_ok && pfa_ok && r.reference_pd <= r.pfa) {
    const char* key = m.has("reference_pd") ? "reference_pd" : "pfa";
    d_.report(Errc::invalid_argument, *m.find(key), m.path(key),
              "reference_pd (" + number_text(r.reference_pd) + ") must be greater than pfa (" + number_text(r.pfa) +
                  ")");
  }
  const bool max_ok = !m.has("max_range_m") || m.number("max_range_m", r.max_range_m, sensor_range_m);
  const bool min_ok = !m.has("min_range_m") || m.number("min_range_m", r.min_range_m, Range{0.0, 1.0e6});
  if (max_ok && min_ok && r.min_range_m >= r.max_range_m) {
    const char* key = m.has("min_range_m") ? "min_range_m" : "max_range_m";
    d_.report(Errc::invalid_argument, m.has(key) ? *m.find(key) : m.node(), m.path(key),
              "min_range_m (" + number_text(r.min_range_m) + ") must be less than max_range_m (" +
                  number_text(r.max_range_m) + ")");
  }
  const bool emin_ok = !m.has("min_elevation_deg") || m.number("min_elevation_deg", r.min_elevation_deg, Range{-90.0, 90.0});
  const bool emax_ok = !m.has("max_elevation_deg") || m.number("max_elevation_deg", r.max_elevation_deg, Range{-90.0, 90.0});
  if (emin_ok && emax_ok && r.min_elevation_deg >= r.max_elevation_deg) {
    const char* key = m.has("max_elevation_deg") ? "max_elevation_deg" : "min_elevation_deg";
    d_.report(Errc::invalid_argument, m.has(key) ? *m.find(key) : m.node(), m.path(key),
              "min_elevation_deg (" + number_text(r.min_elevation_deg) + ") must be less than max_elevation_deg (" +
                  number_text(r.max_elevation_deg) + ")");
  }
  m.number("sigma_range_m", r.sigma_range_m, Range{0.0, 10000.0});
  m.number("sigma_azimuth_deg", r.sigma_azimuth_deg, Range{0.0, 10.0});
  m.number("sigma_elevation_deg", r.sigma_elevation_deg, Range{0.0, 10.0});
  m.number("range_resolution_m", r.range_resolution_m, Range{0.0, 100000.0, true});
  m.number("azimuth_resolution_deg", r.azimuth_resolution_deg, Range{0.0, 360.0, true});
  m.number("clutter_per_scan", r.clutter_per_scan, Range{0.0, 100000.0});
  m.number("k_factor", r.k_factor, k_factor_range);
  if (const YAML::Node* reg = m.find("registration")) {
    MapReader g(d_, *reg, m.path("registration"), registration_keys, "registration errors");
    g.number("azimuth_bias_deg", r.registration.azimuth_bias_deg, Range{-180.0, 180.0});
    g.number("range_bias_m", r.registration.range_bias_m, Range{-100000.0, 100000.0});
    g.number("clock_offset_s", r.registration.clock_offset_s, Range{-3600.0, 3600.0});
  }
  s_.sensors.emplace_back(std::move(r));
}

void Walker::iff(MapReader& m) {
  sensors::IffParams r;
  sensor_identity(m, r);
  m.number("scan_period_s", r.scan_period_s, scan_period_range);
  m.number("start_azimuth_deg", r.start_azimuth_deg, azimuth_range);
  m.number("max_range_m", r.max_range_m, sensor_range_m);
  m.number("p_miss", r.p_miss, probability);
  m.number("p_garble", r.p_garble, probability);
  m.number("sigma_range_m", r.sigma_range_m, Range{0.0, 10000.0});
  m.number("sigma_azimuth_deg", r.sigma_azimuth_deg, Range{0.0, 10.0});
  m.number("sigma_elevation_deg", r.sigma_elevation_deg, Range{0.0, 10.0});
  m.number("k_factor", r.k_factor, k_factor_range);
  s_.sensors.emplace_back(std::move(r));
}

void Walker::adsb_receiver(MapReader& m) {
  sensors::AdsbReceiverParams r;
  sensor_identity(m, r);
  m.number("max_range_m", r.max_range_m, sensor_range_m);
  m.number("p_receive", r.p_receive, probability);
  m.number("k_factor", r.k_factor, k_factor_range);
  s_.sensors.emplace_back(std::move(r));
}

// ------------------------------------------------------------------------------------------------
// defended assets, airways, fire units

void Walker::defended_assets(const YAML::Node& n) {
  for_each_item(d_, n, "defended_assets", "defended assets", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, asset_keys, "a defended asset");
    if (!m.is_map()) return;
    world::DefendedAssetParams a;
    a.id = read_defined_id(m, "defended asset");
    if (!m.string("name", a.name, 200)) a.name = a.id;
    if (const auto place = read_place(m, "a defended asset")) {
      a.lat_deg = place->lat_deg;
      a.lon_deg = place->lon_deg;
    }
    m.number("radius_m", a.radius_m, Range{0.0, 1.0e6, true});
    m.integer("priority", a.priority, 1, 10);
    s_.world.defended_assets.push_back(std::move(a));
  });
}

void Walker::airways(const YAML::Node& n) {
  for_each_item(d_, n, "airways", "airways", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, airway_keys, "an airway");
    if (!m.is_map()) return;
    const std::string id = read_defined_id(m, "airway");
    bool ok = false;
    std::vector<LatLon> pts;
    if (m.require("points", "a polyline of at least 2 positions")) {
      pts = read_polyline(m, "points", 2, 1000, "an airway", ok);
    }
    if (ok) {
      for (std::size_t i = 0; i + 1 < pts.size(); ++i) {
        if (same_place(pts[i], pts[i + 1])) {
          d_.report(Errc::invalid_argument, *m.find("points"), m.path("points"),
                    "points " + std::to_string(i) + " and " + std::to_string(i + 1) + " coincide; each leg needs a length");
          ok = false;
          break;
        }
      }
    }
    if (!id.empty() && ok) {
      airways_[id] = airway_points_.size();
      airway_points_.push_back(std::move(pts));
    } else if (!id.empty()) {
      bad_ids_.insert(id);  // flights along it are not reported again
    }
  });
}

void Walker::hostile_origin_areas(const YAML::Node& n) {
  for_each_item(d_, n, "hostile_origin_areas", "hostile origin areas", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, origin_area_keys, "a hostile origin area");
    if (!m.is_map()) return;
    OriginArea a;
    a.id = read_defined_id(m, "hostile origin area");
    if (!m.string("name", a.name, 200)) a.name = a.id;
    bool ok = false;
    if (m.require("polygon", "a simple polygon of at least 3 positions")) {
      a.polygon = read_polyline(m, "polygon", 3, max_plot_vertices + 1, "a hostile origin area", ok);
      if (ok) {
        const auto simple = check_simple_latlon_polygon(a.polygon);
        if (!simple) {
          ok = false;
          d_.report(Errc::invalid_argument, *m.find("polygon"), m.path("polygon"),
                    "the polygon is not simple: " + simple.error().message);
        }
      }
    }
    if (ok) s_.hostile_origin_areas.push_back(std::move(a));
  });
}

// ------------------------------------------------------------------------------------------------
// chain of command and airspace (issue 5); the structure is checked by the command module

void Walker::airspace(const YAML::Node& n) {
  MapReader m(d_, n, "airspace", airspace_keys, "the airspace");
  if (!m.is_map()) return;
  m.choice("default_wcs", s_.default_wcs, wcs_words, {command::Wcs::free, command::Wcs::tight, command::Wcs::hold});
  if (const YAML::Node* zones = m.find("zones")) {
    for_each_item(d_, *zones, m.path("zones"), "zones", [&](const YAML::Node& item, const std::string& path, std::size_t) {
      const std::size_t errors_before = d_.error_count();
      MapReader z(d_, item, path, zone_keys, "a zone");
      if (!z.is_map()) return;
      command::ZoneParams zp;
      zp.id = read_defined_id(z, "zone");
      if (z.require("kind", "one of no_fire_area, safe_corridor, missile_engagement_zone, fighter_engagement_zone, control_area")) {
        z.choice("kind", zp.kind, zone_kind_words, zone_kind_values);
      }
      z.number("min_alt_m", zp.min_alt_m, Range{-1000.0, 100000.0});
      z.number("max_alt_m", zp.max_alt_m, Range{-1000.0, 100000.0});
      bool ok = true;
      if (zp.kind == command::ZoneKind::safe_corridor) {
        if (z.at_most_one({"centreline", "airway"}) && z.require(z.has("airway") ? "airway" : "centreline", "a centreline or an airway")) {
          if (z.has("airway")) {
            if (const auto* a = read_ref(z, "airway", airways_, "airway")) {
              for (const LatLon& p : airway_points_[*a]) zp.centreline.push_back(Geodetic{p.lat_deg, p.lon_deg, 0.0});
            } else {
              ok = false;
            }
          } else {
            for (const LatLon& p : read_polyline(z, "centreline", 2, 1000, "a corridor", ok)) {
              zp.centreline.push_back(Geodetic{p.lat_deg, p.lon_deg, 0.0});
            }
          }
        } else {
          ok = false;
        }
        if (z.require("half_width_m", "the corridor's half width in metres")) {
          z.number("half_width_m", zp.half_width_m, Range{0.0, 100000.0, true});
        }
        if (z.has("polygon")) {
          d_.report(Errc::invalid_argument, *z.find("polygon"), z.path("polygon"), "a safe corridor has a centreline, not a polygon");
        }
      } else {
        if (z.require("polygon", "a simple polygon of at least 3 positions")) {
          for (const LatLon& p : read_polyline(z, "polygon", 3, max_plot_vertices + 1, "a zone", ok)) {
            zp.polygon.push_back(Geodetic{p.lat_deg, p.lon_deg, 0.0});
          }
          if (zp.polygon.size() >= 2 && zp.polygon.front().lat_deg == zp.polygon.back().lat_deg &&
              zp.polygon.front().lon_deg == zp.polygon.back().lon_deg) {
            zp.polygon.pop_back();  // an explicitly closed ring
          }
        } else {
          ok = false;
        }
        for (const char* key : {"centreline", "airway", "half_width_m"}) {
          if (z.has(key)) d_.report(Errc::invalid_argument, *z.find(key), z.path(key), "only a safe corridor has a '" + std::string(key) + "'");
        }
      }
      if (ok && !zp.id.empty() && d_.error_count() == errors_before) {
        // The command module's own checks, on this zone alone, so the error points at it.
        const Geodetic origin = zp.kind == command::ZoneKind::safe_corridor ? zp.centreline.front() : zp.polygon.front();
        const auto checked = command::Airspace::make(origin, {zp}, {});
        if (!checked) {
          d_.report(Errc::invalid_argument, item, path, checked.error().message);
          ok = false;
        }
      }
      if (!zp.id.empty()) zones_[zp.id] = s_.zones.size();
      s_.zones.push_back(std::move(zp));
    });
  }
  if (const YAML::Node* settings = m.find("weapons_control")) {
    for_each_item(d_, *settings, m.path("weapons_control"), "weapons control settings", [&](const YAML::Node& item, const std::string& path, std::size_t) {
      MapReader w(d_, item, path, wcs_keys, "a weapons control setting");
      if (!w.is_map()) return;
      command::WcsSetting ws;
      if (w.has("zone")) {
        if (const auto* z = read_ref(w, "zone", zones_, "zone")) ws.zone = s_.zones[*z].id;
      }
      if (w.has("party")) {
        if (const auto* p = read_ref(w, "party", parties_, "party")) ws.party = s_.parties[*p].id;
      }
      if (w.require("status", "free, tight or hold")) {
        w.choice("status", ws.wcs, wcs_words, {command::Wcs::free, command::Wcs::tight, command::Wcs::hold});
      }
      s_.weapons_control.push_back(std::move(ws));
    });
  }
}

void Walker::roles(const YAML::Node& n) {
  for_each_item(d_, n, "roles", "roles", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, role_keys, "a role");
    if (!m.is_map()) return;
    command::Role r;
    r.id = read_defined_id(m, "role");
    if (m.require("party", "the id of a party")) {
      if (const auto* p = read_ref(m, "party", parties_, "party")) r.party = s_.parties[*p].id;
    }
    if (m.require("kind", "coordinator, air_defence_commander, unit_commander or fire_operator")) {
      m.choice("kind", r.kind, role_kind_words,
               {command::RoleKind::coordinator, command::RoleKind::air_defence_commander, command::RoleKind::unit_commander,
                command::RoleKind::fire_operator});
    }
    const bool unit_role = r.kind == command::RoleKind::unit_commander || r.kind == command::RoleKind::fire_operator;
    if (unit_role && m.require("unit", "the id of the fire unit it serves")) {
      if (const auto* u = read_ref(m, "unit", units_, "fire unit")) r.unit = s_.fire_units[*u].id;
    } else if (!unit_role && m.has("unit")) {
      d_.report(Errc::invalid_argument, *m.find("unit"), m.path("unit"), "only a unit_commander or fire_operator serves a unit");
    }
    if (!r.id.empty()) roles_[r.id] = s_.roles.size();
    s_.roles.push_back(std::move(r));
  });
}

void Walker::delegations(const YAML::Node& n) {
  for_each_item(d_, n, "delegations", "delegations", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, delegation_keys, "a delegation");
    if (!m.is_map()) return;
    command::Delegation dl;
    if (m.require("unit", "the delegating fire unit")) {
      if (const auto* u = read_ref(m, "unit", units_, "fire unit")) dl.unit = s_.fire_units[*u].id;
    }
    if (m.require("by", "the delegating role")) {
      if (const auto* r = read_ref(m, "by", roles_, "role")) dl.by = s_.roles[*r].id;
    }
    if (m.require("zone", "the zone it covers")) {
      if (const auto* z = read_ref(m, "zone", zones_, "zone")) dl.zone = s_.zones[*z].id;
    }
    double from_s = 0.0, until_s = s_.duration_s;
    m.number("from_s", from_s, window_range);
    m.number("until_s", until_s, window_range);
    if (m.has("until_s") && until_s <= from_s) {
      d_.report(Errc::invalid_argument, *m.find("until_s"), m.path("until_s"), "until_s must be after from_s");
    }
    dl.from = SimTime::from_s(from_s);
    dl.until = SimTime::from_s(until_s);
    m.choice("threat", dl.threat, threat_words,
             {command::ThreatClass::any, command::ThreatClass::aircraft, command::ThreatClass::cruise_missile,
              command::ThreatClass::drone, command::ThreatClass::ballistic_missile});
    s_.delegations.push_back(std::move(dl));
  });
}

// Once every reference resolves, the command module checks the chain as a whole (one
// coordinator of the coordinating party, a commander per other party, delegation by the
// unit's own commander); its message names the role, unit or delegation.
void Walker::check_chain(const YAML::Node& roles_node) {
  const auto checked = command::Authority::make(chain_of_command(s_));
  if (!checked) d_.report(Errc::invalid_argument, roles_node, "roles", checked.error().message);
}

void Walker::fire_units(const YAML::Node& n) {
  for_each_item(d_, n, "fire_units", "fire units", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    const std::size_t errors_before = d_.error_count();
    static const Keys keys = concat(fire_unit_keys, fire_unit_reserved_keys);
    static const Hints hints = {{"sensor", "it is superseded by 'linked_sensors', a list of radar ids"}};
    MapReader m(d_, item, path, keys, "a fire unit", hints);
    if (!m.is_map()) return;
    FireUnit f;
    f.id = read_defined_id(m, "fire unit");
    if (!f.id.empty()) units_[f.id] = s_.fire_units.size();
    if (m.require("party", "the id of a party")) {
      if (const auto* p = read_ref(m, "party", parties_, "party")) f.party = s_.parties[*p].id;
    }
    if (m.require("site", "the id of a site")) {
      if (const auto* s = read_ref(m, "site", sites_, "site")) f.site = s_.sites[*s].id;
    }
    engage::FireUnitType type = engage::FireUnitType::medium_range;
    m.choice("type", type, fire_unit_type_words,
             {engage::FireUnitType::long_range, engage::FireUnitType::medium_range, engage::FireUnitType::short_range,
              engage::FireUnitType::point_defence});
    f.envelope = engage::notional_envelope(type);
    m.integer("missiles", f.missiles, 0, 1000);
    m.integer("channels", f.channels, 1, 100);
    m.number("min_range_m", f.envelope.min_range_m, Range{0.0, 1.0e6});
    m.number("max_range_m", f.envelope.max_range_m, Range{0.0, 1.0e6, true});
    m.number("min_altitude_m", f.envelope.min_alt_m, Range{-1000.0, 100000.0});
    m.number("max_altitude_m", f.envelope.max_alt_m, Range{-1000.0, 100000.0});
    m.number("interceptor_speed_mps", f.envelope.interceptor_speed_mps, Range{0.0, 10000.0, true});
    m.number("reaction_time_s", f.envelope.reaction_time_s, Range{0.0, 3600.0});
    if (d_.error_count() == errors_before) {
      if (const auto checked = engage::validate(f.envelope); !checked) {
        d_.report(Errc::invalid_argument, item, path, checked.error().message);
      }
    }
    if (const YAML::Node* v = m.find("mezs")) pending_mezs_.push_back({s_.fire_units.size(), *v, m.path("mezs")});
    if (const YAML::Node* v = m.find("linked_sensors")) {
      f.linked_sensors = read_ref_list(
          *v, m.path("linked_sensors"), sensors_, "sensor", "radar ids",
          [&](std::size_t i, const YAML::Node& sensor, const std::string& p) {
            if (std::holds_alternative<sensors::RadarParams>(s_.sensors[i])) return true;
            const bool iff = std::holds_alternative<sensors::IffParams>(s_.sensors[i]);
            d_.report(Errc::invalid_argument, sensor, p,
                      quote(sensor.Scalar()) + " is " + (iff ? "an IFF interrogator" : "an ADS-B receiver") +
                          ", not a radar; only a radar gives a fire unit fire-control data");
            return false;
          });
    }
    m.number("ready_from_s", f.ready_from_s, time_range);
    s_.fire_units.push_back(std::move(f));
  });
}

void Walker::fire_unit_zones() {
  for (const PendingRefs& pending : pending_mezs_) {
    s_.fire_units[pending.unit].mezs = read_ref_list(
        pending.node, pending.path, zones_, "zone", "missile engagement zone ids",
        [&](std::size_t i, const YAML::Node& zone, const std::string& p) {
          const command::ZoneKind kind = s_.zones[i].kind;
          if (kind == command::ZoneKind::missile_engagement_zone) return true;
          d_.report(Errc::invalid_argument, zone, p,
                    quote(zone.Scalar()) + " is a " + command::to_string(kind) +
                        ", not a missile_engagement_zone; a fire unit's mezs are the missile engagement zones it "
                        "is assigned");
          return false;
        });
  }
}

// ------------------------------------------------------------------------------------------------
// the closed engagement loop: doctrine, simulated operators, automatic engagement

void Walker::engagement(const YAML::Node& n) {
  MapReader m(d_, n, "engagement", engagement_keys, "the engagement rules");
  if (!m.is_map()) return;
  node::EngagementRules& e = s_.engagement;
  m.number("cycle_s", e.cycle_s, Range{0.5, 60.0});
  m.boolean("shoot_look_shoot", e.shoot_look_shoot);
  m.number("kill_assessment_s", e.kill_assessment_s, Range{1.0, 300.0});
  m.integer("max_rounds_per_target", e.max_rounds_per_target, 1, 10);
}

void Walker::operators(const YAML::Node& n) {
  std::unordered_map<std::string, Defined> first;  // role -> its operator
  for_each_item(d_, n, "operators", "operators", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, operator_keys, "an operator");
    if (!m.is_map()) return;
    node::OperatorParams op;
    if (m.require("role", "the id of the role whose decisions it simulates")) {
      if (const auto* r = read_ref(m, "role", roles_, "role")) {
        op.role = s_.roles[*r].id;
        const YAML::Node& at = *m.find("role");
        const auto [it, inserted] = first.try_emplace(op.role, Defined{"operator", m.path("role"), mark_of(at)});
        if (!inserted) {
          d_.report(Errc::duplicate_id, at, m.path("role"),
                    "role " + quote(op.role) + " already has an operator at " + it->second.path + " (" +
                        line_text(it->second.mark) + "); each role has at most one");
        }
      }
    }
    m.number("decision_delay_s", op.decision_delay_s, operator_delay_range);
    m.number("delay_jitter_s", op.delay_jitter_s, operator_delay_range);
    m.choice("policy", op.policy, policy_words,
             {node::OperatorPolicy::approve, node::OperatorPolicy::approve_hostile, node::OperatorPolicy::deny});
    s_.operators.push_back(std::move(op));
  });
}

std::string Walker::chain_head_text(const std::string& party) const {
  const bool lead = std::any_of(s_.parties.begin(), s_.parties.end(),
                                [&](const Party& p) { return p.id == party && p.role == PartyRole::coordinating; });
  const command::RoleKind kind = lead ? command::RoleKind::coordinator : command::RoleKind::air_defence_commander;
  const auto head = std::find_if(s_.roles.begin(), s_.roles.end(),
                                 [&](const command::Role& r) { return r.party == party && r.kind == kind; });
  const std::string id = head != s_.roles.end() ? head->id : std::string();
  if (lead) return party + "'s chain head (the coordinator" + (id.empty() ? "" : " " + id) + ")";
  return party + "'s air defence commander" + (id.empty() ? "" : " (" + id + ")");
}

std::string Walker::auto_engagement_refusal(const command::Role& r, const FireUnit& u) const {
  std::string why;
  switch (r.kind) {
    case command::RoleKind::unit_commander:
      if (r.unit.empty() || r.unit == u.id) return {};  // an unknown unit was reported at the role
      why = r.id + " commands " + r.unit + ", not " + u.id;
      break;
    case command::RoleKind::fire_operator:
      why = r.id + " is a fire unit operator" + (r.unit.empty() ? std::string() : " of " + r.unit) + ", not a commander";
      break;
    case command::RoleKind::coordinator:
    case command::RoleKind::air_defence_commander:
      if (r.party.empty() || u.party.empty() || r.party == u.party) return {};
      why = r.id + " (" + command::to_string(r.kind) + ") heads the chain of command of " + r.party + ", and " + u.id +
            " belongs to " + u.party;
      break;
  }
  return why + ": only " + u.id + "'s commander or " + (u.party.empty() ? "its party's chain head" : chain_head_text(u.party)) +
         " may delegate its automatic engagement";
}

void Walker::auto_engagements(const YAML::Node& n) {
  for_each_item(d_, n, "auto_engagements", "automatic engagements", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, auto_engagement_keys, "an automatic engagement");
    if (!m.is_map()) return;
    node::AutoEngagement ae;
    const FireUnit* unit = nullptr;
    if (m.require("unit", "the id of the fire unit that may engage without a human decision")) {
      if (const auto* u = read_ref(m, "unit", units_, "fire unit")) {
        unit = &s_.fire_units[*u];
        ae.unit = unit->id;
      }
    }
    if (m.require("by", "the id of the delegating role: the unit's commander or its party's chain head")) {
      if (const auto* r = read_ref(m, "by", roles_, "role")) {
        ae.by = s_.roles[*r].id;
        if (unit != nullptr) {
          if (std::string refusal = auto_engagement_refusal(s_.roles[*r], *unit); !refusal.empty()) {
            d_.report(Errc::invalid_argument, *m.find("by"), m.path("by"), std::move(refusal));
          }
        }
      }
    }
    if (m.require("zone", "the id of the airspace zone where the threat must be")) {
      if (const auto* z = read_ref(m, "zone", zones_, "zone")) {
        const command::ZoneParams& zone = s_.zones[*z];
        ae.zone = zone.id;
        if (zone.kind == command::ZoneKind::no_fire_area || zone.kind == command::ZoneKind::safe_corridor) {
          d_.report(Errc::invalid_argument, *m.find("zone"), m.path("zone"),
                    quote(zone.id) + " is a " + command::to_string(zone.kind) +
                        ", where nothing may be engaged; allowed: a missile_engagement_zone, fighter_engagement_zone "
                        "or control_area");
        }
      }
    }
    if (m.require("threat", "cruise_missile, drone or ballistic_missile")) {
      const YAML::Node& t = *m.find("threat");
      if (t.IsScalar() && (t.Scalar() == "any" || t.Scalar() == "aircraft")) {
        d_.report(Errc::invalid_argument, t, m.path("threat"),
                  quote(t.Scalar()) + " may not be engaged automatically: manned aircraft and unspecified classes " +
                      "(any) always need a human decision; allowed: " + join_choices(auto_threat_words));
      } else if (const auto i = read_choice(d_, t, m.path("threat"), auto_threat_words)) {
        const engage::ThreatClass values[] = {engage::ThreatClass::cruise_missile, engage::ThreatClass::drone,
                                              engage::ThreatClass::ballistic_missile};
        ae.threat = values[*i];
      }
    }
    double from_s = 0.0, until_s = s_.duration_s;
    const bool from_ok = !m.has("from_s") || m.number("from_s", from_s, window_range);
    const bool until_ok = !m.has("until_s") || m.number("until_s", until_s, window_range);
    if (from_ok && until_ok && !(from_s < until_s)) {
      if (m.has("until_s")) {
        d_.report(Errc::invalid_argument, *m.find("until_s"), m.path("until_s"),
                  "until_s (" + number_text(until_s) + ") must be after from_s (" + number_text(from_s) +
                      "): the window [from_s, until_s) is empty");
      } else {
        d_.report(Errc::invalid_argument, m.has("from_s") ? *m.find("from_s") : m.node(), m.path("from_s"),
                  "from_s (" + number_text(from_s) + ") must be before until_s, which defaults to duration_s (" +
                      number_text(until_s) + ")");
      }
    }
    ae.from = SimTime::from_s(from_s);
    ae.until = SimTime::from_s(until_s);
    s_.auto_engagements.push_back(std::move(ae));
  });
}

// ------------------------------------------------------------------------------------------------
// platforms

void Walker::performance(MapReader& m, world::Performance& perf) {
  const YAML::Node* n = m.find("performance");
  if (n == nullptr) return;
  MapReader p(d_, *n, m.path("performance"), performance_keys, "performance limits");
  p.number("max_turn_rate_dps", perf.max_turn_rate_dps, Range{0.0, 100.0, true});
  p.number("max_climb_mps", perf.max_climb_mps, Range{0.0, 1000.0, true});
  p.number("max_accel_mps2", perf.max_accel_mps2, Range{0.0, 500.0, true});
}

int Walker::read_swerling(MapReader& m, int fallback) {
  const YAML::Node* n = m.find("swerling");
  if (n == nullptr) return fallback;
  const auto v = read_integer(d_, *n, m.path("swerling"), 0, 4);
  if (!v) return fallback;
  if (*v != 0 && *v != 1 && *v != 3) {
    d_.report(Errc::invalid_argument, *n, m.path("swerling"),
              "Swerling case " + std::to_string(*v) + " is not modelled; allowed: 0, 1 or 3");
    return fallback;
  }
  return static_cast<int>(*v);
}

void Walker::rcs_and_swerling(MapReader& m, world::PlatformParams& p) {
  m.number("rcs_dbsm", p.rcs_dbsm, rcs_range);
  p.swerling = read_swerling(m, p.swerling);
}

std::optional<std::uint32_t> Walker::read_icao(const YAML::Node& n, const std::string& path) {
  const std::string expected = "an ICAO 24-bit address as 6 hex digits (e.g. 3C65A1)";
  if (!n.IsScalar()) {
    d_.report(Errc::invalid_argument, n, path, "expected " + expected + ", got " + describe(n));
    return std::nullopt;
  }
  const std::string& t = n.Scalar();
  std::uint32_t v = 0;
  bool ok = t.size() == 6;
  for (const char c : t) {
    if (!ok) break;
    int digit = -1;
    if (c >= '0' && c <= '9') digit = c - '0';
    if (c >= 'A' && c <= 'F') digit = c - 'A' + 10;
    if (c >= 'a' && c <= 'f') digit = c - 'a' + 10;
    ok = digit >= 0;
    v = v * 16 + static_cast<std::uint32_t>(std::max(digit, 0));
  }
  if (!ok) {
    d_.report(Errc::invalid_argument, n, path, "expected " + expected + ", got " + quote(t));
    return std::nullopt;
  }
  if (v == 0) {
    d_.report(Errc::invalid_argument, n, path, "ICAO address 000000 is not assignable; use 000001 to FFFFFF");
    return std::nullopt;
  }
  return v;
}

std::optional<std::uint16_t> Walker::read_squawk(const YAML::Node& n, const std::string& path) {
  const std::string expected = "a Mode 3/A code as 4 octal digits 0-7 (e.g. 2471)";
  if (!n.IsScalar()) {
    d_.report(Errc::invalid_argument, n, path, "expected " + expected + ", got " + describe(n));
    return std::nullopt;
  }
  const std::string& t = n.Scalar();
  bool ok = t.size() == 4;
  std::uint16_t v = 0;
  for (const char c : t) {
    if (!ok) break;
    ok = c >= '0' && c <= '7';
    v = static_cast<std::uint16_t>(v * 10 + (c - '0'));
  }
  if (!ok) {
    d_.report(Errc::invalid_argument, n, path, "expected " + expected + ", got " + quote(t));
    return std::nullopt;
  }
  return v;
}

void Walker::claim_icao(std::uint32_t icao, const YAML::Node& at, const std::string& path) {
  const auto [it, inserted] = icao_users_.try_emplace(icao, path);
  if (inserted) return;
  char hex[8];
  std::snprintf(hex, sizeof hex, "%06X", static_cast<unsigned>(icao));
  d_.report(Errc::duplicate_id, at, path,
            std::string("ICAO address ") + hex + " is already used by " + it->second +
                "; each transponder has its own address (a hostile may copy one with spoof.icao)");
}

void Walker::transponder(const YAML::Node& n, const std::string& path, world::Transponder& t) {
  MapReader m(d_, n, path, transponder_keys, "a transponder");
  if (!m.is_map()) return;
  if (const YAML::Node* v = m.find("icao")) {
    t.icao = read_icao(*v, m.path("icao"));
    if (t.icao) claim_icao(*t.icao, *v, m.path("icao"));
  }
  if (const YAML::Node* v = m.find("squawk")) t.squawk = read_squawk(*v, m.path("squawk"));
  m.boolean("mode3_on", t.mode3_on);
  m.boolean("mode5_equipped", t.mode5_equipped);
  m.boolean("mode5_on", t.mode5_on);
  m.integer("nacp", t.nacp, 0, 11);
  if (m.boolean("adsb_out", t.adsb_out) && t.adsb_out && !m.has("icao")) {
    d_.report(Errc::missing_key, *m.find("adsb_out"), m.path("adsb_out"),
              "ADS-B out needs the transponder's 'icao' address");
  }
}

void Walker::spoof(const YAML::Node& n, const std::string& path, world::PlatformParams& p) {
  MapReader m(d_, n, path, spoof_keys, "an ADS-B spoof");
  if (!m.is_map()) return;
  world::AdsbSpoof s;
  if (m.require("icao", "the address broadcast, 6 hex digits")) {
    if (const auto v = read_icao(*m.find("icao"), m.path("icao"))) s.icao = *v;
  }
  if (const YAML::Node* v = m.find("squawk")) s.squawk = read_squawk(*v, m.path("squawk"));
  m.number("offset_east_m", s.offset_east_m, offset_range);
  m.number("offset_north_m", s.offset_north_m, offset_range);
  m.integer("nacp", s.nacp, 0, 11);
  p.spoof = s;
}

bool Walker::callsign(MapReader& m, std::string& out) {
  const YAML::Node* v = m.find("callsign");
  if (v == nullptr) return false;
  const auto t = read_string(d_, *v, m.path("callsign"), 64);
  if (!t) return false;
  const bool ok = t->size() <= 8 && std::all_of(t->begin(), t->end(), [](char c) {
                    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
                  });
  if (!ok) {
    d_.report(Errc::invalid_argument, *v, m.path("callsign"),
              "a callsign is 1 to 8 upper-case letters and digits, got " + quote(*t));
    return false;
  }
  out = *t;
  return true;
}

void Walker::flights(const YAML::Node& n) {
  for_each_item(d_, n, "flights", "civil flights", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    static const Hints hints = {
        {"route", "a flight follows its airway; list traffic with its own route under 'platforms'"},
        {"category", "flights are civil; list other traffic under 'platforms'"},
        {"agl_m", "a flight cruises at 'flight_level' or 'alt_m'"}};
    MapReader m(d_, item, path, flight_keys, "a civil flight", hints);
    if (!m.is_map()) return;
    world::PlatformParams p;
    p.category = world::Category::civil;
    m.choice("kind", p.kind, civil_kind_words, civil_kind_values);
    const KindDefaults kd = kind_defaults(p.kind);
    p.performance = kd.performance;
    p.rcs_dbsm = kd.rcs_dbsm;
    p.swerling = kd.swerling;
    m.require("callsign", "1 to 8 upper-case letters and digits");
    const bool has_callsign = callsign(m, p.callsign);
    if (m.has("id")) {
      p.id = read_defined_id(m, "flight");
    } else if (has_callsign && define_id(p.callsign, "flight", *m.find("callsign"), m.path("callsign"))) {
      p.id = p.callsign;
    }
    const std::vector<LatLon>* airway = nullptr;
    if (m.require("airway", "the id of an airway")) {
      if (const auto* i = read_ref(m, "airway", airways_, "airway")) airway = &airway_points_[*i];
    }
    bool reverse = false;
    m.boolean("reverse", reverse);
    std::optional<double> alt_m;
    if (m.at_most_one({"flight_level", "alt_m"})) {
      if (m.has("flight_level")) {
        int fl = 0;
        if (m.integer("flight_level", fl, 10, 600)) alt_m = fl * 100.0 * units::m_per_ft;
      } else if (m.has("alt_m")) {
        m.number("alt_m", alt_m, alt_range);
      } else {
        d_.report(Errc::missing_key, m.node(), m.path("flight_level"),
                  "a flight needs 'flight_level' (10 to 600, hundreds of feet) or 'alt_m'");
      }
    }
    double speed_mps = kd.speed_mps;
    m.number("speed_mps", speed_mps, speed_range);
    if (m.number("start_time_s", p.start_time_s, time_range)) {
      check_start_time(p.start_time_s, *m.find("start_time_s"), m.path("start_time_s"));
    }
    p.transponder.adsb_out = true;
    if (m.require("icao", "6 hex digits")) {
      p.transponder.icao = read_icao(*m.find("icao"), m.path("icao"));
      if (p.transponder.icao) claim_icao(*p.transponder.icao, *m.find("icao"), m.path("icao"));
    }
    if (const YAML::Node* v = m.find("squawk")) p.transponder.squawk = read_squawk(*v, m.path("squawk"));
    m.boolean("adsb_out", p.transponder.adsb_out);
    m.boolean("mode3_on", p.transponder.mode3_on);
    m.integer("nacp", p.transponder.nacp, 0, 11);
    rcs_and_swerling(m, p);
    performance(m, p.performance);
    if (airway != nullptr && alt_m) {
      for (const auto& pt : *airway) {
        world::Waypoint w;
        w.lat_deg = pt.lat_deg;
        w.lon_deg = pt.lon_deg;
        w.alt_m = *alt_m;
        w.speed_mps = speed_mps;
        p.route.push_back(w);
      }
      if (reverse) std::reverse(p.route.begin(), p.route.end());
    }
    s_.world.platforms.push_back(std::move(p));
  });
}

void Walker::platforms(const YAML::Node& n) {
  for_each_item(d_, n, "platforms", "platforms", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    platform(item, path, nullptr);
  });
}

void Walker::raids(const YAML::Node& n) {
  for_each_item(d_, n, "raids", "raids", [&](const YAML::Node& item, const std::string& path, std::size_t) {
    MapReader m(d_, item, path, raid_keys, "a raid");
    if (!m.is_map()) return;
    read_defined_id(m, "raid");
    std::string name;
    m.string("name", name, 200);
    RaidContext raid;
    if (m.require("start_time_s", "seconds from the scenario start") &&
        m.number("start_time_s", raid.start_time_s, time_range)) {
      raid.valid = check_start_time(raid.start_time_s, *m.find("start_time_s"), m.path("start_time_s"));
    }
    if (!m.require("platforms", "a sequence of hostile platforms")) return;
    const YAML::Node& list = *m.find("platforms");
    if (list.IsNull() || (list.IsSequence() && list.size() == 0)) {
      d_.report(Errc::invalid_argument, list, m.path("platforms"), "a raid needs at least one platform");
      return;
    }
    for_each_item(d_, list, m.path("platforms"), "hostile platforms",
                  [&](const YAML::Node& p, const std::string& ppath, std::size_t) { platform(p, ppath, &raid); });
  });
}

void Walker::platform(const YAML::Node& n, const std::string& path, const RaidContext* raid) {
  static const Hints raid_hints = {
      {"start_time_s", "a raid's platforms start at the raid's start_time_s; use start_offset_s"}};
  static const Hints platform_hints = {
      {"start_offset_s", "start_offset_s is for a raid's platforms; use start_time_s"},
      {"airway", "airways are for civil 'flights'; give a platform a 'route'"},
      {"flight_level", "give a platform's height as 'alt_m' or 'agl_m'"}};
  MapReader m(d_, n, path, raid != nullptr ? raid_platform_keys : platform_keys,
              raid != nullptr ? "a raid's platform" : "a platform", raid != nullptr ? raid_hints : platform_hints);
  if (!m.is_map()) return;
  world::PlatformParams p;
  p.id = read_defined_id(m, "platform");
  callsign(m, p.callsign);
  if (raid != nullptr) {
    p.category = world::Category::hostile;
    if (m.has("category") && m.choice("category", p.category, category_words, category_values) &&
        p.category != world::Category::hostile) {
      d_.report(Errc::invalid_argument, *m.find("category"), m.path("category"),
                "every platform of a raid is hostile; list other platforms under 'platforms'");
    }
  } else {
    m.require("category", join_choices(category_words));
    m.choice("category", p.category, category_words, category_values);
  }
  m.require("kind", join_choices(kind_words));
  m.choice("kind", p.kind, kind_words, kind_values);
  const KindDefaults kd = kind_defaults(p.kind);
  p.performance = kd.performance;
  p.rcs_dbsm = kd.rcs_dbsm;
  p.swerling = kd.swerling;

  if (raid != nullptr) {
    double offset_s = 0.0;
    if (m.number("start_offset_s", offset_s, time_range)) {
      p.start_time_s = raid->start_time_s + offset_s;
      if (raid->valid) check_start_time(p.start_time_s, *m.find("start_offset_s"), m.path("start_offset_s"));
    } else {
      p.start_time_s = raid->start_time_s;
    }
  } else if (m.number("start_time_s", p.start_time_s, time_range)) {
    check_start_time(p.start_time_s, *m.find("start_time_s"), m.path("start_time_s"));
  }

  double speed_mps = kd.speed_mps;
  m.number("speed_mps", speed_mps, speed_range);
  std::optional<double> alt_m, agl_m;
  if (m.at_most_one({"alt_m", "agl_m"})) {
    m.number("alt_m", alt_m, alt_range);
    m.number("agl_m", agl_m, agl_range);
  }
  const bool default_height = m.has("alt_m") || m.has("agl_m");

  if (m.require("route", "a sequence of at least 2 waypoints")) {
    const YAML::Node& route = *m.find("route");
    const std::size_t errors_before = d_.error_count();
    for_each_item(d_, route, m.path("route"), "waypoints", [&](const YAML::Node& wn, const std::string& wpath, std::size_t) {
      world::Waypoint w;
      w.speed_mps = speed_mps;
      if (wn.IsMap()) {
        MapReader wm(d_, wn, wpath, waypoint_keys, "a waypoint");
        const bool has_lat = wm.require("lat_deg", "degrees");
        const bool has_lon = wm.require("lon_deg", "degrees");
        const bool ok = has_lat && has_lon;
        const bool la = wm.number("lat_deg", w.lat_deg, lat_range);
        const bool lo = wm.number("lon_deg", w.lon_deg, lon_range);
        wm.number("speed_mps", w.speed_mps, speed_range);
        if (wm.at_most_one({"alt_m", "agl_m"})) {
          wm.number("alt_m", w.alt_m, alt_range);
          wm.number("agl_m", w.agl_m, agl_range);
        }
        if (!wm.has("alt_m") && !wm.has("agl_m")) {
          w.alt_m = alt_m;
          w.agl_m = agl_m;
          if (!default_height) {
            d_.report(Errc::missing_key, wn, key_path(wpath, "alt_m"),
                      "a waypoint needs 'alt_m' or 'agl_m', here or as a default on its platform");
          }
        }
        if (!(ok && la && lo)) return;
      } else if (wn.IsSequence()) {
        const auto pos = read_latlon(wn, wpath);
        if (!pos) return;
        w.lat_deg = pos->lat_deg;
        w.lon_deg = pos->lon_deg;
        w.alt_m = alt_m;
        w.agl_m = agl_m;
        if (!default_height) {
          d_.report(Errc::missing_key, wn, wpath,
                    "a waypoint [lat_deg, lon_deg] takes its height from the platform's 'alt_m' or 'agl_m', "
                    "and this platform gives neither");
        }
      } else {
        d_.report(Errc::invalid_argument, wn, wpath,
                  "expected a waypoint, [lat_deg, lon_deg] or {lat_deg, lon_deg, alt_m or agl_m, speed_mps}, got " +
                      describe(wn));
        return;
      }
      if (!p.route.empty() && same_place({p.route.back().lat_deg, p.route.back().lon_deg}, {w.lat_deg, w.lon_deg})) {
        d_.report(Errc::invalid_argument, wn, wpath,
                  "this waypoint is at the same place as the one before; each leg needs a length");
      }
      p.route.push_back(w);
    });
    if (d_.error_count() == errors_before && !d_.stopped() && p.route.size() < 2) {
      d_.report(Errc::invalid_argument, route, m.path("route"),
                "a route needs at least 2 waypoints, got " + std::to_string(p.route.size()));
    }
  }

  performance(m, p.performance);
  rcs_and_swerling(m, p);
  if (const YAML::Node* t = m.find("transponder")) transponder(*t, m.path("transponder"), p.transponder);
  if (const YAML::Node* s = m.find("spoof")) {
    if (p.category != world::Category::hostile) {
      d_.report(Errc::invalid_argument, *s, m.path("spoof"), "only a hostile platform may spoof ADS-B");
    } else {
      spoof(*s, m.path("spoof"), p);
    }
  }
  s_.world.platforms.push_back(std::move(p));
}

}  // namespace

// The command module owns the calendar (the agreement's state is computed from these dates).
bool is_calendar_date(std::string_view t) { return command::parse_date(t).has_value(); }

Scenario read_scenario(Diagnostics& d, const YAML::Node& root, const std::string& base_dir) {
  return Walker(d, base_dir).run(root);
}

}  // namespace jrads::scenario::detail
