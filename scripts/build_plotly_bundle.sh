#!/usr/bin/env bash
# Rebuild advisor/render/static/plotly-report.min.js: plotly.js with only the traces the reports draw.
#
# Why a partial bundle: the full plotly.min.js is 4.6 MB and made the HTML report 5 MB; the
# published partial bundles either lack the heatmap (basic, 1.2 MB) or are too large on their own
# (cartesian, 1.5 MB). The reports draw scatter and heatmap traces only (see REPORT_TRACES in
# advisor/render/html.py; a test holds the two in step).
#
# Needs node and npm (the npm registry only). Run from anywhere:
#     bash scripts/build_plotly_bundle.sh
# The plotly.js version must be the one the pinned plotly Python package emits
# (plotly.offline.get_plotlyjs_version()); the script refuses to build another.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
VERSION="$("$PYTHON" -c 'from plotly.offline import get_plotlyjs_version as v; print(v())')"
OUT="$ROOT/advisor/render/static"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
npm init -y >/dev/null
# The build tools are the versions plotly.js $VERSION itself builds with (its devDependencies).
npm install --no-audit --no-fund --ignore-scripts --silent "plotly.js@$VERSION" esbuild@0.28.2 \
    esbuild-plugin-inline-css@0.0.1 esbuild-plugin-environment@0.5.0 stream-browserify@3.0.0
cat > entry.js <<'JS'
'use strict';
// plotly.js core (scatter, axes, legend, hover, annotations, shapes, colour bars) + heatmap.
var Plotly = require('plotly.js/lib/core');
Plotly.register([require('plotly.js/lib/heatmap')]);
module.exports = Plotly;
JS
cat > build.js <<JS
// The settings of plotly.js's own esbuild-config.js, minified, with a banner naming the build.
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');
esbuild.build({
  entryPoints: ['entry.js'], outfile: 'plotly-report.min.js', format: 'iife', globalName: 'Plotly',
  bundle: true, minify: true, legalComments: 'external', sourcemap: false,
  banner: { js: '/*! plotly.js v$VERSION (partial: scatter, heatmap) | MIT License | '
              + 'built by scripts/build_plotly_bundle.sh */' },
  plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
  alias: { stream: 'stream-browserify' },
  define: { global: 'window', 'define.amd': 'false' }, target: 'es2016', logLevel: 'warning',
});
JS
node build.js
cp plotly-report.min.js "$OUT/plotly-report.min.js"
cp plotly-report.min.js.LEGAL.txt "$OUT/plotly-report.min.js.LEGAL.txt"
cp node_modules/plotly.js/LICENSE "$OUT/plotly-LICENSE.txt"
sha256sum plotly-report.min.js | cut -d' ' -f1 > "$OUT/plotly-report.min.js.sha256"
echo "plotly.js $VERSION -> $OUT/plotly-report.min.js ($(wc -c < plotly-report.min.js) bytes)"
