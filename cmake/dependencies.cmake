# Every dependency comes from Debian 12 packages (scripts/install-deps.sh names them).
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(GDAL CONFIG REQUIRED)

# libgeographiclib-dev ships a Find module under /usr/share/cmake that does not locate the
# Debian multiarch layout reliably, so find the library and header directly.
find_library(GEOGRAPHICLIB_LIBRARY NAMES GeographicLib REQUIRED)
find_path(GEOGRAPHICLIB_INCLUDE_DIR GeographicLib/Geodesic.hpp REQUIRED)
add_library(GeographicLib::GeographicLib UNKNOWN IMPORTED)
set_target_properties(GeographicLib::GeographicLib PROPERTIES
  IMPORTED_LOCATION "${GEOGRAPHICLIB_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${GEOGRAPHICLIB_INCLUDE_DIR}")

find_package(nlohmann_json 3 REQUIRED)  # header-only; metrics writes its JSON with it
if(NOT JRADS_FUZZ)
  find_package(CLI11 REQUIRED)
endif()
if(JRADS_TESTS)
  find_package(GTest REQUIRED)
endif()
if(JRADS_BENCH)
  find_package(benchmark REQUIRED)
endif()

# libsodium (libsodium-dev) ships a pkg-config file only: all of security's cryptography.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)

# Cyclone DDS (cyclonedds-dev; idlc from cyclonedds-tools): the federation's bus.
find_package(CycloneDDS REQUIRED)
