#include "jrads/federation/track_update.hpp"

#include <bit>
#include <cmath>
#include <cstring>

#include <Eigen/Cholesky>

#include "le_reader_impl.hpp"

namespace jrads::federation {
namespace {

constexpr std::uint8_t kMagic[4] = {'J', 'T', 'R', 'K'};
constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kEnded = 1, kHasEvidence = 2, kHasSensors = 4, kKnownFlags = 7;

struct Writer {
  security::Bytes out;
  void u8(std::uint8_t v) { out.push_back(v); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void i64(std::int64_t v) { u64(static_cast<std::uint64_t>(v)); }
  void f64(double v) { u64(std::bit_cast<std::uint64_t>(v)); }
};

Unexpected bad(const char* field, const std::string& problem) {
  return fail(Errc::invalid_argument, std::string("track update ") + field + ": " + problem);
}

using Reader = detail::LeReader;

bool sensor_char(char c) noexcept {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         c == '-';
}

}  // namespace

security::Bytes encode_track_update(const TrackUpdate& u) {
  JRADS_ASSERT(u.row.track_number != 0 && u.sensors.size() <= kMaxTrackSensors);
  Writer w;
  w.out.reserve(256);
  w.out.insert(w.out.end(), kMagic, kMagic + 4);
  w.u8(kVersion);
  w.u8(static_cast<std::uint8_t>((u.ended ? kEnded : 0) | (u.evidence ? kHasEvidence : 0) |
                                 (u.sensors.empty() ? 0 : kHasSensors)));
  w.u32(u.row.track_number);
  w.i64(u.row.time.ns());
  w.u8(static_cast<std::uint8_t>(u.row.status));
  w.u8(static_cast<std::uint8_t>(u.row.identity));
  w.f64(u.row.pos.lat_deg);
  w.f64(u.row.pos.lon_deg);
  w.f64(u.row.pos.alt_m);
  for (int i = 0; i < 3; ++i) w.f64(u.row.vel_enu(i));
  for (int r = 0; r < 6; ++r)
    for (int c = r; c < 6; ++c) w.f64(u.row.cov(r, c));
  if (u.evidence) {
    for (int k = 0; k < picture::kEvidenceKinds; ++k) {
      w.u32(static_cast<std::uint32_t>(u.evidence->count[k]));
      w.i64(u.evidence->last[k].ns());
      w.u32(u.evidence->last_value[k]);
    }
    w.u32(static_cast<std::uint32_t>(u.evidence->no_reply_since_reply));
    w.u32(static_cast<std::uint32_t>(u.evidence->unanswered_since_reply));
  }
  if (!u.sensors.empty()) {
    w.u8(static_cast<std::uint8_t>(u.sensors.size()));
    for (const std::string& s : u.sensors) {
      JRADS_ASSERT(!s.empty() && s.size() <= kMaxSensorId);
      w.u8(static_cast<std::uint8_t>(s.size()));
      w.out.insert(w.out.end(), s.begin(), s.end());
    }
  }
  return std::move(w.out);
}

Result<TrackUpdate> decode_track_update(security::ByteView payload) {
  Reader r{payload};
  const auto truncated = [](const char* field) { return bad(field, "truncated"); };
  if (payload.size() < 4) return truncated("magic");
  if (std::memcmp(payload.data(), kMagic, 4) != 0) return bad("magic", "not \"JTRK\"");
  r.at = 4;
  const std::uint64_t version = r.next(1);
  if (!r.ok) return truncated("version");
  if (version != kVersion) return bad("version", std::to_string(version) + " (this node reads version 1)");
  const auto flags = static_cast<std::uint8_t>(r.next(1));
  if (!r.ok) return truncated("flags");
  if ((flags & ~kKnownFlags) != 0) return bad("flags", "unknown bits " + std::to_string(flags & ~kKnownFlags));
  TrackUpdate u;
  u.ended = (flags & kEnded) != 0;
  u.row.track_number = static_cast<std::uint32_t>(r.next(4));
  if (!r.ok) return truncated("track_number");
  if (u.row.track_number == 0) return bad("track_number", "0");
  const auto time_ns = static_cast<std::int64_t>(r.next(8));
  if (!r.ok) return truncated("time");
  if (time_ns < 0) return bad("time", "negative");
  u.row.time = SimTime::from_ns(time_ns);
  const std::uint64_t status = r.next(1);
  if (!r.ok) return truncated("status");
  if (status > static_cast<std::uint64_t>(picture::TrackStatus::coasting)) return bad("status", std::to_string(status) + " is not a status");
  u.row.status = static_cast<picture::TrackStatus>(status);
  const std::uint64_t identity = r.next(1);
  if (!r.ok) return truncated("identity");
  if (identity > static_cast<std::uint64_t>(picture::Identity::hostile)) return bad("identity", std::to_string(identity) + " is not an identity");
  u.row.identity = static_cast<picture::Identity>(identity);
  const auto real = [&](const char* field, double lo, double hi, double& out) -> Result<void> {
    out = std::bit_cast<double>(r.next(8));
    if (!r.ok) return truncated(field);
    if (!std::isfinite(out)) return bad(field, "not finite");
    if (out < lo || out > hi) return bad(field, "outside [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
    return {};
  };
  if (auto ok = real("lat", -90.0, 90.0, u.row.pos.lat_deg); !ok) return fail(ok.error());
  if (auto ok = real("lon", -180.0, 180.0, u.row.pos.lon_deg); !ok) return fail(ok.error());
  if (auto ok = real("alt", -1000.0, 100000.0, u.row.pos.alt_m); !ok) return fail(ok.error());
  for (int i = 0; i < 3; ++i)
    if (auto ok = real("velocity", -1e4, 1e4, u.row.vel_enu(i)); !ok) return fail(ok.error());
  if (u.row.vel_enu.norm() >= 1e4) return bad("velocity", "10 km/s or faster");
  for (int row = 0; row < 6; ++row)
    for (int c = row; c < 6; ++c) {
      double v = 0.0;
      if (auto ok = real("covariance", -1e15, 1e15, v); !ok) return fail(ok.error());
      u.row.cov(row, c) = u.row.cov(c, row) = v;
    }
  if ((u.row.cov.diagonal().array() <= 0.0).any() ||
      Eigen::LLT<Eigen::Matrix<double, 6, 6>>(u.row.cov).info() != Eigen::Success)
    return bad("covariance", "not positive definite");
  u.row.sigma_pos_m = std::sqrt(u.row.cov.topLeftCorner<3, 3>().trace());
  u.row.sigma_vel_mps = std::sqrt(u.row.cov.bottomRightCorner<3, 3>().trace());
  if ((flags & kHasEvidence) != 0) {
    picture::EvidenceSummary e;
    for (int k = 0; k < picture::kEvidenceKinds; ++k) {
      e.count[k] = static_cast<std::int32_t>(static_cast<std::uint32_t>(r.next(4)));
      e.last[k] = SimTime::from_ns(static_cast<std::int64_t>(r.next(8)));
      e.last_value[k] = static_cast<std::uint32_t>(r.next(4));
      if (!r.ok) return truncated("evidence");
      if (e.count[k] < 0) return bad("evidence", std::string("negative count of ") + picture::to_string(static_cast<picture::EvidenceKind>(k)));
    }
    for (int* counter : {&e.no_reply_since_reply, &e.unanswered_since_reply}) {
      *counter = static_cast<std::int32_t>(static_cast<std::uint32_t>(r.next(4)));
      if (!r.ok) return truncated("evidence");
      if (*counter < 0) return bad("evidence", "negative count of unanswered interrogations");
    }
    u.evidence = e;
  }
  if ((flags & kHasSensors) != 0) {
    const std::size_t n = r.next(1);
    if (!r.ok) return truncated("sensors");
    if (n == 0 || n > kMaxTrackSensors) return bad("sensors", std::to_string(n) + " sensors (1 to 32)");
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t len = r.next(1);
      if (!r.ok || payload.size() - r.at < len) return truncated("sensors");
      if (len == 0 || len > kMaxSensorId) return bad("sensors", "an id of " + std::to_string(len) + " characters (1 to 64)");
      std::string id(reinterpret_cast<const char*>(payload.data() + r.at), len);
      r.at += len;
      for (char ch : id)
        if (!sensor_char(ch)) return bad("sensors", "an id with a character outside [A-Za-z0-9_.-]");
      u.sensors.push_back(std::move(id));
    }
  }
  if (r.at != payload.size()) return bad("end", std::to_string(payload.size() - r.at) + " trailing bytes");
  return u;
}

}  // namespace jrads::federation
