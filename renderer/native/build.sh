#!/usr/bin/env bash
# Builds the mockup addon with node-gyp, offline. node-gyp needs Node's headers and would
# otherwise download them: use npm's `nodedir` when it points at headers, else the headers
# installed beside the running node (Debian/NodeSource: /usr/include/node; official tarballs:
# <prefix>/include/node). Run from anywhere; `npm install` must have run (node-gyp,
# node-addon-api), and Debian's libopencv-dev must be installed.
set -euo pipefail
cd "$(dirname "$0")"

if ! pkg-config --exists opencv4; then
  echo "build-native: OpenCV 4 not found; install Debian's libopencv-dev" >&2
  exit 1
fi
gyp="$(node -p "require.resolve('node-gyp/bin/node-gyp.js')" 2>/dev/null)" || {
  echo "build-native: node-gyp is not installed; run npm install at the repository root" >&2
  exit 1
}

nodedir="${npm_config_nodedir:-}"
if [ -z "$nodedir" ] || [ ! -f "$nodedir/include/node/node_api.h" ]; then
  nodedir="$(dirname "$(dirname "$(readlink -f "$(command -v node)")")")"
fi
if [ ! -f "$nodedir/include/node/node_api.h" ]; then
  echo "build-native: Node's headers are not in $nodedir/include/node; node-gyp will try to download them" >&2
  nodedir=""
fi

# Several setup runs may start at once (npm start and npm test from two terminals): the lock
# keeps their builds from deleting each other's files. configure + build rather than rebuild, so
# nothing is cleaned and make recompiles only what changed.
mkdir -p build
exec 9>build/.lock
flock 9
node "$gyp" configure ${nodedir:+--nodedir="$nodedir"}
node "$gyp" build --jobs=2
touch build/Release/mockup.node  # up to date even when make had nothing to do
