// `jrads run --federated` end to end: the program itself, its national nodes as `jrads node`
// processes over Cyclone DDS on the loopback.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>


extern char** environ;

namespace jrads::run {
namespace {

namespace fs = std::filesystem;

const fs::path kJrads = fs::path(JRADS_BINARY_DIR) / "apps" / "jrads" / "jrads";

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(JRADS_BINARY_DIR) / "test-output" / name;
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::string read_file(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Runs the program; its exit status (output into `log`).
int jrads(std::vector<std::string> args, const fs::path& log) {
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
  if (spawned != 0) return -1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
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
  const std::string domain = std::to_string(1 + getpid() % 200);
  ASSERT_EQ(jrads({"run", "--out", (dir / "federated").string(), "--federated", "--domain", domain}, dir / "federated.log"),
            0)
      << read_file(dir / "federated.log");
  for (const char* f : {"tracks.csv", "engagements.csv", "threats.csv", "units.csv", "alerts.csv", "truth.csv",
                        "detections.csv", "summary.json", "audit.log", "release/MOR/tracks.csv.sealed",
                        "release/MOR/alerts.csv.sealed", "release/KAL/engagements.csv.sealed"}) {
    const std::string a = read_file(dir / "regional" / f), b = read_file(dir / "federated" / f);
    EXPECT_GT(a.size(), 100u) << f;
    EXPECT_TRUE(a == b) << f << " differs: " << a.size() << " bytes in process, " << b.size() << " federated";
  }
  const std::string out = read_file(dir / "federated.log");
  EXPECT_NE(out.find("national nodes federated over DDS"), std::string::npos) << out;
  // Each national node ended by itself, heard both peers and refused nothing.
  for (const char* node : {"KAL-N", "MOR-N"}) {
    const std::string log = read_file(dir / "federated" / "nodes" / (std::string(node) + ".log"));
    EXPECT_NE(log.find(std::string(node) + ": 3600 windows"), std::string::npos) << log;
    EXPECT_NE(log.find("0 samples refused"), std::string::npos) << log;
    EXPECT_NE(log.find("link to EXCON unknown -> up"), std::string::npos) << log;
    EXPECT_NE(log.find("link to KAL-RC unknown -> up"), std::string::npos) << log;
  }
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
