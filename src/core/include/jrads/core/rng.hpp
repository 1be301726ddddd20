#pragma once
// Seeded random streams derived by name: Rng(seed).stream("radar/R1") always yields the
// same sequence for the same (seed, name), whatever other streams exist, so adding a sensor
// never changes another sensor's draws. The distributions are written here rather than taken
// from <random> because the standard leaves their algorithms to the library, and a seed
// must give the same bytes with every compiler.
#include <array>
#include <cstdint>
#include <string_view>

namespace jrads {

// xoshiro256** (Blackman & Vigna, 2018): fast, 256-bit state, passes BigCrush.
class RngStream {
 public:
  explicit RngStream(std::uint64_t key) noexcept;

  [[nodiscard]] std::uint64_t next_u64() noexcept;
  // Uniform in [0, 1) with 53 random bits.
  [[nodiscard]] double uniform() noexcept;
  // Uniform in [lo, hi).
  [[nodiscard]] double uniform(double lo, double hi) noexcept { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [0, n); n > 0. Lemire's unbiased multiply-shift.
  [[nodiscard]] std::uint64_t below(std::uint64_t n) noexcept;
  [[nodiscard]] bool bernoulli(double p) noexcept { return uniform() < p; }
  // Standard normal (Marsaglia polar method; the spare value is cached).
  [[nodiscard]] double normal() noexcept;
  [[nodiscard]] double normal(double mean, double sigma) noexcept { return mean + sigma * normal(); }
  // Exponential with the given mean (> 0).
  [[nodiscard]] double exponential(double mean) noexcept;
  // Gamma(shape k > 0, scale 1) by Marsaglia & Tsang (2000).
  [[nodiscard]] double gamma(double shape) noexcept;
  // Poisson count with mean lambda >= 0 by exact inversion; large means are split into a
  // sum of small ones, which is exact in law.
  [[nodiscard]] std::uint64_t poisson(double lambda) noexcept;

 private:
  std::array<std::uint64_t, 4> s_{};
  double spare_ = 0.0;
  bool has_spare_ = false;
};

// The root of all randomness of one run.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) noexcept : seed_(seed) {}
  [[nodiscard]] std::uint64_t seed() const noexcept { return seed_; }
  // A stream that depends only on (seed, name).
  [[nodiscard]] RngStream stream(std::string_view name) const noexcept;

 private:
  std::uint64_t seed_;
};

// FNV-1a 64-bit hash of a name, stable across platforms.
[[nodiscard]] std::uint64_t stable_hash(std::string_view text) noexcept;

}  // namespace jrads
