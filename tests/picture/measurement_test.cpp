#include "jrads/picture/measurement.hpp"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"
#include "jrads/core/units.hpp"
#include "jrads/picture/filter.hpp"

namespace jrads::picture {
namespace {

using units::deg_from_rad;
using units::rad_from_deg;

const Geodetic kOrigin{45.0, 20.0, 0.0};

SensorSite site(const char* id, SensorKind kind, const Geodetic& pos) {
  SensorSite s;
  s.id = id;
  s.party = "T";
  s.kind = kind;
  s.pos = pos;
  return s;
}

// Range, azimuth (deg, [0, 360)) and elevation (deg) of a point, from the sensor's own
// tangent plane: the reference the polar model must reproduce.
struct Polar {
  double range_m, az_deg, el_deg;
};
Polar direct_polar(const Geodetic& sensor, const Geodetic& target) {
  const Enu q = LocalFrame(sensor).enu_from_geodetic(target);
  const double rho = std::hypot(q.e_m, q.n_m);
  double az = deg_from_rad(std::atan2(q.e_m, q.n_m));
  if (az < 0) az += 360.0;
  return {std::hypot(rho, q.u_m), az, deg_from_rad(std::atan2(q.u_m, rho))};
}

Report radar_report(std::uint32_t sensor, const Polar& z) {
  Report r;
  r.sensor = sensor;
  r.kind = SensorKind::radar;
  r.range_m = z.range_m;
  r.azimuth_deg = z.az_deg;
  r.elevation_deg = z.el_deg;
  r.sigma_range_m = 50.0;
  r.sigma_azimuth_deg = 0.2;
  r.sigma_elevation_deg = 0.5;
  return r;
}

Gaussian at(const Eigen::Vector3d& pos_region) {
  Gaussian g;
  g.x.head<3>() = pos_region;
  g.P = StateCov::Identity();
  return g;
}

// A target within a few hundred kilometres of a sensor that is itself up to 2 deg from the
// region origin: separations where a flat-earth shortcut would be off by kilometres.
struct Case {
  Geodetic sensor, target;
};
Case random_case(RngStream& rng) {
  Case c;
  c.sensor = {kOrigin.lat_deg + rng.uniform(-2, 2), kOrigin.lon_deg + rng.uniform(-2, 2), rng.uniform(0, 2000)};
  c.target = {c.sensor.lat_deg + rng.uniform(-2, 2), c.sensor.lon_deg + rng.uniform(-2, 2),
              rng.uniform(100, 15000)};
  return c;
}

TEST(Measurement, SensorGeometryMapsRegionToSensorFrame) {
  RngStream rng = Rng(21).stream("measurement/geometry");
  for (int i = 0; i < 200; ++i) {
    const Case c = random_case(rng);
    const std::vector<SensorSite> sensors{site("R1", SensorKind::radar, c.sensor)};
    const CommonFrame frame(kOrigin, sensors);
    const Measurement m = frame.measurement(radar_report(0, {1000, 0, 0}));
    const Eigen::Vector3d p_region = frame.region().enu_from_geodetic(c.target).vec();
    const Eigen::Vector3d want = LocalFrame(c.sensor).enu_from_geodetic(c.target).vec();
    EXPECT_LT((m.rot_sensor_from_region * p_region + m.offset_m - want).norm(), 1e-6);
    EXPECT_LT((m.rot_sensor_from_region * m.rot_sensor_from_region.transpose() - Eigen::Matrix3d::Identity()).norm(),
              1e-14);
    EXPECT_LT((frame.sensor_position(0) - frame.region().enu_from_geodetic(c.sensor).vec()).norm(), 1e-6);
  }
}

TEST(Measurement, PolarModelMatchesSensorOwnFrame) {
  RngStream rng = Rng(22).stream("measurement/polar");
  for (int i = 0; i < 200; ++i) {
    const Case c = random_case(rng);
    const std::vector<SensorSite> sensors{site("R0", SensorKind::radar, kOrigin),
                                          site("R1", SensorKind::radar, c.sensor)};
    const CommonFrame frame(kOrigin, sensors);
    const Polar z = direct_polar(c.sensor, c.target);
    const Measurement m = frame.measurement(radar_report(1, z));
    ASSERT_EQ(m.model, MeasurementModel::polar);
    EXPECT_DOUBLE_EQ(m.z(1), rad_from_deg(z.az_deg));
    EXPECT_NEAR(m.R(0, 0), 50.0 * 50.0, 1e-9);
    EXPECT_NEAR(m.R(1, 1), std::pow(rad_from_deg(0.2), 2), 1e-18);
    EXPECT_NEAR(m.R(2, 2), std::pow(rad_from_deg(0.5), 2), 1e-18);
    EXPECT_EQ(m.R(0, 1), 0.0);
    // nu = z - h(x) at the true position: h reproduces the sensor's own polar coordinates.
    const Innovation inn = innovate(at(frame.region().enu_from_geodetic(c.target).vec()), m);
    ASSERT_TRUE(inn.valid);
    EXPECT_NEAR(inn.nu(0), 0.0, 1e-6);
    EXPECT_NEAR(inn.nu(1), 0.0, 1e-9);
    EXPECT_NEAR(inn.nu(2), 0.0, 1e-9);
  }
}

TEST(Measurement, PositionOfInvertsPolarModel) {
  RngStream rng = Rng(23).stream("measurement/inverse");
  for (int i = 0; i < 200; ++i) {
    const Case c = random_case(rng);
    const std::vector<SensorSite> sensors{site("R1", SensorKind::iff, c.sensor)};
    const CommonFrame frame(kOrigin, sensors);
    Report r = radar_report(0, direct_polar(c.sensor, c.target));
    r.kind = SensorKind::iff;
    const Measurement m = frame.measurement(r);
    ASSERT_EQ(m.model, MeasurementModel::polar);
    const PositionEstimate pe = position_of(m);
    EXPECT_LT((pe.pos - frame.region().enu_from_geodetic(c.target).vec()).norm(), 1e-3);
    // Covariance: G R G^T with G the derivative of the inverse map, by central differences.
    Eigen::Matrix3d g;
    const double step[3] = {1.0, 1e-6, 1e-6};
    for (int k = 0; k < 3; ++k) {
      Measurement lo = m, hi = m;
      lo.z(k) -= step[k];
      hi.z(k) += step[k];
      g.col(k) = (position_of(hi).pos - position_of(lo).pos) / (2 * step[k]);
    }
    const Eigen::Matrix3d want = g * m.R * g.transpose();
    EXPECT_LT((pe.cov - want).norm(), 1e-6 * want.norm());
    EXPECT_EQ(pe.cov, pe.cov.transpose());
  }
}

TEST(Measurement, PolarJacobianMatchesCentralDifferences) {
  RngStream rng = Rng(24).stream("measurement/jacobian");
  for (int i = 0; i < 200; ++i) {
    const Case c = random_case(rng);
    const std::vector<SensorSite> sensors{site("R1", SensorKind::radar, c.sensor)};
    const CommonFrame frame(kOrigin, sensors);
    const Measurement m = frame.measurement(radar_report(0, direct_polar(c.sensor, c.target)));
    const Eigen::Vector3d p = frame.region().enu_from_geodetic(c.target).vec();
    const Innovation inn = innovate(at(p), m);
    ASSERT_TRUE(inn.valid);
    // h(x) = z - nu(x); a 1 m step is tiny against ranges of tens of kilometres.
    Eigen::Matrix3d numeric;
    for (int k = 0; k < 3; ++k) {
      Eigen::Vector3d lo = p, hi = p;
      lo(k) -= 1.0;
      hi(k) += 1.0;
      numeric.col(k) = -(innovate(at(hi), m).nu - innovate(at(lo), m).nu) / 2.0;
    }
    for (int row = 0; row < 3; ++row) {
      const double scale = numeric.row(row).norm();
      EXPECT_LT((inn.H.block<1, 3>(row, 0) - numeric.row(row)).norm(), 1e-6 * scale) << "row " << row;
    }
    EXPECT_EQ(inn.H.rightCols<4>().norm(), 0.0);
  }
}

// A point seen from `sensor` at the given polar coordinates, in the region frame.
Eigen::Vector3d region_point(const CommonFrame& frame, const Geodetic& sensor, double range_m, double az_deg,
                             double el_deg) {
  const double az = rad_from_deg(az_deg), el = rad_from_deg(el_deg);
  const Enu q{range_m * std::cos(el) * std::sin(az), range_m * std::cos(el) * std::cos(az), range_m * std::sin(el)};
  return frame.region().enu_from_ecef(LocalFrame(sensor).ecef_from_enu(q)).vec();
}

TEST(Measurement, AzimuthInnovationWrapsThroughNorth) {
  const Geodetic sensor{45.4, 20.6, 300.0};
  const std::vector<SensorSite> sensors{site("R1", SensorKind::radar, sensor)};
  const CommonFrame frame(kOrigin, sensors);
  const Eigen::Vector3d east_of_north = region_point(frame, sensor, 80e3, 0.05, 2.0);
  const Eigen::Vector3d west_of_north = region_point(frame, sensor, 80e3, 359.95, 2.0);

  const Innovation a = innovate(at(east_of_north), frame.measurement(radar_report(0, {80e3, 359.95, 2.0})));
  ASSERT_TRUE(a.valid);
  EXPECT_NEAR(a.nu(1), rad_from_deg(-0.1), 1e-9);
  const Innovation b = innovate(at(west_of_north), frame.measurement(radar_report(0, {80e3, 0.05, 2.0})));
  ASSERT_TRUE(b.valid);
  EXPECT_NEAR(b.nu(1), rad_from_deg(0.1), 1e-9);
  // The predicted azimuth is in [0, 2 pi): a report at 359.95 deg matches exactly.
  const Innovation c = innovate(at(west_of_north), frame.measurement(radar_report(0, {80e3, 359.95, 2.0})));
  EXPECT_NEAR(c.nu(1), 0.0, 1e-9);
  // Wrapping keeps the innovation in (-pi, pi] even for a report given as -0.05 deg.
  const Innovation d = innovate(at(west_of_north), frame.measurement(radar_report(0, {80e3, -0.05, 2.0})));
  EXPECT_NEAR(d.nu(1), 0.0, 1e-9);
  // And the gate statistic sees 0.1 deg, not 359.9 deg: well inside 3 sigma of 0.2 deg.
  EXPECT_LT(a.d2, 9.0);
}

TEST(Measurement, PolarModelRefusesDegenerateGeometry) {
  const Geodetic sensor{45.2, 20.1, 100.0};
  const std::vector<SensorSite> sensors{site("R1", SensorKind::radar, sensor)};
  const CommonFrame frame(kOrigin, sensors);
  const Measurement m = frame.measurement(radar_report(0, {5000, 10, 45}));
  EXPECT_FALSE(innovate(at(frame.sensor_position(0)), m).valid);  // at the antenna
  EXPECT_FALSE(innovate(at(region_point(frame, sensor, 5000, 0, 90)), m).valid);  // overhead
  EXPECT_TRUE(innovate(at(region_point(frame, sensor, 5000, 0, 89.9)), m).valid);
  EXPECT_TRUE(innovate(at(region_point(frame, sensor, 5000, 10, 45)), m).valid);
}

TEST(Measurement, AdsbReportIsRegionPosition) {
  const std::vector<SensorSite> sensors{site("R1", SensorKind::radar, {45.5, 20.5, 0}),
                                        site("A1", SensorKind::adsb, {44.5, 19.5, 0})};
  const CommonFrame frame(kOrigin, sensors);
  Report r;
  r.sensor = 1;
  r.kind = SensorKind::adsb;
  r.pos = {46.1, 21.2, 10500};
  r.sigma_pos_m = 30.0;
  const Measurement m = frame.measurement(r);
  ASSERT_EQ(m.model, MeasurementModel::position);
  EXPECT_LT((m.z - frame.region().enu_from_geodetic(r.pos).vec()).norm(), 1e-9);
  EXPECT_EQ(m.R, Eigen::Matrix3d::Identity() * 900.0);
  const PositionEstimate pe = position_of(m);
  EXPECT_EQ(pe.pos, m.z);
  EXPECT_EQ(pe.cov, m.R);
  const Innovation inn = innovate(at(m.z + Eigen::Vector3d(3, -4, 12)), m);
  ASSERT_TRUE(inn.valid);
  EXPECT_LT((inn.nu - Eigen::Vector3d(-3, 4, -12)).norm(), 1e-12);
  EXPECT_EQ(inn.H.leftCols<3>(), Eigen::Matrix3d::Identity());
}

TEST(Measurement, AdsbHeightIsTrustedNoBetterThanTheVerticalFloor) {
  const std::vector<SensorSite> sensors{site("A1", SensorKind::adsb, {44.5, 19.5, 0})};
  Report r;
  r.kind = SensorKind::adsb;
  r.pos = {44.6, 19.7, 9000};
  r.sigma_pos_m = 10.0;
  const Measurement m = CommonFrame(kOrigin, sensors).measurement(r);
  EXPECT_EQ(m.R(0, 0), 100.0);
  EXPECT_EQ(m.R(1, 1), 100.0);
  EXPECT_EQ(m.R(2, 2), 900.0);  // the default floor of 30 m
  EXPECT_EQ(CommonFrame(kOrigin, sensors, 5.0).measurement(r).R(2, 2), 100.0);
}

TEST(Measurement, LocalVelocityIsEnuAtTheObject) {
  RngStream rng = Rng(25).stream("measurement/velocity");
  const std::vector<SensorSite> none;
  const CommonFrame frame(kOrigin, none);
  const Eigen::Matrix3d rot_region = rot_enu_from_ecef(kOrigin.lat_deg, kOrigin.lon_deg);
  for (int i = 0; i < 100; ++i) {
    const Geodetic obj{kOrigin.lat_deg + rng.uniform(-3, 3), kOrigin.lon_deg + rng.uniform(-3, 3),
                       rng.uniform(0, 20000)};
    const Eigen::Vector3d v_local(rng.uniform(-300, 300), rng.uniform(-300, 300), rng.uniform(-50, 50));
    const Eigen::Vector3d v_ecef = rot_enu_from_ecef(obj.lat_deg, obj.lon_deg).transpose() * v_local;
    const Eigen::Vector3d v_region = rot_region * v_ecef;
    const Eigen::Vector3d pos_region = frame.region().enu_from_geodetic(obj).vec();
    EXPECT_LT((frame.local_velocity(pos_region, v_region) - v_local).norm(), 1e-9);
    const Geodetic back = frame.geodetic_from_region(pos_region);
    EXPECT_NEAR(back.lat_deg, obj.lat_deg, 1e-9);
    EXPECT_NEAR(back.lon_deg, obj.lon_deg, 1e-9);
    EXPECT_NEAR(back.alt_m, obj.alt_m, 1e-6);
  }
  // Far from the origin the two frames differ visibly, so the check above is not vacuous:
  // 3 deg of longitude turn the axes by about 2 deg at 45 N.
  const Geodetic far{45.0, 23.0, 10000};
  const Eigen::Vector3d v_region(250, 0, 0);
  const Eigen::Vector3d v_local = frame.local_velocity(frame.region().enu_from_geodetic(far).vec(), v_region);
  EXPECT_GT((v_local - v_region).norm(), 5.0);
  EXPECT_NEAR(v_local.norm(), 250.0, 1e-9);
}

TEST(Measurement, CentroidIsMeanSensorPositionOnTheEllipsoid) {
  // Symmetric about the equator: the ECEF mean lies on the equator, inside the earth.
  const std::vector<SensorSite> pair{site("A", SensorKind::radar, {10, 20, 500}),
                                     site("B", SensorKind::radar, {-10, 20, 500})};
  const Geodetic c = CommonFrame::centroid_of(pair);
  EXPECT_NEAR(c.lat_deg, 0.0, 1e-9);
  EXPECT_NEAR(c.lon_deg, 20.0, 1e-9);
  EXPECT_EQ(c.alt_m, 0.0);
  // Three sensors around (45, 20): the centroid's tangent plane has them at zero mean
  // horizontal offset, to first order.
  const std::vector<SensorSite> three{site("A", SensorKind::radar, {44.9, 19.8, 300}),
                                      site("B", SensorKind::radar, {45.2, 20.1, 900}),
                                      site("C", SensorKind::adsb, {44.95, 20.3, 100})};
  const Geodetic c3 = CommonFrame::centroid_of(three);
  EXPECT_EQ(c3.alt_m, 0.0);
  const CommonFrame frame(c3, three);
  Eigen::Vector3d mean = Eigen::Vector3d::Zero();
  for (std::uint32_t i = 0; i < 3; ++i) mean += frame.sensor_position(i) / 3.0;
  EXPECT_LT(std::hypot(mean.x(), mean.y()), 1.0);
  // The mean ECEF point projects to height zero, so the sensors are above it on average.
  EXPECT_NEAR(mean.z(), (300 + 900 + 100) / 3.0, 50.0);
}

}  // namespace
}  // namespace jrads::picture
