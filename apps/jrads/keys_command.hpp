#pragma once
// `jrads keys`: a node's keys in a key directory (docs/SECURITY.md "Keys").
//   jrads keys init      --dir D --node N --party P [--valid-days 365]
//   jrads keys show      --dir D [--node N]
//   jrads keys rotate    --dir D --node N [--valid-days 365]
//   jrads keys revoke    --dir D --node N --generation G --reason TEXT
//   jrads keys init-data --dir D --party P
// Errors go to stderr; the exit code is 1 for a failure, 2 for a bad argument value. The
// command reads the wall clock (the only place that does); the key logic takes it as `now`.
#include <CLI/CLI.hpp>

namespace jrads::app {

// Adds the `keys` subcommand and its subcommands to the program. They run as CLI11 callbacks
// during app.parse(): success returns normally; a failure throws CLI::RuntimeError(exit code),
// which CLI11_PARSE turns into that exit code without printing anything more.
void add_keys_command(CLI::App& app);

}  // namespace jrads::app
