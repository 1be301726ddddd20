#include "jrads/scenario/scenario.hpp"

#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <sstream>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "schema_impl.hpp"
#include "yaml_reader_impl.hpp"

namespace jrads::scenario {
namespace {

using detail::Diagnostics;

// The 0-based line and column of a byte offset, as yaml-cpp counts them.
YAML::Mark mark_at(std::string_view text, std::size_t offset) {
  YAML::Mark m;
  m.pos = static_cast<int>(offset);
  m.line = 0;
  m.column = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++m.line;
      m.column = 0;
    } else {
      ++m.column;
    }
  }
  return m;
}

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos.
std::size_t first_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < s.size()) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > s.size()) return i;
    if (byte(i + 1) < lo || byte(i + 1) > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

// Byte-level checks yaml-cpp does not make: size, encoding, NUL bytes.
bool check_text(Diagnostics& d, std::string_view text) {
  if (text.size() > max_scenario_bytes) {
    d.report(Errc::unsupported, YAML::Mark::null_mark(), "",
             "the scenario is " + std::to_string(text.size()) + " bytes; at most " +
                 std::to_string(max_scenario_bytes) + " (16 MiB) are accepted");
    return false;
  }
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    d.report(Errc::parse_error, mark_at(text, bad), "",
             "byte " + std::to_string(bad) + " is not valid UTF-8; a scenario is UTF-8 text");
    return false;
  }
  if (const std::size_t nul = text.find('\0'); nul != std::string_view::npos) {
    d.report(Errc::parse_error, mark_at(text, nul), "", "NUL byte in the text; a scenario is UTF-8 text");
    return false;
  }
  return true;
}

// Sees only document starts: used to count the documents of the text.
class DocumentCounter final : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (count_++ == 1) second_ = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  [[nodiscard]] int count() const noexcept { return count_; }
  [[nodiscard]] const YAML::Mark& second() const noexcept { return second_; }

 private:
  int count_ = 0;
  YAML::Mark second_;
};

void parse_into(Diagnostics& d, std::string_view text, std::string_view base_dir, ParseOutcome& out) {
  if (!check_text(d, text)) return;
  const std::string owned(text);
  YAML::Node root;
  DocumentCounter counter;
  try {
    root = YAML::Load(owned);
    // yaml-cpp 0.7's LoadAll never returns on some malformed inputs (",t',t'"): it keeps
    // yielding empty documents. So the first document is loaded alone, and a second pass
    // counts documents, stopping at the second.
    std::istringstream in(owned);
    YAML::Parser parser(in);
    while (counter.count() < 2 && parser.HandleNextDocument(counter)) {
    }
  } catch (const YAML::Exception& e) {
    d.report(Errc::parse_error, e.mark, "", "YAML syntax error: " + e.msg);
    return;
  }
  if (counter.count() > 1) {
    d.report(Errc::parse_error, counter.second(), "",
             "the file holds more than one YAML document; a scenario is exactly one (remove the '---' separators)");
    return;
  }
  if (root.IsNull()) {
    d.report(Errc::missing_key, YAML::Mark::null_mark(), "",
             "the scenario is empty; expected a mapping with at least the keys name, duration_s, parties and "
             "agreement (docs/SCENARIO.md)");
    return;
  }
  Scenario s = detail::read_scenario(d, root, std::string(base_dir));
  if (d.clean()) out.scenario = std::move(s);
}

}  // namespace

ParseOutcome parse_scenario(std::string_view yaml_text, std::string_view file_name, std::string_view base_dir) {
  ParseOutcome out;
  Diagnostics d{std::string(file_name)};
  // Third-party and allocation failures end here: nothing crosses the module boundary.
  try {
    parse_into(d, yaml_text, base_dir, out);
  } catch (const YAML::Exception& e) {
    d.report(Errc::parse_error, e.mark, "", "YAML error: " + e.msg);
  } catch (const std::bad_alloc&) {
    d.report(Errc::unsupported, YAML::Mark::null_mark(), "", "out of memory while reading the scenario");
  } catch (const std::exception& e) {
    d.report(Errc::parse_error, YAML::Mark::null_mark(), "", std::string("cannot read the scenario: ") + e.what());
  } catch (...) {
    d.report(Errc::parse_error, YAML::Mark::null_mark(), "", "cannot read the scenario: unknown failure");
  }
  try {
    out.errors = std::move(d).take();
  } catch (...) {
    out.errors.clear();
    out.errors.push_back(make_error(Errc::unsupported, "out of memory while reporting errors"));
  }
  if (!out.errors.empty()) out.scenario.reset();
  return out;
}

ParseOutcome load_scenario(const std::string& path) {
  namespace fs = std::filesystem;
  const auto io_failure = [&](std::string message) {
    ParseOutcome out;
    Location where;
    where.file = path;
    out.errors.push_back(make_error(Errc::io_error, std::move(message), std::move(where)));
    return out;
  };
  try {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return io_failure("cannot read the scenario: no such file");
    if (fs::is_directory(st)) return io_failure("cannot read the scenario: it is a directory");
    const auto size = fs::file_size(path, ec);
    if (!ec && size > max_scenario_bytes) {
      return io_failure("the scenario is " + std::to_string(size) + " bytes; at most " +
                        std::to_string(max_scenario_bytes) + " (16 MiB) are accepted");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) return io_failure("cannot open the scenario for reading");
    std::string text;
    // Read at most one byte past the cap, so a file that grows or lies about its size is
    // still bounded.
    text.resize(max_scenario_bytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (in.bad()) return io_failure("error while reading the scenario");
    if (text.empty()) return io_failure("the scenario file is empty");
    return parse_scenario(text, path, fs::path(path).parent_path().string());
  } catch (const std::exception& e) {
    return io_failure(std::string("cannot read the scenario: ") + e.what());
  } catch (...) {
    return io_failure("cannot read the scenario");
  }
}

}  // namespace jrads::scenario
