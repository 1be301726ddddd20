#pragma once
// What the run tests share: a fresh output directory of the test build, and a whole file read.
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace jrads::run::test_files {

// BUILD/test-output/<name>, emptied.
inline std::filesystem::path fresh_dir(const std::string& name) {
  const std::filesystem::path d = std::filesystem::path(JRADS_BINARY_DIR) / "test-output" / name;
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  return d;
}

// The file's bytes; empty when it cannot be read.
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace jrads::run::test_files
