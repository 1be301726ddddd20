#include "jrads/sensors/sensor_suite.hpp"

#include <algorithm>
#include <set>
#include <string>
#include <type_traits>

#include "jrads/core/result.hpp"
#include "jrads/sensors/adsb.hpp"
#include "jrads/sensors/iff_interrogator.hpp"
#include "jrads/sensors/radar.hpp"

namespace jrads::sensors {
namespace {

// A sensor that works scan by scan, with its own stream and the next scan it owes.
template <class S>
struct Scanning {
  S sensor;
  RngStream rng;
  SensorIndex index;
  std::int64_t next_scan = 0;
};

struct Receiving {
  AdsbReceiver sensor;
  RngStream rng;
  SensorIndex index;
};

template <class S>
void run_scans(Scanning<S>& s, bool first, SimTime t0, SimTime t1, const world::WorldView& world,
               std::vector<Detection>& out) {
  const RotatingBeam& beam = s.sensor.beam();
  // Scans before t = 0 would see no platforms but would still make clutter.
  if (first) s.next_scan = std::max<std::int64_t>(0, beam.first_scan_ending_at_or_after(t0));
  for (; beam.scan_end(s.next_scan) < t1; ++s.next_scan) {
    s.sensor.scan(s.next_scan, world, s.index, s.rng, out);
  }
}

// Invalid parameters here are the caller's bug (the scenario reader reports them, with their
// place in the file, through the same validate()): abort with the reason.
void require(const Result<void>& checked, SourceLocation where = SourceLocation::current()) {
  if (checked) return;
  const std::string what = "sensor parameters pass validate(); " + checked.error().to_string();
  assert_fail(what.c_str(), where);
}

}  // namespace

struct SensorSuite::Impl {
  Rng rng;
  AdsbBroadcastParams adsb;
  std::vector<SensorInfo> infos;
  std::vector<Scanning<Radar>> radars;
  std::vector<Scanning<IffInterrogator>> iffs;
  std::vector<Receiving> receivers;
  std::vector<AdsbTransmitter> transmitters;  // created on the first window, when the platforms are known
  std::vector<AdsbMessage> messages;          // scratch, reused every window
  bool started = false;
  SimTime next_t0;
};

SensorSuite::SensorSuite(std::vector<SensorParams> sensors, AdsbBroadcastParams adsb,
                         const world::ElevationGrid& terrain, const Rng& rng)
    : impl_(std::make_unique<Impl>(Impl{rng, adsb, {}, {}, {}, {}, {}, {}, false, SimTime()})) {
  Impl& m = *impl_;
  require(validate(adsb));
  std::set<std::string> ids;
  for (const SensorParams& p : sensors) {
    require(validate(p));
    const std::string& id = std::visit([](const auto& q) -> const std::string& { return q.id; }, p);
    if (!ids.insert(id).second) {
      const std::string what = "sensor ids are unique; '" + id + "' is used twice";
      assert_fail(what.c_str(), SourceLocation::current());
    }
  }
  for (std::size_t n = 0; n < sensors.size(); ++n) {
    const SensorIndex index(static_cast<std::uint32_t>(n));
    std::visit(
        [&](auto& p) {
          using P = std::decay_t<decltype(p)>;
          SensorInfo info{p.id, p.party, SensorType::radar, resolve_antenna(p.antenna, terrain), p.label};
          if constexpr (std::is_same_v<P, RadarParams>) {
            RngStream stream = rng.stream("radar/" + p.id);
            m.radars.push_back({Radar(std::move(p), terrain), stream, index, 0});
          } else if constexpr (std::is_same_v<P, IffParams>) {
            info.type = SensorType::iff;
            RngStream stream = rng.stream("iff/" + p.id);
            m.iffs.push_back({IffInterrogator(std::move(p), terrain), stream, index, 0});
          } else {
            info.type = SensorType::adsb;
            RngStream stream = rng.stream("adsb-rx/" + p.id);
            m.receivers.push_back({AdsbReceiver(std::move(p), terrain), stream, index});
          }
          m.infos.push_back(std::move(info));
        },
        sensors[n]);
  }
}

SensorSuite::~SensorSuite() = default;
SensorSuite::SensorSuite(SensorSuite&&) noexcept = default;
SensorSuite& SensorSuite::operator=(SensorSuite&&) noexcept = default;

const std::vector<SensorInfo>& SensorSuite::sensors() const noexcept { return impl_->infos; }

double SensorSuite::max_lag_s() const noexcept {
  double lag = 0.0;
  for (const auto& r : impl_->radars) lag = std::max(lag, r.sensor.max_lag_s());
  for (const auto& r : impl_->iffs) lag = std::max(lag, r.sensor.max_lag_s());
  return lag;
}

double SensorSuite::max_history_s() const noexcept {
  double history = 0.0;
  for (const auto& r : impl_->radars) history = std::max(history, r.sensor.max_history_s());
  for (const auto& r : impl_->iffs) history = std::max(history, r.sensor.max_lag_s());
  return history;
}

void SensorSuite::observe(SimTime t0, SimTime t1, const world::WorldView& world, std::vector<Detection>& out) {
  Impl& m = *impl_;
  JRADS_ASSERT(t0 <= t1);
  JRADS_ASSERT(!m.started || t0 == m.next_t0);  // windows must be contiguous
  const bool first = !m.started;
  m.started = true;
  m.next_t0 = t1;
  // Every report carries its sensor's label, whichever path made it.
  struct Label {
    std::vector<Detection>& out;
    const std::vector<SensorInfo>& infos;
    std::size_t from;
    ~Label() {
      for (std::size_t i = from; i < out.size(); ++i) out[i].label = infos[out[i].sensor.value()].label;
    }
  } label{out, m.infos, out.size()};

  for (auto& r : m.radars) run_scans(r, first, t0, t1, world, out);
  for (auto& r : m.iffs) run_scans(r, first, t0, t1, world, out);

  if (m.receivers.empty()) return;  // nobody listens: the transmitters' streams stay untouched
  if (first) {
    for (std::size_t n = 0; n < world.platform_count(); ++n) {
      const PlatformIndex i(static_cast<std::uint32_t>(n));
      const world::PlatformParams& p = world.platform(i);
      if (broadcasts_adsb(p)) m.transmitters.emplace_back(i, p, m.adsb, m.rng.stream("adsb-tx/" + p.id));
    }
  }
  m.messages.clear();
  for (auto& tx : m.transmitters) tx.broadcast(t0, t1, world, m.messages);
  // Receivers draw in the global order of squitters, which does not depend on the windows.
  std::sort(m.messages.begin(), m.messages.end(), [](const AdsbMessage& a, const AdsbMessage& b) {
    return a.time < b.time || (a.time == b.time && a.source < b.source);
  });
  for (const AdsbMessage& msg : m.messages) {
    for (auto& rx : m.receivers) rx.sensor.receive(msg, rx.index, rx.rng, out);
  }
}

}  // namespace jrads::sensors
