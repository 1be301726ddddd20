#include "jrads/federation/link_monitor.hpp"

#include <optional>

#include <gtest/gtest.h>

#include "jrads/core/rng.hpp"

namespace jrads::federation {
namespace {

SimTime at(double s) { return SimTime::from_s(s); }

TEST(Heartbeat, EncodesAndDecodesStrictly) {
  const Heartbeat hb{"MOR-C2", 3, 17, {}};
  const security::Bytes b = encode_heartbeat(hb);
  EXPECT_EQ(std::string(b.begin(), b.end()), "JRADS-HB-2 MOR-C2 3 17");
  EXPECT_EQ(decode_heartbeat(b).value(), hb);
  const Heartbeat with_links{"KAL-RC", 9, 4, {{"KAL-N", LinkState::up}, {"MOR-N", LinkState::down}, {"X", LinkState::unknown}}};
  const security::Bytes l = encode_heartbeat(with_links);
  EXPECT_EQ(std::string(l.begin(), l.end()), "JRADS-HB-2 KAL-RC 9 4 KAL-N=up MOR-N=down X=unknown");
  EXPECT_EQ(decode_heartbeat(l).value(), with_links);
  Heartbeat most{"KAL-RC", 1, 1, {}};
  for (std::size_t k = 0; k < kMaxHeartbeatLinks; ++k)
    most.links.push_back({std::string(30, 'N') + static_cast<char>('A' + k / 10) + static_cast<char>('0' + k % 10), LinkState::down});
  EXPECT_EQ(decode_heartbeat(encode_heartbeat(most)).value(), most);  // the longest there may be
  auto reason = [](std::string_view text) {
    auto r = decode_heartbeat(security::as_bytes(text));
    return r ? std::string("decoded") : r.error().message;
  };
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3"), "heartbeat: expected \"JRADS-HB-2 NODE EPOCH BEAT [PEER=STATE]...\", got 3 field(s)");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 17 x"), "heartbeat: field 5 (link): not PEER=STATE");
  EXPECT_EQ(reason("JRADS-HB-1 MOR-C2 3 17"), "heartbeat: field 1: not JRADS-HB-2");
  EXPECT_EQ(reason("JRADS-HB-2 mor 3 17"), "heartbeat: field 2 (node): not a node id ([A-Z0-9-]{1,32})");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 03 17"), "heartbeat: field 3 (epoch): not a decimal count >= 1");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 0"), "heartbeat: field 4 (beat): not a decimal count >= 1");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 18446744073709551616"), "heartbeat: field 4 (beat): not a decimal count >= 1");
  EXPECT_EQ(reason("JRADS-HB-2  MOR-C2 3 17"), "heartbeat: field 2 (node): not a node id ([A-Z0-9-]{1,32})");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 17 "), "heartbeat: field 5 (link): not PEER=STATE");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 17 kal=up"), "heartbeat: field 5 (link): not a node id ([A-Z0-9-]{1,32})");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 17 KAL=sideways"), "heartbeat: field 5 (link): state not up, down or unknown");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 17 KAL=up="), "heartbeat: field 5 (link): state not up, down or unknown");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 17 MOR-C2=up"), "heartbeat: field 5 (link): the sender's link to itself");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 17 KAL=up KAL=down"), "heartbeat: field 6 (link): peers not in increasing order");
  EXPECT_EQ(reason("JRADS-HB-2 MOR-C2 3 17 X=up KAL=down"), "heartbeat: field 6 (link): peers not in increasing order");
  std::string many = "JRADS-HB-2 M 1 1";
  for (std::size_t k = 0; k <= kMaxHeartbeatLinks; ++k) many += " P" + std::to_string(100 + k) + "=up";
  EXPECT_EQ(reason(many), "heartbeat: more than 32 links");
  EXPECT_EQ(reason(""), "heartbeat: expected \"JRADS-HB-2 NODE EPOCH BEAT [PEER=STATE]...\", got 1 field(s)");
  EXPECT_EQ(reason(std::string(2000, 'A')), "heartbeat: longer than 1408 bytes");
}

// What a peer's heartbeats say of its own links: each change once, in order; a restarted peer
// starts afresh; a link it stops naming becomes unknown; a replayed heartbeat says nothing.
TEST(LinkMonitor, WhatAPeerSaysOfItsLinksIsReportedOncePerChange) {
  LinkMonitor links({"KAL-RC"}, LinkParams{}, at(0));
  const auto hb = [](std::uint64_t epoch, std::uint64_t beat, std::vector<PeerLink> l) {
    return Heartbeat{"KAL-RC", epoch, beat, std::move(l)};
  };
  using enum LinkState;
  (void)links.heard(hb(1, 1, {{"KAL-N", up}, {"MOR-N", unknown}}), at(0.1));
  EXPECT_EQ(links.take_reported(), (std::vector<ReportedChange>{{"KAL-RC", "KAL-N", unknown, up, at(0.1)}}));
  EXPECT_TRUE(links.take_reported().empty());  // taken
  (void)links.heard(hb(1, 2, {{"KAL-N", up}, {"MOR-N", up}}), at(1.1));
  (void)links.heard(hb(1, 3, {{"KAL-N", up}, {"MOR-N", up}}), at(2.1));  // nothing new
  (void)links.heard(hb(1, 4, {{"KAL-N", up}, {"MOR-N", down}}), at(3.1));
  (void)links.heard(hb(1, 4, {{"KAL-N", down}, {"MOR-N", up}}), at(3.2));  // a replay of beat 4: ignored
  EXPECT_EQ(links.take_reported(), (std::vector<ReportedChange>{{"KAL-RC", "MOR-N", unknown, up, at(1.1)},
                                                                {"KAL-RC", "MOR-N", up, down, at(3.1)}}));
  (void)links.heard(hb(1, 5, {{"MOR-N", down}}), at(4.1));  // KAL-N no longer named
  EXPECT_EQ(links.take_reported(), (std::vector<ReportedChange>{{"KAL-RC", "KAL-N", up, unknown, at(4.1)}}));
  (void)links.heard(hb(2, 1, {{"MOR-N", down}}), at(5.1));  // restarted: what it says is new again
  EXPECT_EQ(links.take_reported(), (std::vector<ReportedChange>{{"KAL-RC", "MOR-N", unknown, down, at(5.1)}}));
  EXPECT_EQ(links.view(), (std::vector<PeerLink>{{"KAL-RC", up}}));
}

TEST(LinkMonitor, ParamsAreChecked) {
  EXPECT_TRUE(validate(LinkParams{}).has_value());
  EXPECT_EQ(validate(LinkParams{1.0, 1.0, 0.25}).error().message,
            "loss_after_s: must exceed period_s (one late heartbeat is no loss)");
  EXPECT_EQ(validate(LinkParams{0.0, 2.5, 0.25}).error().message, "period_s: must be in (0, 1e6)");
  EXPECT_EQ(validate(LinkParams{1.0, 2.5, -1.0}).error().message, "check_s: must be in (0, 1e6)");
  EXPECT_LE(detection_bound_s(LinkParams{}), 3.0);  // the bound, with the defaults
}

// A node's heartbeats stop at a random moment, for 200 seeded cases: the loss is reported
// within the detection bound (and not before loss_after), and the link comes back with the
// next heartbeat; a restarted node says so.
TEST(LinkMonitor, ALossIsSeenWithinTheBoundAndARestartIsNamed) {
  const LinkParams p;
  RngStream rng = Rng(5).stream("link-loss");
  for (int k = 0; k < 200; ++k) {
    LinkMonitor links({"MOR-C2"}, p, at(0));
    // In milliseconds: beats each 1,000 until a random stop, checks each 250 at a random phase.
    const int phase_ms = static_cast<int>(rng.below(250));
    const int stop_ms = 5000 + static_cast<int>(rng.below(20000));
    std::uint64_t beat = 0;
    double last_beat = -1.0;
    std::optional<double> seen_down;
    for (int ms = 0; ms < stop_ms + 10000; ++ms) {
      const double t = ms / 1000.0;
      if (ms < stop_ms && ms % 1000 == 0) {
        const auto up = links.heard({"MOR-C2", 1, ++beat}, at(t));
        EXPECT_EQ(up.size(), beat == 1 ? 1u : 0u);
        last_beat = t;
      }
      if (ms >= phase_ms && (ms - phase_ms) % 250 == 0) {
        for (const LinkChange& c : links.check(at(t))) {
          EXPECT_EQ(c.to, LinkState::down);
          if (!seen_down) seen_down = t;
        }
      }
    }
    ASSERT_TRUE(seen_down.has_value()) << k;
    EXPECT_GE(*seen_down - last_beat, p.loss_after_s - 1e-9) << k;
    EXPECT_LE(*seen_down - last_beat, detection_bound_s(p) + 1e-9) << k;
    EXPECT_EQ(links.state("MOR-C2"), LinkState::down);
    // Back, same epoch: up again, no resync.
    auto back = links.heard({"MOR-C2", 1, beat + 1}, at(stop_ms / 1000.0 + 11.0));
    ASSERT_EQ(back.size(), 1u);
    EXPECT_FALSE(back[0].restarted);
    EXPECT_EQ(back[0].from, LinkState::down);
    // Restarted: a new epoch, even while up.
    auto restart = links.heard({"MOR-C2", 2, 1}, at(stop_ms / 1000.0 + 12.0));
    ASSERT_EQ(restart.size(), 1u);
    EXPECT_TRUE(restart[0].restarted);
    EXPECT_EQ(restart[0].reason, "restarted (epoch 2): resynchronise");
  }
}

TEST(LinkMonitor, ReplaysStrangersAndTheNeverHeardAreHandled) {
  LinkMonitor links({"KAL-RC", "MOR-C2"}, LinkParams{}, at(100));
  EXPECT_EQ(links.heard({"MOR-C2", 2, 5}, at(100.5)).at(0).reason, "first heartbeat");
  EXPECT_TRUE(links.heard({"MOR-C2", 2, 5}, at(101)).empty());   // the same beat again
  EXPECT_TRUE(links.heard({"MOR-C2", 1, 99}, at(101)).empty());  // an older epoch
  EXPECT_TRUE(links.heard({"XX-C2", 1, 1}, at(101)).empty());    // not expected
  EXPECT_EQ(links.ignored(), 3u);
  EXPECT_EQ(links.state("MOR-C2"), LinkState::up);
  EXPECT_EQ(links.state("KAL-RC"), LinkState::unknown);
  EXPECT_TRUE(links.check(at(102.4)).empty());
  const auto down = links.check(at(102.5));  // KAL-RC never came; MOR-C2's last beat was at 100.5
  ASSERT_EQ(down.size(), 1u);
  EXPECT_EQ(down[0].node, "KAL-RC");
  EXPECT_EQ(down[0].from, LinkState::unknown);
  EXPECT_EQ(down[0].reason, "never heard in 2.5 s");
  const auto mor = links.check(at(103.0));
  ASSERT_EQ(mor.size(), 1u);
  EXPECT_EQ(mor[0].reason, "no heartbeat for 2.5 s");
  EXPECT_TRUE(links.check(at(110)).empty());  // reported once
  EXPECT_EQ(links.heard({"MOR-C2", 2, 6}, at(111)).at(0).reason, "heartbeat after 10.5 s of silence");
}

}  // namespace
}  // namespace jrads::federation
