#!/usr/bin/env bash
# Install the Debian packages jixiao needs: fonts, LibreOffice (Word → PDF), poppler (PDF → PNG,
# pdffonts), Chromium and its driver (browser tests).  Idempotent: does nothing when all are there.
#
# Fonts the PDFs embed, one per official role (see src/jixiao/render/pdf.py), all under SIL OFL 1.1,
# which allows embedding in documents (licences: /usr/share/doc/<package>/copyright):
#   宋体 / 方正小标宋 (bold) / 仿宋*   fonts-noto-cjk      Noto Serif CJK SC
#   黑体                               fonts-noto-cjk      Noto Sans CJK SC
#   楷体                               fonts-lxgw-wenkai   LXGW WenKai (霞鹜文楷)
#   Times New Roman (figures)          fonts-liberation2   Liberation Serif (metric-compatible)
# * Debian has no Simplified-Chinese 仿宋 (fonts-cwtex-fs covers Big5 only), so 仿宋 prints in 宋体
#   and the PDF step says so; install 仿宋_GB2312 on the machine to print it.
# fonts-wqy-zenhei (GPL-2 with a font-embedding exception) backs up 黑体 and the charts.
# fontconfig provides fc-list, with which the PDF step finds the installed faces.
# python3-uno (LibreOffice's Python-UNO bridge, MPL-2.0, used as an external program) lets the PDF
# step keep one LibreOffice running per process (src/jixiao/render/listener.py) instead of
# starting one per conversion; without it, PDFs are still made, more slowly.
set -euo pipefail
packages=(fontconfig fonts-noto-cjk fonts-lxgw-wenkai fonts-liberation2 fonts-wqy-zenhei poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui python3-uno chromium chromium-driver)
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
