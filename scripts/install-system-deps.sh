#!/usr/bin/env bash
# Install the Debian packages jixiao needs: CJK fonts, LibreOffice (Word → PDF), poppler
# (PDF → PNG), Chromium and its driver (browser tests).  Idempotent: does nothing when all are there.
set -euo pipefail
packages=(fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-ukai poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "安装系统依赖: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
