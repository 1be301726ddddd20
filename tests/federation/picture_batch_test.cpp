#include "jrads/federation/picture_batch.hpp"

#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "jrads/federation/sample.hpp"

namespace jrads::federation {
namespace {

using security::Bytes;

PictureRow row(std::uint32_t number, SimTime t, const char* originator) {
  PictureRow r;
  r.label.level = security::Level::secret;
  r.label.rel_to = {"KAL", "MOR"};
  r.label.categories = security::category_bit(security::Category::air_picture);
  r.label.originator = originator;
  r.label.time = t;
  r.update.row.time = t;
  r.update.row.track_number = number;
  r.update.row.status = picture::TrackStatus::confirmed;
  r.update.row.identity = picture::Identity::hostile;
  r.update.row.pos = {44.0 + number * 1e-3, 20.0, 9000.0};
  r.update.row.vel_enu = {200.0, -10.0, 0.0};
  r.update.row.cov = Eigen::Matrix<double, 6, 6>::Identity() * 100.0;
  r.update.sensors = {"KAL-R1"};
  return r;
}

TEST(PictureBatch, RoundTripsEveryFieldAndEveryRowsOwnLabel) {
  const SimTime t = SimTime::from_s(17);
  std::vector<PictureRow> rows = {row(3, t, "KAL"), row(9, t, "MOR")};
  rows[1].label.rel_to = {"MOR"};
  const auto parts = split_picture(t, rows);
  ASSERT_EQ(parts.size(), 1u);
  const Bytes bytes = encode_picture_batch(parts[0]);
  const auto back = decode_picture_batch(bytes);
  ASSERT_TRUE(back.has_value()) << back.error().to_string();
  EXPECT_EQ(back->time, t);
  EXPECT_EQ(back->part, 0u);
  EXPECT_EQ(back->parts, 1u);
  EXPECT_EQ(back->total, 2u);
  ASSERT_EQ(back->rows.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(back->rows[i].label, rows[i].label);
    EXPECT_EQ(back->rows[i].update.row.track_number, rows[i].update.row.track_number);
    EXPECT_EQ(back->rows[i].update.row.pos.lat_deg, rows[i].update.row.pos.lat_deg);
    EXPECT_EQ(back->rows[i].update.sensors, rows[i].update.sensors);
  }
  EXPECT_EQ(encode_picture_batch(*back), bytes);
  // The end of the run: an empty picture at the last time there is.
  const auto end = split_picture(SimTime::from_ns(std::numeric_limits<std::int64_t>::max()), {});
  ASSERT_EQ(end.size(), 1u);
  const auto e = decode_picture_batch(encode_picture_batch(end[0]));
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->rows.empty());
  EXPECT_EQ(e->total, 0u);
}

TEST(PictureBatch, ALargePictureGoesInPartsThatEachFitOneSample) {
  const SimTime t = SimTime::from_s(5);
  std::vector<PictureRow> rows;
  for (std::uint32_t n = 1; n <= 150; ++n) {
    rows.push_back(row(n, t, "KAL"));
    rows.back().update.sensors.assign(kMaxTrackSensors, std::string(kMaxSensorId, 'S'));  // the largest row there is
  }
  const auto parts = split_picture(t, rows);
  ASSERT_EQ(parts.size(), 3u);
  std::size_t n = 0;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    EXPECT_EQ(parts[p].part, p);
    EXPECT_EQ(parts[p].parts, 3u);
    EXPECT_EQ(parts[p].total, 150u);
    const Bytes b = encode_picture_batch(parts[p]);
    EXPECT_LE(b.size(), kMaxPayload) << "part " << p;
    n += decode_picture_batch(b).value().rows.size();
  }
  EXPECT_EQ(n, 150u);
}

TEST(PictureBatch, RejectsHostilePartsNamingTheProblem) {
  const SimTime t = SimTime::from_s(17);
  const Bytes good = encode_picture_batch(split_picture(t, {row(3, t, "KAL")})[0]);
  const auto with = [&](std::size_t at, std::uint8_t v) {
    Bytes b = good;
    b[at] = v;
    return b;
  };
  // Offsets: magic 0-3, version 4, time 5-12, part 13-16, parts 17-20, total 21-24, rows 25-28,
  // then the first row's label length at 29.
  const Bytes other_time = [&] {
    PictureBatch b = split_picture(t, {row(3, t, "KAL")})[0];
    Bytes bytes = encode_picture_batch(b);
    bytes[5] ^= 1;  // the part's time, not the row's
    return bytes;
  }();
  const struct {
    const char* what;
    Bytes bytes;
    const char* expected;
  } cases[] = {
      {"empty", {}, "picture magic"},
      {"magic", with(0, 'X'), "picture magic"},
      {"version", with(4, 2), "picture version: 2"},
      {"negative time", with(12, 0x80), "picture time: negative"},
      {"part", with(13, 1), "picture part: 1 of 1"},
      {"too many rows", with(25, 2), "picture rows: 2 in a part"},
      {"label", with(29 + 2, 'X'), "picture row 1: label"},
      {"another time", other_time, "picture row 1: a row of another time"},
      {"truncated", Bytes(good.begin(), good.end() - 1), "picture row 1: truncated track update"},
      {"trailing", [&] { Bytes b = good; b.push_back(0); return b; }(), "picture end: 1 trailing bytes"},
      {"header", Bytes(good.begin(), good.begin() + 20), "picture header: truncated"},
  };
  for (const auto& c : cases) {
    const auto r = decode_picture_batch(c.bytes);
    ASSERT_FALSE(r.has_value()) << c.what;
    EXPECT_NE(r.error().message.find(c.expected), std::string::npos) << c.what << ": " << r.error().message;
  }
  // A damaged track update inside says what its own decoder says.
  const std::size_t label_size = good[29] | (good[30] << 8);
  const auto damaged = decode_picture_batch(with(31 + label_size + 4, 'X'));
  ASSERT_FALSE(damaged.has_value());
  EXPECT_NE(damaged.error().message.find("picture row 1: track update magic"), std::string::npos) << damaged.error().message;
}

}  // namespace
}  // namespace jrads::federation
