#!/usr/bin/env bash
# Make sure a Chromium for the browser tests exists; print its path on stdout, or explain what to install and fail.
set -euo pipefail
for candidate in "${CHROMIUM:-}" /usr/bin/chromium /usr/lib/chromium/chromium /usr/bin/chromium-browser; do
  if [ -n "$candidate" ] && [ -x "$candidate" ]; then echo "$candidate"; exit 0; fi
done
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests (apt-get) ..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2 && apt-get install -y -qq chromium >&2
  [ -x /usr/bin/chromium ] && { echo /usr/bin/chromium; exit 0; }
fi
echo "Trying Playwright's own Chromium download ..." >&2
if "${VENV_PY:-.venv/bin/python}" -m playwright install chromium >&2; then
  path=$("${VENV_PY:-.venv/bin/python}" -c "from playwright.sync_api import sync_playwright
with sync_playwright() as p: print(p.chromium.executable_path)")
  [ -x "$path" ] && { echo "$path"; exit 0; }
fi
cat >&2 <<'MSG'
ERROR: no Chromium for the browser tests.
  Debian/Ubuntu:  sudo apt-get install chromium      (then run `make test` again)
  macOS:          brew install --cask chromium        (or set CHROMIUM=/path/to/chrome)
  anywhere:       .venv/bin/python -m playwright install chromium   (needs internet access)
MSG
exit 1
