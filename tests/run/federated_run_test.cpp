// `jrads run --federated` end to end: the program itself, its national nodes as `jrads node`
// processes over Cyclone DDS on the loopback.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <thread>
#include <atomic>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "jrads/federation/dds_bus.hpp"
#include "jrads/federation/picture_batch.hpp"
#include "jrads/federation/sample.hpp"
#include "jrads/federation/track_update.hpp"
#include "jrads/security/keys.hpp"
#include "jrads/security/label.hpp"
#include "jrads/security/release.hpp"
#include "jrads/security/sealed_file.hpp"
#include "run/test_files.hpp"


extern char** environ;

namespace jrads::run {
namespace {

namespace fs = std::filesystem;
using test_files::fresh_dir;
using test_files::read_file;

const fs::path kJrads = fs::path(JRADS_BINARY_DIR) / "apps" / "jrads" / "jrads";

// Starts the program, its output into `log`: its pid, or -1.
pid_t start(std::vector<std::string> args, const fs::path& log) {
  args.insert(args.begin(), kJrads.string());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, kJrads.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return spawned == 0 ? pid : -1;
}

// Its exit status (128 + the signal when killed).
int wait_for(pid_t pid) {
  int status = 0;
  if (pid < 0 || waitpid(pid, &status, 0) < 0) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs the program to its end; its exit status.
int jrads(std::vector<std::string> args, const fs::path& log) { return wait_for(start(std::move(args), log)); }

// A test's tap: a listening participant on a run's two domains (the federation's and the
// feed's), keeping every sample of every topic, whoever it is for, until stopped.
class Tap {
 public:
  Tap(std::uint32_t domain, std::uint32_t feed_domain) {
    for (const std::uint32_t d : {domain, feed_domain}) {
      auto bus = federation::DdsBus::open(d, "TEST-TAP", true);
      if (bus) buses_.push_back(std::move(*bus));
    }
    thread_ = std::thread([this] {
      while (!stop_.load()) {
        for (federation::DdsBus& bus : buses_)
          for (int k = 0; k < federation::kTopics; ++k)
            for (federation::Received& r : bus.take(static_cast<federation::Topic>(k))) samples_.push_back(std::move(r));
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
      }
    });
  }
  ~Tap() { (void)stop(); }
  [[nodiscard]] bool listening() const { return buses_.size() == 2; }
  std::vector<federation::Received>& stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return samples_;
  }

 private:
  std::vector<federation::DdsBus> buses_;
  std::vector<federation::Received> samples_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The rows of a tracks.csv, each split at its commas.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::string cell;
    std::istringstream l(line);
    while (std::getline(l, cell, ',')) cells.push_back(cell);
    out.push_back(std::move(cells));
  }
  return out;
}

// The order rows of an engagements.csv, by the ordered unit's party.
std::map<std::string, int> orders_by_party(const std::string& engagements) {
  std::map<std::string, int> out;
  for (const auto& row : csv_rows(engagements))
    if (row.size() > 5 && row[1] == "order") ++out[row[5]];
  return out;
}

// The federated run's files are the in-process regional run's, byte for byte (its record of
// every decision and release included): the same reports reach the same national trackers,
// their updates and alerts cross DDS sealed and exactly (binary doubles), and the centre fuses
// them in each node's order.
TEST(FederatedRun, ReproducesTheInProcessRegionalRunByteForByte) {
  // The default scenario, whole: its raids are spread over the hour, and a shorter run is
  // not a valid scenario (every flight must start before its end).
  const fs::path dir = fresh_dir("federated-run");
  ASSERT_EQ(jrads({"run", "--out", (dir / "regional").string(), "--picture", "regional"}, dir / "regional.log"), 0)
      << read_file(dir / "regional.log");
  const auto domain_id = static_cast<std::uint32_t>(1 + 2 * (getpid() % 100));  // odd: the feed's is the next
  const std::string domain = std::to_string(domain_id);
  Tap tap(domain_id, domain_id + 1);  // hears every topic of both domains
  ASSERT_TRUE(tap.listening());
  ASSERT_EQ(jrads({"run", "--out", (dir / "federated").string(), "--federated", "--domain", domain}, dir / "federated.log"),
            0)
      << read_file(dir / "federated.log");
  const std::vector<federation::Received>& heard = tap.stop();
  for (const char* f : {"tracks.csv", "engagements.csv", "threats.csv", "units.csv", "alerts.csv", "truth.csv",
                        "detections.csv", "summary.json", "audit.log", "release/MOR/tracks.csv.sealed",
                        "release/MOR/alerts.csv.sealed", "release/KAL/engagements.csv.sealed"}) {
    const std::string a = read_file(dir / "regional" / f), b = read_file(dir / "federated" / f);
    EXPECT_GT(a.size(), 100u) << f;
    EXPECT_TRUE(a == b) << f << " differs: " << a.size() << " bytes in process, " << b.size() << " federated";
  }
  const std::string out = read_file(dir / "federated.log");
  EXPECT_NE(out.find("national nodes federated over DDS"), std::string::npos) << out;
  // Each national node ended by itself, heard both peers and refused nothing; its units' gate
  // held each order the run gave them, once.
  const std::map<std::string, int> orders = orders_by_party(read_file(dir / "federated" / "engagements.csv"));
  for (const char* node : {"KAL-N", "MOR-N"}) {
    const std::string log = read_file(dir / "federated" / "nodes" / (std::string(node) + ".log"));
    const int ordered = orders.at(std::string(node).substr(0, 3));
    EXPECT_GT(ordered, 0);
    EXPECT_NE(log.find(std::to_string(ordered) + " orders held (0 repeated, 0 refused)"), std::string::npos) << log;
    EXPECT_NE(log.find(std::string(node) + ": 3600 windows"), std::string::npos) << log;
    EXPECT_NE(log.find("0 samples refused"), std::string::npos) << log;
    EXPECT_NE(log.find("link to EXCON unknown -> up"), std::string::npos) << log;
    EXPECT_NE(log.find("link to KAL-RC unknown -> up"), std::string::npos) << log;
    EXPECT_NE(log.find("fusions (0 short)"), std::string::npos) << log;  // every regional row of every fusion came
  }

  // Release, on the wire: every sample for MOR's node, on every topic, carries a label
  // releasable to MOR; the regional tracks it gets name no sensors (MOR has no need to know
  // them), inside the seal as in the label. And there were items it must not have: KAL's node
  // got them, MOR's did not.
  const fs::path keys = dir / "federated" / "nodes" / "keys";
  const auto mor = security::load_node(keys, "MOR-N");
  const auto ring = security::Keyring::load(keys);
  ASSERT_TRUE(mor.has_value() && ring.has_value());
  ASSERT_NE(ring->current("KAL-RC"), nullptr);
  const security::SymmetricKey from_centre = mor->agreement.shared_key(ring->current("KAL-RC")->agree_public).value();
  // MOR's node may have what is releasable to MOR at SECRET, and which sensors saw a track only
  // when the sensors are its own.
  const security::Receiver mor_node{"MOR", security::Level::secret, security::kAllCategories};
  const auto may_have = [&](const security::Label& l) {
    const bool sensors = (l.categories & security::category_bit(security::Category::sensors)) != 0;
    return security::decide_release(l, mor_node, true).allowed && (!sensors || l.originator == "MOR");
  };
  std::map<std::string, int> to_mor, kal_only;
  int regional_rows_opened = 0;
  for (const federation::Received& r : heard) {
    ASSERT_EQ(r.error, "");
    const federation::WireSample& w = r.sample;
    const auto label = security::parse_label(w.label);
    ASSERT_TRUE(label.has_value()) << w.label;
    const bool releasable = may_have(*label);
    if (w.header.receiver == "KAL-N" && !releasable) ++kal_only[w.header.topic];
    if (w.header.receiver != "MOR-N") continue;
    ++to_mor[w.header.topic];
    EXPECT_TRUE(releasable) << w.header.topic << " from " << w.header.sender << ": " << w.label;
    if (w.header.sender != "KAL-RC" || w.header.topic != "jrads/tracks") continue;  // the regional picture
    const auto opened = federation::open_sample(w, "jrads/tracks", "MOR-N", from_centre, *ring, 2000000000);
    ASSERT_TRUE(opened.has_value()) << opened.error().to_string();
    const auto b = federation::decode_picture_batch(opened->payload);
    ASSERT_TRUE(b.has_value()) << b.error().to_string();
    for (const federation::PictureRow& row : b->rows) {
      EXPECT_TRUE(may_have(row.label)) << "regional track " << row.update.row.track_number << ": " << security::to_text(row.label);
      EXPECT_TRUE(row.update.sensors.empty()) << "regional track " << row.update.row.track_number;
      ++regional_rows_opened;
    }
  }
  EXPECT_GT(to_mor["jrads/tracks"], 1000);
  EXPECT_GT(to_mor["jrads/feed"], 3600);
  EXPECT_GT(to_mor["jrads/heartbeats"], 10);
  EXPECT_GT(to_mor["jrads/orders"], 0);  // its units' orders: each releasable to MOR, as checked above
  EXPECT_GT(regional_rows_opened, 1000);
  EXPECT_GT(kal_only["jrads/tracks"], 1000) << "no regional track was KAL's only: the check above tested nothing";

  // What MOR's node received of the regional picture is what the run released to MOR's files:
  // the same rows, the same values (the sigmas to rounding: the node derives them from the
  // covariance it was sent).
  const auto data_key = security::load_party_data_key(dir / "federated" / "keys", "MOR");
  ASSERT_TRUE(data_key.has_value()) << data_key.error().to_string();
  const auto released = security::read_sealed(dir / "federated" / "release" / "MOR" / "tracks.csv.sealed", *data_key);
  ASSERT_TRUE(released.has_value()) << released.error().to_string();
  const auto want = csv_rows(std::string(released->plaintext.begin(), released->plaintext.end()));
  const auto got = csv_rows(read_file(dir / "federated" / "nodes" / "MOR-N.regional-tracks.csv"));
  ASSERT_EQ(got.size(), want.size());
  ASSERT_GT(got.size(), 1000u);
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].size(), want[i].size()) << "row " << i;
    for (std::size_t c = 0; c < got[i].size(); ++c) {
      if (i > 0 && c >= 10) {  // sigma_pos_m, sigma_vel_mps
        EXPECT_NEAR(std::stod(got[i][c]), std::stod(want[i][c]), 1e-9 * std::stod(want[i][c])) << "row " << i;
      } else {
        EXPECT_EQ(got[i][c], want[i][c]) << "row " << i << " column " << c;
      }
    }
  }
}

// Seconds since midnight of a log line's "[YYYY-MM-DD HH:MM:SS.mmm]" stamp (spdlog, local time).
double stamp_s(const std::string& line) {
  int h = 0, m = 0;
  double sec = 0.0;
  if (line.size() < 25 || std::sscanf(line.c_str() + 12, "%d:%d:%lf", &h, &m, &sec) != 3) return -1.0;
  return h * 3600.0 + m * 60.0 + sec;
}

double now_of_day_s() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm local{};
  localtime_r(&t, &local);
  const double frac = static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000) / 1000.0;
  return local.tm_hour * 3600.0 + local.tm_min * 60.0 + local.tm_sec + frac;
}

// Every line of `text` holding `what`, in order.
std::vector<std::string> lines_with(const std::string& text, const std::string& what) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.find(what) != std::string::npos) out.push_back(line);
  return out;
}

std::string line_with(const std::string& text, const std::string& what) {
  const auto at = text.find(what);
  if (at == std::string::npos) return {};
  const auto begin = text.rfind('\n', at);
  return text.substr(begin == std::string::npos ? 0 : begin + 1, at - (begin == std::string::npos ? 0 : begin + 1));
}

// Fail-safe under a lost node: MOR's national node is killed during the run. The centre sees the
// loss within 3 s and goes on without it (no stall, no error), holding its tracks. The node is
// restarted: the centre sees the new process, sends it the sites again, and it serves the rest
// of the run. No civil aircraft is engaged.
TEST(FederatedRun, ANationalNodeKilledAndRestartedIsDetectedWithinThreeSecondsAndResynchronised) {
  const fs::path dir = fresh_dir("federated-kill");
  const fs::path out = dir / "run";
  const std::string domain = std::to_string(1 + 2 * ((getpid() + 33) % 100));
  const fs::path log = dir / "run.log";
  // The first 20 minutes: time enough for the kill, the restart and the rest of the run.
  const pid_t run = start({"run", "--out", out.string(), "--federated", "--domain", domain, "--until", "1200"}, log);
  ASSERT_GT(run, 0);
  // Wait until MOR-N serves (its links up), then find it by its configuration and kill it.
  const fs::path mor_log = out / "nodes" / "MOR-N.log";
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (read_file(mor_log).find("link to KAL-RC unknown -> up") == std::string::npos &&
         std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  pid_t mor = -1;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string cmd = read_file(e.path() / "cmdline");
    if (cmd.find((out / "nodes" / "MOR-N.yaml").string()) != std::string::npos) mor = std::stoi(e.path().filename());
  }
  ASSERT_GT(mor, 0) << "MOR-N's process not found";
  const double killed_at = now_of_day_s();
  ASSERT_EQ(kill(mor, SIGKILL), 0);
  std::this_thread::sleep_for(std::chrono::seconds(4));
  const int restarted = jrads({"node", "--config", (out / "nodes" / "MOR-N.yaml").string()}, dir / "MOR-N-again.log");
  const int status = wait_for(run);
  const std::string text = read_file(log);
  ASSERT_EQ(status, 0) << text;
  EXPECT_EQ(restarted, 0) << read_file(dir / "MOR-N-again.log");
  const std::string down = line_with(text, "link to MOR-N up -> down");
  ASSERT_FALSE(down.empty()) << text;
  const double detected_s = stamp_s(down) - killed_at;
  EXPECT_GT(detected_s, 0.0) << down;
  EXPECT_LE(detected_s, 3.0) << down;
  EXPECT_NE(text.find("link to MOR-N down -> up (restarted)"), std::string::npos) << text;
  // The loss is shown to KAL's node by the centre's heartbeats, and by the controller's.
  const std::string kal = read_file(out / "nodes" / "KAL-N.log");
  for (const char* reporter : {"KAL-RC", "EXCON"}) {
    const std::string shown = line_with(kal, std::string(reporter) + " reports its link to MOR-N up -> down");
    ASSERT_FALSE(shown.empty()) << kal;
    EXPECT_LE(stamp_s(shown) - killed_at, 3.0) << shown;
  }
  const std::string again = read_file(dir / "MOR-N-again.log");
  EXPECT_NE(again.find("MOR-N: "), std::string::npos) << again;
  EXPECT_EQ(again.find("MOR-N: 0 windows"), std::string::npos) << again;
  const std::string summary = read_file(out / "summary.json");
  EXPECT_NE(summary.find("\"civil_engaged\": 0"), std::string::npos) << summary;
  std::printf("loss detected %.2f s after the kill\n", detected_s);
}

// Fail-safe under cut links: the exercise cuts each national node's federation link in turn,
// ten times between 1,000 s and 2,000 s, 10 s each (Cyclone's deaf and mute on the node's
// federation domain; its sensors' feed goes on). Each loss is seen by the centre within 3 s,
// and shown to the other node within 3 s; each node keeps its picture and, when its link is
// back, sends a snapshot. Then the centre holds exactly the tracks the node holds (none lost,
// none twice), each under the regional number it had before the cut, and at every other window
// it holds as many as the node. Each node's units' gate holds every order given them, once. No
// civil aircraft is engaged.
TEST(FederatedRun, LinksCutTenTimesAreSeenWithinThreeSecondsAndResynchronisedWithoutLoss) {
  const fs::path dir = fresh_dir("federated-cuts");
  const fs::path out = dir / "run";
  const std::string domain = std::to_string(1 + 2 * ((getpid() + 66) % 100));
  // The first 2,000 s; the cuts from 1,000 s on, 90 windows apart, while the first raids come
  // and the units are ordered.
  ASSERT_EQ(jrads({"run", "--out", out.string(), "--federated", "--domain", domain, "--until", "2000", "--cut-from", "1000",
                   "--cut-links", "10"},
                  dir / "run.log"),
            0)
      << read_file(dir / "run.log");
  const auto j = nlohmann::json::parse(read_file(out / "federation.json"), nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << read_file(out / "federation.json");
  ASSERT_EQ(j["cuts"].size(), 10u) << j.dump(2);
  std::map<std::string, int> per_node;
  for (const auto& c : j["cuts"]) {
    ++per_node[c["node"].get<std::string>()];
    EXPECT_GT(c["loss_seen_s"].get<double>(), 0.0) << c.dump();
    EXPECT_LE(c["loss_seen_s"].get<double>(), 3.0) << c.dump();
    EXPECT_GE(c["snapshot_s"].get<double>(), 0.0) << c.dump();  // -1: no snapshot came
    EXPECT_TRUE(c["checked"].get<bool>()) << c.dump();
    EXPECT_GT(c["node_tracks"].get<int>(), 0) << c.dump();  // the check had tracks to lose
    EXPECT_EQ(c["updated_tracks"], c["node_tracks"]) << c.dump();  // its snapshot held them all
    EXPECT_EQ(c["centre_tracks"], c["node_tracks"]) << c.dump();
    EXPECT_EQ(c["lost"].get<int>(), 0) << c.dump();
    EXPECT_EQ(c["duplicated"].get<int>(), 0) << c.dump();
    EXPECT_EQ(c["renumbered"].get<int>(), 0) << c.dump();  // each kept its regional number
  }
  EXPECT_EQ(per_node["KAL-N"], 5);
  EXPECT_EQ(per_node["MOR-N"], 5);
  EXPECT_EQ(j["resynchronisations"]["tracks_lost"].get<int>(), 0);
  EXPECT_EQ(j["resynchronisations"]["tracks_duplicated"].get<int>(), 0);
  EXPECT_EQ(j["resynchronisations"]["tracks_renumbered"].get<int>(), 0);
  EXPECT_GT(j["marks"]["checked"].get<int>(), 1500);  // every window of each node, but the cuts'
  EXPECT_EQ(j["marks"]["disagreeing"].get<int>(), 0);
  // Each loss is shown to the other node too, by the centre's heartbeats, within 3 s of the
  // cut; and so is each restore.
  const std::string run_log = read_file(dir / "run.log");
  for (const auto& [node, other] : {std::pair{"KAL-N", "MOR-N"}, std::pair{"MOR-N", "KAL-N"}}) {
    const std::string log = read_file(out / "nodes" / (std::string(other) + ".log"));
    const auto cut = lines_with(run_log, std::string("cut the federation link of ") + node);
    const auto shown = lines_with(log, std::string("KAL-RC reports its link to ") + node + " up -> down");
    ASSERT_EQ(cut.size(), 5u) << run_log;
    ASSERT_EQ(shown.size(), 5u) << log;
    EXPECT_EQ(lines_with(log, std::string("KAL-RC reports its link to ") + node + " down -> up").size(), 5u) << log;
    for (std::size_t k = 0; k < cut.size(); ++k) {
      const double shown_s = stamp_s(shown[k]) - stamp_s(cut[k]);
      EXPECT_GT(shown_s, 0.0) << cut[k] << "\n" << shown[k];
      EXPECT_LE(shown_s, 3.0) << cut[k] << "\n" << shown[k];
      std::printf("%s's cut %zu shown to %s after %.2f s\n", node, k + 1, other, shown_s);
    }
  }
  for (const char* node : {"KAL-N", "MOR-N"}) {
    const std::string log = read_file(out / "nodes" / (std::string(node) + ".log"));
    EXPECT_NE(log.find("5 links cut, 5 snapshots"), std::string::npos) << log;
    EXPECT_NE(log.find("link to KAL-RC up -> down"), std::string::npos) << log;  // it saw the loss itself
    EXPECT_NE(log.find(std::string(node) + ": 2000 windows"), std::string::npos) << log;  // fed throughout
    // It refused nothing: every part of the picture sent down was one it could read (a
    // coasting regional track predicted below -1000 m once spoilt whole parts).
    EXPECT_NE(log.find(", 0 samples refused,"), std::string::npos) << log;
    // Its units' gate held every order given them, cuts or not, and none twice.
    const int ordered = orders_by_party(read_file(out / "engagements.csv"))[std::string(node).substr(0, 3)];
    EXPECT_NE(log.find(" " + std::to_string(ordered) + " orders held (0 repeated, 0 refused)"), std::string::npos) << log;
  }
  const std::string summary = read_file(out / "summary.json");
  EXPECT_NE(summary.find("\"civil_engaged\": 0"), std::string::npos) << summary;
}

// A node given a broken configuration says where, and the run does not start.
TEST(FederatedRun, ANodeWithABadConfigurationSaysWhereAndFails) {
  const fs::path dir = fresh_dir("federated-bad-config");
  std::ofstream(dir / "node.yaml") << "node: KAL-N\nparty: KAL\nrole: national\ndomain: 500\nkeys: keys\n";
  EXPECT_EQ(jrads({"node", "--config", (dir / "node.yaml").string()}, dir / "node.log"), 1);
  const std::string log = read_file(dir / "node.log");
  EXPECT_NE(log.find("node.yaml:4"), std::string::npos) << log;
  EXPECT_NE(log.find("domain"), std::string::npos) << log;
}

}  // namespace
}  // namespace jrads::run
