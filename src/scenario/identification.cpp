#include "jrads/scenario/identification.hpp"

namespace jrads::scenario {

picture::IdentificationContext identification_context(const Scenario& s) {
  picture::IdentificationContext ctx;
  for (const world::PlatformParams& p : s.world.platforms) {
    if (p.category == world::Category::hostile) continue;
    const world::Transponder& tx = p.transponder;
    if (!tx.icao && !tx.squawk) continue;  // nothing to match a plan by
    picture::FlightPlan fp;
    fp.callsign = p.callsign.empty() ? p.id : p.callsign;
    fp.icao = tx.icao;
    fp.squawk = tx.squawk;
    fp.friendly = p.category == world::Category::friendly;
    fp.departure_s = p.start_time_s;
    for (const world::Waypoint& w : p.route) {
      fp.route.push_back(Geodetic{w.lat_deg, w.lon_deg, 0.0});
      fp.leg_speed_mps.push_back(w.speed_mps);
    }
    if (fp.route.size() >= 2) ctx.flight_plans.push_back(std::move(fp));
  }
  for (const world::DefendedAssetParams& a : s.world.defended_assets) {
    ctx.assets.push_back({a.id, Geodetic{a.lat_deg, a.lon_deg, 0.0}, a.radius_m});
  }
  for (const OriginArea& a : s.hostile_origin_areas) {
    picture::OriginArea o;
    o.id = a.id;
    for (const world::LatLon& v : a.polygon) o.polygon.push_back(Geodetic{v.lat_deg, v.lon_deg, 0.0});
    ctx.hostile_origins.push_back(std::move(o));
  }
  return ctx;
}

}  // namespace jrads::scenario
