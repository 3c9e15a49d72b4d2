// PatchMatch over feature patches: the native twin of patchMatchOracle (native/oracle.ts), step for step.
#include <algorithm>
#include <limits>
#include <vector>

#include "kernels.h"

namespace atelier {
namespace {

struct XorShift32 {
  uint32_t state;
  uint32_t Next() {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
  }
};

class Search {
 public:
  Search(const NnfArgs& a, int32_t* nnf)
      : a_(a),
        nnf_(nnf),
        half_((a.patchSize - 1) / 2),
        minX_(half_),
        maxX_(a.sourceWidth - 1 - half_),
        minY_(half_),
        maxY_(a.sourceHeight - 1 - half_),
        countUses_(a.reusePenalty > 0) {
    if (countUses_) uses_.assign(static_cast<size_t>(a.sourceWidth) * a.sourceHeight, 0);
  }

  bool Usable(int32_t x, int32_t y) const {
    return x >= minX_ && x <= maxX_ && y >= minY_ && y <= maxY_ &&
           (a_.sourceMask == nullptr || a_.sourceMask[static_cast<int64_t>(y) * a_.sourceWidth + x] != 0);
  }

  // Sum of squared feature differences, accumulated in double in the oracle's order; stops once ≥ bound.
  double PatchSsd(int32_t sx, int32_t sy, int32_t tx, int32_t ty, double bound) const {
    const int32_t tw = a_.targetWidth, th = a_.targetHeight, c = a_.channels;
    const int32_t y0 = std::max(-half_, -ty), y1 = std::min(half_, th - 1 - ty);
    const int32_t x0 = std::max(-half_, -tx), x1 = std::min(half_, tw - 1 - tx);
    const int64_t span = static_cast<int64_t>(x1 - x0 + 1) * c;
    double sum = 0;
    for (int32_t dy = y0; dy <= y1; dy++) {
      const float* t = a_.target + (static_cast<int64_t>(ty + dy) * tw + tx + x0) * c;
      const float* s = a_.source + (static_cast<int64_t>(sy + dy) * a_.sourceWidth + sx + x0) * c;
      double l0 = 0, l1 = 0, l2 = 0, l3 = 0;
      int64_t k = 0;
      for (; k + 4 <= span; k += 4) {
        const double d0 = static_cast<double>(t[k]) - static_cast<double>(s[k]);
        const double d1 = static_cast<double>(t[k + 1]) - static_cast<double>(s[k + 1]);
        const double d2 = static_cast<double>(t[k + 2]) - static_cast<double>(s[k + 2]);
        const double d3 = static_cast<double>(t[k + 3]) - static_cast<double>(s[k + 3]);
        l0 += d0 * d0;
        l1 += d1 * d1;
        l2 += d2 * d2;
        l3 += d3 * d3;
      }
      for (; k < span; k++) {
        const double d = static_cast<double>(t[k]) - static_cast<double>(s[k]);
        l0 += d * d;
      }
      // Four running sums combined as ((0 + 1) + (2 + 3)), written out so the oracle can follow the same order.
      sum += (l0 + l1) + (l2 + l3);
      if (sum >= bound) return sum;
    }
    return sum;
  }

  int32_t& Uses(int32_t x, int32_t y) { return uses_[static_cast<size_t>(y) * a_.sourceWidth + x]; }

  // How many of target pixel (tx, ty)'s 4 neighbours a copy from (cx, cy) would continue seamlessly.
  int Coherent(int32_t cx, int32_t cy, int32_t tx, int32_t ty) const {
    const int32_t tw = a_.targetWidth, th = a_.targetHeight;
    const int32_t* row = nnf_ + 2 * (static_cast<int64_t>(ty) * tw + tx);
    int n = 0;
    if (tx > 0 && row[-2] == cx - 1 && row[-1] == cy) n++;
    if (tx < tw - 1 && row[2] == cx + 1 && row[3] == cy) n++;
    if (ty > 0 && row[-2 * tw] == cx && row[-2 * tw + 1] == cy - 1) n++;
    if (ty < th - 1 && row[2 * tw] == cx && row[2 * tw + 1] == cy + 1) n++;
    return n;
  }

  bool Run(float* cost) {
    const int32_t sw = a_.sourceWidth, sh = a_.sourceHeight, tw = a_.targetWidth, th = a_.targetHeight;
    std::vector<int32_t> candidates;
    for (int32_t y = minY_; y <= maxY_; y++)
      for (int32_t x = minX_; x <= maxX_; x++)
        if (Usable(x, y)) candidates.push_back(y * sw + x);
    if (candidates.empty()) return false;

    XorShift32 rng{a_.rngState};
    const int64_t pixels = static_cast<int64_t>(tw) * th;
    std::vector<double> ssd(pixels);
    for (int64_t p = 0; p < pixels; p++) {
      int32_t x = a_.initial != nullptr ? a_.initial[2 * p] : -1;
      int32_t y = a_.initial != nullptr ? a_.initial[2 * p + 1] : -1;
      if (!Usable(x, y)) {
        const int32_t pick = candidates[rng.Next() % static_cast<uint32_t>(candidates.size())];
        x = pick % sw;
        y = pick / sw;
      }
      nnf_[2 * p] = x;
      nnf_[2 * p + 1] = y;
      ssd[p] = PatchSsd(x, y, static_cast<int32_t>(p % tw), static_cast<int32_t>(p / tw),
                        std::numeric_limits<double>::infinity());
      if (countUses_) Uses(x, y)++;
    }

    const int32_t radius0 = std::max(sw, sh);
    const double penaltyPerUse = a_.reusePenalty;
    const double bonus = a_.coherenceBonus;
    for (int32_t round = 0; round < a_.iterations; round++) {
      const bool forward = round % 2 == 0;
      const int32_t step = forward ? 1 : -1;
      for (int64_t i = 0; i < pixels; i++) {
        const int64_t p = forward ? i : pixels - 1 - i;
        const int32_t tx = static_cast<int32_t>(p % tw);
        const int32_t ty = static_cast<int32_t>(p / tw);
        int32_t bx = nnf_[2 * p], by = nnf_[2 * p + 1];
        double best = ssd[p];
        double bestTotal = countUses_ ? best + penaltyPerUse * (Uses(bx, by) - 1) : best;
        if (bonus > 0) bestTotal -= bonus * Coherent(bx, by, tx, ty);

        auto attempt = [&](int32_t cx, int32_t cy) {
          if ((cx == bx && cy == by) || !Usable(cx, cy)) return;
          const double penalty =
              (countUses_ ? penaltyPerUse * Uses(cx, cy) : 0) - (bonus > 0 ? bonus * Coherent(cx, cy, tx, ty) : 0);
          const double bound = bestTotal - penalty;
          if (bound <= 0) return;
          const double d = PatchSsd(cx, cy, tx, ty, bound);
          if (d >= bound) return;
          if (countUses_) {
            Uses(bx, by)--;
            Uses(cx, cy)++;
          }
          bx = cx;
          by = cy;
          best = d;
          bestTotal = d + penalty;
        };

        const int32_t nx = tx - step;
        if (nx >= 0 && nx < tw) {
          const int64_t q = static_cast<int64_t>(ty) * tw + nx;
          attempt(nnf_[2 * q] + step, nnf_[2 * q + 1]);
        }
        const int32_t ny = ty - step;
        if (ny >= 0 && ny < th) {
          const int64_t q = static_cast<int64_t>(ny) * tw + tx;
          attempt(nnf_[2 * q], nnf_[2 * q + 1] + step);
        }
        for (int32_t r = radius0; r >= 1; r >>= 1) {
          const uint32_t width = static_cast<uint32_t>(2 * r + 1);
          const int32_t cx = std::min(maxX_, std::max(minX_, bx + static_cast<int32_t>(rng.Next() % width) - r));
          const int32_t cy = std::min(maxY_, std::max(minY_, by + static_cast<int32_t>(rng.Next() % width) - r));
          attempt(cx, cy);
        }
        nnf_[2 * p] = bx;
        nnf_[2 * p + 1] = by;
        ssd[p] = best;
      }
    }
    for (int64_t p = 0; p < pixels; p++) cost[p] = static_cast<float>(ssd[p]);
    return true;
  }

 private:
  const NnfArgs& a_;
  int32_t* nnf_;
  const int32_t half_, minX_, maxX_, minY_, maxY_;
  const bool countUses_;
  std::vector<int32_t> uses_;
};

}  // namespace

bool PatchMatch(const NnfArgs& args, int32_t* nnf, float* cost) {
  Search search(args, nnf);
  return search.Run(cost);
}

}  // namespace atelier
