// jrads bench federation: the latency from a national node's track update to the regional
// centre's fused picture, over Cyclone DDS between two processes on the loopback, measured
// beside Cyclone's own ddsperf at the same sample size; then the most track updates per second
// one node can send another.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "federated_nodes.hpp"
#include "jrads/core/log.hpp"
#include "jrads/core/rng.hpp"
#include "jrads/federation/dds_bus.hpp"
#include "jrads/federation/egress.hpp"
#include "jrads/federation/feed.hpp"
#include "jrads/federation/ingress.hpp"
#include "jrads/federation/national_node.hpp"
#include "jrads/federation/regional_picture.hpp"
#include "jrads/federation/track_update.hpp"
#include "jrads/security/keys.hpp"


namespace jrads::app {
namespace {

using namespace jrads::federation;
using Clock = std::chrono::steady_clock;

constexpr std::int64_t kKeysFrom = 1767225600;  // 2026-01-01, as the run's exercise keys
const Geodetic kOrigin{44.0, 20.0, 0.0};

std::int64_t mono_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}
std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

security::NodeKeys bench_keys(const std::string& node, const std::string& party, std::uint8_t tag) {
  security::KeySeed s{};
  s.fill(tag);
  return security::generate_node_keys(node, party, 1, kKeysFrom, security::kMaxKeyValidS, s).value();
}

struct Pair {
  security::NodeKeys national = bench_keys("MOR-N", "MOR", 11);
  security::NodeKeys centre = bench_keys("KAL-RC", "KAL", 12);
  security::SymmetricKey key = national.agreement.shared_key(centre.record.agree_public).value();
  security::Keyring ring;
  security::PartyTable parties = security::PartyTable::make({"KAL", "MOR"}).value();
  Pair() {
    (void)ring.add(national.record);
    (void)ring.add(centre.record);
  }
};

// The label of a MOR track: SECRET, releasable to KAL, AIR-PICTURE and SENSORS.
security::ItemLabel track_label(const security::PartyTable& parties) {
  security::ItemLabel l;
  l.level = security::Level::secret;
  l.originator = *parties.index("MOR");
  l.categories = security::category_bit(security::Category::air_picture) | security::category_bit(security::Category::sensors);
  l.rel = 1u << *parties.index("KAL");
  return l;
}

// A national picture of n aircraft at second k: a track update each, with evidence and sensors.
std::vector<TrackUpdate> picture_at(int n, int k, const security::ItemLabel& label) {
  RngStream rng = Rng(7).stream("bench/federation");
  const LocalFrame frame(kOrigin);
  std::vector<TrackUpdate> out;
  for (int i = 0; i < n; ++i) {
    const Eigen::Vector3d pos(rng.uniform(-150e3, 150e3), rng.uniform(-150e3, 150e3), rng.uniform(1e3, 11e3));
    const double heading = rng.uniform(0.0, 6.283185307179586), speed = rng.uniform(100.0, 300.0);
    const Eigen::Vector3d vel(speed * std::sin(heading), speed * std::cos(heading), 0.0);
    TrackUpdate u;
    u.row.time = SimTime::from_s(k);
    u.row.track_number = static_cast<std::uint32_t>(1 + i);
    u.row.status = picture::TrackStatus::confirmed;
    u.row.identity = picture::Identity::unknown;
    u.row.pos = frame.geodetic_from_enu(Enu::from(pos + k * vel));
    u.row.vel_enu = vel;
    u.row.cov = picture::Matrix6d::Identity() * 1e4;
    u.row.cov.bottomRightCorner<3, 3>() = Eigen::Matrix3d::Identity() * 100.0;
    u.row.label = label;
    u.evidence = picture::EvidenceSummary{};
    u.sensors = {"MOR-R1", "MOR-R2"};
    out.push_back(std::move(u));
  }
  return out;
}

// The national side, in the child process: each second a burst of every track's update, then
// the mark; the header's time is the send time (monotonic ns), so the centre can time it.
int run_national(const BenchRun& run) {
  silence_logs();
  const Pair p;
  auto bus = DdsBus::open(run.domain, "MOR-N");
  if (!bus) return 2;
  security::Receiver centre;
  centre.party = "KAL";
  centre.clearance = security::Level::secret;
  centre.need_to_know = security::kAllCategories;
  Egress out(*bus, p.national, p.parties, {{"KAL-RC", centre, p.key}}, true, {});
  const auto until = Clock::now() + std::chrono::seconds(30);
  while (bus->matched_readers(Topic::tracks) < 2 || bus->matched_writers(Topic::feed) < 2) {
    if (Clock::now() > until) return 3;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const security::ItemLabel label = track_label(p.parties);
  const security::ItemLabel control = control_label(p.parties, "MOR");
  const auto send_second = [&](int k, bool burst_only) {
    for (const TrackUpdate& u : picture_at(run.tracks, k, label)) {
      const SimTime now = SimTime::from_ns(mono_ns());
      if (!out.send(Topic::tracks, u.row.track_number, now, u.row.label, encode_track_update(u))) return false;
    }
    if (burst_only) return true;
    return out.send(Topic::tracks, 0, SimTime::from_ns(mono_ns()), control, encode_tracks_done({SimTime::from_s(k), 0})).has_value();
  };
  if (run.throughput) {
    // As fast as this process can seal them, for the given seconds.
    const auto end = Clock::now() + std::chrono::duration<double>(run.seconds);
    int k = 0;
    while (Clock::now() < end)
      if (!send_second(k++, true)) return 4;
    (void)out.send(Topic::tracks, 0, SimTime::from_ns(mono_ns()), control, encode_tracks_done({SimTime::from_s(1e9), 0}));
  } else {
    auto next = Clock::now();
    for (int k = 0; k < run.seconds; ++k) {
      std::this_thread::sleep_until(next);
      next += std::chrono::seconds(1);
      if (!send_second(k, false)) return 4;
    }
  }
  bus->flush(10.0);
  return 0;
}

// A helper process (args[0] is the program): its pid, or -1.
pid_t spawn(std::vector<std::string> args, const std::string& log) {
  const std::string program = args.front();
  auto pid = spawn_logged(program, std::move(args), log);
  return pid ? *pid : -1;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())));
  return v[i];
}

struct Ddsperf {
  bool ran = false;
  double p50_us = 0, p99_us = 0;
  int lines = 0;
};

// Cyclone's ddsperf ping/pong at `size` bytes, 100 Hz, on the same loopback configuration: the
// medians of its per-second round-trip 50 % and 99 % figures.
// burst > 0: instead, bursts of that many samples at 1 Hz, 1 % of them pings (ddsperf's "pub
// ... burst N ping 1" against "sub pong"): the round trip of a sample inside a burst like ours.
Ddsperf run_ddsperf(std::uint32_t domain, std::size_t size, int seconds, const std::string& dir, int burst = 0) {
  Ddsperf d;
  const std::string uri =
      "<General><Interfaces><NetworkInterface address=\"127.0.0.1\"/></Interfaces><AllowMulticast>false</AllowMulticast>"
      "</General><Discovery><ParticipantIndex>auto</ParticipantIndex><Peers><Peer address=\"127.0.0.1\"/></Peers>"
      "</Discovery>";
  setenv("CYCLONEDDS_URI", uri.c_str(), 1);
  const std::string dom = std::to_string(domain);
  const std::string tag = burst > 0 ? "-burst" : "";
  const pid_t pong = burst > 0 ? spawn({"ddsperf", "-i", dom, "-D", std::to_string(seconds + 2), "sub", "pong"}, dir + "/ddsperf-pong" + tag + ".log")
                               : spawn({"ddsperf", "-i", dom, "-D", std::to_string(seconds + 2), "pong"}, dir + "/ddsperf-pong.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const pid_t ping =
      burst > 0 ? spawn({"ddsperf", "-i", dom, "-D", std::to_string(seconds), "pub", "1Hz", "size", std::to_string(size), "burst",
                         std::to_string(burst), "ping", "1"},
                        dir + "/ddsperf-ping" + tag + ".log")
                : spawn({"ddsperf", "-i", dom, "-D", std::to_string(seconds), "ping", "100Hz", "size", std::to_string(size)},
                        dir + "/ddsperf-ping.log");
  unsetenv("CYCLONEDDS_URI");
  if (pong < 0 || ping < 0) return d;
  int status = 0;
  waitpid(ping, &status, 0);
  waitpid(pong, &status, 0);
  std::ifstream in(dir + "/ddsperf-ping" + tag + ".log");
  const std::regex re(R"( 50% ([0-9.]+)us 90% [0-9.]+us 99% ([0-9.]+)us)");
  std::vector<double> p50, p99;
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, re)) {
      p50.push_back(std::stod(m[1]));
      p99.push_back(std::stod(m[2]));
    }
  }
  d.ran = !p50.empty();
  d.lines = static_cast<int>(p50.size());
  d.p50_us = percentile(p50, 0.5);
  d.p99_us = percentile(p99, 0.5);
  return d;
}

}  // namespace

int bench(const BenchRun& run) {
  if (run.what != "federation") {
    std::fprintf(stderr, "jrads bench: unknown benchmark '%s' (known: federation)\n", run.what.c_str());
    return 3;
  }
  if (run.role == "national") return run_national(run);
  silence_logs();
  const Pair p;
  const std::string dir = run.out_dir.empty() ? "." : run.out_dir;
  // The sealed size of one update, for ddsperf's payload.
  const TrackUpdate sample = picture_at(1, 0, track_label(p.parties)).front();
  const security::Bytes payload = encode_track_update(sample);
  const SampleHeader h{topic_name(Topic::tracks), "MOR-N", "KAL-RC", 1, 1, SimTime{}};
  const WireSample sealed = seal_sample(h, security::to_label(sample.row.label, p.parties, SimTime{}), payload, p.national, p.key);
  const std::size_t wire_size = sealed.sealed.size() + sealed.label.size() + 2 * 32 + 4 + 8 + 8 + 24;
  std::printf("jrads bench federation: %d tracks at 1 Hz for %d s; a track update is %zu bytes, sealed %zu, "
              "%zu on the wire (envelope)\n",
              run.tracks, run.seconds, payload.size(), sealed.sealed.size(), wire_size);

  const Ddsperf dp = run_ddsperf(run.domain + 1, wire_size, run.seconds, dir);
  const Ddsperf dpb = run_ddsperf(run.domain + 1, wire_size, run.seconds, dir, run.tracks);

  for (const bool throughput : {false, true}) {
    auto bus = DdsBus::open(run.domain, "KAL-RC");
    if (!bus) {
      std::fprintf(stderr, "%s\n", bus.error().to_string().c_str());
      return 1;
    }
    Ingress in(*bus, {{"MOR-N", p.key}}, p.ring, {});
    RegionalPicture rc(kOrigin, picture::FusionParams{});
    const std::string exe = "/proc/self/exe";
    std::vector<std::string> args = {exe, "bench", "federation", "--role", "national", "--domain", std::to_string(run.domain),
                                     "--tracks", std::to_string(run.tracks), "--seconds", std::to_string(run.seconds)};
    if (throughput) args.push_back("--throughput");
    const pid_t child = spawn(args, dir + "/bench-national.log");
    if (child < 0) return 1;
    std::vector<double> transport_us, fused_us;
    std::vector<std::int64_t> batch_sent;
    std::uint64_t updates = 0;
    std::int64_t first_ns = 0, last_ns = 0;
    int marks = 0;
    const auto deadline = Clock::now() + std::chrono::seconds(run.seconds + 60);
    bool finished = false;
    while (!finished && Clock::now() < deadline) {
      bool any = false;
      for (OpenedSample& s : in.take(Topic::tracks, unix_now())) {
        any = true;
        const std::int64_t now = mono_ns();
        if (s.header.stream == 0) {
          ++marks;
          if (throughput) {
            finished = true;
            break;
          }
          auto t = decode_tracks_done(s.payload);
          (void)rc.fuse(t ? t->through : SimTime{});
          const std::int64_t fused = mono_ns();
          for (std::int64_t sent : batch_sent) fused_us.push_back(static_cast<double>(fused - sent) * 1e-3);
          batch_sent.clear();
          if (marks >= run.seconds) finished = true;
          continue;
        }
        auto u = decode_track_update(s.payload);
        if (!u) continue;
        ++updates;
        if (first_ns == 0) first_ns = now;
        last_ns = now;
        transport_us.push_back(static_cast<double>(now - s.header.time.ns()) * 1e-3);
        if (!throughput) {
          batch_sent.push_back(s.header.time.ns());
          rc.apply(0, *u);
        }
      }
      if (!any) std::this_thread::sleep_for(std::chrono::microseconds(20));
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!finished) {
      std::fprintf(stderr, "jrads bench federation: the national process did not finish (see %s/bench-national.log)\n",
                   dir.c_str());
      return 1;
    }
    if (throughput) {
      const double secs = static_cast<double>(last_ns - first_ns) * 1e-9;
      std::printf("\nMost updates sustained, one node to another (seal, DDS, open; no fusion): %.0f updates/s "
                  "(%llu in %.2f s)\n",
                  static_cast<double>(updates) / std::max(secs, 1e-9), static_cast<unsigned long long>(updates), secs);
    } else {
      std::printf("\nNational update -> regional fused picture, %zu updates:\n", fused_us.size());
      std::printf("  to the fused picture   p50 %10.1f us   p99 %10.1f us\n", percentile(fused_us, 0.5), percentile(fused_us, 0.99));
      std::printf("  transport (seal, DDS, open)  p50 %10.1f us   p99 %10.1f us\n", percentile(transport_us, 0.5),
                  percentile(transport_us, 0.99));
      if (dp.ran) {
        std::printf("ddsperf ping/pong, %zu bytes, 100 Hz, %d s (medians of its per-second figures): round trip p50 "
                    "%.1f us, p99 %.1f us; one way (half) p50 %.1f us\n",
                    wire_size, dp.lines, dp.p50_us, dp.p99_us, dp.p50_us / 2);
        std::printf("ratio, fused p50 / ddsperf one-way p50: %.0f; transport p50 / ddsperf one-way p50: %.1f\n",
                    percentile(fused_us, 0.5) / (dp.p50_us / 2), percentile(transport_us, 0.5) / (dp.p50_us / 2));
        if (dpb.ran)
          std::printf("ddsperf in bursts of %d at 1 Hz (1 %% pings, %d s): round trip p50 %.1f us, p99 %.1f us; "
                      "fused p50 / its one way: %.0f\n",
                      run.tracks, dpb.lines, dpb.p50_us, dpb.p99_us, percentile(fused_us, 0.5) / (dpb.p50_us / 2));
      } else {
        std::printf("ddsperf did not run (is cyclonedds-tools installed?)\n");
      }
    }
  }
  return 0;
}

}  // namespace jrads::app
