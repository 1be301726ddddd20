#include "jrads/picture/measurement.hpp"

#include <algorithm>
#include <cmath>

#include "jrads/core/result.hpp"
#include "jrads/core/units.hpp"

namespace jrads::picture {

CommonFrame::CommonFrame(const Geodetic& origin, std::span<const SensorSite> sensors, double adsb_min_vertical_sigma_m)
    : region_(origin), adsb_min_vertical_sigma_m_(adsb_min_vertical_sigma_m) {
  // p_sensor = R_s (p_ecef - s_ecef) and p_ecef = R_0^T p_region + o_ecef, so
  // p_sensor = R_s R_0^T p_region + R_s (o_ecef - s_ecef): exact for any separation.
  const Eigen::Matrix3d rot_region = rot_enu_from_ecef(origin.lat_deg, origin.lon_deg);
  const Eigen::Vector3d origin_ecef = region_.origin_ecef().vec();
  sensors_.reserve(sensors.size());
  for (const SensorSite& s : sensors) {
    const Eigen::Matrix3d rot_sensor = rot_enu_from_ecef(s.pos.lat_deg, s.pos.lon_deg);
    const Ecef site_ecef = ecef_from_geodetic(s.pos);
    SensorGeometry g;
    g.rot_sensor_from_region = rot_sensor * rot_region.transpose();
    g.offset_m = rot_sensor * (origin_ecef - site_ecef.vec());
    g.pos_region = region_.enu_from_ecef(site_ecef).vec();
    sensors_.push_back(g);
  }
}

Geodetic CommonFrame::centroid_of(std::span<const SensorSite> sensors) noexcept {
  if (sensors.empty()) return Geodetic{};
  Eigen::Vector3d sum = Eigen::Vector3d::Zero();
  for (const SensorSite& s : sensors) sum += ecef_from_geodetic(s.pos).vec();
  Geodetic c = geodetic_from_ecef(Ecef::from(sum / static_cast<double>(sensors.size())));
  c.alt_m = 0.0;
  return c;
}

Measurement CommonFrame::measurement(const Report& report) const {
  JRADS_ASSERT(report.sensor < sensors_.size());
  const SensorGeometry& g = sensors_[report.sensor];
  Measurement m;
  if (report.kind == SensorKind::adsb) {
    m.model = MeasurementModel::position;
    m.z = region_.enu_from_geodetic(report.pos).vec();
    m.R = Eigen::Matrix3d::Identity() * (report.sigma_pos_m * report.sigma_pos_m);
    const double v = std::max(report.sigma_pos_m, adsb_min_vertical_sigma_m_);
    m.R(2, 2) = v * v;
  } else {
    m.model = MeasurementModel::polar;
    m.z = {report.range_m, units::rad_from_deg(report.azimuth_deg), units::rad_from_deg(report.elevation_deg)};
    const double s_az = units::rad_from_deg(report.sigma_azimuth_deg);
    const double s_el = units::rad_from_deg(report.sigma_elevation_deg);
    m.R = Eigen::Vector3d(report.sigma_range_m * report.sigma_range_m, s_az * s_az, s_el * s_el).asDiagonal();
  }
  m.rot_sensor_from_region = g.rot_sensor_from_region;
  m.offset_m = g.offset_m;
  return m;
}

Eigen::Vector3d CommonFrame::sensor_position(std::uint32_t sensor) const {
  JRADS_ASSERT(sensor < sensors_.size());
  return sensors_[sensor].pos_region;
}

Geodetic CommonFrame::geodetic_from_region(const Eigen::Vector3d& pos_region) const noexcept {
  return region_.geodetic_from_enu(Enu::from(pos_region));
}

Eigen::Vector3d CommonFrame::local_velocity(const Eigen::Vector3d& pos_region,
                                            const Eigen::Vector3d& vel_region) const noexcept {
  return local_velocity(geodetic_from_region(pos_region), vel_region);
}

Eigen::Vector3d CommonFrame::local_velocity(const Geodetic& at, const Eigen::Vector3d& vel_region) const noexcept {
  return rot_enu_from_ecef(at.lat_deg, at.lon_deg) * region_.ecef_from_enu_vec(vel_region);
}

Eigen::Matrix3d CommonFrame::rot_local_from_region(const Geodetic& at) const noexcept {
  Eigen::Matrix3d ecef_from_region;
  for (int c = 0; c < 3; ++c) ecef_from_region.col(c) = region_.ecef_from_enu_vec(Eigen::Vector3d::Unit(c));
  return rot_enu_from_ecef(at.lat_deg, at.lon_deg) * ecef_from_region;
}

PositionEstimate position_of(const Measurement& m) noexcept {
  PositionEstimate out;
  if (m.model == MeasurementModel::position) {
    out.pos = m.z;
    out.cov = m.R;
    return out;
  }
  const double r = m.z(0), az = m.z(1), el = m.z(2);
  const double sa = std::sin(az), ca = std::cos(az), se = std::sin(el), ce = std::cos(el);
  const Eigen::Vector3d q_sensor(r * ce * sa, r * ce * ca, r * se);
  // d q_sensor / d (range, az, el), columns.
  Eigen::Matrix3d j;
  j << ce * sa, r * ce * ca, -r * se * sa,  //
      ce * ca, -r * ce * sa, -r * se * ca,  //
      se, 0.0, r * ce;
  const Eigen::Matrix3d rot_region_from_sensor = m.rot_sensor_from_region.transpose();
  out.pos = rot_region_from_sensor * (q_sensor - m.offset_m);
  const Eigen::Matrix3d g = rot_region_from_sensor * j;
  out.cov = g * m.R * g.transpose();
  out.cov = 0.5 * (out.cov + out.cov.transpose()).eval();
  return out;
}

}  // namespace jrads::picture
