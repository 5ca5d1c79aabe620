#!/usr/bin/env bash
# Idempotent machine setup for the local stack: Debian packages if missing, npm dependencies
# if package-lock.json changed, Deno from the npm package. Quick when everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  postgresql-15 postgresql-client-15 postgresql-15-pgtap postgresql-15-cron
  libtap-parser-sourcehandler-pgtap-perl
  libopencv-dev
  libreoffice-impress libreoffice-calc fonts-liberation2  # decks and booking-order workbooks to PDF
  poppler-utils python3-opencv  # pdftoppm places the BO approval stamp; pdftotext in tests; cv2 for bench:render
  chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Debian's postgresql package starts its own cluster on 5432; the stack runs private clusters.

stamp=node_modules/.setup-stamp
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  echo "setup: installing npm dependencies"
  npm install --no-audit --no-fund --loglevel=error
  touch "$stamp"
fi

if ! node_modules/.bin/deno --version >/dev/null 2>&1; then
  echo "setup: Deno from the npm package did not run; reinstalling it" >&2
  npm rebuild deno --loglevel=error
  node_modules/.bin/deno --version >/dev/null
fi

# The renderer's native mockup addon: built when missing or older than its sources.
addon=renderer/native/build/Release/mockup.node
if [ ! -f "$addon" ] || [ -n "$(find renderer/native/src renderer/native/binding.gyp renderer/native/build.sh -newer "$addon" -print -quit)" ]; then
  echo "setup: building the native mockup addon"
  if ! log="$(bash renderer/native/build.sh 2>&1)"; then
    echo "$log" >&2
    exit 1
  fi
fi

# The web app the gateway serves at /: built when missing or older than its sources.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts web/package.json -newer web/dist/index.html -print -quit)" ]; then
  echo "setup: building the web app"
  if ! log="$(npm run build --workspace web --silent 2>&1)"; then
    echo "$log" >&2
    exit 1
  fi
fi
