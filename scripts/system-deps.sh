#!/usr/bin/env bash
# Installs the Debian packages jixiao needs beyond Python: Chromium for browser
# tests, LibreOffice as the office suite that tests open our files with and that
# converts old .doc/.wps uploads (Writer; Calc for the rare .xls xlrd cannot read
# and for the tests' .xls fixtures; the fence uses unshare and timeout from the
# essential util-linux/coreutils), CJK fonts
# for Word/PDF output, poppler for pdffonts/pdftoppm, Pango for WeasyPrint, valgrind for
# `make bench BENCH=instructions` (instruction counts that the machine's load does not move),
# python3.11-venv so that Debian's optimised python3.11 can make the project's venv (Makefile).
# Idempotent: does nothing when everything is present. Needs root (or sudo).
set -euo pipefail
pkgs=(chromium libreoffice-writer-nogui libreoffice-calc-nogui fonts-noto-cjk fonts-wqy-zenhei
      poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 valgrind)
# Debian's python3.11, where there is one, needs its venv module to make the project's venv, and
# its headers to compile the marker of `make bench BENCH=instructions`.
if [ -x /usr/bin/python3.11 ]; then pkgs+=(python3.11-venv python3.11-dev); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null; then
  echo "jixiao: 缺少系统软件包 ${missing[*]}，且本机没有 apt-get，请手动安装。" >&2
  exit 0
fi
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "jixiao: installing Debian packages: ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
