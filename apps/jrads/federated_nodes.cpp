#include "federated_nodes.hpp"

#include <chrono>
#include <cstring>
#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "jrads/scenario/node_config.hpp"
#include "jrads/security/crypto.hpp"
#include "jrads/security/keys.hpp"

extern char** environ;

namespace jrads::app {
namespace {

security::KeySeed node_seed(const std::string& node, std::uint64_t seed) {
  const security::Digest d =
      security::sha256(security::as_bytes("JRADS-EXERCISE-NODE-KEYS-1 " + node + " " + std::to_string(seed)));
  security::KeySeed out;
  std::copy(d.bytes.begin(), d.bytes.end(), out.begin());
  return out;
}

std::string tail_of(const std::filesystem::path& log) {
  std::ifstream in(log);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string s = ss.str();
  return s.size() > 2000 ? s.substr(s.size() - 2000) : s;
}

}  // namespace

Result<FederatedNodes> start_federated_nodes(const run::RunInput& in, const std::string& scenario_path,
                                             const std::filesystem::path& out_dir, std::uint64_t seed,
                                             std::uint32_t domain, std::int64_t keys_from_unix_s) {
  FederatedNodes out;
  out.dir = std::filesystem::absolute(out_dir) / "nodes";
  std::error_code ec;
  std::filesystem::remove_all(out.dir, ec);  // a new run: new keys and configurations
  const std::filesystem::path keys = out.dir / "keys";
  if (auto ok = security::ensure_key_dir(keys); !ok) return fail(ok.error());
  const std::string lead = in.chain.lead_party;
  run::FederationOptions& f = out.options;
  f.domain = domain;
  f.feed_domain = scenario::default_feed_domain(domain);
  f.keys = keys;
  f.controller = "EXCON";
  f.centre = lead + "-RC";
  for (std::size_t p = 0; p < in.parties.size(); ++p) {
    const std::string& party = in.parties.name(static_cast<security::PartyIndex>(p));
    f.nationals.emplace(party, party + "-N");
  }
  std::vector<std::pair<std::string, std::string>> all = {{f.controller, lead}, {f.centre, lead}};
  for (const auto& [party, node] : f.nationals) all.emplace_back(node, party);
  for (const auto& [node, party] : all) {
    auto k = security::init_node(keys, node, party, keys_from_unix_s, security::kMaxKeyValidS, node_seed(node, seed));
    if (!k) return fail(k.error());
  }
  security::Receiver everything;
  everything.clearance = security::Level::secret;
  everything.need_to_know = security::kAllCategories;
  for (const auto& [party, node] : f.nationals) {
    scenario::NodeConfig c;
    c.node = node;
    c.party = party;
    c.role = scenario::NodeRole::national;
    c.domain = domain;
    c.feed_domain = f.feed_domain;
    c.keys = keys;
    if (!scenario_path.empty()) c.scenario = std::filesystem::absolute(scenario_path);
    c.picture_out = out.dir / (node + ".regional-tracks.csv");
    c.seed = seed;
    security::Receiver controller = everything, centre = everything;
    controller.party = lead;
    centre.party = lead;
    c.peers.push_back({f.controller, scenario::NodeRole::controller, controller});
    c.peers.push_back({f.centre, scenario::NodeRole::regional, centre});
    const std::filesystem::path file = out.dir / (node + ".yaml");
    const std::string text = scenario::to_yaml(c);
    if (auto ok = security::write_file_atomically(file, security::as_bytes(text), 0644, true); !ok) return fail(ok.error());
    auto pid = spawn_logged("/proc/self/exe", {"jrads", "node", "--config", file.string()},
                            (out.dir / (node + ".log")).string());
    if (!pid) {
      (void)stop_federated_nodes(out, 0.0);
      return fail(Errc::io_error, "cannot start node " + node + ": " + pid.error().message);
    }
    out.names.push_back(node);
    out.pids.push_back(*pid);
  }
  return out;
}

Result<pid_t> spawn_logged(const std::string& program, std::vector<std::string> args, const std::string& log) {
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = 0;
  const int r = posix_spawnp(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (r != 0) return fail(Errc::io_error, program + ": " + std::strerror(r));
  return pid;
}

Result<void> stop_federated_nodes(FederatedNodes& nodes, double timeout_s) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  std::string failures;
  for (std::size_t i = 0; i < nodes.pids.size(); ++i) {
    int status = 0;
    pid_t r = 0;
    while ((r = waitpid(nodes.pids[i], &status, WNOHANG)) == 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (r == 0) {
      kill(nodes.pids[i], SIGKILL);
      waitpid(nodes.pids[i], &status, 0);
      failures += "node " + nodes.names[i] + " did not end and was killed\n";
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      failures += "node " + nodes.names[i] + " failed (" +
                  (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                     : "signal " + std::to_string(WTERMSIG(status))) +
                  "); the end of " + (nodes.dir / (nodes.names[i] + ".log")).string() + ":\n" +
                  tail_of(nodes.dir / (nodes.names[i] + ".log"));
    }
  }
  nodes.pids.clear();
  if (!failures.empty()) return fail(Errc::io_error, failures);
  return {};
}

}  // namespace jrads::app
