#!/usr/bin/env bash
# One-command set-up: system packages the tests need (Debian's Chromium for the UI tests;
# sox and ffmpeg to make the MP3/FLAC/Ogg/AIFF files the decoder tests read; redis-server
# for the queue tests to start; fluidsynth and the FluidR3 General MIDI soundfont for the
# quality benchmark's corpus and the note-template tests; the MuseScore and TimGM6mb sound
# fonts and the Synthesis ToolKit's stk-demo for the benchmark's truths that FluidR3's
# samples did not make), then the exact npm dependency tree from package-lock.json.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
if ! command -v chromium >/dev/null 2>&1 && [ ! -x /usr/bin/chromium ]; then missing+=(chromium); fi
command -v sox >/dev/null 2>&1 || missing+=(sox)
command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v fluidsynth >/dev/null 2>&1 || missing+=(fluidsynth)
[ -f /usr/share/sounds/sf2/FluidR3_GM.sf2 ] || missing+=(fluid-soundfont-gm)
[ -f /usr/share/sounds/sf3/MuseScore_General_Lite.sf3 ] || missing+=(musescore-general-soundfont-small)
[ -f /usr/share/sounds/sf2/TimGM6mb.sf2 ] || missing+=(timgm6mb-soundfont)
command -v stk-demo >/dev/null 2>&1 || missing+=(stk)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "warning: install ${missing[*]} yourself (Chromium for the browser tests, and set GRAMOPHONE_CHROMIUM to it; sox and ffmpeg for the decoder tests; redis-server for the queue tests; fluidsynth, FluidR3_GM, the MuseScore and TimGM6mb sound fonts and stk for the quality corpus)" >&2
  fi
fi
# The Electron tools (electron 45, @electron/get, @electron/rebuild, node-abi) declare
# Node >= 22.12, and npm warns (EBADENGINE) for each under an older Node. The install then
# runs under a Node 22 that npm brings from its own registry (the node-<os>-<cpu> package
# holds the official binary), kept in .tools/; the app, the CLI and the tests still run on
# any Node that package.json's engines accept (20.19 and later). If that Node cannot be had,
# the install goes ahead with the Node there is, warnings and all.
install_node=""
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) ? 0 : 1)'; then
  platform="$(node -p 'process.platform === "win32" ? "win" : process.platform')-$(node -p 'process.arch')"
  if npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-${platform}@22" >/dev/null 2>&1 \
    && [ -x ".tools/node_modules/node-${platform}/bin/node" ]; then
    install_node="$PWD/.tools/node_modules/node-${platform}/bin"
  else
    echo "note: could not fetch Node 22 for the install; npm will warn that the Electron tools want Node >= 22.12 (see README)" >&2
  fi
fi
# Install scripts are approved or refused in package.json's allowScripts: none needs to run
# (README, "Set-up"). onnxruntime-node's would fetch optional GPU binaries; the CPU kernels
# ship inside the package, and ONNXRUNTIME_NODE_INSTALL=skip keeps it so with an older npm.
PATH="${install_node:+$install_node:}$PATH" ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund
