#pragma once
// jrads audit verify|show|prove (the tamper-evident audit log; docs/SECURITY.md).
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

#include "jrads/core/result.hpp"
#include "jrads/security/audit.hpp"
#include "jrads/security/keys.hpp"

namespace jrads::app {

// Reads an audit log (at most 4 GiB; Errc::io_error naming the file) and verifies it with the
// keys of `keyring` as usable at `now_unix_s` (what jrads audit verify and jrads run do).
[[nodiscard]] Result<security::AuditReport> verify_audit_file(const std::string& path, const security::Keyring& keyring,
                                                              std::int64_t now_unix_s, bool allow_open = false);

// Adds the `audit` subcommand and its three subcommands; each runs from its own callback and
// ends parsing with its exit code (CLI::RuntimeError).
void add_audit_command(CLI::App& app);

}  // namespace jrads::app
