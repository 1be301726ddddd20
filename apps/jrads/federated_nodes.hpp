#pragma once
// jrads run --federated: the national nodes as `jrads node` processes of this program. Writes
// each node's exercise keys (derived from the seed, like the run's other exercise keys) and
// configuration under OUT/nodes/, starts the processes (their output in OUT/nodes/<NODE>.log),
// and afterwards waits for them to end.
#include <filesystem>
#include <string>
#include <vector>

#include <sys/types.h>

#include "jrads/core/result.hpp"
#include "jrads/run/engagement_run.hpp"

namespace jrads::app {

struct FederatedNodes {
  run::FederationOptions options;
  std::filesystem::path dir;
  std::vector<std::string> names;
  std::vector<pid_t> pids;
};

// `scenario_path`: what the nodes load (empty: the embedded default). `keys_from_unix_s`:
// when the exercise keys become valid.
[[nodiscard]] Result<FederatedNodes> start_federated_nodes(const run::RunInput& in, const std::string& scenario_path,
                                                           const std::filesystem::path& out_dir, std::uint64_t seed,
                                                           std::uint32_t domain, std::int64_t keys_from_unix_s);
// Starts `program` (a path, or a name looked up in PATH) with `args` (args[0] its name), its
// output and errors into the file `log`. Errc::io_error with the reason.
[[nodiscard]] Result<pid_t> spawn_logged(const std::string& program, std::vector<std::string> args,
                                         const std::string& log);

// Waits up to timeout_s for every node to exit (then kills what is left): an error naming each
// node that failed, with the end of its log.
[[nodiscard]] Result<void> stop_federated_nodes(FederatedNodes& nodes, double timeout_s);

}  // namespace jrads::app
