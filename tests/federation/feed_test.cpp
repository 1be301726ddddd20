#include "jrads/federation/feed.hpp"

#include <limits>
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "jrads/security/label.hpp"

namespace jrads::federation {
namespace {

security::PartyTable parties() { return security::PartyTable::make({"KAL", "MOR"}).value(); }

std::vector<picture::SensorSite> sites() {
  std::vector<picture::SensorSite> s(2);
  s[0].id = "KAL-R1";
  s[0].party = "KAL";
  s[0].kind = picture::SensorKind::radar;
  s[0].pos = {44.1234567, 20.7654321, 215.5};
  s[0].label = {security::Level::secret, false, 0, security::category_bit(security::Category::air_picture) |
                                                         security::category_bit(security::Category::sensors), 0b10};
  s[1].id = "KAL-A1";
  s[1].party = "KAL";
  s[1].kind = picture::SensorKind::adsb;
  s[1].pos = {44.0, 20.0, 100.0};
  s[1].label = {security::Level::restricted, true, 0, security::category_bit(security::Category::air_picture), 0};
  return s;
}

security::Bytes text(const std::string& s) { return security::Bytes(s.begin(), s.end()); }

// A radar row and an ADS-B row of detections.csv (FORMATS).
const std::string kRadarRow = "12.5,KAL-R1,radar,45000.5,123.25,1.5,50,0.2,0.3,,,,,,,";
const std::string kAdsbRow = "12.75,KAL-A1,adsb,,,,,,,44.5,20.5,9000,30,4CA123,1200,";

TEST(Feed, SitesRoundTripWithTheirLabels) {
  const auto s = sites();
  const auto m = decode_feed(encode_feed_sites(s, parties()), {}, parties());
  ASSERT_TRUE(m.has_value()) << m.error().message;
  const auto* got = std::get_if<FeedSites>(&*m);
  ASSERT_NE(got, nullptr);
  ASSERT_EQ(got->sites.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(got->sites[i].id, s[i].id);
    EXPECT_EQ(got->sites[i].kind, s[i].kind);
    EXPECT_EQ(got->sites[i].pos.lat_deg, s[i].pos.lat_deg);  // exactly: shortest round-trip text
    EXPECT_EQ(got->sites[i].pos.alt_m, s[i].pos.alt_m);
    EXPECT_EQ(got->sites[i].label, s[i].label);
  }
}

TEST(Feed, WindowRoundTripsThroughTheDetectionsReader) {
  const auto s = sites();
  const std::vector<std::string> rows = {kRadarRow, kAdsbRow};
  const auto m = decode_feed(encode_feed_window(SimTime::from_s(13), rows), s, parties());
  ASSERT_TRUE(m.has_value()) << m.error().message;
  const auto* w = std::get_if<FeedWindow>(&*m);
  ASSERT_NE(w, nullptr);
  EXPECT_EQ(w->end, SimTime::from_s(13));
  EXPECT_EQ(w->lines, rows);
  ASSERT_EQ(w->reports.size(), 2u);
  EXPECT_EQ(w->reports[0].sensor, 0u);
  EXPECT_EQ(w->reports[1].kind, picture::SensorKind::adsb);
  const auto empty = decode_feed(encode_feed_window(SimTime::from_s(14), {}), s, parties());
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(std::get<FeedWindow>(*empty).reports.empty());
  EXPECT_TRUE(std::holds_alternative<FeedEnd>(decode_feed(encode_feed_end(), s, parties()).value()));
  EXPECT_EQ(std::get<FeedLink>(decode_feed(encode_feed_link({true}), s, parties()).value()), FeedLink{true});
  EXPECT_EQ(std::get<FeedLink>(decode_feed(encode_feed_link({false}), s, parties()).value()), FeedLink{false});
}

TEST(Feed, RejectsHostileMessagesNamingTheProblem) {
  const auto s = sites();
  const std::string label = security::to_text(security::to_label(s[0].label, parties(), SimTime{}));
  const struct {
    const char* what;
    std::string text;
    const char* expected;
  } cases[] = {
      {"empty", "", "feed message: no first line"},
      {"unknown", "JRADS-HELLO-1\n", "not a sites, window, end or link message"},
      {"end with more", "JRADS-END-1\nx", "not a sites, window, end or link message"},
      {"link other", "JRADS-LINK-1 DOWN\n", "not a sites, window, end or link message"},
      {"link lower case", "JRADS-LINK-1 cut\n", "not a sites, window, end or link message"},
      {"link unterminated", "JRADS-LINK-1 CUT", "no first line"},
      {"sites count", "JRADS-SITES-1 01\n", "feed sites: the count"},
      {"sites zero", "JRADS-SITES-1 0\n", "feed sites: the count"},
      {"sites short", "JRADS-SITES-1 2\n" + label + "\tKAL-R1,KAL,radar,44,20,0\n", "line 3: missing"},
      {"sites tab", "JRADS-SITES-1 1\n" + label + " KAL-R1,KAL,radar,44,20,0\n", "no tab"},
      {"sites label", "JRADS-SITES-1 1\nJRADS; SECRET\tKAL-R1,KAL,radar,44,20,0\n", "line 2: label"},
      {"sites row", "JRADS-SITES-1 1\n" + label + "\tKAL-R1,KAL,sonar,44,20,0\n", "feed sites:"},
      {"sites trailing", "JRADS-SITES-1 1\n" + label + "\tKAL-R1,KAL,radar,44,20,0\nextra", "bytes after the last line"},
      {"window time", "JRADS-WINDOW-1 -5 0\n", "the end time"},
      {"window count", "JRADS-WINDOW-1 5 x\n", "the count"},
      {"window short", "JRADS-WINDOW-1 13000000000 2\n" + kRadarRow + "\n", "row 2: missing"},
      {"window row", "JRADS-WINDOW-1 13000000000 1\n12.5,KAL-R9,radar,1,1,1,1,1,1,,,,,,,\n", "feed window:"},
      {"window late", "JRADS-WINDOW-1 12000000000 1\n" + kRadarRow + "\n", "at or after the window's end"},
      {"window trailing", "JRADS-WINDOW-1 13000000000 0\nx", "bytes after the last row"},
  };
  for (const auto& c : cases) {
    const auto m = decode_feed(text(c.text), s, parties());
    ASSERT_FALSE(m.has_value()) << c.what;
    EXPECT_NE(m.error().message.find(c.expected), std::string::npos) << c.what << ": " << m.error().message;
  }
  const auto before = decode_feed(encode_feed_window(SimTime::from_s(13), std::vector<std::string>{kRadarRow}), {}, parties());
  ASSERT_FALSE(before.has_value());
  EXPECT_NE(before.error().message.find("before the sensor sites"), std::string::npos) << before.error().message;
}

TEST(Feed, TracksDoneMarkIsStrict) {
  const TracksDone d{SimTime::from_s(42), 3, 2, 117};
  EXPECT_EQ(decode_tracks_done(encode_tracks_done(d)).value(), d);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(encode_tracks_done(d).data()), encode_tracks_done(d).size()),
            "JRADS-TRACKS-DONE-2 42000000000 3 2 117\n");
  const TracksDone last{SimTime::from_ns(std::numeric_limits<std::int64_t>::max()), 0, 0, 0};
  EXPECT_EQ(decode_tracks_done(encode_tracks_done(last)).value(), last);
  for (const char* bad : {"", "JRADS-TRACKS-DONE-2 \n", "JRADS-TRACKS-DONE-2 12 1 0\n", "JRADS-TRACKS-DONE-2 012 1 0 0\n",
                          "JRADS-TRACKS-DONE-2 12 1 0 0", "JRADS-TRACKS-DONE-2 12 -1 0 0\n", "JRADS-TRACKS-DONE-2 12 01 0 0\n",
                          "JRADS-TRACKS-DONE-2 12 1 0 0 0\n", "JRADS-TRACKS-DONE-2 12 1 0 x\n", "JRADS-TRACKS-DONE-2 12 1  0\n",
                          "JRADS-TRACKS-DONE-2 9223372036854775808 0 0 0\n", "JRADS-TRACKS-DONE-1 1 0\n"}) {
    EXPECT_FALSE(decode_tracks_done(text(bad)).has_value()) << bad;
  }
}

}  // namespace
}  // namespace jrads::federation
