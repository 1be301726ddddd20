# The two commands of the README, plus helpers. Every target installs missing Debian
# packages first (scripts/install-deps.sh), so a fresh Debian 12 machine needs nothing else.
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 15
RELEASE_DIR := build/release
TEST_DIR := build/asan
FUZZ_DIR := build/fuzz
# The sanitizer and fuzz builds use -O1 (what AddressSanitizer's authors recommend: fast enough,
# and stack traces stay exact) with line tables only (-g1: file:line in reports): they compile
# in well under half the time of -O2 -g, which kept `make test` near its 20-minute budget.
CHECK_FLAGS := -DCMAKE_CXX_FLAGS_RELWITHDEBINFO='-O1 -g1 -DNDEBUG'

.PHONY: demo test deps release bench fuzz clean

deps:
	@scripts/install-deps.sh

release: deps
	cmake -S . -B $(RELEASE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DJRADS_TESTS=OFF -DJRADS_BENCH=ON
	cmake --build $(RELEASE_DIR) -j $(JOBS)

# Builds a Release binary and runs the embedded default scenario.
demo: release
	$(RELEASE_DIR)/apps/jrads/jrads demo

# Builds everything with AddressSanitizer + UndefinedBehaviorSanitizer, runs every test, then
# runs each libFuzzer target (clang) for FUZZ_SECONDS (15 s each: eight targets, and the suite
# stays well inside its 20-minute budget; `make fuzz FUZZ_SECONDS=600` for a longer search).
test: deps
	cmake -S . -B $(TEST_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CHECK_FLAGS) -DJRADS_SANITIZE=ON -DJRADS_BENCH=ON
	cmake --build $(TEST_DIR) -j $(JOBS)
	ctest --test-dir $(TEST_DIR) --output-on-failure -j $(JOBS)
	$(MAKE) fuzz

fuzz: deps
	CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CHECK_FLAGS) -DJRADS_FUZZ=ON
	cmake --build $(FUZZ_DIR) -j $(JOBS)
	scripts/run-fuzzers.sh $(FUZZ_DIR) $(FUZZ_SECONDS)

bench: release
	$(RELEASE_DIR)/bench/jrads_bench

clean:
	rm -rf build
