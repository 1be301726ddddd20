#pragma once
// The tracker's common frame and its measurement models. Every track lives in one local
// East-North-Up frame of the region (origin fixed at construction); each sensor keeps its own
// geometry, so a radar's polar measurement is modelled from its own position and axes exactly
// (no flat-earth shortcut between sensor and region).
#include <cstdint>
#include <span>
#include <vector>

#include <Eigen/Core>

#include "jrads/core/geodesy.hpp"
#include "jrads/picture/report.hpp"

namespace jrads::picture {

enum class MeasurementModel : std::uint8_t {
  polar,     // z = (range_m, azimuth_rad, elevation_rad) in the sensor's local ENU frame
  position,  // z = (e_m, n_m, u_m) in the region frame (ADS-B)
};

struct Measurement {
  MeasurementModel model = MeasurementModel::position;
  Eigen::Vector3d z = Eigen::Vector3d::Zero();
  Eigen::Matrix3d R = Eigen::Matrix3d::Identity();  // covariance of z (rad^2 for angles)
  // polar only: p_sensor_enu = rot_sensor_from_region * p_region_enu + offset_m.
  Eigen::Matrix3d rot_sensor_from_region = Eigen::Matrix3d::Identity();
  Eigen::Vector3d offset_m = Eigen::Vector3d::Zero();
};

// The region frame plus the geometry of every sensor of the sensor table.
class CommonFrame {
 public:
  // `origin`: the region frame's origin (for example the mean sensor position, on the ellipsoid).
  // `adsb_min_vertical_sigma_m`: ADS-B heights are trusted no better than this (the file gives
  // one sigma, horizontal; real ADS-B heights are barometric).
  CommonFrame(const Geodetic& origin, std::span<const SensorSite> sensors, double adsb_min_vertical_sigma_m = 30.0);
  // The origin used by `jrads track`: the centroid of the sensors' positions, at height 0.
  [[nodiscard]] static Geodetic centroid_of(std::span<const SensorSite> sensors) noexcept;

  [[nodiscard]] const LocalFrame& region() const noexcept { return region_; }
  // The report as a measurement in this frame: radar and IFF reports polar (azimuth and
  // elevation converted to radians), ADS-B reports as positions with covariance sigma_pos^2
  // horizontally and max(sigma_pos, adsb_min_vertical_sigma_m)^2 vertically.
  // `report.sensor` must index the sensor table given at construction.
  [[nodiscard]] Measurement measurement(const Report& report) const;
  // Region ENU position of a sensor's antenna.
  [[nodiscard]] Eigen::Vector3d sensor_position(std::uint32_t sensor) const;

  [[nodiscard]] Geodetic geodetic_from_region(const Eigen::Vector3d& pos_region) const noexcept;
  // A velocity given in the region frame, expressed in the local ENU frame at `pos_region`
  // (the frame FORMATS uses for velocities).
  [[nodiscard]] Eigen::Vector3d local_velocity(const Eigen::Vector3d& pos_region,
                                               const Eigen::Vector3d& vel_region) const noexcept;
  // The same, when the geodetic position is already known (saves a conversion).
  [[nodiscard]] Eigen::Vector3d local_velocity(const Geodetic& at, const Eigen::Vector3d& vel_region) const noexcept;
  // The rotation that takes a region-frame vector into the local ENU frame at `at`.
  [[nodiscard]] Eigen::Matrix3d rot_local_from_region(const Geodetic& at) const noexcept;

 private:
  struct SensorGeometry {
    Eigen::Matrix3d rot_sensor_from_region;
    Eigen::Vector3d offset_m;  // sensor ENU coordinates of the region origin
    Eigen::Vector3d pos_region;
  };
  LocalFrame region_;
  std::vector<SensorGeometry> sensors_;
  double adsb_min_vertical_sigma_m_;
};

// Region ENU position of a polar measurement, and its covariance (first-order, through the
// Jacobian of the polar-to-Cartesian map). Used to start tracks.
struct PositionEstimate {
  Eigen::Vector3d pos = Eigen::Vector3d::Zero();
  Eigen::Matrix3d cov = Eigen::Matrix3d::Identity();
};
[[nodiscard]] PositionEstimate position_of(const Measurement& m) noexcept;

}  // namespace jrads::picture
