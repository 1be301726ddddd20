#pragma once
// Unit conversions. Scalars carry their unit in their name (range_m, az_rad); these
// constants are the only place a conversion factor is written down.
#include <cmath>
#include <numbers>

namespace jrads::units {

inline constexpr double pi = std::numbers::pi;
inline constexpr double rad_per_deg = pi / 180.0;
inline constexpr double deg_per_rad = 180.0 / pi;
inline constexpr double m_per_ft = 0.3048;
inline constexpr double m_per_nmi = 1852.0;
inline constexpr double mps_per_kt = 1852.0 / 3600.0;
inline constexpr double g0_mps2 = 9.80665;

[[nodiscard]] constexpr double rad_from_deg(double deg) noexcept { return deg * rad_per_deg; }
[[nodiscard]] constexpr double deg_from_rad(double rad) noexcept { return rad * deg_per_rad; }
// Power ratio <-> decibels.
[[nodiscard]] inline double ratio_from_db(double db) noexcept { return std::pow(10.0, db / 10.0); }
[[nodiscard]] inline double db_from_ratio(double ratio) noexcept { return 10.0 * std::log10(ratio); }

}  // namespace jrads::units
