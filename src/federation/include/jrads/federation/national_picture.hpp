#pragma once
// A national node's picture: the reports of its own party's sensors in, its track updates out
// (what it sends the regional centre on jrads/tracks).
//
//   NationalPicture kal(sites, tracker_params, "KAL");
//   for (const Report& r : reports) kal.add(r);           // other parties' reports are ignored
//   for (const TrackUpdate& u : kal.take_updates()) send(u);
//
// The tracker emits every confirmed and coasting track at each whole second; a track that was
// in one emission and is missing from the next has been deleted or merged, and is sent once as
// ended. Each update carries the track's evidence totals (the civil interlock's input) and the
// ids of the sensors that saw it (the sender strips them where SENSORS may not go).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "jrads/federation/track_update.hpp"
#include "jrads/picture/report.hpp"
#include "jrads/picture/tracker.hpp"

namespace jrads::federation {

class NationalPicture {
 public:
  // `sites`: the whole sensor table (reports index it); only those of `party` are tracked.
  NationalPicture(std::vector<picture::SensorSite> sites, const picture::TrackerParams& params, std::string party);

  void add(const picture::Report& r);
  void finish();  // the tracker's last rows; then take_updates() once more

  // Every update since the last call, in time order (ended ones after the time's rows).
  [[nodiscard]] std::vector<TrackUpdate> take_updates();
  [[nodiscard]] std::vector<picture::Alert> take_alerts() { return tracker_.take_alerts(); }

  // The latest emission's tracks (confirmed and coasting), by number, as last taken: what a
  // snapshot sends.
  [[nodiscard]] const std::map<std::uint32_t, TrackUpdate>& live() const noexcept { return last_; }
  [[nodiscard]] const picture::Tracker& tracker() const noexcept { return tracker_; }
  [[nodiscard]] const std::string& party() const noexcept { return party_; }
  [[nodiscard]] std::uint64_t reports() const noexcept { return reports_; }

 private:
  std::vector<picture::SensorSite> sites_;
  picture::Tracker tracker_;
  std::string party_;
  std::vector<bool> own_;  // per site: of this party
  std::map<std::uint32_t, TrackUpdate> last_;  // the latest emission's tracks, by number
  std::uint64_t reports_ = 0;
};

}  // namespace jrads::federation
