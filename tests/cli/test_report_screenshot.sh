#!/usr/bin/env bash
# Usage: test_report_screenshot.sh RIDGELINE_BINARY PYTHON3 PNG_OUT
# The nightly report as people see it (docs/nightly.md, "The report"): two nights of a tiny job,
# the second with a planted slowdown, and the second night's HTML page rendered by headless
# Chromium. The screenshot must show the page (not a blank or an error page): the red regression
# box near the top, the history charts' blue series, and a page taller than one screen. The PNG is
# kept at PNG_OUT for people to look at. Chromium is installed when missing (Debian's `chromium`,
# as root); exit 77 (skipped) only when it cannot be.
set -u
bin=$1
py=$2
png_out=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export RIDGELINE_DB="$tmp/nightly.sqlite"
unset RIDGELINE_TEST_SLOWDOWN

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "SKIP: no chromium, and not root with apt-get to install it"
    exit 77
  fi
  echo "installing chromium (Debian) for the screenshot" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2 ||
    { apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >&2; } ||
    { echo "SKIP: chromium could not be installed"; exit 77; }
  browser=$(command -v chromium)
fi

cat >"$tmp/job.yaml" <<'EOF'
schema: ridgeline.nightly/1
name: screenshot
hardware_type: test-cpu
report: reports
regression: {min_effect: 0.9, max_p_value: 0.001, history: 10, min_history: 4}  # min_effect: as test_nightly.sh
defaults: {strategy: random, budget: 3, seed: 3}
entries:
  - kernel: gemm
    variant: kokkos_tiled
    dtypes: [f32]
    problems: ["m=128,n=128,k=128"]
  - kernel: moe_gating
    variant: kokkos
    dtypes: [f32]
    presets: {model: qwen3-30b-a3b, tokens: [16]}
EOF
timeout 300 "$bin" nightly "$tmp/job.yaml" >/dev/null 2>"$tmp/err" || { echo "FAIL: night 1"; cat "$tmp/err"; exit 1; }
RIDGELINE_TEST_SLOWDOWN="gemm=400" timeout 300 "$bin" --json nightly "$tmp/job.yaml" >"$tmp/out" 2>"$tmp/err"
[ $? -eq 3 ] || { echo "FAIL: the planted night did not exit 3"; cat "$tmp/err"; exit 1; }
html=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["report_html"])' "$tmp/out")
[ -f "$html" ] || { echo "FAIL: no HTML report at '$html'"; exit 1; }

# A fresh profile each time; no sandbox (root in a container); no GPU here.
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --user-data-dir="$tmp/profile" --window-size=1300,2400 --screenshot="$tmp/shot.png" \
  "file://$(cd "$(dirname "$html")" && pwd)/$(basename "$html")" >"$tmp/browser.log" 2>&1
[ -s "$tmp/shot.png" ] || { echo "FAIL: no screenshot"; tail -5 "$tmp/browser.log"; exit 1; }
mkdir -p "$(dirname "$png_out")"
cp "$tmp/shot.png" "$png_out"

# Decode the PNG (8-bit RGB/RGBA, the five filters) with the standard library and look for what
# the page must show.
"$py" - "$tmp/shot.png" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat, width = 8, b"", 0
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour = struct.unpack(">IIBB", body[:10])
        assert depth == 8 and colour in (2, 6), (depth, colour)
        channels = 3 if colour == 2 else 4
    elif kind == b"IDAT":
        idat += body
    pos += 12 + length
raw = zlib.decompress(idat)
stride = width * channels
rows, prev = [], bytearray(stride)
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - channels] if i >= channels else 0
        b = prev[i]
        c = prev[i - channels] if i >= channels else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line

def count(pred, y0, y1):
    n = 0
    for y in range(y0, min(y1, height)):
        r = rows[y]
        for x in range(0, stride, channels * 2):
            if pred(r[x], r[x + 1], r[x + 2]):
                n += 1
    return n

red = lambda r, g, b: r > 180 and g < 80 and b < 80          # the flag's border, #d62728
blue = lambda r, g, b: b > 150 and r < 80 and 90 < g < 150    # the series, #1f77b4
dark = lambda r, g, b: r + g + b < 200                        # text
assert count(red, 0, 500) > 20, "no red regression box in the first 500 rows"
assert count(blue, 0, height) > 50, "no history series drawn"
assert count(dark, 0, height) > 2000, "hardly any text: blank or error page"
print(f"screenshot {width}x{height}: regression box, history series and text present")
EOF
