// Node keys, their files in the key directory, the keyring and labelled signatures
// (keys.hpp, docs/SECURITY.md "Keys"). Every file is parsed by one strict reader (Fields):
// keys in a fixed order, one spelling per file, errors with the file and line that never quote
// a secret.
#include "jrads/security/keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <span>
#include <system_error>
#include <tuple>
#include <utility>

namespace jrads::security {

namespace fs = std::filesystem;

namespace {

constexpr int kMaxGeneration = 1'000'000;

// ---------------------------------------------------------------- small helpers

Location at_line(const std::string& file, int line) {
  Location where = Location::in_file(file);
  where.line = line;
  return where;
}

// Puts the file (and line) on an error that has none yet.
Unexpected in_file(Error e, const std::string& file, int line = 0) {
  if (e.where.file.empty()) {
    e.where.file = file;
    if (e.where.line == 0) e.where.line = line;
  }
  return fail(std::move(e));
}

std::string errno_text(int e) { return std::strerror(e); }

std::string mode_text(unsigned mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", mode & 07777u);
  return buf;
}

// Wipes a string holding secret text when it goes out of scope.
struct WipeOnExit {
  std::string& s;
  ~WipeOnExit() { wipe({reinterpret_cast<std::uint8_t*>(s.data()), s.size()}); }
};

void append_u64(Bytes& out, std::uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}
void append(Bytes& out, std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }
void append(Bytes& out, ByteView b) { out.insert(out.end(), b.begin(), b.end()); }

// A decimal integer without sign or leading zero, in [lo, hi].
Result<std::int64_t> parse_int(std::string_view v, std::int64_t lo, std::int64_t hi) {
  if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return fail(Errc::parse_error, "expected a decimal number");
  if (v.size() > 1 && v[0] == '0') return fail(Errc::parse_error, "a number has no leading zero");
  std::int64_t n = 0;
  for (const char c : v) n = n * 10 + (c - '0');
  if (n < lo || n > hi)
    return fail(Errc::invalid_argument, "out of range " + std::to_string(lo) + ".." + std::to_string(hi));
  return n;
}

template <std::size_t N>
void copy_to(std::array<std::uint8_t, N>& out, const Bytes& b) {
  JRADS_ASSERT(b.size() == N);
  std::copy(b.begin(), b.end(), out.begin());
}

bool printable(char c) noexcept { return c >= 0x20 && c <= 0x7e; }

// A key as shown in an error: only when it looks like a key of these files (so that a secret
// value that lost its key is never echoed).
std::string show_key(std::string_view k) {
  const bool plain = !k.empty() && k.size() <= 24 &&
                     std::all_of(k.begin(), k.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-'; });
  return plain ? "'" + std::string(k) + "'" : std::string("a word that is not a key");
}

// ---------------------------------------------------------------- the strict line reader

// Reads "key value" lines in a fixed order. start() checks the bytes (printable ASCII and
// '\n' only, a final newline, a size cap) and the magic line.
class Fields {
 public:
  Fields(std::string_view text, std::string file) : text_(text), file_(std::move(file)) {}

  Result<void> start(std::string_view magic, std::size_t max_bytes) {
    if (text_.size() > max_bytes)
      return fail(Errc::invalid_argument,
                  "larger than " + std::to_string(max_bytes) + " bytes, the limit for this kind of file",
                  Location::in_file(file_));
    if (text_.empty()) return error(1, Errc::truncated, "empty file, expected '" + std::string(magic) + "'");
    int line = 1, column = 1;
    for (const char c : text_) {
      if (c == '\n') {
        ++line;
        column = 1;
        continue;
      }
      if (!printable(c)) {
        Location where = at_line(file_, line);
        where.column = column;
        std::string what;
        if (c == '\r') {
          what = "carriage return (CRLF line ends are not accepted)";
        } else if (c == '\0') {
          what = "NUL byte";
        } else {
          char buf[8];
          std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
          what = std::string("byte ") + buf + " is not printable ASCII";
        }
        return fail(Errc::parse_error, what, where);
      }
      ++column;
    }
    if (text_.back() != '\n') return error(line, Errc::truncated, "no newline at the end of the file (truncated?)");
    auto first = next_line();
    if (!first) return fail(first.error());
    if (*first != magic) {
      const std::size_t sp = magic.find(' ');
      const std::string_view word = sp == std::string_view::npos ? magic : magic.substr(0, sp + 1);
      if (sp != std::string_view::npos && first->substr(0, word.size()) == word)
        return error(1, Errc::unsupported, "unsupported version '" + std::string(first->substr(word.size())) +
                                               "' (this program reads '" + std::string(magic) + "')");
      return error(1, Errc::parse_error, "expected '" + std::string(magic) + "' (the first line of this kind of file)");
    }
    return {};
  }

  // Keys seen in the current block (a record, or one revocation in a list, which begins with
  // block_key).
  void begin_block(std::string_view block_key) {
    seen_.clear();
    block_key_ = block_key;
  }

  // The value of the next line, which must be `key value`. `known` lists every key of the
  // block, to tell a missing key from an unknown one.
  Result<std::string_view> expect(std::string_view key, std::span<const std::string_view> known) {
    if (at_end()) return error(line_ + 1, Errc::missing_key, "missing key '" + std::string(key) + "' (the file ends early)");
    auto line = next_line();
    if (!line) return fail(line.error());
    const std::size_t sp = line->find(' ');
    if (sp == std::string_view::npos)
      return error(line_, Errc::parse_error, "expected '" + std::string(key) + " VALUE' (a key, one space and a value)");
    const std::string_view k = line->substr(0, sp), v = line->substr(sp + 1);
    if (k != key) {
      if (!block_key_.empty() && k == block_key_ && key != block_key_)
        return error(line_, Errc::missing_key,
                     "missing key '" + std::string(key) + "' before the next '" + std::string(k) + "'");
      if (const auto it = seen_.find(std::string(k)); it != seen_.end())
        return error(line_, Errc::duplicate_id,
                     "duplicate key '" + std::string(k) + "' (first at line " + std::to_string(it->second) + ")");
      if (std::find(known.begin(), known.end(), k) != known.end())
        return error(line_, Errc::missing_key,
                     "missing key '" + std::string(key) + "' (expected before '" + std::string(k) + "')");
      return error(line_, Errc::unknown_key, "unknown key " + show_key(k) + " (expected '" + std::string(key) + "')");
    }
    if (v.empty()) return error(line_, Errc::parse_error, "key '" + std::string(key) + "' has no value");
    if (v.front() == ' ' || v.back() == ' ')
      return error(line_, Errc::parse_error, "extra space in the line of key '" + std::string(key) + "'");
    seen_.emplace(std::string(key), line_);
    return v;
  }

  // Nothing may follow the last key.
  Result<void> finish() {
    if (at_end()) return {};
    auto line = next_line();
    if (!line) return fail(line.error());
    const std::string_view k = line->substr(0, line->find(' '));
    if (const auto it = seen_.find(std::string(k)); it != seen_.end())
      return error(line_, Errc::duplicate_id,
                   "duplicate key '" + std::string(k) + "' (first at line " + std::to_string(it->second) + ")");
    return error(line_, Errc::parse_error, "unexpected line after the last key");
  }

  [[nodiscard]] bool at_end() const noexcept { return pos_ >= text_.size(); }
  [[nodiscard]] int line() const noexcept { return line_; }
  [[nodiscard]] const std::string& file() const noexcept { return file_; }

  [[nodiscard]] Unexpected error(int line, Errc code, std::string message) const {
    return fail(code, std::move(message), at_line(file_, line));
  }
  // A value's error (from a value parser) at the current line, prefixed with its key.
  [[nodiscard]] Unexpected value_error(std::string_view key, const Error& e) const {
    return error(line_, e.code, std::string(key) + ": " + e.message);
  }

 private:
  Result<std::string_view> next_line() {
    const std::size_t nl = text_.find('\n', pos_);
    JRADS_ASSERT(nl != std::string_view::npos);  // start() checked the final newline
    const std::string_view line = text_.substr(pos_, nl - pos_);
    pos_ = nl + 1;
    ++line_;
    if (line.empty()) return error(line_, Errc::parse_error, "empty line");
    return line;
  }

  std::string_view text_;
  std::string file_;
  std::size_t pos_ = 0;
  int line_ = 0;
  std::map<std::string, int, std::less<>> seen_;
  std::string_view block_key_;
};

// Reads one typed value with its key; the error carries the line and the key.
template <class T, class Parse>
Result<T> field(Fields& f, std::string_view key, std::span<const std::string_view> known, Parse parse) {
  auto v = f.expect(key, known);
  if (!v) return fail(v.error());
  auto parsed = parse(*v);
  if (!parsed) return f.value_error(key, parsed.error());
  return std::move(*parsed);
}

// ---------------------------------------------------------------- canonical texts

Bytes record_message(const PublicKeyRecord& r) {
  std::string s = "JRADS-PUBKEY-1\n";
  s += "node " + r.node + "\n";
  s += "party " + r.party + "\n";
  s += "generation " + std::to_string(r.generation) + "\n";
  s += "id " + r.id.hex() + "\n";
  s += "sign-public " + to_hex(r.sign_public) + "\n";
  s += "agree-public " + to_hex(r.agree_public) + "\n";
  s += "created " + std::to_string(r.created_unix_s) + "\n";
  s += "expires " + std::to_string(r.expires_unix_s) + "\n";
  return Bytes(s.begin(), s.end());
}

Bytes revocation_message(const Revocation& r) {
  std::string s = "JRADS-REVOKE-1\n";
  s += "id " + r.id.hex() + "\n";
  s += "node " + r.node + "\n";
  s += "generation " + std::to_string(r.generation) + "\n";
  s += "revoked " + std::to_string(r.revoked_unix_s) + "\n";
  s += "signer " + r.signer.hex() + "\n";
  s += "reason " + r.reason + "\n";  // last: the only free text, and it has no newline
  return Bytes(s.begin(), s.end());
}

Bytes binding_message(const Label& label, ByteView payload) {
  static constexpr std::string_view kDomain = "JRADS-BIND-1";
  const std::string text = to_text(label);
  Bytes m;
  m.reserve(kDomain.size() + 16 + text.size() + payload.size());
  append(m, kDomain);
  append_u64(m, text.size());
  append(m, std::string_view(text));
  append_u64(m, payload.size());
  append(m, payload);
  return m;
}

Secret<32> derive_seed(std::string_view context, const std::string& node, int generation, const KeySeed& seed) {
  Bytes buf;
  append(buf, context);
  buf.push_back(0);
  append(buf, std::string_view(node));
  buf.push_back(0);
  append(buf, std::string_view(std::to_string(generation)));
  buf.push_back(0);
  append(buf, ByteView(seed));
  Digest d = sha256(buf);
  wipe(buf);
  Secret<32> out;
  std::copy(d.bytes.begin(), d.bytes.end(), out.bytes().begin());
  wipe(d.bytes);
  return out;
}

std::string key_phrase(const PublicKeyRecord& r) {
  return "key " + r.id.hex() + " of node " + r.node + " (generation " + std::to_string(r.generation) + ")";
}

// ---------------------------------------------------------------- record fields in files

constexpr std::array<std::string_view, 9> kPublicKeyKeys = {
    "node", "party", "generation", "id", "sign-public", "agree-public", "created", "expires", "self-signature"};
constexpr std::array<std::string_view, 11> kNodeKeyKeys = {
    "node", "party", "generation", "id", "sign-public", "agree-public", "created", "expires", "self-signature",
    "sign-seed", "agree-secret"};
constexpr std::array<std::string_view, 8> kRevocationKeys = {"revocation", "id",     "node",   "generation",
                                                            "revoked",    "reason", "signer", "signature"};

std::string record_lines(const PublicKeyRecord& r) {
  std::string s;
  s += "node " + r.node + "\n";
  s += "party " + r.party + "\n";
  s += "generation " + std::to_string(r.generation) + "\n";
  s += "id " + r.id.hex() + "\n";
  s += "sign-public " + to_hex(r.sign_public) + "\n";
  s += "agree-public " + to_hex(r.agree_public) + "\n";
  s += "created " + format_utc(r.created_unix_s) + "\n";
  s += "expires " + format_utc(r.expires_unix_s) + "\n";
  s += "self-signature " + to_hex(r.self_signature.bytes) + "\n";
  return s;
}

auto node_value = [](std::string_view v) -> Result<std::string> {
  if (auto ok = check_node_id(v); !ok) return fail(ok.error());
  return std::string(v);
};
auto party_value = [](std::string_view v) -> Result<std::string> {
  if (auto ok = check_party_id(v); !ok) return fail(ok.error());
  return std::string(v);
};
auto generation_value = [](std::string_view v) -> Result<int> {
  auto n = parse_int(v, 1, kMaxGeneration);
  if (!n) return fail(n.error());
  return static_cast<int>(*n);
};
template <std::size_t N>
auto hex_value = [](std::string_view v) -> Result<Bytes> { return from_lower_hex(v, N); };

// The public record's lines (after the magic), checked: id against the key, times, and the
// self signature, each error at its line.
Result<PublicKeyRecord> read_record(Fields& f, std::span<const std::string_view> known) {
  PublicKeyRecord r;
  auto node = field<std::string>(f, "node", known, node_value);
  if (!node) return fail(node.error());
  r.node = std::move(*node);
  auto party = field<std::string>(f, "party", known, party_value);
  if (!party) return fail(party.error());
  r.party = std::move(*party);
  auto generation = field<int>(f, "generation", known, generation_value);
  if (!generation) return fail(generation.error());
  r.generation = *generation;
  auto id = field<Bytes>(f, "id", known, hex_value<8>);
  if (!id) return fail(id.error());
  copy_to(r.id.bytes, *id);
  const int id_line = f.line();
  auto sign_public = field<Bytes>(f, "sign-public", known, hex_value<32>);
  if (!sign_public) return fail(sign_public.error());
  copy_to(r.sign_public, *sign_public);
  if (key_id(r.sign_public) != r.id)
    return f.error(id_line, Errc::invalid_argument,
                   "id: " + r.id.hex() + " is not the id of sign-public (" + key_id(r.sign_public).hex() + ")");
  auto agree_public = field<Bytes>(f, "agree-public", known, hex_value<32>);
  if (!agree_public) return fail(agree_public.error());
  copy_to(r.agree_public, *agree_public);
  auto created = field<std::int64_t>(f, "created", known, parse_utc);
  if (!created) return fail(created.error());
  r.created_unix_s = *created;
  auto expires = field<std::int64_t>(f, "expires", known, parse_utc);
  if (!expires) return fail(expires.error());
  r.expires_unix_s = *expires;
  if (r.expires_unix_s <= r.created_unix_s)
    return f.error(f.line(), Errc::invalid_argument, "expires: not after created");
  if (r.expires_unix_s - r.created_unix_s > kMaxKeyValidS)
    return f.error(f.line(), Errc::invalid_argument, "expires: more than 50 years after created");
  auto sig = field<Bytes>(f, "self-signature", known, hex_value<64>);
  if (!sig) return fail(sig.error());
  copy_to(r.self_signature.bytes, *sig);
  if (!verify(r.sign_public, record_message(r), r.self_signature))
    return f.error(f.line(), Errc::invalid_argument,
                   "self-signature: does not verify: the record was changed after it was signed");
  return r;
}

// ---------------------------------------------------------------- the directory

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Whether anything (a symlink too) is at p; an error other than "no such file" is an error,
// never "absent" (a revocation list that cannot be looked at must not count as empty).
Result<bool> exists_no_follow(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) == 0) return true;
  if (errno == ENOENT) return false;
  return fail(Errc::io_error, "cannot stat: " + errno_text(errno), Location::in_file(p.string()));
}

// "<node>.<generation>.pub" → the node and generation.
std::optional<std::pair<std::string, int>> parse_public_name(std::string_view name) {
  static constexpr std::string_view kExt = ".pub";
  if (name.size() <= kExt.size() || name.substr(name.size() - kExt.size()) != kExt) return std::nullopt;
  const std::string_view stem = name.substr(0, name.size() - kExt.size());
  const std::size_t dot = stem.rfind('.');
  if (dot == std::string_view::npos) return std::nullopt;
  const std::string_view node = stem.substr(0, dot);
  auto gen = parse_int(stem.substr(dot + 1), 1, kMaxGeneration);
  if (!gen || !check_node_id(node)) return std::nullopt;
  return std::make_pair(std::string(node), static_cast<int>(*gen));
}

// The generations of the node's .pub files (from their names), sorted.
Result<std::vector<int>> public_generations(const fs::path& dir, std::string_view node) {
  std::error_code ec;
  std::vector<int> gens;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto parsed = parse_public_name(it->path().filename().string());
    if (parsed && parsed->first == node) gens.push_back(parsed->second);
  }
  if (ec) return fail(Errc::io_error, "cannot list the directory: " + ec.message(), Location::in_file(dir.string()));
  std::sort(gens.begin(), gens.end());
  return gens;
}

Result<PublicKeyRecord> read_public_file(const fs::path& path) {
  auto text = read_file_checked(path, FileRead{});
  if (!text) return fail(text.error());
  return decode_public_key_file(*text, path.string());
}

Result<void> write_text(const fs::path& path, std::string_view text, unsigned mode, bool replace) {
  return write_file_atomically(path, as_bytes(text), mode, replace);
}

Result<NodeKeys> load_node_impl(const fs::path& dir, const std::string& node, bool require_current) {
  if (auto ok = check_node_id(node); !ok) return fail(ok.error());
  if (auto ok = check_key_dir(dir); !ok) return fail(ok.error());
  const fs::path key_path = node_key_path(dir, node);
  auto text = read_file_checked(key_path, FileRead{kMaxKeyFileBytes, true, false});
  if (!text) return fail(text.error());
  WipeOnExit wipe_text{*text};
  auto keys = decode_node_key_file(*text, key_path.string());
  if (!keys) return keys;
  if (keys->record.node != node)
    return fail(Errc::invalid_argument, "holds the keys of node " + keys->record.node + ", not " + node,
                Location::in_file(key_path.string()));
  const fs::path pub_path = public_key_path(dir, node, keys->record.generation);
  auto pub_exists = exists_no_follow(pub_path);
  if (!pub_exists) return fail(pub_exists.error());
  if (!*pub_exists)
    return fail(Errc::io_error,
                "missing: it is the public record of " + key_path.string() + " (generation " +
                    std::to_string(keys->record.generation) + "); restore it (other nodes verify with it)",
                Location::in_file(pub_path.string()));
  auto pub = read_public_file(pub_path);
  if (!pub) return fail(pub.error());
  if (*pub != keys->record)
    return fail(Errc::invalid_argument, "does not match " + key_path.string() + " (a different key of the same generation)",
                Location::in_file(pub_path.string()));
  if (require_current) {
    auto gens = public_generations(dir, node);
    if (!gens) return fail(gens.error());
    if (!gens->empty() && gens->back() > keys->record.generation)
      return fail(Errc::invalid_argument,
                  "is newer than " + key_path.string() + " (generation " + std::to_string(keys->record.generation) +
                      "): the key was rotated in another copy of the directory, or a rotation was interrupted; run "
                      "`jrads keys rotate` to make a new generation",
                  Location::in_file(public_key_path(dir, node, gens->back()).string()));
  }
  return keys;
}

}  // namespace

// ---------------------------------------------------------------- ids and times

Result<void> check_node_id(std::string_view node) {
  const bool ok = !node.empty() && node.size() <= 32 && std::all_of(node.begin(), node.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
  if (!ok) return fail(Errc::invalid_argument, "not a node id ([A-Z0-9-]{1,32})");
  return {};
}

Result<void> check_party_id(std::string_view party) {
  if (!is_party_id(party)) return fail(Errc::invalid_argument, "not a party id ([A-Z0-9]{2,8}, not ALLIANCE or NONE)");
  return {};
}

std::string format_utc(std::int64_t unix_s) {
  if (unix_s < 0 || unix_s > kMaxUnixS) return "unix time " + std::to_string(unix_s);
  using namespace std::chrono;
  const sys_seconds t{seconds{unix_s}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02lld:%02lld:%02lldZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<long long>(hms.hours().count()), static_cast<long long>(hms.minutes().count()),
                static_cast<long long>(hms.seconds().count()));
  return buf;
}

Result<std::int64_t> parse_utc(std::string_view t) {
  static constexpr std::string_view kShape = "YYYY-MM-DDTHH:MM:SSZ";
  const auto bad = [] {
    return fail(Errc::parse_error, "expected a UTC time YYYY-MM-DDTHH:MM:SSZ, e.g. 2026-12-01T18:00:00Z");
  };
  if (t.size() != kShape.size()) return bad();
  for (std::size_t i = 0; i < t.size(); ++i) {
    const char s = kShape[i];
    const bool digit = t[i] >= '0' && t[i] <= '9';
    if ((s >= 'A' && s <= 'Z' && s != 'T' && s != 'Z') ? !digit : t[i] != s) return bad();
  }
  const auto num = [&t](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  const int y = num(0, 4), mo = num(5, 2), d = num(8, 2), h = num(11, 2), mi = num(14, 2), s = num(17, 2);
  if (y < 1970) return fail(Errc::invalid_argument, "a time before 1970");
  if (mo < 1 || mo > 12) return fail(Errc::invalid_argument, "month " + std::to_string(mo) + " does not exist");
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return fail(Errc::invalid_argument, "day " + std::to_string(d) + " does not exist in that month");
  if (h > 23 || mi > 59 || s > 59) return fail(Errc::invalid_argument, "no such time of day (00:00:00 to 23:59:59)");
  return sys_days{ymd}.time_since_epoch().count() * std::int64_t{86400} + h * 3600 + mi * 60 + s;
}

// ---------------------------------------------------------------- records and keys

Result<void> check_record(const PublicKeyRecord& r) {
  const auto bad = [](const std::string& what) { return fail(Errc::invalid_argument, "public key record: " + what); };
  if (auto ok = check_node_id(r.node); !ok) return bad("node: " + ok.error().message);
  if (auto ok = check_party_id(r.party); !ok) return bad("party: " + ok.error().message);
  if (r.generation < 1 || r.generation > kMaxGeneration) return bad("generation out of range 1..1000000");
  if (key_id(r.sign_public) != r.id) return bad("id " + r.id.hex() + " is not the id of its signing key");
  if (r.created_unix_s < 0 || r.created_unix_s > kMaxUnixS) return bad("created out of range");
  if (r.expires_unix_s <= r.created_unix_s || r.expires_unix_s > kMaxUnixS) return bad("expires not after created, or out of range");
  if (r.expires_unix_s - r.created_unix_s > kMaxKeyValidS) return bad("valid for more than 50 years");
  if (!verify(r.sign_public, record_message(r), r.self_signature))
    return bad("the self-signature does not verify: the record was changed after it was signed");
  return {};
}

Result<NodeKeys> generate_node_keys(const std::string& node, const std::string& party, int generation,
                                    std::int64_t created_unix_s, std::int64_t valid_s,
                                    const std::optional<KeySeed>& seed) {
  if (auto ok = check_node_id(node); !ok) return fail(Errc::invalid_argument, "node '" + node + "': " + ok.error().message);
  if (auto ok = check_party_id(party); !ok) return fail(Errc::invalid_argument, "party '" + party + "': " + ok.error().message);
  if (generation < 1 || generation > kMaxGeneration)
    return fail(Errc::invalid_argument, "generation " + std::to_string(generation) + " out of range 1..1000000");
  if (created_unix_s < 0 || created_unix_s > kMaxUnixS)
    return fail(Errc::invalid_argument, "creation time out of range (1970..9999)");
  if (valid_s < 1 || valid_s > kMaxKeyValidS)
    return fail(Errc::invalid_argument, "validity of " + std::to_string(valid_s) + " s out of range 1 s..50 years");
  if (created_unix_s > kMaxUnixS - valid_s) return fail(Errc::invalid_argument, "the key would expire after the year 9999");

  std::optional<SigningKey> signing;
  std::optional<AgreementKey> agreement;
  if (seed) {
    const Secret<32> sign_seed = derive_seed("JRADS-NODE-SIGN-1", node, generation, *seed);
    const Secret<32> agree_seed = derive_seed("JRADS-NODE-AGREE-1", node, generation, *seed);
    signing.emplace(SigningKey::from_seed(sign_seed.bytes()));
    agreement.emplace(AgreementKey::from_seed(agree_seed.bytes()));
  } else {
    signing.emplace(SigningKey::generate());
    agreement.emplace(AgreementKey::generate());
  }
  PublicKeyRecord r;
  r.node = node;
  r.party = party;
  r.generation = generation;
  r.sign_public = signing->public_key();
  r.id = key_id(r.sign_public);
  r.agree_public = agreement->public_key();
  r.created_unix_s = created_unix_s;
  r.expires_unix_s = created_unix_s + valid_s;
  r.self_signature = signing->sign(record_message(r));
  return NodeKeys{std::move(r), std::move(*signing), std::move(*agreement)};
}

// ---------------------------------------------------------------- revocations

Result<void> check_reason(std::string_view reason) {
  if (reason.empty()) return fail(Errc::invalid_argument, "reason: empty (say why the key is revoked)");
  if (reason.size() > kMaxReasonChars)
    return fail(Errc::invalid_argument, "reason: " + std::to_string(reason.size()) + " characters, at most 200");
  if (!std::all_of(reason.begin(), reason.end(), printable))
    return fail(Errc::invalid_argument, "reason: only printable ASCII characters, no newline");
  if (reason.front() == ' ' || reason.back() == ' ')
    return fail(Errc::invalid_argument, "reason: no leading or trailing space");
  return {};
}

Result<Revocation> make_revocation(const PublicKeyRecord& revoked, const std::string& reason,
                                   std::int64_t revoked_unix_s, const NodeKeys& signer) {
  if (auto ok = check_reason(reason); !ok) return fail(ok.error());
  if (revoked_unix_s < 0 || revoked_unix_s > kMaxUnixS)
    return fail(Errc::invalid_argument, "revocation time out of range (1970..9999)");
  if (signer.record.node != revoked.node)
    return fail(Errc::invalid_argument, "a key of node " + signer.record.node + " cannot revoke " + key_phrase(revoked));
  if (signer.record.generation < revoked.generation)
    return fail(Errc::invalid_argument, "generation " + std::to_string(signer.record.generation) + " cannot revoke " +
                                            key_phrase(revoked) + ": only the key itself or a later generation may");
  Revocation r;
  r.id = revoked.id;
  r.node = revoked.node;
  r.generation = revoked.generation;
  r.revoked_unix_s = revoked_unix_s;
  r.reason = reason;
  r.signer = signer.record.id;
  r.signature = signer.signing.sign(revocation_message(r));
  return r;
}

// ---------------------------------------------------------------- the keyring

const char* to_string(KeyStatus s) noexcept {
  switch (s) {
    case KeyStatus::valid: return "valid";
    case KeyStatus::not_yet_valid: return "not yet valid";
    case KeyStatus::expired: return "expired";
    case KeyStatus::superseded: return "superseded";
    case KeyStatus::revoked: return "revoked";
  }
  return "?";
}

Result<Keyring> Keyring::load(const fs::path& dir) {
  if (auto ok = check_key_dir(dir); !ok) return fail(ok.error());
  std::error_code ec;
  std::vector<std::string> names;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".pub") == 0 && name.front() != '.') names.push_back(std::move(name));
  }
  if (ec) return fail(Errc::io_error, "cannot list the directory: " + ec.message(), Location::in_file(dir.string()));
  std::sort(names.begin(), names.end());

  Keyring ring;
  for (const std::string& name : names) {
    const fs::path path = dir / name;
    const auto parsed = parse_public_name(name);
    if (!parsed)
      return fail(Errc::invalid_argument, "not named <node>.<generation>.pub", Location::in_file(path.string()));
    auto record = read_public_file(path);
    if (!record) return fail(record.error());
    if (record->node != parsed->first || record->generation != parsed->second)
      return fail(Errc::invalid_argument,
                  "holds node " + record->node + " generation " + std::to_string(record->generation) +
                      ", so it must be named " + public_key_path(dir, record->node, record->generation).filename().string(),
                  Location::in_file(path.string()));
    if (auto ok = ring.add(std::move(*record)); !ok) return in_file(ok.error(), path.string());
  }

  const fs::path list_path = revocation_list_path(dir);
  auto list_exists = exists_no_follow(list_path);
  if (!list_exists) return fail(list_exists.error());
  if (*list_exists) {
    auto text = read_file_checked(list_path, FileRead{kMaxRevocationListBytes, false, false});
    if (!text) return fail(text.error());
    std::vector<int> lines;
    auto list = decode_revocation_list(*text, list_path.string(), &lines);
    if (!list) return fail(list.error());
    for (std::size_t k = 0; k < list->size(); ++k) {
      if (auto ok = ring.add(std::move((*list)[k])); !ok) return in_file(ok.error(), list_path.string(), lines[k]);
    }
  }
  return ring;
}

Result<void> Keyring::add(PublicKeyRecord record) {
  if (auto ok = check_record(record); !ok) return ok;
  if (const PublicKeyRecord* known = find(record.id)) {
    if (*known == record) return {};
    return fail(Errc::duplicate_id, "key " + record.id.hex() + " is already in the keyring with different content (" +
                                        key_phrase(*known) + ")");
  }
  if (const PublicKeyRecord* same = find(record.node, record.generation))
    return fail(Errc::duplicate_id, "node " + record.node + " already has a key of generation " +
                                        std::to_string(record.generation) + " (key " + same->id.hex() + ")");
  for (const PublicKeyRecord& r : records_) {
    if (r.node == record.node && r.party != record.party)
      return fail(Errc::invalid_argument, "node " + record.node + " is of party " + r.party + " (generation " +
                                              std::to_string(r.generation) + "), not " + record.party);
  }
  const auto at = std::lower_bound(records_.begin(), records_.end(), record, [](const PublicKeyRecord& a, const PublicKeyRecord& b) {
    return std::tie(a.node, a.generation) < std::tie(b.node, b.generation);
  });
  records_.insert(at, std::move(record));
  by_id_.clear();
  for (std::size_t k = 0; k < records_.size(); ++k) by_id_.emplace(records_[k].id, k);
  return {};
}

Result<void> Keyring::add(Revocation rev) {
  const std::string what = "revocation of key " + rev.id.hex();
  if (auto ok = check_node_id(rev.node); !ok) return fail(Errc::invalid_argument, what + ": node: " + ok.error().message);
  if (auto ok = check_reason(rev.reason); !ok) return fail(Errc::invalid_argument, what + ": " + ok.error().message);
  if (rev.revoked_unix_s < 0 || rev.revoked_unix_s > kMaxUnixS)
    return fail(Errc::invalid_argument, what + ": time out of range");
  const PublicKeyRecord* revoked = find(rev.id);
  if (revoked == nullptr) return fail(Errc::dangling_ref, what + ": the key is not in the keyring");
  if (revoked->node != rev.node || revoked->generation != rev.generation)
    return fail(Errc::invalid_argument, what + " names node " + rev.node + " generation " + std::to_string(rev.generation) +
                                            ", but it is the " + key_phrase(*revoked));
  const PublicKeyRecord* signer = find(rev.signer);
  if (signer == nullptr)
    return fail(Errc::dangling_ref, what + " is signed by key " + rev.signer.hex() + ", which is not in the keyring");
  if (signer->node != rev.node)
    return fail(Errc::invalid_argument, what + " (node " + rev.node + ") is signed by " + key_phrase(*signer) +
                                            ": only a key of the same node may revoke it");
  if (signer->generation < revoked->generation)
    return fail(Errc::invalid_argument, what + " (generation " + std::to_string(revoked->generation) +
                                            ") is signed by generation " + std::to_string(signer->generation) +
                                            ": only the key itself or a later generation may revoke it");
  if (!verify(signer->sign_public, revocation_message(rev), rev.signature))
    return fail(Errc::invalid_argument, what + ": the signature does not verify (forged or changed)");
  if (const Revocation* known = revocation(rev.id)) {
    if (*known == rev) return {};
    return fail(Errc::duplicate_id, "key " + rev.id.hex() + " is already revoked (at " +
                                        format_utc(known->revoked_unix_s) + ": " + known->reason + ")");
  }
  revoked_by_id_.emplace(rev.id, revocations_.size());
  revocations_.push_back(std::move(rev));
  return {};
}

const PublicKeyRecord* Keyring::find(const KeyId& id) const noexcept {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &records_[it->second];
}

const PublicKeyRecord* Keyring::find(std::string_view node, int generation) const noexcept {
  for (const PublicKeyRecord& r : records_)
    if (r.node == node && r.generation == generation) return &r;
  return nullptr;
}

const PublicKeyRecord* Keyring::current(std::string_view node) const noexcept {
  const PublicKeyRecord* best = nullptr;
  for (const PublicKeyRecord& r : records_)
    if (r.node == node && (best == nullptr || r.generation > best->generation)) best = &r;
  return best;
}

const Revocation* Keyring::revocation(const KeyId& id) const noexcept {
  const auto it = revoked_by_id_.find(id);
  return it == revoked_by_id_.end() ? nullptr : &revocations_[it->second];
}

KeyStatus Keyring::status(const PublicKeyRecord& record, std::int64_t at_unix_s) const noexcept {
  if (revocation(record.id) != nullptr) return KeyStatus::revoked;
  if (at_unix_s >= record.expires_unix_s) return KeyStatus::expired;
  const PublicKeyRecord* cur = current(record.node);
  if (cur != nullptr && cur->generation > record.generation) return KeyStatus::superseded;
  if (at_unix_s < record.created_unix_s) return KeyStatus::not_yet_valid;
  return KeyStatus::valid;
}

Result<const PublicKeyRecord*> Keyring::usable(const KeyId& id, std::int64_t at_unix_s) const {
  const PublicKeyRecord* r = find(id);
  if (r == nullptr) return fail(Errc::dangling_ref, "key " + id.hex() + " is not in the keyring");
  if (const Revocation* rev = revocation(id))
    return fail(Errc::invalid_argument,
                key_phrase(*r) + " was revoked at " + format_utc(rev->revoked_unix_s) + ": " + rev->reason);
  if (at_unix_s >= r->expires_unix_s)
    return fail(Errc::invalid_argument, key_phrase(*r) + " expired at " + format_utc(r->expires_unix_s));
  if (at_unix_s < r->created_unix_s)
    return fail(Errc::invalid_argument, key_phrase(*r) + " is not valid before " + format_utc(r->created_unix_s));
  return r;
}

// ---------------------------------------------------------------- file contents

std::string encode_public_key_file(const PublicKeyRecord& record) {
  return std::string(kPublicKeyMagic) + "\n" + record_lines(record);
}

Result<PublicKeyRecord> decode_public_key_file(std::string_view text, const std::string& file_name) {
  Fields f(text, file_name);
  if (auto ok = f.start(kPublicKeyMagic, kMaxKeyFileBytes); !ok) return fail(ok.error());
  auto record = read_record(f, kPublicKeyKeys);
  if (!record) return record;
  if (auto ok = f.finish(); !ok) return fail(ok.error());
  return record;
}

std::string encode_node_key_file(const NodeKeys& keys) {
  // Reserved up front so that no reallocation leaves a copy of the secret behind; the hex
  // temporaries are wiped.
  std::string s;
  s.reserve(1024);
  s += kNodeKeyMagic;
  s += '\n';
  s += record_lines(keys.record);
  std::string seed = to_hex(keys.signing.seed().bytes()), secret = to_hex(keys.agreement.secret().bytes());
  WipeOnExit wipe_seed{seed}, wipe_secret{secret};
  s += "sign-seed ";
  s += seed;
  s += "\nagree-secret ";
  s += secret;
  s += '\n';
  return s;
}

Result<NodeKeys> decode_node_key_file(std::string_view text, const std::string& file_name) {
  Fields f(text, file_name);
  if (auto ok = f.start(kNodeKeyMagic, kMaxKeyFileBytes); !ok) return fail(ok.error());
  auto record = read_record(f, kNodeKeyKeys);
  if (!record) return fail(record.error());
  auto sign_seed = field<Bytes>(f, "sign-seed", kNodeKeyKeys, hex_value<32>);
  if (!sign_seed) return fail(sign_seed.error());
  SigningKey signing = SigningKey::from_seed(std::span<const std::uint8_t, 32>(sign_seed->data(), 32));
  wipe(*sign_seed);
  if (signing.public_key() != record->sign_public)
    return f.error(f.line(), Errc::invalid_argument, "sign-seed: does not give sign-public (the file was changed or damaged)");
  auto agree_secret = field<Bytes>(f, "agree-secret", kNodeKeyKeys, hex_value<32>);
  if (!agree_secret) return fail(agree_secret.error());
  AgreementKey agreement = AgreementKey::from_seed(std::span<const std::uint8_t, 32>(agree_secret->data(), 32));
  wipe(*agree_secret);
  if (agreement.public_key() != record->agree_public)
    return f.error(f.line(), Errc::invalid_argument,
                   "agree-secret: does not give agree-public (the file was changed or damaged)");
  if (auto ok = f.finish(); !ok) return fail(ok.error());
  return NodeKeys{std::move(*record), std::move(signing), std::move(agreement)};
}

std::string encode_revocation_list(const std::vector<Revocation>& revocations) {
  std::string s = std::string(kRevocationsMagic) + "\n";
  for (std::size_t k = 0; k < revocations.size(); ++k) {
    const Revocation& r = revocations[k];
    s += "revocation " + std::to_string(k + 1) + "\n";
    s += "id " + r.id.hex() + "\n";
    s += "node " + r.node + "\n";
    s += "generation " + std::to_string(r.generation) + "\n";
    s += "revoked " + format_utc(r.revoked_unix_s) + "\n";
    s += "reason " + r.reason + "\n";
    s += "signer " + r.signer.hex() + "\n";
    s += "signature " + to_hex(r.signature.bytes) + "\n";
  }
  return s;
}

Result<std::vector<Revocation>> decode_revocation_list(std::string_view text, const std::string& file_name,
                                                       std::vector<int>* lines) {
  Fields f(text, file_name);
  if (auto ok = f.start(kRevocationsMagic, kMaxRevocationListBytes); !ok) return fail(ok.error());
  std::vector<Revocation> out;
  if (lines != nullptr) lines->clear();
  while (!f.at_end()) {
    f.begin_block("revocation");
    const std::int64_t number = static_cast<std::int64_t>(out.size()) + 1;
    auto n = field<std::int64_t>(f, "revocation", kRevocationKeys,
                                 [](std::string_view v) { return parse_int(v, 1, 1'000'000'000); });
    if (!n) return fail(n.error());
    if (*n != number)
      return f.error(f.line(), Errc::parse_error,
                     "revocation: numbered " + std::to_string(*n) + ", expected " + std::to_string(number));
    if (lines != nullptr) lines->push_back(f.line());
    Revocation r;
    auto id = field<Bytes>(f, "id", kRevocationKeys, hex_value<8>);
    if (!id) return fail(id.error());
    copy_to(r.id.bytes, *id);
    auto node = field<std::string>(f, "node", kRevocationKeys, node_value);
    if (!node) return fail(node.error());
    r.node = std::move(*node);
    auto generation = field<int>(f, "generation", kRevocationKeys, generation_value);
    if (!generation) return fail(generation.error());
    r.generation = *generation;
    auto revoked = field<std::int64_t>(f, "revoked", kRevocationKeys, parse_utc);
    if (!revoked) return fail(revoked.error());
    r.revoked_unix_s = *revoked;
    // The reason is free text: it may contain spaces (check_reason refuses leading/trailing).
    auto reason = field<std::string>(f, "reason", kRevocationKeys, [](std::string_view v) -> Result<std::string> {
      if (auto ok = check_reason(v); !ok) return fail(ok.error());
      return std::string(v);
    });
    if (!reason) return fail(reason.error());
    r.reason = std::move(*reason);
    auto signer = field<Bytes>(f, "signer", kRevocationKeys, hex_value<8>);
    if (!signer) return fail(signer.error());
    copy_to(r.signer.bytes, *signer);
    auto sig = field<Bytes>(f, "signature", kRevocationKeys, hex_value<64>);
    if (!sig) return fail(sig.error());
    copy_to(r.signature.bytes, *sig);
    out.push_back(std::move(r));
  }
  return out;
}

// ---------------------------------------------------------------- files in the key directory

fs::path node_key_path(const fs::path& dir, std::string_view node) { return dir / (std::string(node) + ".key"); }

fs::path public_key_path(const fs::path& dir, std::string_view node, int generation) {
  return dir / (std::string(node) + "." + std::to_string(generation) + ".pub");
}

fs::path revocation_list_path(const fs::path& dir) { return dir / "revoked.list"; }

Result<std::string> read_file_checked(const fs::path& path, const FileRead& how) {
  const Location where = Location::in_file(path.string());
  int flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;  // O_NONBLOCK: a FIFO must not hang us
  if (!how.follow_symlinks) flags |= O_NOFOLLOW;
  Fd fd{::open(path.c_str(), flags)};
  if (fd.fd < 0) {
    const int e = errno;
    struct stat st {};
    if (!how.follow_symlinks && ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode))
      return fail(Errc::io_error, "is a symbolic link; this file must be a regular file (replace the link by a copy)", where);
    if (e == ENOENT) return fail(Errc::io_error, "does not exist", where);
    return fail(Errc::io_error, "cannot open: " + errno_text(e), where);
  }
  struct stat st {};
  if (::fstat(fd.fd, &st) != 0) return fail(Errc::io_error, "cannot stat: " + errno_text(errno), where);
  if (!S_ISREG(st.st_mode)) {
    const char* kind = S_ISDIR(st.st_mode) ? "a directory" : S_ISFIFO(st.st_mode) ? "a FIFO" : S_ISSOCK(st.st_mode) ? "a socket"
                       : (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) ? "a device" : "not a regular file";
    return fail(Errc::io_error, std::string("is ") + kind + ", not a regular file", where);
  }
  if (how.secret) {
    if (st.st_uid != ::geteuid())
      return fail(Errc::io_error, "is owned by uid " + std::to_string(st.st_uid) + ", not by this user (uid " +
                                      std::to_string(::geteuid()) + "); a secret key file must be its user's own",
                  where);
    if ((st.st_mode & 077) != 0) {
      const char* who = (st.st_mode & 044) != 0 ? "group/other may read it"
                        : (st.st_mode & 022) != 0 ? "group/other may change it"
                                                  : "group/other have permission bits";
      return fail(Errc::io_error, "permissions " + mode_text(st.st_mode) + " are too open (" + who + "); chmod 600 " +
                                      path.string(),
                  where);
    }
  }
  if (static_cast<std::uint64_t>(st.st_size) > how.max_bytes)
    return fail(Errc::invalid_argument, "is " + std::to_string(st.st_size) + " bytes, larger than the limit of " +
                                            std::to_string(how.max_bytes) + " bytes for this kind of file",
                where);
  // One byte more than expected, to see the end of the file (or that it grew past the cap).
  std::string out(std::min(static_cast<std::size_t>(st.st_size), how.max_bytes) + 1, '\0');
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (out.size() > how.max_bytes) break;
      out.resize(std::min(out.size() * 2, how.max_bytes + 1));
    }
    const ssize_t n = ::read(fd.fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int e = errno;
      if (how.secret) wipe({reinterpret_cast<std::uint8_t*>(out.data()), out.size()});
      return fail(Errc::io_error, "cannot read: " + errno_text(e), where);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > how.max_bytes) {
    if (how.secret) wipe({reinterpret_cast<std::uint8_t*>(out.data()), out.size()});
    return fail(Errc::invalid_argument, "is larger than the limit of " + std::to_string(how.max_bytes) + " bytes", where);
  }
  out.resize(got);
  return out;
}

Result<void> write_file_atomically(const fs::path& path, ByteView data, unsigned mode, bool replace) {
  const Location where = Location::in_file(path.string());
  const fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::array<std::uint8_t, 8> tag{};
  random_bytes(tag);
  const fs::path tmp = dir / ("." + path.filename().string() + ".tmp-" + to_hex(tag));
  const auto give_up = [&](Errc code, const std::string& what) {
    ::unlink(tmp.c_str());
    return fail(code, what, where);
  };
  {
    Fd fd{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600)};
    if (fd.fd < 0) return fail(Errc::io_error, "cannot create a temporary file in " + dir.string() + ": " + errno_text(errno), where);
    // The file was created at most 0600 (less under a strict umask); set the mode exactly before
    // any byte is written.
    if (::fchmod(fd.fd, static_cast<mode_t>(mode)) != 0) return give_up(Errc::io_error, "cannot set permissions: " + errno_text(errno));
    std::size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd.fd, data.data() + done, data.size() - done);
      if (n < 0) {
        if (errno == EINTR) continue;
        return give_up(Errc::io_error, "cannot write: " + errno_text(errno));
      }
      done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd.fd) != 0) return give_up(Errc::io_error, "cannot fsync: " + errno_text(errno));
    const int fd_value = fd.fd;
    fd.fd = -1;
    if (::close(fd_value) != 0) return give_up(Errc::io_error, "cannot close: " + errno_text(errno));
  }
  if (replace) {
    if (::rename(tmp.c_str(), path.c_str()) != 0) return give_up(Errc::io_error, "cannot rename into place: " + errno_text(errno));
  } else {
    // link() fails when path exists: no window in which an existing file could be replaced.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      const int e = errno;
      if (e == EEXIST) return give_up(Errc::duplicate_id, "already exists (it is never overwritten)");
      if (e != EPERM && e != ENOTSUP && e != ENOSYS)
        return give_up(Errc::io_error, "cannot link into place: " + errno_text(e));
      // A file system without hard links: renameat2's RENAME_NOREPLACE is just as atomic.
      if (::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, path.c_str(), RENAME_NOREPLACE) != 0) {
        const int e2 = errno;
        return give_up(e2 == EEXIST ? Errc::duplicate_id : Errc::io_error,
                       e2 == EEXIST ? "already exists (it is never overwritten)" : "cannot rename into place: " + errno_text(e2));
      }
    } else {
      ::unlink(tmp.c_str());
    }
  }
  // Make the new directory entry durable; the file is in place whatever this says.
  Fd dfd{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dfd.fd >= 0) (void)::fsync(dfd.fd);
  return {};
}

Result<void> check_key_dir(const fs::path& dir) {
  const Location where = Location::in_file(dir.string());
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) {
    const int e = errno;
    return fail(Errc::io_error, e == ENOENT ? std::string("the key directory does not exist") : "cannot stat the key directory: " + errno_text(e), where);
  }
  if (!S_ISDIR(st.st_mode)) return fail(Errc::io_error, "is not a directory", where);
  if ((st.st_mode & 022) != 0)
    return fail(Errc::io_error, "directory permissions " + mode_text(st.st_mode) +
                                    " let group/other add or replace key files; chmod 700 " + dir.string(),
                where);
  return {};
}

Result<void> ensure_key_dir(const fs::path& dir) {
  fs::path prefix;
  for (const fs::path& part : dir) {
    prefix /= part;
    struct stat st {};
    if (::stat(prefix.c_str(), &st) == 0) continue;
    if (::mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST)
      return fail(Errc::io_error, "cannot create the directory: " + errno_text(errno), Location::in_file(prefix.string()));
  }
  return check_key_dir(dir);
}

// ---------------------------------------------------------------- life cycle

Result<NodeKeys> init_node(const fs::path& dir, const std::string& node, const std::string& party,
                           std::int64_t now_unix_s, std::int64_t valid_s, const std::optional<KeySeed>& seed) {
  if (auto ok = check_node_id(node); !ok) return fail(Errc::invalid_argument, "node '" + node + "': " + ok.error().message);
  if (auto ok = check_party_id(party); !ok) return fail(Errc::invalid_argument, "party '" + party + "': " + ok.error().message);
  if (auto ok = ensure_key_dir(dir); !ok) return fail(ok.error());
  const fs::path key_path = node_key_path(dir, node);
  auto key_exists = exists_no_follow(key_path);
  if (!key_exists) return fail(key_exists.error());
  if (*key_exists)
    return fail(Errc::duplicate_id, "already exists: node " + node + " has keys (rotate makes a new generation)",
                Location::in_file(key_path.string()));
  auto gens = public_generations(dir, node);
  if (!gens) return fail(gens.error());
  int generation = 1;
  if (!gens->empty()) {
    const fs::path last = public_key_path(dir, node, gens->back());
    auto previous = read_public_file(last);
    if (!previous) return fail(previous.error());
    if (previous->party != party)
      return fail(Errc::invalid_argument, "node " + node + " is of party " + previous->party + ", not " + party,
                  Location::in_file(last.string()));
    generation = gens->back() + 1;
  }
  auto keys = generate_node_keys(node, party, generation, now_unix_s, valid_s, seed);
  if (!keys) return keys;
  const fs::path pub_path = public_key_path(dir, node, generation);
  if (auto ok = write_text(pub_path, encode_public_key_file(keys->record), 0644, false); !ok) return fail(ok.error());
  std::string secret = encode_node_key_file(*keys);
  WipeOnExit wipe_secret{secret};
  if (auto ok = write_text(key_path, secret, 0600, false); !ok) {
    ::unlink(pub_path.c_str());
    return fail(ok.error());
  }
  return keys;
}

Result<NodeKeys> load_node(const fs::path& dir, const std::string& node) { return load_node_impl(dir, node, true); }

Result<NodeKeys> rotate_node(const fs::path& dir, const std::string& node, std::int64_t now_unix_s, std::int64_t valid_s) {
  auto old = load_node_impl(dir, node, false);
  if (!old) return old;
  auto gens = public_generations(dir, node);
  if (!gens) return fail(gens.error());
  const int generation = std::max(gens->empty() ? 0 : gens->back(), old->record.generation) + 1;
  auto keys = generate_node_keys(node, old->record.party, generation, now_unix_s, valid_s, std::nullopt);
  if (!keys) return keys;
  const fs::path pub_path = public_key_path(dir, node, generation);
  if (auto ok = write_text(pub_path, encode_public_key_file(keys->record), 0644, false); !ok) return fail(ok.error());
  std::string secret = encode_node_key_file(*keys);
  WipeOnExit wipe_secret{secret};
  if (auto ok = write_text(node_key_path(dir, node), secret, 0600, true); !ok) {
    ::unlink(pub_path.c_str());
    return fail(ok.error());
  }
  return keys;
}

Result<Revocation> revoke_key(const fs::path& dir, const std::string& node, int generation, const std::string& reason,
                              std::int64_t now_unix_s) {
  if (auto ok = check_reason(reason); !ok) return fail(ok.error());
  auto signer = load_node(dir, node);
  if (!signer) return fail(signer.error());
  auto ring = Keyring::load(dir);
  if (!ring) return fail(ring.error());
  const PublicKeyRecord* target = ring->find(node, generation);
  if (target == nullptr)
    return fail(Errc::dangling_ref, "node " + node + " has no key of generation " + std::to_string(generation) + " (no " +
                                        public_key_path(dir, node, generation).string() + ")");
  if (const Revocation* known = ring->revocation(target->id))
    return fail(Errc::duplicate_id, key_phrase(*target) + " is already revoked (at " + format_utc(known->revoked_unix_s) +
                                        ": " + known->reason + ")");
  auto rev = make_revocation(*target, reason, now_unix_s, *signer);
  if (!rev) return rev;
  if (auto ok = ring->add(*rev); !ok) return fail(ok.error());
  if (auto ok = write_text(revocation_list_path(dir), encode_revocation_list(ring->revocations()), 0644, true); !ok)
    return fail(ok.error());
  return rev;
}

Result<void> check_usable_for_signing(const NodeKeys& keys, const Keyring& keyring, std::int64_t now_unix_s) {
  const PublicKeyRecord* known = keyring.find(keys.record.id);
  if (known == nullptr)
    return fail(Errc::dangling_ref, "own " + key_phrase(keys.record) + " is not in the keyring (its .pub is missing)");
  if (*known != keys.record)
    return fail(Errc::invalid_argument, "own " + key_phrase(keys.record) + " differs from the keyring's record");
  if (auto ok = keyring.usable(keys.record.id, now_unix_s); !ok) return fail(ok.error());
  const PublicKeyRecord* cur = keyring.current(keys.record.node);
  if (cur != nullptr && cur->generation > keys.record.generation)
    return fail(Errc::invalid_argument, key_phrase(keys.record) + " is superseded by generation " +
                                            std::to_string(cur->generation) + ": load the current key");
  return {};
}

// ---------------------------------------------------------------- labelled signatures

Binding sign_labelled(const Label& label, ByteView payload, const NodeKeys& keys) {
  JRADS_ASSERT(validate(label).has_value());
  return Binding{keys.record.id, keys.signing.sign(binding_message(label, payload))};
}

Result<void> verify_labelled(const Label& label, ByteView payload, const Binding& binding, const Keyring& keyring,
                             std::int64_t at_unix_s) {
  if (auto ok = validate(label); !ok) return fail(ok.error());
  auto record = keyring.usable(binding.key, at_unix_s);
  if (!record) return fail(record.error());
  if (!verify((*record)->sign_public, binding_message(label, payload), binding.signature))
    return fail(Errc::invalid_argument, "the signature of " + key_phrase(**record) +
                                            " does not match this label and payload (the label, the payload or the "
                                            "signature was changed)");
  return {};
}

// ---------------------------------------------------------------- generic single-record files

Result<std::vector<std::string_view>> parse_key_value_lines(std::string_view text, const std::string& file_name,
                                                            std::string_view magic,
                                                            std::span<const std::string_view> keys,
                                                            std::size_t max_bytes) {
  Fields f(text, file_name);
  if (auto ok = f.start(magic, max_bytes); !ok) return fail(ok.error());
  std::vector<std::string_view> values;
  values.reserve(keys.size());
  for (const std::string_view key : keys) {
    auto v = f.expect(key, keys);
    if (!v) return fail(v.error());
    values.push_back(*v);
  }
  if (auto ok = f.finish(); !ok) return fail(ok.error());
  return values;
}

}  // namespace jrads::security
