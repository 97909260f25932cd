#!/bin/sh
# Check the system libraries and tools chapbook needs; install them with apt-get when run as root.
#   Pango (WeasyPrint's text layout), libharfbuzz-subset0 (fast, reproducible font subsetting),
#   poppler-utils and qpdf (used by the tests to inspect PDFs, as users' tools do).
set -eu
missing=""
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so.0' || missing="$missing libpango-1.0-0 libpangoft2-1.0-0"
have_lib 'libharfbuzz-subset.so.0' || missing="$missing libharfbuzz-subset0"
command -v pdftotext >/dev/null 2>&1 || missing="$missing poppler-utils"
command -v qpdf >/dev/null 2>&1 || missing="$missing qpdf"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing system packages:$missing"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $missing >/dev/null
else
  echo "chapbook needs these system packages:$missing" >&2
  echo "install them with:  sudo apt-get install -y$missing" >&2
  exit 1
fi
