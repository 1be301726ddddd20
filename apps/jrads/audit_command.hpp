#pragma once
// jrads audit verify|show|prove (the tamper-evident audit log; docs/SECURITY.md).
#include <CLI/CLI.hpp>

namespace jrads::app {

// Adds the `audit` subcommand and its three subcommands; each runs from its own callback and
// ends parsing with its exit code (CLI::RuntimeError).
void add_audit_command(CLI::App& app);

}  // namespace jrads::app
