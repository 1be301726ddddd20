#include "jrads/federation/track_update.hpp"

#include <bit>
#include <cstring>
#include <limits>
#include <string>

#include <gtest/gtest.h>

namespace jrads::federation {
namespace {

using security::Bytes;

TrackUpdate full_update() {
  TrackUpdate u;
  u.row.time = SimTime::from_ns(123'456'789'000);
  u.row.track_number = 4711;
  u.row.status = picture::TrackStatus::coasting;
  u.row.identity = picture::Identity::suspect;
  u.row.pos = {44.25, -20.5, 8123.25};
  u.row.vel_enu = {210.5, -33.25, -1.5};
  u.row.cov = Eigen::Matrix<double, 6, 6>::Identity() * 40000.0;
  u.row.cov.bottomRightCorner<3, 3>() = Eigen::Matrix3d::Identity() * 25.0;
  u.row.cov(0, 3) = u.row.cov(3, 0) = 300.0;
  u.row.cov(1, 2) = u.row.cov(2, 1) = -1200.0;
  u.ended = true;
  picture::EvidenceSummary e;
  e.count[static_cast<int>(picture::EvidenceKind::mode3)] = 7;
  e.last[static_cast<int>(picture::EvidenceKind::mode3)] = SimTime::from_s(120);
  e.last_value[static_cast<int>(picture::EvidenceKind::mode3)] = 1200;
  e.count[static_cast<int>(picture::EvidenceKind::no_reply)] = 2;
  e.no_reply_since_reply = 2;
  e.unanswered_since_reply = 3;
  u.evidence = e;
  u.sensors = {"KAL-R1", "MOR_R2.b"};
  return u;
}

void expect_same(const TrackUpdate& a, const TrackUpdate& b) {
  EXPECT_EQ(a.row.time, b.row.time);
  EXPECT_EQ(a.row.track_number, b.row.track_number);
  EXPECT_EQ(a.row.status, b.row.status);
  EXPECT_EQ(a.row.identity, b.row.identity);
  EXPECT_EQ(a.row.pos.lat_deg, b.row.pos.lat_deg);
  EXPECT_EQ(a.row.pos.lon_deg, b.row.pos.lon_deg);
  EXPECT_EQ(a.row.pos.alt_m, b.row.pos.alt_m);
  EXPECT_EQ(a.row.vel_enu, b.row.vel_enu);
  EXPECT_EQ(a.row.cov, b.row.cov);
  EXPECT_EQ(a.ended, b.ended);
  EXPECT_EQ(a.evidence, b.evidence);
  EXPECT_EQ(a.sensors, b.sensors);
}

TEST(TrackUpdate, RoundTripsEveryField) {
  const TrackUpdate u = full_update();
  const Bytes bytes = encode_track_update(u);
  const auto back = decode_track_update(bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  expect_same(u, *back);
  EXPECT_DOUBLE_EQ(back->row.sigma_pos_m, std::sqrt(3 * 40000.0));
  EXPECT_DOUBLE_EQ(back->row.sigma_vel_mps, std::sqrt(3 * 25.0));
  EXPECT_EQ(encode_track_update(*back), bytes);  // one encoding per update
}

TEST(TrackUpdate, RoundTripsWithoutEvidenceOrSensors) {
  TrackUpdate u = full_update();
  u.ended = false;
  u.evidence.reset();
  u.sensors.clear();
  const Bytes bytes = encode_track_update(u);
  EXPECT_EQ(bytes.size(), 4u + 1 + 1 + 4 + 8 + 1 + 1 + 6 * 8 + 21 * 8);
  const auto back = decode_track_update(bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  expect_same(u, *back);
}

// Byte offsets of the fixed part (docs/FEDERATION.md).
constexpr std::size_t kFlags = 5, kNumber = 6, kTime = 10, kStatus = 18, kIdentity = 19, kLat = 20, kLon = 28,
                      kAlt = 36, kVel = 44, kCov = 68, kEvidence = 236, kSensors = 236 + 13 * 16 + 8;

void put_f64(Bytes& b, std::size_t at, double v) {
  const auto bits = std::bit_cast<std::uint64_t>(v);
  for (int i = 0; i < 8; ++i) b[at + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(bits >> (8 * i));
}

TEST(TrackUpdate, RejectsHostileFieldsNamingThem) {
  const Bytes good = encode_track_update(full_update());
  ASSERT_TRUE(decode_track_update(good).has_value());
  struct Case {
    const char* what;
    void (*mutate)(Bytes&);
    const char* expected;
  };
  const Case cases[] = {
      {"magic", [](Bytes& b) { b[0] = 'X'; }, "track update magic: not \"JTRK\""},
      {"version", [](Bytes& b) { b[4] = 2; }, "track update version: 2"},
      {"flags", [](Bytes& b) { b[kFlags] |= 0x80; }, "track update flags: unknown bits 128"},
      {"number", [](Bytes& b) { std::memset(&b[kNumber], 0, 4); }, "track update track_number: 0"},
      {"time", [](Bytes& b) { b[kTime + 7] = 0x80; }, "track update time: negative"},
      {"status", [](Bytes& b) { b[kStatus] = 3; }, "track update status: 3 is not a status"},
      {"identity", [](Bytes& b) { b[kIdentity] = 7; }, "track update identity: 7 is not an identity"},
      {"lat", [](Bytes& b) { put_f64(b, kLat, 90.5); }, "track update lat: outside"},
      {"lat nan", [](Bytes& b) { put_f64(b, kLat, std::numeric_limits<double>::quiet_NaN()); }, "track update lat: not finite"},
      {"lon", [](Bytes& b) { put_f64(b, kLon, -181.0); }, "track update lon: outside"},
      {"alt", [](Bytes& b) { put_f64(b, kAlt, 2e5); }, "track update alt: outside"},
      {"speed", [](Bytes& b) { put_f64(b, kVel, 9000.0); put_f64(b, kVel + 8, 9000.0); }, "track update velocity: 10 km/s or faster"},
      {"velocity inf", [](Bytes& b) { put_f64(b, kVel + 16, std::numeric_limits<double>::infinity()); }, "track update velocity: not finite"},
      {"cov", [](Bytes& b) { put_f64(b, kCov + 8, 1e6); }, "track update covariance: not positive definite"},
      {"cov diagonal", [](Bytes& b) { put_f64(b, kCov, -1.0); }, "track update covariance: not positive definite"},
      {"evidence count", [](Bytes& b) { b[kEvidence + 3] = 0x80; }, "track update evidence: negative count of"},
      {"sensor count", [](Bytes& b) { b[kSensors] = 0; }, "track update sensors: 0 sensors"},
      {"sensor id", [](Bytes& b) { b[kSensors + 2] = ' '; }, "track update sensors: an id with a character"},
      {"sensor length", [](Bytes& b) { b[kSensors + 1] = 0; }, "track update sensors: an id of 0 characters"},
      {"trailing", [](Bytes& b) { b.push_back(0); }, "track update end: 1 trailing bytes"},
  };
  for (const Case& c : cases) {
    Bytes b = good;
    c.mutate(b);
    const auto r = decode_track_update(b);
    ASSERT_FALSE(r.has_value()) << c.what;
    EXPECT_EQ(r.error().code, Errc::invalid_argument) << c.what;
    EXPECT_NE(r.error().message.find(c.expected), std::string::npos) << c.what << ": " << r.error().message;
  }
}

TEST(TrackUpdate, EveryTruncationIsAnErrorNamingAField) {
  const Bytes good = encode_track_update(full_update());
  for (std::size_t n = 0; n < good.size(); ++n) {
    const auto r = decode_track_update(security::ByteView(good.data(), n));
    ASSERT_FALSE(r.has_value()) << n;
    EXPECT_NE(r.error().message.find("truncated"), std::string::npos) << n << ": " << r.error().message;
  }
}

}  // namespace
}  // namespace jrads::federation
