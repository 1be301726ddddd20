#pragma once
// Airspace control measures and weapons control status (mission: ROE, WCS per zone,
// corridors, no-fire areas). Zones are drawn in latitude and longitude and held in the
// region's local plane (edges straight there; zones are tens of km, where that differs from
// any other reading by metres), each with a height band.
//
// Boundaries fall on the safe side: a point on the edge of a restriction (no-fire area, safe
// corridor, fighter engagement zone) is inside it; a point on the edge of a permission
// (missile engagement zone) is outside it.
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "jrads/core/geodesy.hpp"
#include "jrads/core/polygon.hpp"
#include "jrads/core/result.hpp"

namespace jrads::command {

enum class ZoneKind : std::uint8_t {
  no_fire_area,             // no engagement of a target inside
  safe_corridor,            // for civil and friendly traffic: no engagement of a target inside
  missile_engagement_zone,  // where a unit assigned to it may engage (MEZ)
  fighter_engagement_zone,  // where friendly fighters engage: their presence blocks surface fire (FEZ)
  control_area,             // only carries weapons control status
};
[[nodiscard]] const char* to_string(ZoneKind k) noexcept;

struct ZoneParams {
  std::string id;
  ZoneKind kind = ZoneKind::control_area;
  std::vector<Geodetic> polygon;     // a simple polygon (heights ignored), or ...
  std::vector<Geodetic> centreline;  // ... for a corridor, a polyline of >= 2 points
  double half_width_m = 0.0;         // corridor only: (0, 100 km]
  double min_alt_m = -1000.0;        // height band [min, max], m above the ellipsoid
  double max_alt_m = 30000.0;
};

struct Zone {
  std::string id;
  ZoneKind kind = ZoneKind::control_area;
  std::vector<Point2> polygon;     // region plane
  std::vector<Point2> centreline;  // corridor
  double half_width_m = 0.0;
  double min_alt_m = 0.0, max_alt_m = 0.0;
};

enum class Wcs : std::uint8_t {
  free,   // fire at any target not identified as friendly (the civil interlock still applies)
  tight,  // fire only at targets identified hostile
  hold,   // fire only in self-defence (not modelled: no fire)
};
[[nodiscard]] const char* to_string(Wcs w) noexcept;

// A weapons control status for a zone (empty: the whole region) and a party (empty: every
// party). Where several apply, the most restrictive holds.
struct WcsSetting {
  std::string zone;
  std::string party;
  Wcs wcs = Wcs::tight;
};

class Airspace {
 public:
  // Checks every zone (unique non-empty ids; simple polygon of >= 3 vertices, or a corridor
  // with >= 2 distinct points and a half width in (0, 100 km]; min_alt_m < max_alt_m) and
  // every WCS setting (a known zone or empty). Errors name the zone or setting.
  [[nodiscard]] static Result<Airspace> make(const Geodetic& region_origin, std::vector<ZoneParams> zones,
                                             std::vector<WcsSetting> wcs, Wcs default_wcs = Wcs::tight);

  // Whether a point (region plane, height above the ellipsoid) is in a zone, by the safe-side
  // rule above.
  [[nodiscard]] bool contains(const Zone& z, Point2 p, double alt_m) const noexcept;
  // The zones containing the point, in their order of definition.
  [[nodiscard]] std::vector<const Zone*> zones_at(Point2 p, double alt_m) const;
  // The weapons control status for a party's forces at a point, and the settings that decided.
  struct WcsAt {
    Wcs wcs = Wcs::tight;
    std::string because;  // "default", "region", or the zone id
  };
  [[nodiscard]] WcsAt wcs_at(const std::string& party, Point2 p, double alt_m) const;

  [[nodiscard]] Point2 plane_from_geodetic(const Geodetic& g) const noexcept;
  [[nodiscard]] const std::vector<Zone>& zones() const noexcept { return zones_; }
  [[nodiscard]] const Zone* zone(const std::string& id) const noexcept;

 private:
  Airspace(const Geodetic& origin) : frame_(origin) {}
  LocalFrame frame_;
  std::vector<Zone> zones_;
  std::vector<WcsSetting> wcs_;
  Wcs default_wcs_ = Wcs::tight;
};

}  // namespace jrads::command
