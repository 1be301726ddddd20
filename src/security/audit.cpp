#include "jrads/security/audit.hpp"

#include <charconv>

namespace jrads::security {
namespace {

constexpr std::string_view kMagic = "JRADS-AUDIT 1";

bool is_token(std::string_view s, std::size_t max, bool lower_kind) noexcept {
  if (s.empty() || s.size() > max) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool lower = c >= 'a' && c <= 'z', upper = c >= 'A' && c <= 'Z', digit = c >= '0' && c <= '9';
    if (lower_kind) {
      if (!(lower || (i > 0 && (digit || c == '_')))) return false;
    } else {
      const bool alnum = lower || upper || digit;
      if (!(alnum || (i > 0 && (c == '_' || c == '.' || c == ':' || c == '-')))) return false;
    }
  }
  return true;
}
bool is_kind(std::string_view s) noexcept { return is_token(s, 32, true); }
bool is_actor(std::string_view s) noexcept { return is_token(s, 64, false); }

bool is_body(std::string_view s) noexcept {
  if (s.size() > kMaxAuditBody) return false;
  for (char c : s)
    if (c < 0x20 || c > 0x7e) return false;
  return true;
}

void append_uint(std::string& out, std::uint64_t v) {
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

// Milliseconds as "S.mmm" (the only spelling parse_time accepts).
void append_time(std::string& out, SimTime t) {
  const std::int64_t ms = t.ns() / 1'000'000;
  append_uint(out, static_cast<std::uint64_t>(ms / 1000));
  out.push_back('.');
  const int frac = static_cast<int>(ms % 1000);
  out.push_back(static_cast<char>('0' + frac / 100));
  out.push_back(static_cast<char>('0' + frac / 10 % 10));
  out.push_back(static_cast<char>('0' + frac % 10));
}

void append_hex(std::string& out, ByteView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (std::uint8_t x : b) {
    out.push_back(kDigits[x >> 4]);
    out.push_back(kDigits[x & 0xF]);
  }
}

// Canonical decimal: no sign, no leading zero (except "0"), fits in 64 bits.
std::optional<std::uint64_t> parse_uint(std::string_view s) noexcept {
  if (s.empty() || s.size() > 19 || (s.size() > 1 && s[0] == '0')) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return v;
}

std::optional<SimTime> parse_time(std::string_view s) noexcept {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos || s.size() - dot != 4) return std::nullopt;
  const auto whole = parse_uint(s.substr(0, dot));
  if (!whole || *whole > 9'000'000'000ull) return std::nullopt;  // keeps ns within int64
  std::int64_t frac = 0;
  for (char c : s.substr(dot + 1)) {
    if (c < '0' || c > '9') return std::nullopt;
    frac = frac * 10 + (c - '0');
  }
  return SimTime::from_ns((static_cast<std::int64_t>(*whole) * 1000 + frac) * 1'000'000);
}

Digest genesis(std::string_view header_line) { return sha256(as_bytes(header_line)); }
Digest chain_next(const Digest& prev, const Digest& leaf) { return sha256_pair(0x02, prev, leaf); }

std::string header_line(std::string_view log_id, std::string_view writer) {
  std::string h{kMagic};
  h.push_back('\t');
  h.append(log_id);
  h.push_back('\t');
  h.append(writer);
  return h;
}

// Splits a line into exactly n tab-separated fields; false for any other count.
template <std::size_t N>
bool split_fields(std::string_view line, std::array<std::string_view, N>& f) noexcept {
  std::size_t start = 0;
  for (std::size_t i = 0; i < N; ++i) {
    const auto tab = line.find('\t', start);
    if (i + 1 == N) {
      if (tab != std::string_view::npos) return false;
      f[i] = line.substr(start);
    } else {
      if (tab == std::string_view::npos) return false;
      f[i] = line.substr(start, tab - start);
      start = tab + 1;
    }
  }
  return true;
}

Unexpected line_error(std::uint64_t line_no, std::string message) {
  Location where;
  where.line = static_cast<int>(std::min<std::uint64_t>(line_no, 2'000'000'000));
  return fail(Errc::parse_error, std::move(message), where);
}

struct Header {
  std::string log_id, writer;
};

Result<Header> parse_header(std::string_view line) {
  std::array<std::string_view, 3> f;
  if (!split_fields(line, f) || f[0] != kMagic)
    return line_error(1, "not a JRADS audit log (expected \"JRADS-AUDIT 1<TAB>log id<TAB>writer node\")");
  if (!is_actor(f[1])) return line_error(1, "bad log id");
  if (!is_actor(f[2])) return line_error(1, "bad writer node");
  return Header{std::string(f[1]), std::string(f[2])};
}

// One record line as views into the text; `entry` is the hashed part (all but the chain).
struct RecordLine {
  std::uint64_t seq = 0;
  SimTime time;
  std::string_view kind, actor, body, entry;
  const Label* label = nullptr;  // owned by the LabelCache, valid until its next parse
  Digest chain;
};

// Records mostly repeat a few labels: parse each distinct text once (a small round-robin set).
class LabelCache {
 public:
  Result<const Label*> parse(std::string_view text) {
    for (std::size_t i = 0; i < used_; ++i)
      if (texts_[i] == text) return &labels_[i];
    auto l = parse_label(text);
    if (!l) return fail(std::move(l).error());
    if (auto v = validate(*l); !v) return fail(v.error());
    const std::size_t slot = used_ < kSlots ? used_++ : next_++ % kSlots;
    texts_[slot].assign(text);
    labels_[slot] = std::move(*l);
    return &labels_[slot];
  }

 private:
  static constexpr std::size_t kSlots = 16;
  std::array<std::string, kSlots> texts_;
  std::array<Label, kSlots> labels_;
  std::size_t used_ = 0, next_ = 0;
};

Result<RecordLine> parse_record(std::string_view line, std::uint64_t line_no, LabelCache& labels) {
  std::array<std::string_view, 8> f;
  if (!split_fields(line, f)) return line_error(line_no, "a record has 8 tab-separated fields");
  RecordLine out;
  const auto seq = parse_uint(f[1]);
  if (!seq) return line_error(line_no, "bad record number \"" + std::string(f[1].substr(0, 24)) + "\"");
  out.seq = *seq;
  const auto t = parse_time(f[2]);
  if (!t) return line_error(line_no, "bad time (seconds with 3 decimals)");
  out.time = *t;
  if (!is_kind(f[3])) return line_error(line_no, "bad record kind");
  out.kind = f[3];
  if (!is_actor(f[4])) return line_error(line_no, "bad actor");
  out.actor = f[4];
  auto label = labels.parse(f[5]);
  if (!label) return line_error(line_no, "bad label: " + label.error().message);
  out.label = *label;
  if (!is_body(f[6])) return line_error(line_no, "bad body (printable ASCII, at most 4096 bytes)");
  out.body = f[6];
  if (!lower_hex_to(f[7], out.chain.bytes)) return line_error(line_no, "bad chain hash (64 lower-case hex digits)");
  out.entry = line.substr(0, line.size() - f[7].size() - 1);
  return out;
}

Result<Checkpoint> parse_checkpoint(std::string_view line, std::uint64_t line_no, const std::string& log_id) {
  std::array<std::string_view, 10> f;
  if (!split_fields(line, f)) return line_error(line_no, "a checkpoint has 10 tab-separated fields");
  Checkpoint c;
  c.log_id = log_id;
  const auto size = parse_uint(f[1]);
  if (!size) return line_error(line_no, "bad checkpoint size");
  c.size = *size;
  const auto t = parse_time(f[2]);
  if (!t) return line_error(line_no, "bad checkpoint time");
  c.time = *t;
  if (!lower_hex_to(f[3], c.root.bytes)) return line_error(line_no, "bad tree root");
  if (!lower_hex_to(f[4], c.chain.bytes)) return line_error(line_no, "bad chain hash");
  if (f[5] != "0" && f[5] != "1") return line_error(line_no, "bad final flag (0 or 1)");
  c.final = f[5] == "1";
  if (!lower_hex_to(f[6], c.signer.bytes)) return line_error(line_no, "bad signer key id");
  if (!lower_hex_to(f[7], c.signature.bytes)) return line_error(line_no, "bad signature");
  if (!lower_hex_to(f[8], c.countersigner.bytes)) return line_error(line_no, "bad countersigner key id");
  if (!lower_hex_to(f[9], c.countersignature.bytes)) return line_error(line_no, "bad countersignature");
  return c;
}

// "size<TAB>time<TAB>root<TAB>chain<TAB>final": the checkpoint's fields as the file and the
// writer's statement spell them.
void append_checkpoint_head(std::string& out, const Checkpoint& c) {
  append_uint(out, c.size);
  out.push_back('\t');
  append_time(out, c.time);
  out.push_back('\t');
  append_hex(out, c.root.bytes);
  out.push_back('\t');
  append_hex(out, c.chain.bytes);
  out.append(c.final ? "\t1" : "\t0");
}

void append_checkpoint_line(std::string& out, const Checkpoint& c) {
  out.append("C\t");
  append_checkpoint_head(out, c);
  out.push_back('\t');
  append_hex(out, c.signer.bytes);
  out.push_back('\t');
  append_hex(out, c.signature.bytes);
  out.push_back('\t');
  append_hex(out, c.countersigner.bytes);
  out.push_back('\t');
  append_hex(out, c.countersignature.bytes);
  out.push_back('\n');
}

// Walks the file's lines: calls on_record / on_checkpoint in order. Syntax and structure
// only (line endings, header, record numbering); hashes are the callers' business.
template <class OnRecord, class OnCheckpoint>
Result<Header> walk(std::string_view text, OnRecord&& on_record, OnCheckpoint&& on_checkpoint) {
  if (text.empty()) return line_error(1, "empty file");
  std::uint64_t line_no = 0;
  std::size_t pos = 0;
  Header header;
  LabelCache labels;
  std::uint64_t next_seq = 0;
  while (pos < text.size()) {
    ++line_no;
    const auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) return line_error(line_no, "last line has no newline (file truncated?)");
    const std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (line.size() > kMaxAuditLine) return line_error(line_no, "line longer than 8192 bytes");
    if (line_no == 1) {
      auto h = parse_header(line);
      if (!h) return h;
      header = std::move(*h);
      continue;
    }
    if (line.size() >= 2 && line[0] == 'R' && line[1] == '\t') {
      auto r = parse_record(line, line_no, labels);
      if (!r) return fail(std::move(r).error());
      if (r->seq != next_seq)
        return line_error(line_no, "record " + std::to_string(r->seq) + " where record " +
                                       std::to_string(next_seq) + " was due (deleted, duplicated or reordered)");
      ++next_seq;
      if (auto ok = on_record(*r, line_no); !ok) return fail(ok.error());
    } else if (line.size() >= 2 && line[0] == 'C' && line[1] == '\t') {
      auto c = parse_checkpoint(line, line_no, header.log_id);
      if (!c) return fail(std::move(c).error());
      if (auto ok = on_checkpoint(*c, line_no); !ok) return fail(ok.error());
    } else {
      return line_error(line_no, "neither a record (R) nor a checkpoint (C)");
    }
  }
  return header;
}

}  // namespace

std::string checkpoint_statement(const Checkpoint& c) {
  std::string s = "JRADS-CHECKPOINT-1\t";
  s.append(c.log_id);
  s.push_back('\t');
  append_checkpoint_head(s, c);
  return s;
}

std::string countersign_statement(const Checkpoint& c) {
  // The partner attests the size and root it computed itself, and which writer signature it
  // saw; the chain is the writer's claim (covered by that signature), not the partner's.
  std::string s = "JRADS-COUNTERSIGN-1\t";
  s.append(c.log_id);
  s.push_back('\t');
  append_uint(s, c.size);
  s.push_back('\t');
  append_time(s, c.time);
  s.push_back('\t');
  append_hex(s, c.root.bytes);
  s.append(c.final ? "\t1" : "\t0");
  s.push_back('\t');
  append_hex(s, c.signer.bytes);
  s.push_back('\t');
  append_hex(s, c.signature.bytes);
  return s;
}

Countersigner::Countersigner(std::string log_id, SigningKey key) : key_(std::move(key)), log_id_(std::move(log_id)) {}

void Countersigner::observe(const Digest& leaf) { tree_.append(leaf); }

Result<Signature> Countersigner::countersign(const Checkpoint& proposed) const {
  if (proposed.log_id != log_id_) return fail(Errc::invalid_argument, "checkpoint of another log");
  if (proposed.size != tree_.size())
    return fail(Errc::invalid_argument, "checkpoint covers " + std::to_string(proposed.size) +
                                            " records; the partner has seen " + std::to_string(tree_.size()));
  if (proposed.root != tree_.root())
    return fail(Errc::invalid_argument, "checkpoint root differs from the partner's own tree: history was changed");
  return key_.sign(as_bytes(countersign_statement(proposed)));
}

AuditWriter::AuditWriter(std::string log_id, std::string writer_node, SigningKey key, Countersigner& partner,
                         Sink sink, std::uint64_t checkpoint_every)
    : log_id_(std::move(log_id)),
      key_(std::move(key)),
      partner_(partner),
      sink_(std::move(sink)),
      checkpoint_every_(checkpoint_every) {
  JRADS_ASSERT(is_actor(log_id_) && is_actor(writer_node));
  const std::string header = header_line(log_id_, writer_node);
  chain_ = genesis(header);
  sink_(header + "\n");
}

Result<void> AuditWriter::append(SimTime time, std::string_view kind, std::string_view actor, const Label& label,
                                 std::string_view body) {
  if (closed_) return fail(Errc::invalid_argument, "the audit log is closed (final checkpoint written)");
  if (!is_kind(kind)) return fail(Errc::invalid_argument, "bad audit record kind \"" + std::string(kind) + "\"");
  if (!is_actor(actor)) return fail(Errc::invalid_argument, "bad audit actor \"" + std::string(actor) + "\"");
  if (!is_body(body)) return fail(Errc::invalid_argument, "audit body is not printable ASCII of at most 4096 bytes");
  if (time.ns() < 0 || time.ns() / 1'000'000 < last_time_.ns() / 1'000'000)
    return fail(Errc::invalid_argument, "audit record time goes backwards");
  const std::string* label_text = nullptr;
  for (const auto& [l, text] : label_texts_)
    if (l == label) label_text = &text;
  if (!label_text) {
    if (auto v = validate(label); !v) return fail(v.error());
    if (label_texts_.size() >= 16) label_texts_.erase(label_texts_.begin());
    label_texts_.emplace_back(label, to_text(label));
    label_text = &label_texts_.back().second;
  }
  line_.clear();
  line_.append("R\t");
  append_uint(line_, tree_.size());
  line_.push_back('\t');
  append_time(line_, time);
  line_.push_back('\t');
  line_.append(kind);
  line_.push_back('\t');
  line_.append(actor);
  line_.push_back('\t');
  line_.append(*label_text);
  line_.push_back('\t');
  line_.append(body);
  const std::string_view entry = line_;
  const Digest leaf = leaf_hash(as_bytes(entry));
  partner_.observe(leaf);
  tree_.append(leaf);
  chain_ = chain_next(chain_, leaf);
  line_.push_back('\t');
  append_hex(line_, chain_.bytes);
  line_.push_back('\n');
  sink_(line_);
  last_time_ = time;
  if (checkpoint_every_ > 0 && ++since_checkpoint_ >= checkpoint_every_) {
    auto c = checkpoint(time, false);
    if (!c) return fail(std::move(c).error());
  }
  return {};
}

Result<Checkpoint> AuditWriter::checkpoint(SimTime time, bool final) {
  if (closed_) return fail(Errc::invalid_argument, "the audit log is closed (final checkpoint written)");
  if (time.ns() / 1'000'000 < last_time_.ns() / 1'000'000)
    return fail(Errc::invalid_argument, "checkpoint time before the last record");
  Checkpoint c;
  c.log_id = log_id_;
  c.size = tree_.size();
  c.time = SimTime::from_ns(time.ns() / 1'000'000 * 1'000'000);
  c.root = tree_.root();
  c.chain = chain_;
  c.final = final;
  c.signer = key_id(key_.public_key());
  c.signature = key_.sign(as_bytes(checkpoint_statement(c)));
  auto counter = partner_.countersign(c);
  if (!counter) return fail(std::move(counter).error());
  c.countersigner = partner_.key();
  c.countersignature = *counter;
  line_.clear();
  append_checkpoint_line(line_, c);
  sink_(line_);
  since_checkpoint_ = 0;
  last_time_ = c.time;
  closed_ = final;
  return c;
}

Result<AuditContents> parse_audit(std::string_view text) {
  AuditContents out;
  auto h = walk(
      text,
      [&](const RecordLine& r, std::uint64_t) -> Result<void> {
        out.leaves.push_back(leaf_hash(as_bytes(r.entry)));
        out.records.push_back(AuditRecord{r.seq, r.time, std::string(r.kind), std::string(r.actor), *r.label,
                                          std::string(r.body)});
        return {};
      },
      [&](const Checkpoint& c, std::uint64_t) -> Result<void> {
        out.checkpoints.push_back(c);
        return {};
      });
  if (!h) return fail(std::move(h).error());
  out.log_id = h->log_id;
  out.writer_node = h->writer;
  return out;
}

Result<AuditReport> verify_audit(std::string_view text, const KeyLookup& lookup, const VerifyOptions& options) {
  AuditReport report;
  MerkleAccumulator tree;
  Digest chain;
  bool have_chain = false;
  SimTime last_time;
  std::uint64_t last_checkpoint_size = 0;
  bool any_checkpoint = false, closed = false;
  std::string header_text;
  // The chain starts from the header line, which walk() parses first.
  const auto first_nl = text.find('\n');
  if (first_nl != std::string_view::npos) header_text.assign(text.substr(0, first_nl));

  auto ensure_chain = [&] {
    if (!have_chain) {
      chain = genesis(header_text);
      have_chain = true;
    }
  };
  auto on_record = [&](const RecordLine& r, std::uint64_t line_no) -> Result<void> {
    ensure_chain();
    auto where = [&] { return "record " + std::to_string(r.seq); };
    if (closed) return line_error(line_no, where() + " follows the final checkpoint");
    if (r.time < last_time) return line_error(line_no, where() + ": time goes backwards");
    const Digest leaf = leaf_hash(as_bytes(r.entry));
    chain = chain_next(chain, leaf);
    if (chain != r.chain)
      return line_error(line_no, where() + ": chain hash does not match (this record or the one before was changed)");
    tree.append(leaf);
    last_time = r.time;
    return {};
  };
  auto check_key = [&](const KeyId& id, std::string_view role, std::uint64_t line_no) -> Result<KeyInfo> {
    auto k = lookup(id);
    if (!k) return line_error(line_no, std::string(role) + " key " + id.hex() + " refused: " + k.error().message);
    return k;
  };
  auto on_checkpoint = [&](Checkpoint& c, std::uint64_t line_no) -> Result<void> {
    ensure_chain();
    const std::string where = "checkpoint at " + std::to_string(c.size);
    if (closed) return line_error(line_no, where + " follows the final checkpoint");
    if (c.size != tree.size())
      return line_error(line_no, where + " stands after record " + std::to_string(tree.size()) +
                                     " (moved, or records deleted or added)");
    // Only the final checkpoint may repeat the size of the one before (it closes the log).
    if (any_checkpoint && (c.size < last_checkpoint_size || (c.size == last_checkpoint_size && !c.final)))
      return line_error(line_no, where + " adds no record to the one before");
    if (c.time < last_time) return line_error(line_no, where + ": time before the last record");
    if (c.root != tree.root()) return line_error(line_no, where + ": tree root does not match the records");
    if (c.chain != chain) return line_error(line_no, where + ": chain hash does not match the records");
    auto signer = check_key(c.signer, "signer", line_no);
    if (!signer) return fail(std::move(signer).error());
    if (signer->node != report.writer_node && !report.writer_node.empty())
      return line_error(line_no, where + ": signed by node " + signer->node + ", not the log's writer " +
                                     report.writer_node);
    if (!verify(signer->key, as_bytes(checkpoint_statement(c)), c.signature))
      return line_error(line_no, where + ": the writer's signature does not verify");
    auto counter = check_key(c.countersigner, "countersigner", line_no);
    if (!counter) return fail(std::move(counter).error());
    if (counter->party == signer->party)
      return line_error(line_no, where + ": countersigned by the writer's own party " + signer->party +
                                     " (the partner must countersign)");
    if (!verify(counter->key, as_bytes(countersign_statement(c)), c.countersignature))
      return line_error(line_no, where + ": the partner's countersignature does not verify");
    any_checkpoint = true;
    last_checkpoint_size = c.size;
    last_time = c.time;
    closed = c.final;
    ++report.checkpoints;
    report.signer_parties = {signer->party, counter->party};
    report.last = c;
    return {};
  };
  // The writer node comes from the header; fill it before checkpoints are checked.
  if (first_nl != std::string_view::npos) {
    if (auto h = parse_header(text.substr(0, first_nl)); h) {
      report.log_id = h->log_id;
      report.writer_node = h->writer;
    }
  }
  auto h = walk(text, on_record, on_checkpoint);
  if (!h) return fail(std::move(h).error());
  report.records = tree.size();
  report.closed = closed;
  if (!closed && !options.allow_open) {
    if (!any_checkpoint) return fail(Errc::truncated, "the log has no checkpoint (truncated, or still open)");
    if (last_checkpoint_size != tree.size())
      return fail(Errc::truncated, std::to_string(tree.size() - last_checkpoint_size) +
                                       " record(s) after the last checkpoint and no final checkpoint "
                                       "(truncated, or still open)");
    return fail(Errc::truncated, "the log ends without a final checkpoint (truncated, or still open)");
  }
  return report;
}

}  // namespace jrads::security
