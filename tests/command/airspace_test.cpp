#include "jrads/command/airspace.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace jrads::command {
namespace {

const Geodetic kOrigin{45.0, 20.0, 0.0};

// Geodetic vertices from points of the region plane (km), so tests can reason in the plane.
std::vector<Geodetic> ring_km(std::initializer_list<Point2> pts) {
  const LocalFrame f(kOrigin);
  std::vector<Geodetic> out;
  for (const Point2& p : pts) out.push_back(f.geodetic_from_enu(Enu{p.x_m * 1000.0, p.y_m * 1000.0, 0.0}));
  return out;
}

Point2 km(double x, double y) { return {x * 1000.0, y * 1000.0}; }

// A concave "C" 10 x 10 km with the notch x in (3, 10), y in (3, 7) km open to the east.
std::vector<Geodetic> c_shape() { return ring_km({{0, 0}, {10, 0}, {10, 3}, {3, 3}, {3, 7}, {10, 7}, {10, 10}, {0, 10}}); }

Airspace make(std::vector<ZoneParams> zones, std::vector<WcsSetting> wcs = {}, Wcs def = Wcs::tight) {
  auto a = Airspace::make(kOrigin, std::move(zones), std::move(wcs), def);
  EXPECT_TRUE(a) << (a ? "" : a.error().message);
  return std::move(*a);
}

TEST(Airspace, ConcaveNoFireAreaWithItsEdgesAndVertices) {
  const Airspace a = make({{"NFA", ZoneKind::no_fire_area, c_shape(), {}, 0, 0, 20000}});
  const Zone& z = a.zones()[0];
  EXPECT_TRUE(a.contains(z, km(1, 5), 5000));
  EXPECT_FALSE(a.contains(z, km(5, 5), 5000));  // in the notch
  EXPECT_TRUE(a.contains(z, km(5, 3), 5000));   // on the notch's edge: inside a restriction
  EXPECT_TRUE(a.contains(z, km(3, 3), 5000));   // on a reflex vertex
  EXPECT_TRUE(a.contains(z, km(10, 10), 5000)); // on a convex vertex
  EXPECT_FALSE(a.contains(z, km(5, 3.01), 5000));
  EXPECT_FALSE(a.contains(z, km(1, 5), 20001)); // above its band
  EXPECT_TRUE(a.contains(z, km(1, 5), 20000));  // on the band's top
  EXPECT_TRUE(a.contains(z, km(1, 5), 0));
}

TEST(Airspace, APermissionExcludesItsBoundary) {
  const Airspace a = make({{"MEZ", ZoneKind::missile_engagement_zone, c_shape(), {}, 0, 0, 20000}});
  const Zone& z = a.zones()[0];
  EXPECT_TRUE(a.contains(z, km(1, 5), 5000));
  EXPECT_FALSE(a.contains(z, km(5, 3), 5000));   // its edge
  EXPECT_FALSE(a.contains(z, km(0, 0), 5000));   // its vertex
  EXPECT_FALSE(a.contains(z, km(1, 5), 20000));  // its height limit
  EXPECT_FALSE(a.contains(z, km(5, 5), 5000));
}

TEST(Airspace, CorridorBoundariesAreInside) {
  // A dog-leg corridor 4 km wide (2 km each side): (0,0) -> (20,0) -> (20,20) km.
  ZoneParams corridor{"COR", ZoneKind::safe_corridor, {}, ring_km({{0, 0}, {20, 0}, {20, 20}}), 2000.0, 8000, 12000};
  const Airspace a = make({corridor});
  const Zone& z = a.zones()[0];
  EXPECT_TRUE(a.contains(z, km(10, 0), 10000));
  EXPECT_TRUE(a.contains(z, km(10, 1.9995), 10000));   // just inside the edge
  EXPECT_FALSE(a.contains(z, km(10, 2.002), 10000));   // just outside
  EXPECT_TRUE(a.contains(z, km(21.4, 1.4), 10000));    // the outer corner of the bend (1.98 km)
  EXPECT_FALSE(a.contains(z, km(21.5, -1.5), 10000));  // beyond it: 2.12 km from the bend
  EXPECT_TRUE(a.contains(z, km(-1.9, 0), 10000));      // round its start
  EXPECT_FALSE(a.contains(z, km(10, 0), 7999));        // below it
  EXPECT_TRUE(a.contains(z, km(10, 0), 8000));         // on its floor
}

TEST(Airspace, TheMostRestrictiveWeaponsControlStatusHolds) {
  const Airspace a = make({{"HOLD", ZoneKind::control_area, ring_km({{0, 0}, {10, 0}, {10, 10}, {0, 10}}), {}, 0, 0, 20000},
                           {"FREE", ZoneKind::control_area, ring_km({{20, 0}, {30, 0}, {30, 10}, {20, 10}}), {}, 0, 0, 20000}},
                          {{"", "", Wcs::tight}, {"HOLD", "", Wcs::hold}, {"FREE", "", Wcs::free}, {"", "MOR", Wcs::hold}});
  EXPECT_EQ(a.wcs_at("KAL", km(5, 5), 1000).wcs, Wcs::hold);
  EXPECT_EQ(a.wcs_at("KAL", km(5, 5), 1000).because, "HOLD");
  EXPECT_EQ(a.wcs_at("KAL", km(15, 5), 1000).wcs, Wcs::tight);
  EXPECT_EQ(a.wcs_at("KAL", km(15, 5), 1000).because, "region");
  // Free in FREE is still tight: the region setting is more restrictive.
  EXPECT_EQ(a.wcs_at("KAL", km(25, 5), 1000).wcs, Wcs::tight);
  // The edge of HOLD is held (the safer); MOR is held everywhere.
  EXPECT_EQ(a.wcs_at("KAL", km(10, 5), 1000).wcs, Wcs::hold);
  EXPECT_EQ(a.wcs_at("MOR", km(25, 5), 1000).wcs, Wcs::hold);
  // Without any setting, the default.
  const Airspace plain = make({}, {}, Wcs::free);
  EXPECT_EQ(plain.wcs_at("KAL", km(0, 0), 0).wcs, Wcs::free);
  EXPECT_EQ(plain.wcs_at("KAL", km(0, 0), 0).because, "default");
  // A free zone loosens a tight default when no region-wide setting exists.
  const Airspace loose = make({{"FREE", ZoneKind::control_area, ring_km({{0, 0}, {10, 0}, {10, 10}, {0, 10}}), {}, 0, 0, 20000}},
                              {{"FREE", "", Wcs::free}}, Wcs::tight);
  EXPECT_EQ(loose.wcs_at("KAL", km(5, 5), 0).wcs, Wcs::free);
  EXPECT_EQ(loose.wcs_at("KAL", km(15, 5), 0).wcs, Wcs::tight);
  EXPECT_EQ(loose.wcs_at("KAL", km(10, 5), 0).wcs, Wcs::tight);  // its edge: not the safer, so not applied
}

std::string error_of(std::vector<ZoneParams> zones, std::vector<WcsSetting> wcs = {}) {
  const auto a = Airspace::make(kOrigin, std::move(zones), std::move(wcs));
  return a ? "" : a.error().message;
}

TEST(Airspace, BadZonesAreRejectedByName) {
  EXPECT_EQ(error_of({{"X", ZoneKind::no_fire_area, ring_km({{0, 0}, {10, 10}, {10, 0}, {0, 10}}), {}, 0, 0, 1000}}),
            "zone 'X': edges 0-1 and 2-3 cross or touch; the polygon must be simple");
  EXPECT_EQ(error_of({{"X", ZoneKind::no_fire_area, ring_km({{0, 0}, {1, 0}}), {}, 0, 0, 1000}}),
            "zone 'X': a polygon needs at least 3 distinct vertices, got 2");
  EXPECT_EQ(error_of({{"X", ZoneKind::no_fire_area, c_shape(), {}, 0, 0, 1000}, {"X", ZoneKind::no_fire_area, c_shape(), {}, 0, 0, 1000}}),
            "zone 'X': empty or given twice");
  EXPECT_EQ(error_of({{"C", ZoneKind::safe_corridor, {}, ring_km({{0, 0}}), 1000, 0, 1000}}),
            "zone 'C': a corridor needs a centreline of >= 2 points");
  EXPECT_EQ(error_of({{"C", ZoneKind::safe_corridor, {}, ring_km({{0, 0}, {5, 0}}), 0, 0, 1000}}),
            "zone 'C': half_width_m must be in (0, 100000]");
  EXPECT_EQ(error_of({{"C", ZoneKind::safe_corridor, {}, ring_km({{0, 0}, {0, 0}}), 10, 0, 1000}}),
            "zone 'C': centreline points 0 and 1 coincide");
  EXPECT_EQ(error_of({{"X", ZoneKind::no_fire_area, c_shape(), {}, 0, 1000, 1000}}), "zone 'X': min_alt_m must be below max_alt_m");
  EXPECT_EQ(error_of({}, {{"NOPE", "", Wcs::hold}}), "weapons control setting 0: unknown zone 'NOPE'");
}

}  // namespace
}  // namespace jrads::command
