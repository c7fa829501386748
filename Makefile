# Zen Inpaint Studio: the two commands a newcomer needs are `make run` and
# `make test`. Both install what is missing first (`make deps`).

SHELL := /bin/bash
GO ?= go
BIN := bin/zen-inpaint-studio

# System packages Fyne's GLFW build needs on Debian/Ubuntu, the colour-emoji
# font the app draws emoji with (it does not bundle Fyne's: see TAGS), plus
# what the tests use: a virtual display, a real Secret Service keyring, a
# session bus, and tools to screenshot a real window.
APT_PACKAGES := gcc pkg-config libgl1-mesa-dev libx11-dev libxcursor-dev \
	libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev fonts-noto-color-emoji \
	xvfb xauth gnome-keyring dbus dbus-x11 xdotool xclip imagemagick libjpeg-turbo-progs

FYNE_TOOL := $(shell $(GO) env GOPATH)/bin/fyne
# staticcheck at a pinned release: `make test` fails on any finding.
STATICCHECK_VERSION := v0.8.2
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck-$(STATICCHECK_VERSION)
MINGW_CC := x86_64-w64-mingw32-gcc
WINDOWS_EXE := bin/zen-inpaint-studio.exe
# Packages without Fyne, which vet for macOS without a Mac (Fyne itself
# needs cgo and the macOS SDK there).
PURE_PKGS := ./client/... ./engine/... ./app/jobs/... ./app/framing/...

.PHONY: all deps sysdeps run build test bench vet clean package package-linux package-windows mingw darwin-vet cross screenshot screenshots examples soak fuzz quality windows-smoke test-busy

all: build

## deps: install the missing system packages, then the Go modules.
deps: sysdeps
	@$(GO) mod download

sysdeps:
	@if ! command -v dpkg >/dev/null 2>&1; then \
		case "$$(uname -s)" in \
		Darwin) echo "macOS: install the Xcode command line tools (xcode-select --install); Fyne needs nothing else.";; \
		MINGW*|MSYS*|CYGWIN*|Windows_NT) echo "Windows: install a gcc toolchain for cgo (for example MSYS2's mingw-w64-x86_64-gcc).";; \
		*) echo "Not a Debian system: install the OpenGL and X11 development headers Fyne needs (see https://docs.fyne.io/started/).";; \
		esac; \
		exit 0; \
	fi; \
	missing=""; \
	for p in $(APT_PACKAGES); do \
		dpkg -s "$$p" >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	echo "Installing missing system packages:$$missing"; \
	sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
		echo "apt-get is not available; install these by hand:$$missing" >&2; exit 0; \
	fi; \
	$$sudo apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null || \
		{ echo "Could not install:$$missing (continuing; tests that need them will say so)" >&2; exit 0; }

# TAGS are the app's build tags. no_emoji: the app does not bundle Fyne's
# 4 MB colour-emoji font, which Fyne parses again for every text style at
# start-up (some 40 ms before the first frame); an emoji a designer types
# comes from the system's emoji font instead. main_test.go's appTags builds
# the tests' binary the same way.
TAGS := no_emoji

build: deps
	$(GO) build -tags $(TAGS) -o $(BIN) .

## run: build and open the app on the embedded local engine.
run: build
	./$(BIN)

# The test session: a private HOME (so the keyring and Fyne settings are
# throw-away) while the Go caches stay where they are, a D-Bus session with an
# unlocked gnome-keyring when those exist, and a virtual display when there is
# no real one. $(call in_test_session,COMMAND...) runs COMMAND inside it.
define in_test_session
	export GOCACHE="$$($(GO) env GOCACHE)" GOMODCACHE="$$($(GO) env GOMODCACHE)" GOPATH="$$($(GO) env GOPATH)"; \
	export HOME="$$(mktemp -d)"; \
	wrap=(); \
	if command -v dbus-run-session >/dev/null 2>&1; then wrap+=(dbus-run-session --); fi; \
	if [ -z "$${DISPLAY:-}" ] && command -v xvfb-run >/dev/null 2>&1; then \
		wrap+=(xvfb-run -a -s "-screen 0 1600x1000x24"); \
	fi; \
	"$${wrap[@]}" bash -c 'if command -v gnome-keyring-daemon >/dev/null 2>&1 && [ -n "$${DBUS_SESSION_BUS_ADDRESS:-}" ]; then \
		echo zen-inpaint-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; fi; exec "$$@"' _ $(1)
endef

## test: install what is missing, check the other platforms' builds, vet
## and staticcheck every package, then run every test with the race
## detector. On CI (CI set) the run is
## verbose and fails when a test skipped, unless scripts/ci-skips.sh
## allows it. Then, whatever the Go tests said, the Windows .exe's run
## under Wine (windows-smoke below; a SKIP line when the machine does not
## allow it); either failing fails the target.
test: deps cross $(STATICCHECK)
	$(GO) vet ./...
	$(STATICCHECK) ./...
	@log=$$(mktemp); v=""; if [ -n "$${CI:-}" ]; then v=-v; fi; \
	$(call in_test_session,env ZEN_WINDOWS_EXE="$(CURDIR)/$(WINDOWS_EXE)" ZEN_LINUX_PACKAGE="$(CURDIR)/$(LINUX_PACKAGE)" $(GO) test $$v -race -count=1 -timeout 50m ./...) 2>&1 | tee "$$log"; \
	status=$${PIPESTATUS[0]}; \
	if [ -n "$${CI:-}" ]; then scripts/ci-skips.sh "$$log" || status=1; fi; \
	rm -f "$$log"; \
	scripts/windows-smoke.sh || status=1; \
	exit $$status

## test-busy: make test while two processes burn a CPU core each (a busy
## shared machine); prints the wall time.
test-busy:
	@scripts/with-burners.sh $(MAKE) --no-print-directory test

## windows-smoke: the real Windows .exe under Wine 10 on a virtual display,
## in a Debian trixie root made once with debootstrap and kept in
## bin/wine-trixie (2.2 GB): it opens a photo given on its command line,
## runs one local-engine job, checks the saved result and a screenshot
## (kept at bin/windows-smoke.png) and quits on WM_CLOSE with status 0.
## Needs root; prints a SKIP line and succeeds when the machine does not
## allow it. `make test` runs it after the Go tests (not alongside: both
## want the two cores, and the Go tests have time limits).
windows-smoke: package-windows
	@scripts/windows-smoke.sh

## cross: the Windows .exe and the Linux bundle (both checked by tests),
## and a vet for macOS.
cross: package-windows package-linux darwin-vet

## soak: 500 jobs through the client and the queue against a server that
## injects 20 % faults (bounded to 3 minutes), then 10 rounds of SIGKILL of
## the real binary with 20 jobs in flight; prints the figures.
soak: deps
	$(GO) test -tags soak -count=1 -timeout 5m -run TestSoak -v ./app/jobs/ | grep -v '^=== RUN'
	@$(call in_test_session,env ZEN_CRASH_ROUNDS=10 $(GO) test -count=1 -timeout 10m -run TestKillAndRestartKeepsEveryJob -v .) | grep -E '^(crash|---|ok|FAIL)'

## fuzz: the response parser, the image loader, the queue file and the
## image decoder, 30 s each; prints execs
## and any finding (saved under testdata/fuzz).
FUZZTIME ?= 30s
fuzz: deps
	$(GO) test -run '^$$' -fuzz '^FuzzParseResponse$$' -fuzztime $(FUZZTIME) ./client/ 2>&1 | grep -E 'elapsed|PASS|FAIL|ok|failing'
	$(GO) test -run '^$$' -fuzz '^FuzzLoadImage$$' -fuzztime $(FUZZTIME) ./app/ 2>&1 | grep -E 'elapsed|PASS|FAIL|ok|failing'
	$(GO) test -run '^$$' -fuzz '^FuzzQueueFile$$' -fuzztime $(FUZZTIME) ./app/jobs/ 2>&1 | grep -E 'elapsed|PASS|FAIL|ok|failing'
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./client/imagefile/ 2>&1 | grep -E 'elapsed|PASS|FAIL|ok|failing'

# Every goal a benchmark states; `make bench` says NOT RUN for one that
# printed no GOAL line.
BENCH_GOALS := dab-8k-vs-1k history-200-strokes undo-long-stroke frame-24mp frame-vs-naive select-polygon-40-24mp \
	client-vs-net-http-14 send-heap-24mp smart-context-bytes start-vs-empty-window rss-24mp start-hostile-queue-extra \
	object-select-24mp workspace-save-ui-24mp
BENCH ?= .

## bench: speed and memory goals, reported as ratios and bytes, then one
## table of every goal (met, MISSED or NOT RUN); fails when a goal is not
## met or a benchmark fails. BENCH=regexp runs only some (goals not run are
## then not counted).
bench: deps
	@log=$$(mktemp); \
	$(call in_test_session,$(GO) test -run=^$$ -bench='$(BENCH)' -benchmem ./...) 2>&1 | tee "$$log"; \
	status=$${PIPESTATUS[0]}; \
	expected="$(if $(filter .,$(BENCH)),$(BENCH_GOALS))"; \
	awk -v expected="$$expected" -f scripts/bench-summary.awk "$$log" || status=1; \
	rm -f "$$log"; exit $$status

## package: a Linux bundle (tar.xz with the binary, desktop file and icon).
package: package-linux

# fyne package bumps Build in FyneApp.toml on every run; keep the file as
# committed. $(call fyne_package,ARGS) runs it so.
define fyne_package
	@cp FyneApp.toml .FyneApp.toml.keep; \
	$(1) $(FYNE_TOOL) package --release $(2); status=$$?; \
	mv .FyneApp.toml.keep FyneApp.toml; exit $$status
endef

LINUX_PACKAGE := bin/zen-inpaint-studio.tar.xz

## package-linux: the Linux bundle of the built binary.
package-linux: build $(FYNE_TOOL)
	$(call fyne_package,,--target linux --executable $(BIN))
	@mv -f "Zen Inpaint Studio.tar.xz" $(LINUX_PACKAGE) && echo "Built $(LINUX_PACKAGE)"

## package-windows: cross-build the Windows .exe with its icon and version
## information, with mingw-w64 (installed when absent).
package-windows: deps mingw $(FYNE_TOOL)
	$(call fyne_package,CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=$(MINGW_CC),--target windows --tags $(TAGS))
	@mkdir -p bin && mv -f "Zen Inpaint Studio.exe" $(WINDOWS_EXE)

mingw:
	@if ! command -v $(MINGW_CC) >/dev/null 2>&1; then \
		if command -v apt-get >/dev/null 2>&1; then \
			echo "Installing mingw-w64 for the Windows build"; \
			sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi; \
			$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends gcc-mingw-w64-x86-64 >/dev/null; \
		else \
			echo "Install mingw-w64 ($(MINGW_CC)) to build for Windows." >&2; exit 1; \
		fi; \
	fi

## darwin-vet: vet the Fyne-free packages for macOS.
darwin-vet:
	GOOS=darwin GOARCH=arm64 CGO_ENABLED=0 $(GO) vet $(PURE_PKGS)

$(FYNE_TOOL):
	$(GO) install fyne.io/tools/cmd/fyne@v1.7.4

$(STATICCHECK):
	GOBIN="$$(mktemp -d)" && GOBIN="$$GOBIN" $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) && \
		mkdir -p "$$(dirname $@)" && mv "$$GOBIN/staticcheck" $@

## screenshot: refresh assets/screenshot.png from the real window (smoke test).
## screenshots: the real window under Xvfb at 1024×700, 1280×800 and
## 1400×880 with a photo, a mask and finished jobs, the four selection tools
## in use and an expanded picture, into assets/screens; the README's picture
## is the 1280×800 one.
screenshots: deps
	@$(call in_test_session,env ZEN_SCREENSHOTS=$(CURDIR)/assets/screens $(GO) test -count=1 -run TestScreenshotsAtLaptopSizes .)
	@cp assets/screens/window-1280x800.png assets/screenshot.png && echo "Wrote assets/screens/*.png and assets/screenshot.png"

screenshot: screenshots

## quality: the local engine's fill on the natural-photo benchmark against
## OpenCV's Telea and Navier-Stokes fills (python3-opencv is installed when
## absent), the 12 MP fill's time and peak heap, then the object selection
## against OpenCV's grabCut on photo composites with an exact truth. Prints every table,
## then fails when the engine missed a goal (see engine/photoquality_test.go).
QUALITY_PYTHON ?= /usr/bin/python3
# PHOTO_EXAMPLES=assets/examples also refreshes the README's photo-*.png.
PHOTO_EXAMPLES ?=
# MASK_SEED=100 (any number) measures the same photos with other holes.
MASK_SEED ?= 0
quality:
	@if ! $(QUALITY_PYTHON) -c 'import cv2' >/dev/null 2>&1; then \
		echo "Installing python3-opencv for the benchmark's reference fills"; \
		sudo=""; if [ "$$(id -u)" != 0 ]; then sudo="sudo"; fi; \
		$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends python3-opencv >/dev/null; \
	fi
	@set -o pipefail; status=0; \
	ZEN_QUALITY=1 ZEN_MASK_SEED=$(MASK_SEED) ZEN_PYTHON=$(QUALITY_PYTHON) ZEN_PHOTO_EXAMPLES=$(if $(PHOTO_EXAMPLES),$(abspath $(PHOTO_EXAMPLES))) ZEN_QUALITY_OUT=$(CURDIR)/bin/quality \
		$(GO) test -count=1 -run '^TestPhotoBenchmark$$' -v ./engine/ | grep -v '^=== RUN' || status=1; \
	$(GO) test -count=1 -run '^$$' -bench '^BenchmarkFill12MP(Photo)?$$' -benchtime 1x ./engine/ | grep -E '^Benchmark|^ok|FAIL' || status=1; \
	ZEN_QUALITY=1 ZEN_PYTHON=$(QUALITY_PYTHON) ZEN_QUALITY_OUT=$(CURDIR)/bin/quality-segment \
		$(GO) test -count=1 -run '^TestQualityAgainstGrabCut$$' -v ./canvas/segment/ | grep -v '^=== RUN' || status=1; \
	exit $$status

## examples: refresh the local engine's before/after pictures in assets/examples.
examples:
	$(GO) run ./engine/examples -out assets/examples

vet:
	$(GO) vet ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }

clean:
	rm -rf bin *.tar.xz
