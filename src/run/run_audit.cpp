#include "jrads/run/run_audit.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "jrads/core/csv_format.hpp"
#include "jrads/security/audit.hpp"

namespace jrads::run {
namespace {

constexpr std::int64_t kCheckpointPeriodNs = 60'000'000'000;  // a checkpoint per simulated minute with records

// Audit record kinds: the event names of engagements.csv ("cancelled" and the rest already
// fit [a-z][a-z0-9_]*).
std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  out.reserve(std::min(text.size(), max));
  for (char c : text) {
    if (out.size() >= max) break;
    out.push_back(c >= 0x20 && c <= 0x7e ? c : '?');
  }
  return out;
}

std::string event_body(const EventRow& r) {
  std::string b;
  if (r.engagement != 0) b += "E-" + std::to_string(r.engagement) + " ";
  b += "track " + std::to_string(r.track);
  if (!r.unit.empty()) b += " unit " + r.unit + " (" + r.unit_party + ")";
  if (!r.actor.empty()) b += " by " + r.actor + (r.actor_party.empty() ? "" : " (" + r.actor_party + ")");
  b += " class " + r.threat_class + " identity " + r.identity;
  b += " pk ";
  append_fixed(b, r.kill_probability, 3);
  if (!r.outcome.empty()) b += " outcome " + r.outcome;
  if (!r.truth_id.empty()) b += " met " + r.truth_id;
  if (!r.rules.empty()) b += " rules " + r.rules;
  if (!r.reasons.empty()) b += " | " + r.reasons;
  return printable(b, security::kMaxAuditBody);
}

// An actor token for the audit log: role ids already are; an empty actor is the system.
std::string actor_of(const EventRow& r) {
  std::string a = r.actor.empty() ? "system" : r.actor;
  for (char& c : a)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
          c == ':' || c == '-'))
      c = '_';
  return a.substr(0, 64);
}

Result<security::Digest> file_sha256(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return fail(Errc::io_error, p.string() + ": cannot read it to record its hash");
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return fail(Errc::io_error, p.string() + ": read error");
  return security::sha256(security::as_bytes(bytes));
}

}  // namespace

security::Label event_label(const EventRow& row, std::span<const std::string> parties, bool agreement_in_force,
                            const std::string& lead_party) {
  security::Label l;
  l.level = security::Level::secret;
  l.categories = security::category_bit(security::Category::orders);
  l.originator = !row.actor_party.empty() ? row.actor_party : !row.unit_party.empty() ? row.unit_party : lead_party;
  if (agreement_in_force) {
    for (const std::string& p : parties)
      if (p != l.originator) l.rel_to.push_back(p);
    l.rel_to.push_back(l.originator);
    std::sort(l.rel_to.begin(), l.rel_to.end());
    l.rel_to.erase(std::unique(l.rel_to.begin(), l.rel_to.end()), l.rel_to.end());
  }
  l.time = SimTime::from_ns(std::max<std::int64_t>(0, row.time.ns()));
  return l;
}

Result<AuditSummary> write_run_audit(const std::filesystem::path& path, const std::string& log_id,
                                     const AuditSigners& signers, std::span<const EventRow> rows,
                                     std::span<const std::string> parties, bool agreement_in_force,
                                     const std::string& lead_party, std::span<const std::filesystem::path> outputs,
                                     std::span<const ReleaseRecord> releases, std::span<const ReleaseTally> tallies,
                                     const security::PartyTable* table) {
  if (signers.writer.party == signers.partner.party)
    return fail(Errc::invalid_argument, "the audit log's partner node must be of another party than its writer");
  auto file = OutputFile::open(path);
  if (!file) return fail(file.error());
  security::Countersigner partner(log_id, signers.partner.key);
  security::AuditWriter log(log_id, signers.writer.node, signers.writer.key, partner, [&](std::string_view s) {
    file->buffer().append(s);
    file->flush_if_full();
  });
  AuditSummary summary;
  auto checkpoint = [&](SimTime t, bool final) -> Result<void> {
    auto c = log.checkpoint(t, final);
    if (!c) return fail(std::move(c).error());
    ++summary.checkpoints;
    return {};
  };

  // The run's own items are the lead party's audit, releasable to the chain's parties.
  security::Label own;
  own.level = security::Level::secret;
  own.categories = security::category_bit(security::Category::audit);
  own.originator = lead_party;
  if (agreement_in_force) {
    own.rel_to.assign(parties.begin(), parties.end());
    std::sort(own.rel_to.begin(), own.rel_to.end());
  }
  for (const AuditNode* n : {&signers.writer, &signers.partner}) {
    const std::string body = "node " + n->node + " party " + n->party + " signing key " +
                             security::key_id(n->key.public_key()).hex() + " " + (n == &signers.writer ? "writes" : "countersigns");
    if (auto ok = log.append(SimTime{}, "key", signers.writer.node, own, body); !ok) return fail(ok.error());
  }
  std::int64_t next_checkpoint_ns = kCheckpointPeriodNs;
  SimTime last;
  for (const EventRow& r : rows) {
    const SimTime t = SimTime::from_ns(std::max<std::int64_t>(0, r.time.ns()));
    if (t.ns() >= next_checkpoint_ns) {
      if (auto ok = checkpoint(SimTime::from_ns(t.ns() / kCheckpointPeriodNs * kCheckpointPeriodNs), false); !ok)
        return fail(ok.error());
      next_checkpoint_ns = (t.ns() / kCheckpointPeriodNs + 1) * kCheckpointPeriodNs;
    }
    // The event's own label (the command post's: its track's, with ORDERS), else the rule.
    security::Label l;
    if (table != nullptr && r.label.categories != 0 && r.label.originator < table->size() &&
        (r.label.rel & ~table->all()) == 0) {
      l = security::to_label(r.label, *table, t);
    } else {
      l = event_label(r, parties, agreement_in_force, lead_party);
    }
    if (auto ok = log.append(t, r.event, actor_of(r), l, event_body(r)); !ok) return fail(ok.error());
    last = t;
  }
  for (const ReleaseRecord& r : releases) {
    // The decision is as classified as the item it is about, and an audit matter.
    security::Label l = r.label;
    if (!security::validate(l)) l = own;  // an invalid label was refused; its decision is the run's own record
    l.categories |= security::category_bit(security::Category::audit);
    l.time = last;
    std::string body = "to " + r.receiver + ": " + (r.allowed ? "allowed" : "refused");
    for (int c = 0; c < security::kCategories; ++c)
      if (r.stripped & (1u << c)) body += std::string(" strip ") + security::to_string(static_cast<security::Category>(c));
    for (std::size_t k = 0; k < r.rules.size(); ++k) body += (k ? ", " : " rules ") + r.rules[k];
    body += " label [" + security::to_text(r.label.categories ? r.label : own) + "]";
    for (const std::string& reason : r.reasons) body += " | " + reason;
    if (auto ok = log.append(last, "release", signers.writer.node, l, printable(body, security::kMaxAuditBody)); !ok)
      return fail(ok.error());
  }
  for (const ReleaseTally& t : tallies) {
    const std::string body = "to " + t.receiver + ": " + std::to_string(t.counts.allowed) + " allowed (" +
                             std::to_string(t.counts.stripped) + " stripped), " + std::to_string(t.counts.refused) +
                             " refused, " + std::to_string(t.counts.decisions) + " decisions";
    if (auto ok = log.append(last, "release_count", signers.writer.node, own, body); !ok) return fail(ok.error());
  }
  const std::filesystem::path base = path.parent_path();
  for (const std::filesystem::path& p : outputs) {
    auto h = file_sha256(p);
    if (!h) return fail(h.error());
    const std::string name = p.lexically_relative(base).generic_string();
    if (auto ok = log.append(last, "output", signers.writer.node, own,
                             printable("file " + (name.empty() || name.rfind("..", 0) == 0 ? p.filename().string() : name) +
                                           " sha256 " + h->hex(),
                                       security::kMaxAuditBody));
        !ok)
      return fail(ok.error());
  }
  if (auto ok = checkpoint(last, true); !ok) return fail(ok.error());
  summary.records = log.size();
  if (auto ok = file->commit(); !ok) return fail(ok.error());
  return summary;
}

}  // namespace jrads::run
