#pragma once
// The exercise controller's feed to a national node (topic jrads/feed), and the national node's
// mark that its tracks of a window are all sent (topic jrads/tracks, stream 0). Text, checked
// strictly; the rows inside are the FORMATS rows of sensors.csv and detections.csv, read by
// the picture's own strict readers, so a node sees exactly what the files would hold.
//
//   sites:   "JRADS-SITES-1 N\n" then N lines "<label text>\t<sensors.csv row>\n"
//   window:  "JRADS-WINDOW-1 T_NS N\n" then N detections.csv rows, each ending "\n"
//   end:     "JRADS-END-1\n"                       (no more windows: finish and stop)
//   link:    "JRADS-LINK-1 CUT\n" or "JRADS-LINK-1 RESTORE\n"
//                                                 (the exercise cuts the node's federation link:
//                                                  Cyclone's deaf and mute; the feed is not cut)
//   done:    "JRADS-TRACKS-DONE-2 T_NS A R L\n"   (every track update through T_NS is sent; A
//                                                  alerts in all so far; R snapshots sent after
//                                                  the link came back; L live tracks the node
//                                                  holds now, for the centre to check its own)
//
// Numbers are decimal without leading zeros (0 itself allowed); N is at most kMaxFeedRows.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "jrads/core/result.hpp"
#include "jrads/core/sim_time.hpp"
#include "jrads/picture/report.hpp"
#include "jrads/security/crypto.hpp"
#include "jrads/security/item_label.hpp"

namespace jrads::federation {

inline constexpr std::size_t kMaxFeedRows = 100000;

struct FeedSites {
  std::vector<picture::SensorSite> sites;  // with their labels
};
struct FeedWindow {
  SimTime end;                     // the window's reports are all before this
  std::vector<std::string> lines;  // detections.csv rows, no line endings (decoded: checked)
  std::vector<picture::Report> reports;  // decoded only: the rows as the picture reads them
};
struct FeedEnd {};
struct FeedLink {
  bool cut = false;  // true: go deaf and mute on the federation domain; false: hear and speak again
  friend bool operator==(const FeedLink&, const FeedLink&) = default;
};
using FeedMessage = std::variant<FeedSites, FeedWindow, FeedEnd, FeedLink>;

[[nodiscard]] security::Bytes encode_feed_sites(std::span<const picture::SensorSite> sites,
                                                const security::PartyTable& parties);
[[nodiscard]] security::Bytes encode_feed_window(SimTime end, std::span<const std::string> lines);
[[nodiscard]] security::Bytes encode_feed_end();
[[nodiscard]] security::Bytes encode_feed_link(const FeedLink& l);

// `sites`: the table a window's rows index (from the sites message); errors say "feed <what>:
// <problem>", with the row's own reader's message for a bad row.
[[nodiscard]] Result<FeedMessage> decode_feed(security::ByteView payload, std::span<const picture::SensorSite> sites,
                                              const security::PartyTable& parties);

struct TracksDone {
  SimTime through;
  std::uint64_t alerts = 0;     // alerts the node has sent the centre, in all
  std::uint64_t snapshots = 0;  // snapshots it has sent, in all: one each time its link came back
  std::uint64_t live = 0;       // its live tracks now (of its latest emission)
  friend bool operator==(const TracksDone&, const TracksDone&) = default;
};
[[nodiscard]] security::Bytes encode_tracks_done(const TracksDone& d);
[[nodiscard]] Result<TracksDone> decode_tracks_done(security::ByteView payload);

}  // namespace jrads::federation
