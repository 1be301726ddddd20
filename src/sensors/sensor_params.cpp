#include "jrads/sensors/sensor_params.hpp"

#include <cmath>
#include <string>

namespace jrads::sensors {
namespace {

// Accumulates the first failed check of one parameter set.
class Checker {
 public:
  explicit Checker(std::string who) : who_(std::move(who)) {}
  // lo/hi bounds, each inclusive or exclusive.
  void in(const char* key, double v, double lo, bool lo_open, double hi, bool hi_open) {
    if (error_) return;
    const bool ok = std::isfinite(v) && (lo_open ? v > lo : v >= lo) && (hi_open ? v < hi : v <= hi);
    if (!ok) {
      fail_with(key, std::string(key) + " = " + std::to_string(v) + " must lie in " + (lo_open ? "(" : "[") +
                         std::to_string(lo) + ", " + std::to_string(hi) + (hi_open ? ")" : "]"));
    }
  }
  void positive(const char* key, double v) { in(key, v, 0.0, true, HUGE_VAL, true); }
  void non_negative(const char* key, double v) { in(key, v, 0.0, false, HUGE_VAL, true); }
  void probability(const char* key, double v) { in(key, v, 0.0, false, 1.0, false); }
  // A period kept in integer nanoseconds: at least 1 ms (so that it cannot round to 0), at
  // most a day (so that scan times stay far from overflow).
  void period(const char* key, double v) { in(key, v, 1e-3, false, 86400.0, false); }
  void check(bool ok, const char* key, const std::string& message) {
    if (!error_ && !ok) fail_with(key, message);
  }
  void site(const AntennaSite& a) {
    in("antenna.lat_deg", a.lat_deg, -90.0, false, 90.0, false);
    in("antenna.lon_deg", a.lon_deg, -180.0, false, 180.0, false);
    in("antenna.height_agl_m", a.height_agl_m, -1000.0, false, 1.0e5, false);
  }
  [[nodiscard]] Result<void> result() const {
    if (error_) return fail(*error_);
    return {};
  }

 private:
  void fail_with(const char* key, const std::string& message) {
    error_ = make_error(Errc::invalid_argument, who_ + ": " + message, Location{"", 0, 0, 0, key});
  }
  std::string who_;
  std::optional<Error> error_;
};

Result<void> check(const RadarParams& r) {
  Checker c("radar " + r.id);
  c.site(r.antenna);
  c.period("scan_period_s", r.scan_period_s);
  c.in("start_azimuth_deg", r.start_azimuth_deg, -1e6, false, 1e6, false);
  c.positive("reference_range_m", r.reference_range_m);
  c.in("reference_pd", r.reference_pd, 0.0, true, 1.0, true);
  c.in("pfa", r.pfa, 0.0, true, 1.0, true);
  c.check(r.reference_pd > r.pfa, "reference_pd", "reference_pd must exceed pfa (no SNR gives less)");
  c.non_negative("min_range_m", r.min_range_m);
  c.positive("max_range_m", r.max_range_m);
  c.check(r.min_range_m < r.max_range_m, "min_range_m", "min_range_m must be less than max_range_m");
  c.in("min_elevation_deg", r.min_elevation_deg, -90.0, false, 90.0, false);
  c.in("max_elevation_deg", r.max_elevation_deg, -90.0, false, 90.0, false);
  c.check(r.min_elevation_deg < r.max_elevation_deg, "min_elevation_deg",
          "min_elevation_deg must be less than max_elevation_deg");
  c.non_negative("sigma_range_m", r.sigma_range_m);
  c.non_negative("sigma_azimuth_deg", r.sigma_azimuth_deg);
  c.non_negative("sigma_elevation_deg", r.sigma_elevation_deg);
  c.non_negative("range_resolution_m", r.range_resolution_m);
  c.in("azimuth_resolution_deg", r.azimuth_resolution_deg, 0.0, false, 360.0, false);
  c.non_negative("clutter_per_scan", r.clutter_per_scan);
  c.positive("k_factor", r.k_factor);
  c.in("registration.azimuth_bias_deg", r.registration.azimuth_bias_deg, -360.0, false, 360.0, false);
  c.in("registration.range_bias_m", r.registration.range_bias_m, -1e6, false, 1e6, false);
  c.in("registration.clock_offset_s", r.registration.clock_offset_s, -86400.0, false, 86400.0, false);
  return c.result();
}

Result<void> check(const IffParams& r) {
  Checker c("IFF " + r.id);
  c.site(r.antenna);
  c.period("scan_period_s", r.scan_period_s);
  c.in("start_azimuth_deg", r.start_azimuth_deg, -1e6, false, 1e6, false);
  c.positive("max_range_m", r.max_range_m);
  c.probability("p_miss", r.p_miss);
  c.probability("p_garble", r.p_garble);
  c.non_negative("sigma_range_m", r.sigma_range_m);
  c.non_negative("sigma_azimuth_deg", r.sigma_azimuth_deg);
  c.non_negative("sigma_elevation_deg", r.sigma_elevation_deg);
  c.positive("k_factor", r.k_factor);
  return c.result();
}

Result<void> check(const AdsbReceiverParams& r) {
  Checker c("ADS-B receiver " + r.id);
  c.site(r.antenna);
  c.positive("max_range_m", r.max_range_m);
  c.probability("p_receive", r.p_receive);
  c.positive("k_factor", r.k_factor);
  return c.result();
}

}  // namespace

Result<void> validate(const SensorParams& params) {
  return std::visit([](const auto& p) { return check(p); }, params);
}

Result<void> validate(const AdsbBroadcastParams& p) {
  Checker c("ADS-B broadcast");
  c.period("mean_interval_s", p.mean_interval_s);
  c.non_negative("jitter_s", p.jitter_s);
  c.check(p.jitter_s < p.mean_interval_s, "jitter_s", "jitter_s must be less than mean_interval_s");
  c.non_negative("sigma_alt_m", p.sigma_alt_m);
  return c.result();
}

}  // namespace jrads::sensors
