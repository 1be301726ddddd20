// `jrads keys`: create, show, rotate and revoke node keys (keys_command.hpp). Thin: parses
// arguments, reads the wall clock, calls jrads::security and prints. Never prints a secret.
#include "keys_command.hpp"

#include "wall_clock.hpp"

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "jrads/security/keys.hpp"
#include "jrads/security/sealed_file.hpp"

namespace jrads::app {

namespace {

namespace sec = jrads::security;

constexpr int kFailed = 1;
constexpr int kUsage = 2;
constexpr int kMaxValidDays = 3650;

struct KeysOptions {
  std::string dir;
  std::string node;
  std::string party;
  int valid_days = 365;
  int generation = 0;
  std::string reason;
  std::string file, out;  // unseal
};


// CLI11's way to end a callback with an exit code: CLI11_PARSE returns it and prints nothing.
void finish(int rc) {
  if (rc != 0) throw CLI::RuntimeError(rc);
}

int failed(const char* what, const jrads::Error& e) {
  std::fprintf(stderr, "jrads keys %s: %s\n", what, e.to_string().c_str());
  return kFailed;
}

int usage(const char* what, const std::string& message) {
  std::fprintf(stderr, "jrads keys %s: %s\n", what, message.c_str());
  return kUsage;
}

// Argument values that the key logic would refuse anyway, caught first as usage errors.
bool check_node(const char* what, const std::string& node, int& rc) {
  if (auto ok = sec::check_node_id(node); !ok) {
    rc = usage(what, "--node '" + node + "': " + ok.error().message);
    return false;
  }
  return true;
}
bool check_party(const char* what, const std::string& party, int& rc) {
  if (auto ok = sec::check_party_id(party); !ok) {
    rc = usage(what, "--party '" + party + "': " + ok.error().message);
    return false;
  }
  return true;
}
bool check_days(const char* what, int days, int& rc) {
  if (days < 1 || days > kMaxValidDays) {
    rc = usage(what, "--valid-days " + std::to_string(days) + ": out of range 1.." + std::to_string(kMaxValidDays));
    return false;
  }
  return true;
}

void print_record(const sec::PublicKeyRecord& r, const char* status, const sec::Revocation* revocation) {
  std::printf("%s generation %d (party %s): %s\n", r.node.c_str(), r.generation, r.party.c_str(), status);
  std::printf("  key id         %s\n", r.id.hex().c_str());
  std::printf("  signing key    %s\n", sec::to_hex(r.sign_public).c_str());
  std::printf("  agreement key  %s\n", sec::to_hex(r.agree_public).c_str());
  std::printf("  created        %s\n", sec::format_utc(r.created_unix_s).c_str());
  std::printf("  expires        %s\n", sec::format_utc(r.expires_unix_s).c_str());
  if (revocation != nullptr)
    std::printf("  revoked        %s: %s\n", sec::format_utc(revocation->revoked_unix_s).c_str(),
                revocation->reason.c_str());
}

void print_written(const std::filesystem::path& dir, const sec::NodeKeys& keys) {
  print_record(keys.record, "valid", nullptr);
  std::printf("  secret         %s (mode 0600; never share it)\n", sec::node_key_path(dir, keys.record.node).c_str());
  std::printf("  public         %s (give it to the other nodes)\n",
              sec::public_key_path(dir, keys.record.node, keys.record.generation).c_str());
}

int run_init(const KeysOptions& o) {
  int rc = 0;
  if (!check_node("init", o.node, rc) || !check_party("init", o.party, rc) || !check_days("init", o.valid_days, rc)) return rc;
  auto keys = sec::init_node(o.dir, o.node, o.party, wall_clock_unix_s(), std::int64_t{o.valid_days} * 86400, std::nullopt);
  if (!keys) return failed("init", keys.error());
  std::printf("Created the keys of node %s\n", o.node.c_str());
  print_written(o.dir, *keys);
  return 0;
}

int run_show(const KeysOptions& o) {
  int rc = 0;
  if (!o.node.empty() && !check_node("show", o.node, rc)) return rc;
  auto ring = sec::Keyring::load(o.dir);
  if (!ring) return failed("show", ring.error());
  const std::int64_t now = wall_clock_unix_s();
  int shown = 0;
  for (const sec::PublicKeyRecord& r : ring->records()) {
    if (!o.node.empty() && r.node != o.node) continue;
    if (shown++ > 0) std::printf("\n");
    print_record(r, sec::to_string(ring->status(r, now)), ring->revocation(r.id));
    const sec::PublicKeyRecord* cur = ring->current(r.node);
    std::error_code ec;
    if (cur == &r && std::filesystem::is_regular_file(std::filesystem::symlink_status(sec::node_key_path(o.dir, r.node), ec)))
      std::printf("  secret         %s (held here)\n", sec::node_key_path(o.dir, r.node).c_str());
  }
  if (shown == 0) {
    if (!o.node.empty()) {
      std::fprintf(stderr, "jrads keys show: no keys of node %s in %s\n", o.node.c_str(), o.dir.c_str());
      return kFailed;
    }
    std::printf("No keys in %s\n", o.dir.c_str());
  }
  return 0;
}

int run_rotate(const KeysOptions& o) {
  int rc = 0;
  if (!check_node("rotate", o.node, rc) || !check_days("rotate", o.valid_days, rc)) return rc;
  auto keys = sec::rotate_node(o.dir, o.node, wall_clock_unix_s(), std::int64_t{o.valid_days} * 86400);
  if (!keys) return failed("rotate", keys.error());
  std::printf("Rotated the keys of node %s to generation %d (older public keys are kept to verify old signatures; "
              "revoke them if they must not be trusted)\n",
              o.node.c_str(), keys->record.generation);
  print_written(o.dir, *keys);
  return 0;
}

int run_revoke(const KeysOptions& o) {
  int rc = 0;
  if (!check_node("revoke", o.node, rc)) return rc;
  if (o.generation < 1) return usage("revoke", "--generation " + std::to_string(o.generation) + ": must be 1 or more");
  if (auto ok = sec::check_reason(o.reason); !ok) return usage("revoke", "--" + ok.error().message);  // "--reason: ..."
  auto rev = sec::revoke_key(o.dir, o.node, o.generation, o.reason, wall_clock_unix_s());
  if (!rev) return failed("revoke", rev.error());
  std::printf("Revoked key %s of node %s (generation %d) at %s: %s\n", rev->id.hex().c_str(), rev->node.c_str(),
              rev->generation, sec::format_utc(rev->revoked_unix_s).c_str(), rev->reason.c_str());
  std::printf("  signed by key  %s\n", rev->signer.hex().c_str());
  std::printf("  list           %s (give it to the other nodes)\n", sec::revocation_list_path(o.dir).c_str());
  if (rev->signer == rev->id)
    std::printf("The node's current key is revoked: run `jrads keys rotate --dir %s --node %s` for a new one.\n",
                o.dir.c_str(), o.node.c_str());
  return 0;
}

int run_init_data(const KeysOptions& o) {
  int rc = 0;
  if (!check_party("init-data", o.party, rc)) return rc;
  auto key = sec::init_party_data_key(o.dir, o.party, std::nullopt);
  if (!key) return failed("init-data", key.error());
  std::printf("Created the data key of party %s\n", o.party.c_str());
  std::printf("  key id         %s\n", sec::data_key_id(o.party, *key).hex().c_str());
  std::printf("  secret         %s (mode 0600; never share it)\n", sec::data_key_path(o.dir, o.party).c_str());
  return 0;
}

// Opens a sealed file with the party's data key; the plaintext goes to --out (mode 0600,
// written whole or not at all) or to standard output. Nothing is written when it fails.
int run_unseal(const KeysOptions& o) {
  int rc = 0;
  if (!check_party("unseal", o.party, rc)) return rc;
  auto key = sec::load_party_data_key(o.dir, o.party);
  if (!key) return failed("unseal", key.error());
  auto opened = sec::read_sealed(o.file, *key);
  if (!opened) return failed("unseal", opened.error());
  std::fprintf(stderr, "%s: label %s\n", o.file.c_str(), sec::to_text(opened->label).c_str());
  if (o.out.empty()) {
    std::fwrite(opened->plaintext.data(), 1, opened->plaintext.size(), stdout);
  } else if (auto ok = sec::write_file_atomically(o.out, opened->plaintext, 0600, true); !ok) {
    return failed("unseal", ok.error());
  }
  sec::wipe(opened->plaintext);
  return 0;
}

}  // namespace

void add_keys_command(CLI::App& app) {
  // The options outlive this function: CLI11 writes into them during parse, and the callbacks
  // (which own the pointer) read them afterwards.
  auto o = std::make_shared<KeysOptions>();
  auto* keys = app.add_subcommand("keys", "Node keys in a key directory: create, show, rotate, revoke (docs/SECURITY.md)");
  keys->require_subcommand(1);

  auto* init = keys->add_subcommand("init", "Create a node's first keys (DIR/<node>.key, DIR/<node>.<generation>.pub)");
  init->add_option("--dir", o->dir, "Key directory (created with mode 0700)")->required();
  init->add_option("--node", o->node, "Node id, [A-Z0-9-]{1,32}")->required();
  init->add_option("--party", o->party, "The node's party id, [A-Z0-9]{2,8}")->required();
  init->add_option("--valid-days", o->valid_days, "Days the keys are valid (1..3650)")->capture_default_str();
  init->callback([o] { finish(run_init(*o)); });

  auto* show = keys->add_subcommand("show", "List the public keys, their fingerprints and status (never a secret)");
  show->add_option("--dir", o->dir, "Key directory")->required();
  show->add_option("--node", o->node, "Only this node");
  show->callback([o] { finish(run_show(*o)); });

  auto* rotate = keys->add_subcommand("rotate", "Give a node a new generation of keys; older public keys are kept");
  rotate->add_option("--dir", o->dir, "Key directory")->required();
  rotate->add_option("--node", o->node, "Node id")->required();
  rotate->add_option("--valid-days", o->valid_days, "Days the new keys are valid (1..3650)")->capture_default_str();
  rotate->callback([o] { finish(run_rotate(*o)); });

  auto* revoke = keys->add_subcommand("revoke", "Revoke one generation of a node's keys, signed by its current key");
  revoke->add_option("--dir", o->dir, "Key directory")->required();
  revoke->add_option("--node", o->node, "Node id")->required();
  revoke->add_option("--generation", o->generation, "The generation to revoke")->required();
  revoke->add_option("--reason", o->reason, "Why (printable ASCII, at most 200 characters)")->required();
  revoke->callback([o] { finish(run_revoke(*o)); });

  auto* init_data = keys->add_subcommand("init-data", "Create a party's data key for sealed files (DIR/<party>.data.key)");
  init_data->add_option("--dir", o->dir, "Key directory (created with mode 0700)")->required();
  init_data->add_option("--party", o->party, "Party id")->required();
  init_data->callback([o] { finish(run_init_data(*o)); });

  auto* unseal = keys->add_subcommand("unseal", "Open a sealed file with its party's data key (prints its label to stderr)");
  unseal->add_option("file", o->file, "The sealed file")->required();
  unseal->add_option("--dir", o->dir, "Key directory holding DIR/<party>.data.key")->required();
  unseal->add_option("--party", o->party, "Whose data key")->required();
  unseal->add_option("--out", o->out, "Write the plaintext here (mode 0600) instead of standard output");
  unseal->callback([o] { finish(run_unseal(*o)); });
}

}  // namespace jrads::app
