#pragma once
// A unique directory (mode 0700) under the system's temporary directory, removed afterwards:
// the key and sealed-file tests' scratch space.
#include <array>
#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

#include "jrads/security/crypto.hpp"

namespace jrads::security::test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix) {
    std::array<std::uint8_t, 8> tag{};
    random_bytes(tag);
    path_ = std::filesystem::temp_directory_path() / (prefix + to_hex(tag));
    std::filesystem::create_directory(path_);
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::replace);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace jrads::security::test
