// libFuzzer target: load_dem on arbitrary bytes served from GDAL's in-memory file system, under
// each name the allowed drivers recognise. It must never crash or hang, and a grid it accepts
// must be usable: at least 2 x 2 cells, finite heights within the documented range.
#include <cmath>
#include <cstddef>
#include <cstdint>

#include <cpl_vsi.h>
#include <gdal.h>

#include "jrads/core/result.hpp"
#include "jrads/world/terrain.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // GDAL's raster block cache defaults to 5 % of the machine's memory and outlives each input:
  // over thousands of inputs it grew this process past libFuzzer's 2 GB limit (an OOM report
  // with no single input to blame). A small cache keeps one input's cost visible.
  static const bool cache_capped = [] {
    GDALSetCacheMax64(std::int64_t{32} << 20);
    return true;
  }();
  (void)cache_capped;
  if (size < 1) return 0;
  // The first byte picks the file name (SRTM is recognised by name, DTED and GeoTIFF by content).
  static const char* const kNames[] = {"/vsimem/fuzz.tif", "/vsimem/N45E020.hgt", "/vsimem/fuzz.dt0"};
  const char* name = kNames[data[0] % 3];
  VSILFILE* f = VSIFileFromMemBuffer(name, const_cast<GByte*>(data + 1), static_cast<vsi_l_offset>(size - 1),
                                     /*bTakeOwnership=*/FALSE);
  if (f == nullptr) return 0;
  VSIFCloseL(f);
  // A small cell limit keeps a header that claims a huge raster from costing seconds per input.
  const auto grid = jrads::world::load_dem(name, 1'000'000);
  VSIUnlink(name);
  if (grid) {
    JRADS_ASSERT(grid->rows() >= 2 && grid->cols() >= 2);
    for (int r = 0; r < grid->rows(); ++r) {
      for (int c = 0; c < grid->cols(); ++c) {
        const float h = grid->at(r, c);
        JRADS_ASSERT(std::isfinite(h) && h >= -1000.0F && h <= 9000.0F);
      }
    }
    JRADS_ASSERT(std::isfinite(grid->height_m(grid->south_lat_deg(), grid->west_lon_deg())));
  } else {
    JRADS_ASSERT(!grid.error().message.empty());
    JRADS_ASSERT(grid.error().where.file == name);
  }
  return 0;
}
