#!/usr/bin/env bash
# windows-smoke.sh: start the real Windows .exe under Wine 10 on a virtual
# display, open a photo given on its command line, paint a mask stroke,
# run one local-engine job to the end (Ctrl+Enter), check the result on
# disk and a screenshot that is not blank, and quit with WM_CLOSE (exit 0).
#
# Wine runs in a Debian trixie root made with debootstrap (minbase) and
# cached under bin/ (bookworm's Wine 8 cannot start Go >= 1.22 programs:
# they import ProcessPrng from bcryptprimitives.dll). The root is built once
# (2-3 minutes, 2.2 GB with the Wine prefix) and reused while its stamp
# matches (rm -rf bin/wine-trixie makes a new one). Every mount and process
# lives in private mount and PID namespaces (unshare), so none outlives the
# run, even when it is killed.
#
# Needs root (debootstrap, chroot, mount) and Debian's apt sources (the
# mirror is the one apt already uses). Where the machine does not allow it,
# prints one "SKIP windows-smoke: reason" line and exits 0.
#
# Environment: ZEN_WINDOWS_EXE (default bin/zen-inpaint-studio.exe),
# ZEN_WINE_ROOT (default bin/wine-trixie), ZEN_WINDOWS_SMOKE=0 skips,
# ZEN_DEBIAN_MIRROR overrides the mirror taken from apt.
# The screenshot is kept at bin/windows-smoke.png, the app's log at
# bin/windows-smoke.log.
set -euo pipefail
cd "$(dirname "$0")/.."

exe=${ZEN_WINDOWS_EXE:-bin/zen-inpaint-studio.exe}
root=${ZEN_WINE_ROOT:-bin/wine-trixie}
shot=bin/windows-smoke.png
applog=bin/windows-smoke.log
suite=trixie
packages="wine libgl1-mesa-dri xvfb xdotool imagemagick"
stamp_text="zen windows-smoke root: $suite minbase + $packages, wine prefix v1"

skip() { echo "SKIP windows-smoke: $*"; exit 0; }
fail() { echo "FAIL windows-smoke: $*" >&2; exit 1; }
say() { echo "windows-smoke: $*"; }
t0=$SECONDS
took() { echo "$((SECONDS - t0)) s"; }

[ "${ZEN_WINDOWS_SMOKE:-1}" != 0 ] || skip "turned off (ZEN_WINDOWS_SMOKE=0)"
[ "$(uname -s)" = Linux ] || skip "needs Linux (debootstrap and chroot); this is $(uname -s)"
[ "$(uname -m)" = x86_64 ] || skip "needs an x86_64 machine for Wine; this is $(uname -m)"
[ "$(id -u)" = 0 ] || skip "needs root for debootstrap, chroot and mount (run: sudo make windows-smoke)"
[ -f "$exe" ] || fail "$exe is missing: run make package-windows"
command -v unshare >/dev/null && command -v chroot >/dev/null || skip "unshare or chroot is missing (util-linux, coreutils)"
unshare --mount --pid --fork --kill-child --propagation private true 2>/dev/null ||
	skip "cannot make a private mount namespace here (a container without CAP_SYS_ADMIN?)"

mkdir -p "$(dirname "$root")"
root=$(cd "$(dirname "$root")" && pwd)/$(basename "$root")

# One run at a time per root.
exec 9>"$root.lock"
flock 9

stamp="$root/.zen-smoke-ready"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$stamp_text" ]; then
	# Building: debootstrap, and Debian's mirror as apt knows it.
	if ! command -v debootstrap >/dev/null; then
		command -v apt-get >/dev/null || skip "debootstrap is missing and there is no apt-get to install it"
		say "installing debootstrap"
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends debootstrap >/dev/null ||
			skip "debootstrap is missing and could not be installed with apt-get"
	fi
	[ -f "/usr/share/debootstrap/scripts/$suite" ] || skip "this debootstrap does not know Debian $suite (update the debootstrap package)"
	mirror=${ZEN_DEBIAN_MIRROR:-}
	if [ -z "$mirror" ] && command -v apt-cache >/dev/null; then
		# The first source of Debian's main archive (not -security, -updates,
		# -backports) among apt's configured sources.
		mirror=$(apt-cache policy 2>/dev/null | awk '$2 ~ /^https?:\/\// && $3 ~ /^[a-z]+\/main$/ && $2 !~ /security/ { print $2; exit }')
		if [ -n "$mirror" ] && ! apt-cache policy 2>/dev/null | grep -q "o=Debian,.*c=main"; then
			mirror="" # not a Debian archive (Ubuntu and others have no trixie)
		fi
	fi
	[ -n "$mirror" ] || skip "apt's sources name no Debian mirror to make a $suite root from (set ZEN_DEBIAN_MIRROR)"
	avail=$(df -Pk "$(dirname "$root")" | awk 'NR == 2 { print $4 }')
	[ "$avail" -gt $((3 * 1024 * 1024)) ] || skip "less than 3 GB free under $(dirname "$root") for the Wine root"
	keyring=()
	if [ -f /usr/share/keyrings/debian-archive-keyring.gpg ]; then
		keyring=(--keyring=/usr/share/keyrings/debian-archive-keyring.gpg)
	fi

	say "building the Debian $suite root with Wine in $root (once; reused afterwards)"
	# Outside our namespace nothing is ever mounted under the root; refuse
	# to delete one that has mounts (another tool's).
	if findmnt -rn -o TARGET | grep -q "^$root\(/\|$\)"; then
		fail "something is mounted under $root; unmount it first"
	fi
	rm -rf "$root" "$root.partial"
	timeout 1200 nice -n 10 debootstrap --variant=minbase "${keyring[@]}" "$suite" "$root.partial" "$mirror" >"$root.debootstrap.log" 2>&1 ||
		{ tail -20 "$root.debootstrap.log" >&2; fail "debootstrap failed (log: $root.debootstrap.log)"; }
	say "debootstrap done after $(took)"
	unshare --mount --pid --fork --kill-child --propagation private bash -euo pipefail -c '
		r=$1; shift
		mount -t proc proc "$r/proc"
		mount --bind /dev "$r/dev"
		mount -t tmpfs tmpfs "$r/tmp"
		cp /etc/resolv.conf "$r/etc/resolv.conf" 2>/dev/null || true
		chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive bash -euo pipefail -c "
			timeout 600 apt-get update -qq
			timeout 1200 nice -n 10 apt-get install -y -qq --no-install-recommends $* >/dev/null
			apt-get clean
		"
	' _ "$root.partial" $packages >"$root.install.log" 2>&1 ||
		{ tail -20 "$root.install.log" >&2; fail "installing $packages in the root failed (log: $root.install.log)"; }
	say "wine, xvfb, xdotool and imagemagick installed after $(took)"
	mv "$root.partial" "$root"
	echo "$stamp_text" >"$stamp"
	say "root ready after $(took)"
else
	say "reusing the Wine root in $root"
fi

# The run: everything inside the root, in its own mount namespace.
smoke="$root/smoke"
rm -rf "$smoke"
mkdir -p "$smoke"
cp "$exe" "$smoke/zen-inpaint-studio.exe"
cat >"$smoke/run.sh" <<'INNER'
#!/bin/bash
# Runs inside the trixie root.
set -euo pipefail
export HOME=/root WINEPREFIX=/root/.wine WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cd /smoke
step() { echo "windows-smoke: [$((SECONDS))s] $*"; }
im() { if command -v magick >/dev/null; then magick "$@"; else convert "$@"; fi; }
xvfb= app=
cleanup() {
	status=$?
	if [ "$status" != 0 ] && [ -n "${DISPLAY:-}" ]; then
		im import -window root /smoke/shot.png 2>/dev/null || true # what the screen showed when it failed
	fi
	[ -z "$app" ] || kill "$app" 2>/dev/null || true
	wineserver -k 2>/dev/null || true
	[ -z "$xvfb" ] || kill "$xvfb" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 143' TERM INT

if [ ! -f "$WINEPREFIX/system.reg" ]; then
	step "making the Wine prefix (first start)"
	wineboot -i >/smoke/wineboot.log 2>&1 || true
	wineserver -w
fi

# Xvfb picks a free display: X's abstract sockets are shared with the
# machine (and its other Xvfbs), only /tmp is private here.
Xvfb -displayfd 3 -screen 0 1600x1000x24 -nolisten tcp 3>/smoke/display >/smoke/xvfb.log 2>&1 &
xvfb=$!
for _ in $(seq 100); do [ -s /smoke/display ] && break; sleep 0.1; done
[ -s /smoke/display ] || { cat /smoke/xvfb.log; echo "FAIL: Xvfb did not start"; exit 1; }
export DISPLAY=:$(head -1 /smoke/display)
xdotool getdisplaygeometry >/dev/null || { cat /smoke/xvfb.log; echo "FAIL: Xvfb on $DISPLAY does not answer"; exit 1; }

# The app's settings from an earlier run go: the window starts at its
# default size, and the close below must write them anew.
prefs="$WINEPREFIX/drive_c/users/root/AppData/Roaming/fyne"
rm -f "$prefs"/*/preferences.json

# A photo-like picture: many colours, soft detail.
im -size 1200x800 -seed 7 plasma:fractal -blur 0x1.5 -quality 92 /smoke/photo.jpg

step "starting $(wine --version) with the .exe and the photo on its command line"
wine /smoke/zen-inpaint-studio.exe -v --data 'Z:\smoke\data' 'Z:\smoke\photo.jpg' >/smoke/app.log 2>&1 &
app=$!
wid=
for _ in $(seq 240); do
	kill -0 "$app" 2>/dev/null || { tail -20 /smoke/app.log; echo "FAIL: the app ended before showing its window"; exit 1; }
	wid=$(xdotool search --onlyvisible --name '^Zen Inpaint Studio$' 2>/dev/null | head -1) && [ -n "$wid" ] && break
	sleep 0.5
done
[ -n "$wid" ] || { echo "FAIL: no window within 120 s"; exit 1; }
step "window $wid: $(xdotool getwindowgeometry "$wid" | tr '\n' ' ')"

# Paint a stroke on the canvas with the brush (real pointer events), then
# Ctrl+Enter generates. The photo may still be loading: try again.
job=
for attempt in 1 2 3 4 5 6; do
	sleep 2
	xdotool mousemove --window "$wid" 700 450 mousedown 1
	for x in $(seq 720 30 900); do xdotool mousemove --window "$wid" "$x" 480; sleep 0.05; done
	xdotool mouseup 1
	sleep 0.5
	xdotool key ctrl+Return
	for _ in $(seq 20); do
		[ -f /smoke/data/queue.json ] && grep -q '"id"' /smoke/data/queue.json && { job=1; break; }
		sleep 0.25
	done
	[ -n "$job" ] && break
	step "no job yet (attempt $attempt)"
done
[ -n "$job" ] || { echo "FAIL: Ctrl+Enter made no job"; exit 1; }
step "job queued; waiting for it to finish"
for _ in $(seq 240); do
	grep -Eq '"status": *"(done|failed|interrupted|cancelled)"' /smoke/data/queue.json && break
	sleep 0.5
done
status=$(grep -Eo '"status": *"[a-z]+"' /smoke/data/queue.json | head -1 | grep -Eo '[a-z]+"$' | tr -d '"')
[ "$status" = done ] || { cat /smoke/data/queue.json; echo "FAIL: the job ended as '$status'"; exit 1; }
blob=$(grep -Eo '"result_blob": *"[^"]+"' /smoke/data/queue.json | head -1 | sed 's/.*"\([^"]*\)"$/\1/')
winpath=$(grep -Eo '"result_path": *"[^"]+"' /smoke/data/queue.json | head -1 | sed 's/.*": *"//; s/"$//; s/\\\\/\\/g')
[ -n "$blob" ] && [ -s "/smoke/data/blobs/$blob" ] || { echo "FAIL: the result blob '$blob' is not in the data folder"; exit 1; }
result=$(winepath -u "$winpath" 2>/dev/null)
[ -s "$result" ] || { echo "FAIL: the saved result '$winpath' ($result) is not on disk"; exit 1; }
size=$(im identify -format '%wx%h' "$result")
[ "$size" = 1200x800 ] || { echo "FAIL: the saved result is $size, not the photo's 1200x800"; exit 1; }
# The job changed the painted stroke and kept the rest of the photo:
# pixels more than 3 % apart (JPEG decoders differ by a unit or two).
changed=$(im compare -fuzz 3% -metric AE /smoke/photo.jpg "$result" null: 2>&1 || true)
changed=${changed%% *}
[ "$changed" -gt 500 ] 2>/dev/null || { echo "FAIL: the result differs from the photo in only '$changed' pixels: nothing was filled"; exit 1; }
[ "$changed" -lt 96000 ] || { echo "FAIL: the result differs from the photo in $changed pixels (over 10 %): the photo was not kept around the mask"; exit 1; }
cp "$result" /smoke/result.png
step "job done: blob $blob, saved as $winpath ($size, $changed pixels changed)"

sleep 2 # let the window show the result
im import -window root /smoke/shot.png
colours=$(im identify -format '%k' /smoke/shot.png)
step "screenshot: $colours distinct colours"
[ "$colours" -ge 1000 ] || { echo "FAIL: the screenshot has only $colours colours: the window looks blank"; exit 1; }

step "closing the window (WM_CLOSE)"
wine taskkill /im zen-inpaint-studio.exe >/smoke/taskkill.log 2>&1 || true
code=
for _ in $(seq 60); do
	if ! kill -0 "$app" 2>/dev/null; then
		set +e; wait "$app"; code=$?; set -e
		break
	fi
	sleep 0.5
done
[ -n "$code" ] || { echo "FAIL: the app did not quit within 30 s of WM_CLOSE"; exit 1; }
app=
[ "$code" = 0 ] || { tail -20 /smoke/app.log; echo "FAIL: the app exited with status $code"; exit 1; }
grep -qs '"window_width"' "$prefs"/*/preferences.json || { echo "FAIL: the app quit without remembering its window (the close handler did not run)"; exit 1; }
step "the app quit with status 0 and remembered its window"
INNER

say "running the .exe under Wine"
set +e
timeout --kill-after=10 600 unshare --mount --pid --fork --kill-child --propagation private bash -euo pipefail -c '
	r=$1
	mount -t proc proc "$r/proc"
	mount --bind /dev "$r/dev"
	mount -t tmpfs tmpfs "$r/tmp"
	mount -t tmpfs tmpfs "$r/dev/shm"
	exec chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 bash /smoke/run.sh
' _ "$root"
status=$?
set -e
cp -f "$smoke/app.log" "$applog" 2>/dev/null || true
[ ! -f "$smoke/shot.png" ] || cp -f "$smoke/shot.png" "$shot"
if [ "$status" != 0 ]; then
	[ ! -f "$applog" ] || { echo "--- app log (last lines; all in $applog)"; tail -30 "$applog"; } >&2
	fail "the Windows run failed (status $status) after $(took); the screen then: $shot, Wine's log: $applog"
fi
echo "PASS windows-smoke: the .exe ran a local job under Wine and quit with status 0 in $(took); screenshot $shot"
