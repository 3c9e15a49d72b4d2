// Patch voting: the native twin of voteOracle (native/oracle.ts), summing in the same order.
#include <algorithm>
#include <vector>

#include "kernels.h"

namespace atelier {

void Vote(const VoteArgs& a, float* out) {
  const int32_t half = (a.patchSize - 1) / 2;
  const int32_t tw = a.targetWidth, th = a.targetHeight, c = a.colorChannels;
  std::vector<double> acc(c);
  for (int32_t ty = 0; ty < th; ty++) {
    for (int32_t tx = 0; tx < tw; tx++) {
      std::fill(acc.begin(), acc.end(), 0.0);
      int32_t n = 0;
      for (int32_t dy = -half; dy <= half; dy++) {
        const int32_t py = ty - dy;
        if (py < 0 || py >= th) continue;
        for (int32_t dx = -half; dx <= half; dx++) {
          const int32_t px = tx - dx;
          if (px < 0 || px >= tw) continue;
          const int64_t q = static_cast<int64_t>(py) * tw + px;
          const float* s = a.sourceColors + (static_cast<int64_t>(a.nnf[2 * q + 1] + dy) * a.sourceWidth + a.nnf[2 * q] + dx) * c;
          for (int32_t k = 0; k < c; k++) acc[k] += static_cast<double>(s[k]);
          n++;
        }
      }
      float* o = out + (static_cast<int64_t>(ty) * tw + tx) * c;
      for (int32_t k = 0; k < c; k++) o[k] = static_cast<float>(acc[k] / n);
    }
  }
}

}  // namespace atelier
