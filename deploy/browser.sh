#!/usr/bin/env bash
# Debian's Chromium and Chinese fonts: Noto CJK for the browser tests (tests/web, playwright-core
# drives /usr/bin/chromium; no browser download), WenQuanYi Zen Hei for the printed notices (its
# TrueType outlines are what the PDF library embeds: platform/notices/letters.py; the image installs
# it too). Installs only what is missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> installing ${missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
