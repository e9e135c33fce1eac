#!/bin/sh
# Install the pinned browser libraries from npm (package-lock.json) and copy the files the
# web UI loads into ../static/vendor/. The copies are committed, so `pip install` needs no node.
#   cd src/newsgraph/web/assets && ./build-vendor.sh
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
mkdir -p ../static/vendor
cp node_modules/d3/dist/d3.min.js ../static/vendor/d3.min.js
cp node_modules/d3/LICENSE ../static/vendor/d3.LICENSE
echo "vendor files:"; ls -l ../static/vendor
