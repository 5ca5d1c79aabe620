# The mockup compositor addon: N-API (node-addon-api) over Debian's OpenCV 4.6 (libopencv-dev).
# C++17 (node's common.gypi); OpenCV throws C++ exceptions and relies on RTTI, so both are on.
{
  "targets": [
    {
      "target_name": "mockup",
      "sources": ["src/addon.cpp", "src/compositor.cpp", "src/mask.cpp"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(pkg-config --cflags-only-I opencv4 | sed 's/-I//g')"
      ],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-fexceptions", "-frtti"],
      # --as-needed keeps only the OpenCV libraries actually used (core, imgproc, imgcodecs, photo)
      # out of pkg-config's full list, so loading the addon does not pull in the whole of OpenCV.
      "ldflags": ["-Wl,--as-needed"],
      "libraries": ["<!@(pkg-config --libs opencv4)"]
    }
  ]
}
