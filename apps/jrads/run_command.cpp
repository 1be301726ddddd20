// `jrads run`: the whole chain, closed loop, in one process.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>

#include "commands.hpp"
#include "jrads/run/engagement_run.hpp"
#include "jrads/run/run_output.hpp"
#include "jrads/scenario/scenario.hpp"
#include "jrads/security/audit.hpp"
#include "jrads/security/keys.hpp"
#include "jrads/security/sealed_file.hpp"
#include "jrads/sim/run_summary.hpp"
#include "audit_command.hpp"

#include "federated_nodes.hpp"
#include "progress_bar.hpp"
#include "wall_clock.hpp"

namespace jrads::app {

namespace {

// `count` cuts of `windows` each, spread evenly over the run's windows after `from`, the
// national nodes in turn (party order). They must not overlap, nor reach the end.
Result<std::vector<run::LinkCut>> link_cuts(const std::map<std::string, std::string>& nationals, std::uint64_t from,
                                            std::uint64_t run_windows, int count, int windows) {
  std::vector<run::LinkCut> cuts;
  if (count <= 0) return cuts;
  if (from >= run_windows)
    return fail(Errc::invalid_argument, "--cut-from " + std::to_string(from) + " is not before the run's end (" +
                                            std::to_string(run_windows) + " windows)");
  const std::uint64_t gap = (run_windows - from) / static_cast<std::uint64_t>(count + 1);
  if (gap <= static_cast<std::uint64_t>(windows) + 1)
    return fail(Errc::invalid_argument, std::to_string(count) + " cuts of " + std::to_string(windows) +
                                            " windows do not fit apart in the " + std::to_string(run_windows - from) +
                                            " windows from window " + std::to_string(from) + " to the run's end");
  std::vector<std::string> parties;
  for (const auto& [party, node] : nationals) parties.push_back(party);
  for (int i = 0; i < count; ++i)
    cuts.push_back({parties[static_cast<std::size_t>(i) % parties.size()], from + gap * static_cast<std::uint64_t>(i + 1),
                    static_cast<std::uint64_t>(windows)});
  return cuts;
}


// Exercise keys (no --keys): derived from the run's seed, so a run is reproducible byte for
// byte; anyone with the seed can make them, so they prove integrity against accidents and
// show the mechanism, not against an adversary. Valid from 2026-01-01 for 50 years.
constexpr std::int64_t kExerciseKeysFrom = 1767225600;


// The 32-byte seed of exercise keys: SHA-256 of a context word and the run's seed.
security::KeySeed exercise_seed(std::string_view context, std::uint64_t seed) {
  const security::Digest d = security::sha256(security::as_bytes(std::string(context) + " " + std::to_string(seed)));
  security::KeySeed out;
  std::copy(d.bytes.begin(), d.bytes.end(), out.begin());
  return out;
}

struct AuditSetup {
  run::AuditSigners signers;
  std::vector<security::PublicKeyRecord> public_keys;
  std::string keys_dir;  // where verification finds the public keys
};

// The lead party's node writes, the first other party's node countersigns.
Result<AuditSetup> audit_setup(const run::RunInput& in, const ChainRun& run, std::uint64_t seed) {
  const std::string lead = in.chain.lead_party;
  std::string partner;
  for (const std::string& p : in.chain.parties)
    if (p != lead) {
      partner = p;
      break;
    }
  if (partner.empty())
    return fail(Errc::invalid_argument, "the audit log needs a second party to countersign; the scenario has one");
  const std::string writer_node = lead + "-C2", partner_node = partner + "-C2";
  AuditSetup out;
  std::vector<security::NodeKeys> keys;
  if (!run.keys_dir.empty()) {
    auto keyring = security::Keyring::load(run.keys_dir);
    if (!keyring) return fail(keyring.error());
    for (const std::string& node : {writer_node, partner_node}) {
      auto k = security::load_node(run.keys_dir, node);
      if (!k) return fail(k.error());
      if (auto ok = security::check_usable_for_signing(*k, *keyring, wall_clock_unix_s()); !ok) return fail(ok.error());
      keys.push_back(std::move(*k));
    }
    out.keys_dir = run.keys_dir;
  } else {
    for (const auto& [node, party] : {std::pair{writer_node, lead}, std::pair{partner_node, partner}}) {
      auto k = security::generate_node_keys(node, party, 1, kExerciseKeysFrom, security::kMaxKeyValidS,
                                            exercise_seed("JRADS-EXERCISE-KEYS-1", seed));
      if (!k) return fail(k.error());
      keys.push_back(std::move(*k));
    }
    out.keys_dir = (std::filesystem::path(run.out_dir) / "keys").string();
  }
  for (const auto& k : keys) out.public_keys.push_back(k.record);
  out.signers.writer = {writer_node, lead, keys[0].signing};
  out.signers.partner = {partner_node, partner, keys[1].signing};
  return out;
}

// Each party's data key, which seals its release: from the key directory (jrads keys
// init-data), or exercise keys derived from the seed, written (0600) to DIR/keys.
Result<std::map<std::string, security::SymmetricKey>> data_keys(const run::RunInput& in, const ChainRun& run,
                                                                std::uint64_t seed) {
  std::map<std::string, security::SymmetricKey> keys;
  for (const std::string& party : in.chain.parties) {
    if (!run.keys_dir.empty()) {
      auto k = security::load_party_data_key(run.keys_dir, party);
      if (!k) return fail(Errc::missing_key, k.error().message + " (make it with: jrads keys init-data --dir " +
                                                 run.keys_dir + " --party " + party + ")");
      keys.emplace(party, std::move(*k));
      continue;
    }
    const security::KeySeed key_seed = exercise_seed("JRADS-EXERCISE-DATA-KEYS-1", seed);
    const std::filesystem::path dir = std::filesystem::path(run.out_dir) / "keys";
    if (auto ok = security::ensure_key_dir(dir); !ok) return fail(ok.error());
    std::error_code ec;
    std::filesystem::remove(security::data_key_path(dir, party), ec);  // a new run, new exercise keys
    auto k = security::init_party_data_key(dir, party, key_seed);
    if (!k) return fail(k.error());
    keys.emplace(party, std::move(*k));
  }
  return keys;
}

// Writes the exercise keys' public halves next to the run's files (for jrads audit verify).
Result<void> write_public_keys(const AuditSetup& a) {
  if (auto ok = security::ensure_key_dir(a.keys_dir); !ok) return ok;
  for (const auto& r : a.public_keys) {
    const std::string text = security::encode_public_key_file(r);
    if (auto ok = security::write_file_atomically(security::public_key_path(a.keys_dir, r.node, r.generation),
                                                  security::as_bytes(text), 0644, true);
        !ok)
      return ok;
  }
  return {};
}

// Reads audit.log back and verifies it with the signers' public keys: what jrads audit verify does.
Result<security::AuditReport> verify_written(const std::filesystem::path& path, const AuditSetup& a) {
  security::Keyring keyring;
  for (const auto& r : a.public_keys)
    if (auto ok = keyring.add(r); !ok) return fail(ok.error());
  return verify_audit_file(path.string(), keyring, wall_clock_unix_s());
}

}  // namespace

int run_chain(const ChainRun& run) {
  scenario::ParseOutcome parsed = run.scenario_path.empty()
                                      ? scenario::parse_scenario(scenario::default_scenario_yaml(), "<default scenario>")
                                      : scenario::load_scenario(run.scenario_path);
  if (!parsed.errors.empty()) {
    for (const auto& e : parsed.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    std::fprintf(stderr, "%zu error%s\n", parsed.errors.size(), parsed.errors.size() == 1 ? "" : "s");
    return 1;
  }
  const scenario::Scenario& s = *parsed.scenario;
  auto terrain = world::make_terrain(s.terrain);
  if (!terrain) {
    std::fprintf(stderr, "%s\n", terrain.error().to_string().c_str());
    return 1;
  }
  auto input = run::input_from_scenario(s, std::move(*terrain));
  if (!input) {
    std::fprintf(stderr, "%s\n", input.error().to_string().c_str());
    return 1;
  }
  // Stopping early leaves the scenario valid: what is due later never starts.
  const double duration_s = std::min(s.duration_s, run.until_s.value_or(s.duration_s));
  input->sim.world.duration_s = duration_s;
  run::RunOptions options;
  options.seed = run.seed.value_or(s.seed);
  options.log_reader = run.log_reader;
  options.picture = run.picture == "regional" ? run::PictureMode::regional : run::PictureMode::central;
  ProgressBar bar("running");
  options.progress = [&bar](double f) { bar.update(f); };
  sim::RunSummary sensors_summary(s.sensors);
  if (run.print_sensors) options.extra_sinks.push_back(&sensors_summary);
  std::optional<AuditSetup> audit;
  if (auto a = audit_setup(*input, run, options.seed); a) {
    audit = std::move(*a);
    options.audit = audit->signers;
  } else if (!run.keys_dir.empty()) {
    std::fprintf(stderr, "%s\n", a.error().to_string().c_str());
    return 1;
  } else {
    std::fprintf(stderr, "jrads run: no audit log: %s\n", a.error().message.c_str());
  }
  if (audit) {
    auto keys = data_keys(*input, run, options.seed);
    if (!keys) {
      std::fprintf(stderr, "%s\n", keys.error().to_string().c_str());
      return 1;
    }
    options.release_keys = std::move(*keys);
  }
  if (!run.federated && run.cut_links > 0) {
    std::fprintf(stderr, "jrads run: --cut-links needs --federated\n");
    return 2;
  }
  std::optional<FederatedNodes> nodes;
  if (run.federated) {
    // Odd by default: the feed's domain (the next one) is then even, never another run's federation.
    const std::uint32_t domain = run.domain.value_or(1 + 2 * (static_cast<std::uint32_t>(getpid()) % 100));
    auto started_nodes = start_federated_nodes(*input, run.scenario_path, run.out_dir, options.seed, domain, kExerciseKeysFrom);
    if (!started_nodes) {
      std::fprintf(stderr, "%s\n", started_nodes.error().to_string().c_str());
      return 1;
    }
    nodes = std::move(*started_nodes);
    options.federation = nodes->options;
    options.federation->report = std::filesystem::path(run.out_dir) / "federation.json";
    auto cuts = link_cuts(options.federation->nationals, static_cast<std::uint64_t>(run.cut_from_s),
                          static_cast<std::uint64_t>(duration_s), run.cut_links,
                          run.cut_windows);
    if (!cuts) {
      (void)stop_federated_nodes(*nodes, 0.0);
      std::fprintf(stderr, "jrads run: %s\n", cuts.error().message.c_str());
      return 2;
    }
    options.federation->cuts = std::move(*cuts);
    options.picture = run::PictureMode::regional;
  }
  const auto started = std::chrono::steady_clock::now();
  auto result = run::run_engagements(std::move(*input), options, run.out_dir);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  bar.done();
  if (nodes) {
    // After a failed run the nodes wait for a feed that will not come: they are stopped at once.
    // A node that failed during a run the centre completed without it is reported, not fatal:
    // the run is fail-safe against a lost node (docs/FEDERATION.md).
    if (auto stopped = stop_federated_nodes(*nodes, result ? 30.0 : 0.0); !stopped)
      std::fprintf(stderr, "jrads run: %s\n", stopped.error().to_string().c_str());
  }
  if (!result) {
    std::fprintf(stderr, "%s\n", result.error().to_string().c_str());
    return 1;
  }
  std::printf("Scenario: %s (seed %llu, %.0f s simulated in %.2f s, %.0fx real time, %s picture%s)\n", s.name.c_str(),
              static_cast<unsigned long long>(options.seed), duration_s, wall_s, duration_s / std::max(wall_s, 1e-9),
              run::to_string(options.picture), nodes ? ", national nodes federated over DDS" : "");
  if (nodes) {
    std::printf("Federation: DDS domain %u (the feed %u); national nodes", nodes->options.domain,
                nodes->options.feed_domain);
    for (const auto& [party, node] : nodes->options.nationals) std::printf(" %s", node.c_str());
    std::printf(" (their logs: %s)\n", nodes->dir.string().c_str());
    if (run.cut_links > 0)
      std::printf("Links cut %d times, %d windows each: federation.json\n", run.cut_links, run.cut_windows);
  }
  if (run.print_sensors) std::fputs(sensors_summary.to_text().c_str(), stdout);
  std::printf("\nEngagement outcome\n");
  std::fputs(run::outcome_text(*result).c_str(), stdout);
  if (audit) {
    if (run.keys_dir.empty()) {
      if (auto ok = write_public_keys(*audit); !ok) {
        std::fprintf(stderr, "%s\n", ok.error().to_string().c_str());
        return 1;
      }
    }
    auto report = verify_written(std::filesystem::path(run.out_dir) / "audit.log", *audit);
    if (!report) {
      std::fprintf(stderr, "audit.log does not verify: %s\n", report.error().to_string().c_str());
      return 1;
    }
    std::printf("\nReleases (each party's node, and the log; docs/RUN.md)\n");
    for (const auto& r : result->releases)
      std::printf("  %s: %llu items released (%llu with SENSORS stripped), %llu refused; %llu decisions\n",
                  r.receiver.c_str(), static_cast<unsigned long long>(r.allowed),
                  static_cast<unsigned long long>(r.stripped), static_cast<unsigned long long>(r.refused),
                  static_cast<unsigned long long>(r.decisions));
    std::printf("\nAudit\n  audit.log: %llu records, %llu checkpoints, written by %s and countersigned by %s; "
                "verified%s\n",
                static_cast<unsigned long long>(report->records), static_cast<unsigned long long>(report->checkpoints),
                audit->signers.writer.node.c_str(), audit->signers.partner.node.c_str(),
                run.keys_dir.empty() ? " (exercise keys from the seed)" : "");
  }
  if (!run.hide_paths) std::printf("Files written to %s\n", run.out_dir.c_str());
  return 0;
}

}  // namespace jrads::app
