// Node-API glue for the patch kernels: borrows the typed arrays' memory (no copies) and re-checks sizes, so a
// wrong call from JavaScript gets an error instead of reading past a buffer. native/index.ts is the typed face.
#include <napi.h>

#include <cstdint>

#include "kernels.h"

namespace {

// Mirrors MAX_KERNEL_SIDE / MAX_KERNEL_CHANNELS / MAX_PATCH_SIZE in native/kernel-input.ts.
constexpr int64_t kMaxSide = 16384;
constexpr int64_t kMaxChannels = 64;
constexpr int64_t kMaxPatch = 31;

Napi::Value Fail(Napi::Env env, const char* message) {
  Napi::TypeError::New(env, message).ThrowAsJavaScriptException();
  return env.Undefined();
}

bool ReadInt(const Napi::CallbackInfo& info, size_t i, int64_t lo, int64_t hi, int32_t* out) {
  if (!info[i].IsNumber()) return false;
  const double v = info[i].As<Napi::Number>().DoubleValue();
  if (!(v >= static_cast<double>(lo) && v <= static_cast<double>(hi)) || v != static_cast<double>(static_cast<int64_t>(v))) return false;
  *out = static_cast<int32_t>(v);
  return true;
}

template <typename T, napi_typedarray_type Kind>
bool ReadArray(const Napi::Value& value, int64_t length, T** out) {
  if (!value.IsTypedArray()) return false;
  Napi::TypedArray array = value.As<Napi::TypedArray>();
  if (array.TypedArrayType() != Kind || static_cast<int64_t>(array.ElementLength()) != length) return false;
  *out = value.As<Napi::TypedArrayOf<T>>().Data();
  return true;
}

// patchMatch(source, sw, sh, target, tw, th, channels, patchSize, iterations, rngState, initial|null,
//            reusePenalty, sourceMask|null, coherenceBonus) → { nnf: Int32Array, cost: Float32Array }
Napi::Value PatchMatchBinding(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 14) return Fail(env, "patchMatch takes 14 arguments");
  atelier::NnfArgs a{};
  if (!ReadInt(info, 1, 1, kMaxSide, &a.sourceWidth) || !ReadInt(info, 2, 1, kMaxSide, &a.sourceHeight) ||
      !ReadInt(info, 4, 1, kMaxSide, &a.targetWidth) || !ReadInt(info, 5, 1, kMaxSide, &a.targetHeight) ||
      !ReadInt(info, 6, 1, kMaxChannels, &a.channels) || !ReadInt(info, 7, 1, kMaxPatch, &a.patchSize) ||
      !ReadInt(info, 8, 0, INT32_MAX, &a.iterations)) {
    return Fail(env, "patchMatch: a size is not a whole number in range");
  }
  if (!info[9].IsNumber()) return Fail(env, "patchMatch: rngState must be a number");
  a.rngState = info[9].As<Napi::Number>().Uint32Value();
  if (a.rngState == 0) return Fail(env, "patchMatch: rngState must not be 0");
  if (a.patchSize % 2 == 0 || a.patchSize > a.sourceWidth || a.patchSize > a.sourceHeight) {
    return Fail(env, "patchMatch: the patch must be odd and fit inside the source");
  }
  if (!info[11].IsNumber()) return Fail(env, "patchMatch: reusePenalty must be a number");
  a.reusePenalty = info[11].As<Napi::Number>().DoubleValue();
  if (!(a.reusePenalty >= 0)) return Fail(env, "patchMatch: reusePenalty must be 0 or more");
  if (!info[13].IsNumber()) return Fail(env, "patchMatch: coherenceBonus must be a number");
  a.coherenceBonus = info[13].As<Napi::Number>().DoubleValue();
  if (!(a.coherenceBonus >= 0)) return Fail(env, "patchMatch: coherenceBonus must be 0 or more");

  const int64_t sourcePixels = static_cast<int64_t>(a.sourceWidth) * a.sourceHeight;
  const int64_t targetPixels = static_cast<int64_t>(a.targetWidth) * a.targetHeight;
  float* source = nullptr;
  float* target = nullptr;
  if (!ReadArray<float, napi_float32_array>(info[0], sourcePixels * a.channels, &source)) {
    return Fail(env, "patchMatch: source must be a Float32Array of width × height × channels");
  }
  if (!ReadArray<float, napi_float32_array>(info[3], targetPixels * a.channels, &target)) {
    return Fail(env, "patchMatch: target must be a Float32Array of width × height × channels");
  }
  a.source = source;
  a.target = target;
  int32_t* initial = nullptr;
  if (!info[10].IsNull() && !info[10].IsUndefined() &&
      !ReadArray<int32_t, napi_int32_array>(info[10], targetPixels * 2, &initial)) {
    return Fail(env, "patchMatch: initial must be an Int32Array of 2 ints per target pixel");
  }
  a.initial = initial;
  uint8_t* mask = nullptr;
  if (!info[12].IsNull() && !info[12].IsUndefined() && !ReadArray<uint8_t, napi_uint8_array>(info[12], sourcePixels, &mask)) {
    return Fail(env, "patchMatch: sourceMask must be a Uint8Array of one byte per source pixel");
  }
  a.sourceMask = mask;

  Napi::Int32Array nnf = Napi::Int32Array::New(env, static_cast<size_t>(targetPixels * 2));
  Napi::Float32Array cost = Napi::Float32Array::New(env, static_cast<size_t>(targetPixels));
  if (!atelier::PatchMatch(a, nnf.Data(), cost.Data())) return Fail(env, "patchMatch: the mask leaves no usable patch");
  Napi::Object result = Napi::Object::New(env);
  result.Set("nnf", nnf);
  result.Set("cost", cost);
  return result;
}

// vote(sourceColors, sw, sh, colorChannels, nnf, tw, th, patchSize) → Float32Array
Napi::Value VoteBinding(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 8) return Fail(env, "vote takes 8 arguments");
  atelier::VoteArgs a{};
  if (!ReadInt(info, 1, 1, kMaxSide, &a.sourceWidth) || !ReadInt(info, 2, 1, kMaxSide, &a.sourceHeight) ||
      !ReadInt(info, 3, 1, kMaxChannels, &a.colorChannels) || !ReadInt(info, 5, 1, kMaxSide, &a.targetWidth) ||
      !ReadInt(info, 6, 1, kMaxSide, &a.targetHeight) || !ReadInt(info, 7, 1, kMaxPatch, &a.patchSize)) {
    return Fail(env, "vote: a size is not a whole number in range");
  }
  if (a.patchSize % 2 == 0) return Fail(env, "vote: the patch size must be odd");
  const int64_t targetPixels = static_cast<int64_t>(a.targetWidth) * a.targetHeight;
  float* colors = nullptr;
  int32_t* nnf = nullptr;
  if (!ReadArray<float, napi_float32_array>(info[0], static_cast<int64_t>(a.sourceWidth) * a.sourceHeight * a.colorChannels, &colors)) {
    return Fail(env, "vote: sourceColors must be a Float32Array of width × height × colorChannels");
  }
  if (!ReadArray<int32_t, napi_int32_array>(info[4], targetPixels * 2, &nnf)) {
    return Fail(env, "vote: nnf must be an Int32Array of 2 ints per target pixel");
  }
  const int32_t half = (a.patchSize - 1) / 2;
  for (int64_t p = 0; p < targetPixels; p++) {
    const int32_t x = nnf[2 * p], y = nnf[2 * p + 1];
    if (x < half || y < half || x >= a.sourceWidth - half || y >= a.sourceHeight - half) {
      return Fail(env, "vote: the field points outside the source");
    }
  }
  a.sourceColors = colors;
  a.nnf = nnf;
  Napi::Float32Array out = Napi::Float32Array::New(env, static_cast<size_t>(targetPixels * a.colorChannels));
  atelier::Vote(a, out.Data());
  return out;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("patchMatch", Napi::Function::New(env, PatchMatchBinding, "patchMatch"));
  exports.Set("vote", Napi::Function::New(env, VoteBinding, "vote"));
  return exports;
}

}  // namespace

NODE_API_MODULE(atelier_native, Init)
