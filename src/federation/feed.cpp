#include "jrads/federation/feed.hpp"

#include <charconv>

#include "jrads/core/csv_format.hpp"
#include "jrads/picture/csv_reader.hpp"
#include "jrads/security/label.hpp"

namespace jrads::federation {
namespace {

constexpr std::string_view kSites = "JRADS-SITES-1 ";
constexpr std::string_view kWindow = "JRADS-WINDOW-1 ";
constexpr std::string_view kEnd = "JRADS-END-1\n";
constexpr std::string_view kCut = "JRADS-LINK-1 CUT\n";
constexpr std::string_view kRestore = "JRADS-LINK-1 RESTORE\n";
constexpr std::string_view kDone = "JRADS-TRACKS-DONE-2 ";
constexpr std::string_view kSitesHeader = "sensor_id,party,type,lat_deg,lon_deg,alt_m\n";

Unexpected bad(const std::string& what, const std::string& problem) {
  return fail(Errc::invalid_argument, "feed " + what + ": " + problem);
}

security::Bytes bytes_of(const std::string& s) { return security::Bytes(s.begin(), s.end()); }

// A decimal without leading zeros, whole: the number, or nothing.
std::optional<std::uint64_t> decimal(std::string_view s) {
  if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// Splits the text after the first line; the first line without its "\n".
bool first_line(std::string_view text, std::string_view& line, std::string_view& rest) {
  const std::size_t nl = text.find('\n');
  if (nl == std::string_view::npos) return false;
  line = text.substr(0, nl);
  rest = text.substr(nl + 1);
  return true;
}

Result<FeedMessage> decode_sites(std::string_view head, std::string_view rest, const security::PartyTable& parties) {
  const auto n = decimal(head);
  if (!n || *n == 0 || *n > kMaxFeedRows) return bad("sites", "the count is not a number from 1 to 100000");
  std::string csv(kSitesHeader);
  std::vector<security::ItemLabel> labels;
  for (std::uint64_t i = 0; i < *n; ++i) {
    std::string_view line, next;
    if (!first_line(rest, line, next)) return bad("sites", "line " + std::to_string(i + 2) + ": missing or unterminated");
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) return bad("sites", "line " + std::to_string(i + 2) + ": no tab after the label");
    auto label = security::parse_label(line.substr(0, tab));
    if (!label) return bad("sites", "line " + std::to_string(i + 2) + ": label: " + label.error().message);
    auto item = security::from_label(*label, parties);
    if (!item) return bad("sites", "line " + std::to_string(i + 2) + ": label: " + item.error().message);
    labels.push_back(*item);
    csv.append(line.substr(tab + 1));
    csv += '\n';
    rest = next;
  }
  if (!rest.empty()) return bad("sites", std::to_string(rest.size()) + " bytes after the last line");
  auto sites = picture::parse_sensors_csv(csv, "feed sites");
  if (!sites) return bad("sites", sites.error().to_string());
  if (sites->size() != labels.size()) return bad("sites", "a row with a line break inside");
  for (std::size_t i = 0; i < labels.size(); ++i) (*sites)[i].label = labels[i];
  return FeedMessage{FeedSites{std::move(*sites)}};
}

Result<FeedMessage> decode_window(std::string_view head, std::string_view rest,
                                  std::span<const picture::SensorSite> sites) {
  const std::size_t space = head.find(' ');
  const auto t = space == std::string_view::npos ? std::nullopt : decimal(head.substr(0, space));
  const auto n = space == std::string_view::npos ? std::nullopt : decimal(head.substr(space + 1));
  if (!t || *t > static_cast<std::uint64_t>(INT64_MAX)) return bad("window", "the end time is not a number of ns");
  if (!n || *n > kMaxFeedRows) return bad("window", "the count is not a number from 0 to 100000");
  if (sites.empty() && *n > 0) return bad("window", "reports before the sensor sites");
  FeedWindow w;
  w.end = SimTime::from_ns(static_cast<std::int64_t>(*t));
  for (std::uint64_t i = 0; i < *n; ++i) {
    std::string_view line, next;
    if (!first_line(rest, line, next)) return bad("window", "row " + std::to_string(i + 1) + ": missing or unterminated");
    auto r = picture::parse_detection_line(line, sites, "feed window", static_cast<int>(i + 2));
    if (!r) return bad("window", r.error().to_string());
    if (r->time >= w.end) return bad("window", "row " + std::to_string(i + 1) + ": a report at or after the window's end");
    w.lines.emplace_back(line);
    w.reports.push_back(*r);
    rest = next;
  }
  if (!rest.empty()) return bad("window", std::to_string(rest.size()) + " bytes after the last row");
  return FeedMessage{std::move(w)};
}

}  // namespace

security::Bytes encode_feed_sites(std::span<const picture::SensorSite> sites, const security::PartyTable& parties) {
  std::string s(kSites);
  s += std::to_string(sites.size()) + "\n";
  for (const picture::SensorSite& site : sites) {
    s += security::to_text(security::to_label(site.label, parties, SimTime{}));
    s += '\t' + site.id + ',' + site.party + ',' + picture::to_string(site.kind) + ',';
    append_double(s, site.pos.lat_deg);
    s += ',';
    append_double(s, site.pos.lon_deg);
    s += ',';
    append_double(s, site.pos.alt_m);
    s += '\n';
  }
  return bytes_of(s);
}

security::Bytes encode_feed_window(SimTime end, std::span<const std::string> lines) {
  std::string s(kWindow);
  s += std::to_string(end.ns()) + ' ' + std::to_string(lines.size()) + '\n';
  for (const std::string& l : lines) s += l + '\n';
  return bytes_of(s);
}

security::Bytes encode_feed_end() { return bytes_of(std::string(kEnd)); }

security::Bytes encode_feed_link(const FeedLink& l) { return bytes_of(std::string(l.cut ? kCut : kRestore)); }

Result<FeedMessage> decode_feed(security::ByteView payload, std::span<const picture::SensorSite> sites,
                                const security::PartyTable& parties) {
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  if (text == kEnd) return FeedMessage{FeedEnd{}};
  if (text == kCut) return FeedMessage{FeedLink{true}};
  if (text == kRestore) return FeedMessage{FeedLink{false}};
  std::string_view head, rest;
  if (!first_line(text, head, rest)) return bad("message", "no first line");
  if (head.substr(0, kSites.size()) == kSites) return decode_sites(head.substr(kSites.size()), rest, parties);
  if (head.substr(0, kWindow.size()) == kWindow) return decode_window(head.substr(kWindow.size()), rest, sites);
  return bad("message", "not a sites, window, end or link message");
}

security::Bytes encode_tracks_done(const TracksDone& d) {
  return bytes_of(std::string(kDone) + std::to_string(d.through.ns()) + " " + std::to_string(d.alerts) + " " +
                  std::to_string(d.snapshots) + " " + std::to_string(d.live) + "\n");
}

Result<TracksDone> decode_tracks_done(security::ByteView payload) {
  const std::string_view text(reinterpret_cast<const char*>(payload.data()), payload.size());
  if (text.size() < kDone.size() + 8 || text.substr(0, kDone.size()) != kDone || text.back() != '\n')
    return bad("tracks done", "not \"JRADS-TRACKS-DONE-2 T_NS ALERTS SNAPSHOTS LIVE\"");
  std::string_view body = text.substr(kDone.size(), text.size() - kDone.size() - 1);
  std::optional<std::uint64_t> n[4];
  static constexpr const char* kWhat[4] = {"the time is not a number of ns", "the count of alerts is not a number",
                                           "the count of snapshots is not a number",
                                           "the count of live tracks is not a number"};
  for (int i = 0; i < 4; ++i) {
    const std::size_t space = i < 3 ? body.find(' ') : body.size();
    if (space != std::string_view::npos) n[i] = decimal(body.substr(0, space));
    if (!n[i] || (i == 0 && *n[i] > static_cast<std::uint64_t>(INT64_MAX))) return bad("tracks done", kWhat[i]);
    body = space == body.size() ? std::string_view() : body.substr(space + 1);
  }
  return TracksDone{SimTime::from_ns(static_cast<std::int64_t>(*n[0])), *n[1], *n[2], *n[3]};
}

}  // namespace jrads::federation
