// Shared test entry point: silences logs so test output shows only test results.
#include <gtest/gtest.h>

#include "jrads/core/log.hpp"

int main(int argc, char** argv) {
  jrads::silence_logs();
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
