# node-gyp build of the patch-synthesis kernels (Node-API, so one build serves Node and Electron).
{
  "targets": [
    {
      "target_name": "atelier_native",
      "sources": ["src/addon.cc", "src/patch-match.cc", "src/vote.cc"],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_DISABLE_CPP_EXCEPTIONS", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      # -ffp-contract=off: no fused multiply-add, so every sum matches the TypeScript oracle bit for bit.
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off"],
      "xcode_settings": {
        "GCC_OPTIMIZATION_LEVEL": "3",
        "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
        "OTHER_CPLUSPLUSFLAGS": ["-ffp-contract=off"]
      },
      "msvs_settings": { "VCCLCompilerTool": { "Optimization": 2, "FloatingPointModel": 0 } }
    }
  ]
}
