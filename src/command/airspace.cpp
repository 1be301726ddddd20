#include "jrads/command/airspace.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace jrads::command {

const char* to_string(ZoneKind k) noexcept {
  switch (k) {
    case ZoneKind::no_fire_area: return "no_fire_area";
    case ZoneKind::safe_corridor: return "safe_corridor";
    case ZoneKind::missile_engagement_zone: return "missile_engagement_zone";
    case ZoneKind::fighter_engagement_zone: return "fighter_engagement_zone";
    case ZoneKind::control_area: return "control_area";
  }
  return "?";
}

const char* to_string(Wcs w) noexcept {
  switch (w) {
    case Wcs::free: return "free";
    case Wcs::tight: return "tight";
    case Wcs::hold: return "hold";
  }
  return "?";
}

namespace {
constexpr double kMaxCorridorHalfWidth_m = 100000.0;
constexpr double kBoundaryTolerance_m = 0.5;  // within this of an edge is on it

int strictness(Wcs w) noexcept { return w == Wcs::free ? 0 : w == Wcs::tight ? 1 : 2; }
bool is_restriction(ZoneKind k) noexcept { return k != ZoneKind::missile_engagement_zone; }
// Where a point lies horizontally: a corridor holds every point within its half width (its
// edge included, a corridor being a restriction), a polygon says inside, outside or on the edge.
PointLocation horizontal_location(const Zone& z, Point2 p) noexcept {
  if (z.kind == ZoneKind::safe_corridor) {
    return distance_to_polyline(z.centreline, p) <= z.half_width_m ? PointLocation::inside : PointLocation::outside;
  }
  return locate_point(z.polygon, p, kBoundaryTolerance_m);
}
}  // namespace

Point2 Airspace::plane_from_geodetic(const Geodetic& g) const noexcept {
  const Enu e = frame_.enu_from_geodetic(Geodetic{g.lat_deg, g.lon_deg, 0.0});
  return {e.e_m, e.n_m};
}

Result<Airspace> Airspace::make(const Geodetic& origin, std::vector<ZoneParams> zones, std::vector<WcsSetting> wcs,
                                Wcs default_wcs) {
  Airspace a(origin);
  a.default_wcs_ = default_wcs;
  std::set<std::string> ids;
  for (const ZoneParams& zp : zones) {
    const std::string where = "zone '" + zp.id + "'";
    if (zp.id.empty() || !ids.insert(zp.id).second) return fail(Errc::duplicate_id, where + ": empty or given twice");
    if (!(zp.min_alt_m < zp.max_alt_m)) return fail(Errc::invalid_argument, where + ": min_alt_m must be below max_alt_m");
    Zone z;
    z.id = zp.id;
    z.kind = zp.kind;
    z.min_alt_m = zp.min_alt_m;
    z.max_alt_m = zp.max_alt_m;
    if (zp.kind == ZoneKind::safe_corridor) {
      if (zp.centreline.size() < 2) return fail(Errc::invalid_argument, where + ": a corridor needs a centreline of >= 2 points");
      if (!(zp.half_width_m > 0.0 && zp.half_width_m <= kMaxCorridorHalfWidth_m)) {
        return fail(Errc::invalid_argument, where + ": half_width_m must be in (0, 100000]");
      }
      for (const Geodetic& g : zp.centreline) z.centreline.push_back(a.plane_from_geodetic(g));
      for (std::size_t k = 0; k + 1 < z.centreline.size(); ++k) {
        if (std::hypot(z.centreline[k + 1].x_m - z.centreline[k].x_m, z.centreline[k + 1].y_m - z.centreline[k].y_m) < 1.0) {
          return fail(Errc::invalid_argument, where + ": centreline points " + std::to_string(k) + " and " +
                                                  std::to_string(k + 1) + " coincide");
        }
      }
      z.half_width_m = zp.half_width_m;
    } else {
      for (const Geodetic& g : zp.polygon) z.polygon.push_back(a.plane_from_geodetic(g));
      if (auto simple = check_simple_polygon(z.polygon); !simple) {
        return fail(Errc::invalid_argument, where + ": " + simple.error().message);
      }
    }
    a.zones_.push_back(std::move(z));
  }
  for (std::size_t k = 0; k < wcs.size(); ++k) {
    if (!wcs[k].zone.empty() && ids.count(wcs[k].zone) == 0) {
      return fail(Errc::dangling_ref, "weapons control setting " + std::to_string(k) + ": unknown zone '" + wcs[k].zone + "'");
    }
  }
  a.wcs_ = std::move(wcs);
  return a;
}

bool Airspace::contains(const Zone& z, Point2 p, double alt_m) const noexcept {
  const bool restriction = is_restriction(z.kind);
  // Height band: its edges follow the same rule.
  if (restriction ? (alt_m < z.min_alt_m || alt_m > z.max_alt_m) : (alt_m <= z.min_alt_m || alt_m >= z.max_alt_m)) {
    return false;
  }
  const PointLocation where = horizontal_location(z, p);
  return where == PointLocation::inside || (restriction && where == PointLocation::on_boundary);
}

std::vector<const Zone*> Airspace::zones_at(Point2 p, double alt_m) const {
  std::vector<const Zone*> out;
  for (const Zone& z : zones_) {
    if (contains(z, p, alt_m)) out.push_back(&z);
  }
  return out;
}

const Zone* Airspace::zone(const std::string& id) const noexcept {
  const auto it = std::find_if(zones_.begin(), zones_.end(), [&](const Zone& z) { return z.id == id; });
  return it == zones_.end() ? nullptr : &*it;
}

Airspace::WcsAt Airspace::wcs_at(const std::string& party, Point2 p, double alt_m) const {
  WcsAt out{default_wcs_, "default"};
  bool set = false;
  for (const WcsSetting& w : wcs_) {
    if (!w.party.empty() && w.party != party) continue;
    if (!w.zone.empty()) {
      const Zone* z = zone(w.zone);
      // A zone's status applies inside it; on its edge it applies when that is the safer.
      if (z == nullptr) continue;
      const PointLocation where = horizontal_location(*z, p);
      const bool in_band = alt_m >= z->min_alt_m && alt_m <= z->max_alt_m;
      const bool applies = in_band && (where == PointLocation::inside ||
                                       (where == PointLocation::on_boundary && strictness(w.wcs) > strictness(out.wcs)));
      if (!applies) continue;
    }
    // Explicit settings replace the default; among them the most restrictive holds.
    if (!set || strictness(w.wcs) > strictness(out.wcs)) {
      out = {w.wcs, w.zone.empty() ? "region" : w.zone};
      set = true;
    }
  }
  return out;
}

}  // namespace jrads::command
