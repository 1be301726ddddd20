#pragma once
// Simulation time: a strong int64 nanosecond count since scenario start.
// Logic takes `now` as an argument and never reads a clock (see CONVENTIONS).
#include <cmath>
#include <compare>
#include <cstdint>

namespace jrads {

class SimTime {
 public:
  constexpr SimTime() noexcept = default;
  [[nodiscard]] static constexpr SimTime from_ns(std::int64_t ns) noexcept { return SimTime(ns); }
  // Rounds to the nearest nanosecond so that 0.1 s steps do not drift.
  [[nodiscard]] static SimTime from_s(double s) noexcept {
    return SimTime(static_cast<std::int64_t>(std::llround(s * 1e9)));
  }
  [[nodiscard]] constexpr std::int64_t ns() const noexcept { return ns_; }
  [[nodiscard]] constexpr double s() const noexcept { return static_cast<double>(ns_) * 1e-9; }

  constexpr auto operator<=>(const SimTime&) const noexcept = default;
  constexpr SimTime& operator+=(SimTime d) noexcept { ns_ += d.ns_; return *this; }
  constexpr SimTime& operator-=(SimTime d) noexcept { ns_ -= d.ns_; return *this; }
  friend constexpr SimTime operator+(SimTime a, SimTime b) noexcept { return SimTime(a.ns_ + b.ns_); }
  friend constexpr SimTime operator-(SimTime a, SimTime b) noexcept { return SimTime(a.ns_ - b.ns_); }

 private:
  constexpr explicit SimTime(std::int64_t ns) noexcept : ns_(ns) {}
  std::int64_t ns_ = 0;
};

}  // namespace jrads
