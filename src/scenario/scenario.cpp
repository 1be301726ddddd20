#include "jrads/scenario/scenario.hpp"

#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <new>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "schema_impl.hpp"
#include "yaml_reader_impl.hpp"

namespace jrads::scenario {
namespace {

using detail::Diagnostics;

void parse_into(Diagnostics& d, std::string_view text, std::string_view base_dir, ParseOutcome& out) {
  const std::optional<YAML::Node> root = detail::load_document(d, text, "scenario", max_scenario_bytes);
  if (!root) return;
  if (root->IsNull()) {
    d.report(Errc::missing_key, YAML::Mark::null_mark(), "",
             "the scenario is empty; expected a mapping with at least the keys name, duration_s, parties and "
             "agreement (docs/SCENARIO.md)");
    return;
  }
  Scenario s = detail::read_scenario(d, *root, std::string(base_dir));
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
