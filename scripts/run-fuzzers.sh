#!/usr/bin/env bash
# Runs every libFuzzer target built in BUILD_DIR for SECONDS each, starting from a scratch
# copy of its seed corpus in fuzz/<target>/corpus (the committed corpus is left untouched).
# Fails if a target crashes; the crashing input is kept in BUILD_DIR/fuzz-artifacts/.
set -euo pipefail
build_dir=${1:?usage: run-fuzzers.sh BUILD_DIR SECONDS}
seconds=${2:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
artifacts="$build_dir/fuzz-artifacts"
mkdir -p "$artifacts"
status=0
ran=0
for target in "$build_dir"/fuzz/fuzz_*; do
  [ -x "$target" ] || continue
  name=${target##*/fuzz_}
  work=$(mktemp -d)
  cp -r "$root/fuzz/$name/corpus/." "$work/"
  echo "fuzz: $name for ${seconds}s"
  if ! "$target" -max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/$name-" \
       -max_len=65536 "$work" 2>"$artifacts/$name.log"; then
    echo "fuzz: $name FAILED; see $artifacts/$name.log" >&2
    tail -n 40 "$artifacts/$name.log" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|Done" "$artifacts/$name.log" | tail -n 2 || true
  fi
  rm -rf "$work"
  ran=$((ran + 1))
done
if [ "$ran" -eq 0 ]; then
  echo "fuzz: no fuzz targets found in $build_dir/fuzz" >&2
  exit 1
fi
exit $status
