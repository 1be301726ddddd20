#!/usr/bin/env bash
# Installs the Debian 12 packages JRADS needs, skipping those already present.
# Uses apt-get directly as root, sudo otherwise. Nothing is downloaded from anywhere else.
set -euo pipefail

packages=(
  # toolchain
  g++ make cmake ninja-build pkg-config clang-14 libclang-rt-14-dev
  # libraries
  libgeographiclib-dev libeigen3-dev libgdal-dev libyaml-cpp-dev nlohmann-json3-dev
  libcli11-dev libspdlog-dev libfmt-dev libsodium-dev
  # federation (idlc compiles the topics at build time)
  cyclonedds-dev cyclonedds-tools
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
