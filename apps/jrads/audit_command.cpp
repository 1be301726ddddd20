// jrads audit verify|show|prove: the tamper-evident audit log from the command line.
#include "audit_command.hpp"

#include "wall_clock.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <sstream>

#include "jrads/security/audit.hpp"
#include "jrads/security/keys.hpp"
#include "jrads/security/label.hpp"

namespace jrads::app {
namespace {

using namespace jrads::security;

constexpr std::uintmax_t kMaxAuditFile = std::uintmax_t{4} << 30;

Result<std::string> read_audit_file(const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(Errc::io_error, path + ": " + ec.message());
  if (size > kMaxAuditFile) return fail(Errc::io_error, path + ": larger than 4 GiB");
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail(Errc::io_error, path + ": cannot open");
  std::string text(static_cast<std::size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  if (static_cast<std::uintmax_t>(in.gcount()) != size) return fail(Errc::io_error, path + ": short read");
  return text;
}


std::string short_label(const Label& l) {
  std::string s = to_string(l.level);
  s += l.rel_alliance ? " REL ALLIANCE" : (l.rel_to.empty() ? " REL NONE" : " REL ");
  for (std::size_t i = 0; i < l.rel_to.size(); ++i) s += (i ? "," : "") + l.rel_to[i];
  return s;
}

struct VerifyArgs {
  std::string file, keys_dir;
  bool allow_open = false;
};

int verify_command(const VerifyArgs& a) {
  auto keyring = Keyring::load(a.keys_dir);
  if (!keyring) {
    std::fprintf(stderr, "jrads audit: %s\n", keyring.error().to_string().c_str());
    return 1;
  }
  auto report = verify_audit_file(a.file, *keyring, wall_clock_unix_s(), a.allow_open);
  if (!report) {
    const auto& e = report.error();
    if (e.code == Errc::io_error) {
      std::fprintf(stderr, "jrads audit: %s\n", e.message.c_str());  // names the file
      return 1;
    }
    if (e.where.line > 0)
      std::fprintf(stderr, "%s:%d: %s\n", a.file.c_str(), e.where.line, e.message.c_str());
    else
      std::fprintf(stderr, "%s: %s\n", a.file.c_str(), e.message.c_str());
    std::fprintf(stderr, "audit: NOT verified\n");
    return 1;
  }
  std::printf("%s: log %s by %s: %llu records, %llu checkpoints%s\n", a.file.c_str(), report->log_id.c_str(),
              report->writer_node.c_str(), static_cast<unsigned long long>(report->records),
              static_cast<unsigned long long>(report->checkpoints), report->closed ? ", closed" : ", still open");
  if (report->last)
    std::printf("tree head %s at %llu records, signed by %s, countersigned by %s\n", report->last->root.hex().c_str(),
                static_cast<unsigned long long>(report->last->size), report->signer_parties.at(0).c_str(),
                report->signer_parties.at(1).c_str());
  std::printf("audit: verified\n");
  return 0;
}

// The file's records and checkpoints (unverified), or nothing after printing why.
std::optional<AuditContents> read_contents(const std::string& file) {
  auto text = read_audit_file(file);
  if (!text) {
    std::fprintf(stderr, "jrads audit: %s\n", text.error().message.c_str());
    return std::nullopt;
  }
  auto contents = parse_audit(*text);
  if (!contents) {
    std::fprintf(stderr, "%s:%d: %s\n", file.c_str(), contents.error().where.line, contents.error().message.c_str());
    return std::nullopt;
  }
  return std::move(*contents);
}

struct ShowArgs {
  std::string file, kind;
  std::uint64_t from = 0, to = UINT64_MAX;
};

int show_command(const ShowArgs& a) {
  const auto contents = read_contents(a.file);
  if (!contents) return 1;
  std::printf("# log %s by %s (not verified here: use jrads audit verify)\n", contents->log_id.c_str(),
              contents->writer_node.c_str());
  std::size_t next_checkpoint = 0;
  auto print_checkpoints_at = [&](std::uint64_t size) {
    for (; next_checkpoint < contents->checkpoints.size() && contents->checkpoints[next_checkpoint].size <= size;
         ++next_checkpoint) {
      const Checkpoint& c = contents->checkpoints[next_checkpoint];
      if (c.size < a.from || c.size > a.to) continue;
      std::printf("-- checkpoint%s: %llu records at %.3f s, tree head %.16s..., signer %s, countersigner %s\n",
                  c.final ? " (final)" : "", static_cast<unsigned long long>(c.size), c.time.s(), c.root.hex().c_str(),
                  c.signer.hex().c_str(), c.countersigner.hex().c_str());
    }
  };
  print_checkpoints_at(0);
  for (const AuditRecord& r : contents->records) {
    if (r.seq >= a.from && r.seq <= a.to && (a.kind.empty() || r.kind == a.kind))
      std::printf("#%-6llu %10.3f  %-12s %-10s %-28s %s\n", static_cast<unsigned long long>(r.seq), r.time.s(),
                  r.kind.c_str(), r.actor.c_str(), short_label(r.label).c_str(), r.body.c_str());
    print_checkpoints_at(r.seq + 1);
  }
  return 0;
}

struct ProveArgs {
  std::string file;
  std::optional<std::uint64_t> record;
  std::vector<std::uint64_t> consistency;  // two checkpoint sizes
};

int prove_command(const ProveArgs& a) {
  const auto contents = read_contents(a.file);
  if (!contents) return 1;
  if (contents->checkpoints.empty()) {
    std::fprintf(stderr, "%s: no checkpoint to prove against\n", a.file.c_str());
    return 1;
  }
  auto checkpoint_of = [&](std::uint64_t size) -> const Checkpoint* {
    for (const auto& c : contents->checkpoints)
      if (c.size == size) return &c;
    return nullptr;
  };
  if (a.record) {
    const Checkpoint& head = contents->checkpoints.back();
    if (*a.record >= head.size) {
      std::fprintf(stderr, "%s: record %llu is not covered by the last checkpoint (%llu records)\n", a.file.c_str(),
                   static_cast<unsigned long long>(*a.record), static_cast<unsigned long long>(head.size));
      return 1;
    }
    const auto proof = inclusion_proof(contents->leaves, *a.record, head.size);
    const bool ok = verify_inclusion(*a.record, head.size, contents->leaves[*a.record], proof, head.root);
    std::printf("inclusion of record %llu in the tree of %llu records\nleaf %s\nroot %s\n",
                static_cast<unsigned long long>(*a.record), static_cast<unsigned long long>(head.size),
                contents->leaves[*a.record].hex().c_str(), head.root.hex().c_str());
    for (const auto& d : proof) std::printf("path %s\n", d.hex().c_str());
    std::printf("proof %s\n", ok ? "verifies" : "does NOT verify");
    return ok ? 0 : 1;
  }
  if (a.consistency.size() == 2) {
    const Checkpoint* old_c = checkpoint_of(a.consistency[0]);
    const Checkpoint* new_c = checkpoint_of(a.consistency[1]);
    if (!old_c || !new_c || a.consistency[0] == 0 || a.consistency[0] > a.consistency[1]) {
      std::fprintf(stderr, "%s: --consistency needs two checkpoint sizes, smaller first (jrads audit show lists them)\n",
                   a.file.c_str());
      return 1;
    }
    const auto proof = consistency_proof(contents->leaves, old_c->size, new_c->size);
    const bool ok = verify_consistency(old_c->size, new_c->size, old_c->root, new_c->root, proof);
    std::printf("consistency of the tree of %llu records with the tree of %llu records\nold root %s\nnew root %s\n",
                static_cast<unsigned long long>(old_c->size), static_cast<unsigned long long>(new_c->size),
                old_c->root.hex().c_str(), new_c->root.hex().c_str());
    for (const auto& d : proof) std::printf("path %s\n", d.hex().c_str());
    std::printf("proof %s\n", ok ? "verifies" : "does NOT verify");
    return ok ? 0 : 1;
  }
  std::fprintf(stderr, "jrads audit prove: give --record N or --consistency OLD NEW\n");
  return 2;
}

}  // namespace

Result<security::AuditReport> verify_audit_file(const std::string& path, const security::Keyring& keyring,
                                                std::int64_t now_unix_s, bool allow_open) {
  auto text = read_audit_file(path);
  if (!text) return fail(std::move(text).error());
  const KeyLookup lookup = [&keyring, now_unix_s](const KeyId& id) -> Result<KeyInfo> {
    auto rec = keyring.usable(id, now_unix_s);
    if (!rec) return fail(rec.error());
    return KeyInfo{(*rec)->sign_public, (*rec)->node, (*rec)->party};
  };
  return verify_audit(*text, lookup, VerifyOptions{.allow_open = allow_open});
}

void add_audit_command(CLI::App& app) {
  auto* audit = app.add_subcommand("audit", "Verify, show and prove the tamper-evident audit log");
  audit->require_subcommand(1);

  auto verify_args = std::make_shared<VerifyArgs>();
  auto* verify = audit->add_subcommand("verify", "Check every record, hash, checkpoint and signature; name the first bad line");
  verify->add_option("file", verify_args->file, "audit.log")->required();
  verify->add_option("--keys", verify_args->keys_dir, "Key directory with the public keys of both parties' nodes")
      ->required();
  verify->add_flag("--open", verify_args->allow_open, "Accept a log still being written (no final checkpoint)");
  verify->callback([verify_args] { throw CLI::RuntimeError(verify_command(*verify_args)); });

  auto show_args = std::make_shared<ShowArgs>();
  auto* show = audit->add_subcommand("show", "Print the records and checkpoints readably (does not verify)");
  show->add_option("file", show_args->file, "audit.log")->required();
  show->add_option("--kind", show_args->kind, "Only records of this kind (proposal, order, release, ...)");
  show->add_option("--from", show_args->from, "First record number");
  show->add_option("--to", show_args->to, "Last record number");
  show->callback([show_args] { throw CLI::RuntimeError(show_command(*show_args)); });

  auto prove_args = std::make_shared<ProveArgs>();
  auto* prove = audit->add_subcommand("prove", "Inclusion proof of a record, or consistency proof between two checkpoints");
  prove->add_option("file", prove_args->file, "audit.log")->required();
  auto* record = prove->add_option("--record", prove_args->record, "Record number: prove it is in the last checkpoint's tree");
  prove->add_option("--consistency", prove_args->consistency, "OLD NEW: two checkpoint sizes")->expected(2)->excludes(record);
  prove->callback([prove_args] { throw CLI::RuntimeError(prove_command(*prove_args)); });
}

}  // namespace jrads::app
