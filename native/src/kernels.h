// The patch-synthesis kernels as plain C++ over borrowed buffers (the Node-API glue lives in addon.cc).
#pragma once
#include <cstdint>

namespace atelier {

struct NnfArgs {
  const float* source;
  int32_t sourceWidth;
  int32_t sourceHeight;
  const float* target;
  int32_t targetWidth;
  int32_t targetHeight;
  int32_t channels;
  int32_t patchSize;
  int32_t iterations;
  uint32_t rngState;       // never 0; derived from the seed by native/kernel-input.ts
  const int32_t* initial;  // may be null
  double reusePenalty;
  const uint8_t* sourceMask;  // may be null
  double coherenceBonus;      // ≥ 0; 0 = off
};

// Fills nnf (2 ints per target pixel) and cost (SSD per target pixel). Inputs are validated by the caller.
// Returns false only when the mask leaves no usable patch.
bool PatchMatch(const NnfArgs& args, int32_t* nnf, float* cost);

struct VoteArgs {
  const float* sourceColors;
  int32_t sourceWidth;
  int32_t sourceHeight;
  int32_t colorChannels;
  const int32_t* nnf;
  int32_t targetWidth;
  int32_t targetHeight;
  int32_t patchSize;
};

void Vote(const VoteArgs& args, float* out);

}  // namespace atelier
