#pragma once
// What the federation tests share: deterministic node keys, a DDS domain of the test process,
// and waiting for DDS.
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>

#include "jrads/security/keys.hpp"

namespace jrads::federation::test_nodes {

inline constexpr std::int64_t kNow = 1'780'000'000;  // 2026-05-28, within every test key's validity

// Keys of generation 1 from a one-byte seed, valid from a day before kNow for a year.
inline security::NodeKeys keys_of(const std::string& node, const std::string& party, std::uint8_t seed) {
  security::KeySeed s{};
  s.fill(seed);
  return security::generate_node_keys(node, party, 1, kNow - 86400, 365 * 86400, s).value();
}

// A domain of this test process alone, so that parallel test processes do not hear each other.
// (Cyclone's ports are 7400 + 250 x domain + ...: domains above 232 have none.)
inline std::uint32_t own_domain() { return 1 + static_cast<std::uint32_t>(getpid()) % 100; }

// Polls until `done` or 10 s have passed; done's last answer.
template <class F>
bool eventually(F done) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

}  // namespace jrads::federation::test_nodes
