#!/usr/bin/env bash
# screenshots.sh — tcpdiag in the real Wireshark Qt GUI: takes the screenshots
# of docs/images/ from a real window under Xvfb, driven with xdotool.
#
#   tests/gui/screenshots.sh [CAPTURE]       (default: sample-captures/seed-scenario.pcap)
#   tests/gui/screenshots.sh --version 4.6 [CAPTURE]   the same with Wireshark 4.6 in a
#                                            Debian sid root, into docs/images/4.6/
#
# Wireshark sees what a user sees after `cmake --install build`: the plugin and
# the "TCP Handshake Diagnosis" profile sit in the personal folders of a
# throw-away HOME (~/.local/lib/wireshark/plugins/X.Y/epan and
# ~/.config/wireshark/profiles). Run as root, Wireshark runs as user nobody,
# because Wireshark run as root ignores personal plugin folders.
#
# Screenshots (PNG, palette-reduced to stay small):
#   packet-list.png      columns, colouring rules, the tcpdiag tree of a failed connect
#   expert-info.png      Analyze > Expert Information with the tcpdiag items
#   about-plugins.png    Help > About Wireshark > Plugins listing tcpdiag.so
#   statistics-menu.png  the Statistics menu (tcpdiag's stats tree is its last entry)
#   stats-tree.png       Statistics > TCP Handshake Diagnosis
#
# Clicks use fixed positions for Wireshark 4.0 on the 1600x900 Xvfb screen set
# up here (the same positions work in 4.6.9); each step checks that the window it expects appeared and fails
# loudly otherwise. LOOK at the pictures afterwards: a click that landed
# elsewhere shows there.
#
# Environment: TCPDIAG_BUILD_DIR (default <repo>/build), OUT (default
# <repo>/docs/images), KEEP=1 keeps the temporary folder, SETTLE (seconds to
# let Wireshark load the capture, default 5).
# Needs (installed with apt-get when run as root): wireshark-qt xvfb xdotool imagemagick.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

# --version 4.6: the same in a Debian sid root (Wireshark 4.6, Qt 6) made by
# scripts/debian-root, with the plugin built in the ws46 root of
# scripts/test-versions; pictures go to docs/images/4.6/.
if [ "${1:-}" = --version ]; then
  [ "${2:-}" = 4.6 ] || { echo "screenshots: --version 4.6 only" >&2; exit 2; }
  shift 2
  dr="$repo/scripts/debian-root"
  "$dr" make ws46-gui sid tshark wireshark xvfb xdotool imagemagick fonts-dejavu-core
  if ! ls "$repo"/build-ws46/plugins/4.6/epan/tcpdiag.so >/dev/null 2>&1; then
    "$dr" make ws46 sid wireshark-dev tshark cmake make gcc pkg-config python3 clang \
      python3-scapy time libclang-rt-dev file dpkg-dev
    "$dr" run ws46 --bind "$repo" -- /bin/sh -c 'cmake -S "$1" -B "$1/build-ws46" >/dev/null &&
      cmake --build "$1/build-ws46" --target tcpdiag >/dev/null' sh "$repo"
  fi
  mkdir -p "$repo/docs/images/4.6"
  exec "$dr" run ws46-gui --bind "$repo" -- /usr/bin/env TCPDIAG_BUILD_DIR="$repo/build-ws46" \
    OUT="${OUT:-$repo/docs/images/4.6}" SETTLE="${SETTLE:-8}" bash "$repo/tests/gui/screenshots.sh" "$@"
fi
build=${TCPDIAG_BUILD_DIR:-$repo/build}
out=${OUT:-$repo/docs/images}
settle=${SETTLE:-5}
profile_name="TCP Handshake Diagnosis"
W=1600 H=900

die() { echo "screenshots: $*" >&2; exit 1; }
step() { echo "screenshots: $*"; }

# --- packages ------------------------------------------------------------------
need=()
command -v wireshark >/dev/null || need+=(wireshark-qt)
command -v Xvfb      >/dev/null || need+=(xvfb)
command -v xdotool   >/dev/null || need+=(xdotool)
[ -x /usr/bin/import ] && [ -x /usr/bin/convert ] || need+=(imagemagick)
command -v tshark    >/dev/null || need+=(tshark)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || die "missing packages ${need[*]} (install them, or run as root)"
  step "installing ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
convert=/usr/bin/convert
import=/usr/bin/import

# --- inputs --------------------------------------------------------------------
so=$(ls "$build"/plugins/*/epan/tcpdiag.so 2>/dev/null | head -n 1 || true)
[ -n "$so" ] || die "no plugin in $build/plugins/*/epan/ — build first (scripts/setup)"
abi=$(basename "$(dirname "$(dirname "$so")")")
cap=${1:-$repo/sample-captures/seed-scenario.pcap}
if [ ! -f "$cap" ]; then
  cap=$(ls "$repo"/sample-captures/*.pcap 2>/dev/null | head -n 1 || true)
  [ -n "$cap" ] || die "no capture given and none in sample-captures/"
fi
[ -d "$repo/plugin/profile/$profile_name" ] || die "profile folder missing"
mkdir -p "$out"

# --- a throw-away HOME holding a personal install -------------------------------
T=$(mktemp -d /tmp/tcpdiag-gui.XXXXXX)
xvfb_pid="" ws_pid=""
cleanup() {
  set +e
  [ -n "$ws_pid" ] && kill "$ws_pid" 2>/dev/null && wait "$ws_pid" 2>/dev/null
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null && wait "$xvfb_pid" 2>/dev/null
  if [ -n "${KEEP:-}" ]; then echo "screenshots: kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
home=$T/home
mkdir -p "$home/.local/lib/wireshark/plugins/$abi/epan" "$home/.config/wireshark/profiles" "$T/run"
cp "$so" "$home/.local/lib/wireshark/plugins/$abi/epan/"
cp -r "$repo/plugin/profile/$profile_name" "$home/.config/wireshark/profiles/"
capname=$(basename "$cap")
cp "$cap" "$T/$capname"
# Window geometry and no first-run nags; everything else is the profile's.
cat > "$home/.config/wireshark/recent_common" <<EOF
gui.geometry_main_x: 0
gui.geometry_main_y: 0
gui.geometry_main_width: $W
gui.geometry_main_height: $H
gui.geometry_main_maximized: FALSE
privs.warn_if_elevated: FALSE
privs.warn_if_no_npf: FALSE
EOF
# A taller packet list, so a small capture fits without scrolling (screenshots
# only: the installed profile keeps Wireshark's default split).
upper=450
echo "gui.geometry_main_upper_pane: $upper" >> "$home/.config/wireshark/profiles/$profile_name/recent"
chmod 700 "$T/run"
as_user=()
if [ "$(id -u)" = 0 ]; then
  chown -R 65534:65534 "$T"
  as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
run_user() {
  env -i PATH=/usr/bin:/bin HOME="$home" XDG_RUNTIME_DIR="$T/run" LANG=C.UTF-8 \
      DISPLAY="${DISPLAY:-}" "${as_user[@]}" "$@"
}

# Is the plugin there for that user? (the same check a user makes)
plugins=$(run_user tshark -G plugins) || die "tshark -G plugins failed"
grep -q "^tcpdiag" <<<"$plugins" ||
  die "tshark does not list tcpdiag from $home/.local/lib/wireshark/plugins/$abi/epan"

# The packet to show: the SYN of a refused connection, else of any failed one.
pick() {
  local frames
  frames=$(run_user tshark -2 -r "$T/$capname" -Y "tcpdiag.frame.syn == frame.number && $1" \
    -T fields -e frame.number) || die "tshark could not read $capname"
  printf '%s\n' "$frames" | sed -n 1p
}
frame=$(pick 'tcpdiag.verdict == "refused"')
[ -n "$frame" ] || frame=$(pick 'tcpdiag.verdict != "established"')
[ -n "$frame" ] || frame=1
step "capture $capname, showing frame $frame"

# --- X server --------------------------------------------------------------------
n=42
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
export DISPLAY=:$n
Xvfb "$DISPLAY" -screen 0 "${W}x${H}x24" -nolisten tcp -ac >"$T/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do xdotool getdisplaygeometry >/dev/null 2>&1 && break; sleep 0.2; done
xdotool getdisplaygeometry >/dev/null 2>&1 || die "Xvfb did not start: $(cat "$T/xvfb.log")"

# --- helpers ---------------------------------------------------------------------
wait_window() { # wait_window REGEX [SECONDS] -> prints the window id
  local id
  for _ in $(seq $((${2:-20} * 5))); do
    id=$(xdotool search --name "$1" 2>/dev/null | head -n 1 || true)
    [ -n "$id" ] && { echo "$id"; return 0; }
    sleep 0.2
  done
  return 1
}
geometry() { # geometry ID -> sets X Y WW WH
  eval "$(xdotool getwindowgeometry --shell "$1")"
  X=$X; Y=$Y; WW=$WIDTH; WH=$HEIGHT
}
shot() { # shot NAME [WxH+X+Y]
  local raw=$T/$1.raw.png
  xdotool mousemove $((W - 5)) $((H - 5)) # no hover highlight
  sleep 0.7
  if [ -n "${2:-}" ]; then "$import" -window root -crop "$2" +repage "$raw"
  else "$import" -window root "$raw"; fi
  # A 128-colour palette keeps text crisp and the files small.
  "$convert" "$raw" -strip -dither None -colors 128 "PNG8:$out/$1.png"
  step "wrote $out/$1.png ($(stat -c %s "$out/$1.png") bytes)"
}
focus_main() { xdotool windowfocus "$main" 2>/dev/null || true; sleep 0.3; }
close_window() { # close_window ID: Escape, then make sure it went away
  xdotool windowfocus "$1" 2>/dev/null || true
  xdotool key Escape
  for _ in $(seq 20); do xdotool getwindowname "$1" >/dev/null 2>&1 || return 0; sleep 0.2; done
  return 1
}

# --- Wireshark -------------------------------------------------------------------
step "starting wireshark -C \"$profile_name\" -r $capname"
(cd "$T" && exec env -i PATH=/usr/bin:/bin HOME="$home" XDG_RUNTIME_DIR="$T/run" LANG=C.UTF-8 \
   DISPLAY="$DISPLAY" "${as_user[@]}" wireshark -C "$profile_name" -r "$T/$capname") \
   >"$T/wireshark.log" 2>&1 &
ws_pid=$!
cap_re=$(printf '%s' "$capname" | sed 's/[.[\*^$]/\\&/g')
main=$(wait_window "^$cap_re" 60) || die "no Wireshark main window (log: $(tail -5 "$T/wireshark.log"))"
sleep "$settle"

# 1. Packet list: go to the frame, expand the tcpdiag tree (the last top-level
#    item of the details pane: click the first one, End, Shift+Right).
focus_main
xdotool key ctrl+g; sleep 0.5; xdotool type "$frame"; xdotool key Return; sleep 1
xdotool mousemove 165 $((upper + 102)) click 1; sleep 0.4 # first row of the details
xdotool key End; sleep 0.3; xdotool key shift+Right; sleep 0.5
shot packet-list

# 2. Expert Information. The display filter "tcpdiag" makes Wireshark build
#    protocol trees for the dialog's re-dissection (see docs/reference.md).
focus_main
xdotool key ctrl+slash; sleep 0.3; xdotool type "tcpdiag"; xdotool key Return; sleep 2
xdotool mousemove 15 $((H - 11)) click 1 # the expert "LED" in the status bar
ex=$(wait_window "Expert Information" 20) || die "Expert Information did not open"
sleep 1.5; geometry "$ex"
xdotool mousemove $((X + 206)) $((Y + WH - 55)) click 1; sleep 1.5 # untick "Group by summary"
xdotool mousemove $((X + 300)) $((Y + 41)) click 3; sleep 0.6     # context menu ...
xdotool key Up Return; sleep 1                                      # ... "Expand All"
shot expert-info "${WW}x${WH}+${X}+${Y}"
xdotool mousemove $((X + WW - 138)) $((Y + WH - 24)) click 1; sleep 0.5 # Close
xdotool getwindowname "$ex" >/dev/null 2>&1 && { close_window "$ex" || die "Expert Information did not close"; }

# 3. Help > About Wireshark > Plugins.
focus_main
xdotool key alt+h; sleep 0.5; xdotool key a
ab=$(wait_window "^About Wireshark" 20) || die "About Wireshark did not open"
sleep 1; geometry "$ab"
xdotool mousemove $((X + 284)) $((Y + 26)) click 1; sleep 1 # the Plugins tab
shot about-plugins "${WW}x${WH}+${X}+${Y}"
close_window "$ab" || die "About Wireshark did not close"

# 4. The Statistics menu, then its last entry (tcpdiag's stats tree, if any).
focus_main
xdotool key alt+s; sleep 0.8
shot statistics-menu "760x800+0+0"
xdotool key Up Return
if st=$(wait_window "$profile_name.*$cap_re" 15); then
  sleep 2; geometry "$st"
  shot stats-tree "${WW}x${WH}+${X}+${Y}"
  close_window "$st" || true
else
  xdotool key Escape
  echo "screenshots: NOTE: the last Statistics entry is not tcpdiag's stats tree; no stats-tree.png" >&2
fi

focus_main
xdotool key ctrl+q
for _ in $(seq 25); do kill -0 "$ws_pid" 2>/dev/null || break; sleep 0.2; done

big=$(find "$out" -maxdepth 1 -name '*.png' -size +300k)
[ -z "$big" ] || die "screenshots over 300 KB: $big"
step "done: $(cd "$out" && ls ./*.png | tr '\n' ' ')"
