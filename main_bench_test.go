package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client/clienttest"
)

// buildBaseline builds testdata/emptywindow: a Fyne app that only opens a
// window and reports its first frame as the app does.
func buildBaseline(b *testing.B) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), "emptywindow")
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	if msg, err := exec.Command("go", append(args, "./testdata/emptywindow")...).CombinedOutput(); err != nil {
		b.Fatalf("building the baseline: %v\n%s", err, msg)
	}
	return out
}

// started is a program startApp started.
type started struct {
	cmd    *exec.Cmd
	exited chan struct{} // closed once it exited; then err is its exit
	err    error
	stderr bytes.Buffer
}

// startApp starts a program with its own HOME; it is killed when b ends.
func startApp(b *testing.B, env []string, bin string, args ...string) *started {
	b.Helper()
	p := &started{cmd: exec.Command(bin, args...), exited: make(chan struct{})}
	p.cmd.Env = append(append(os.Environ(), "HOME="+b.TempDir()), env...)
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		// No session bus: keep the keyring from launching one per start
		// (and leaving it running).
		p.cmd.Env = append(p.cmd.Env, "DBUS_SESSION_BUS_ADDRESS=disabled:")
	}
	p.cmd.Stderr = &p.stderr
	if err := p.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	b.Cleanup(p.stop)
	return p
}

// stop kills the program and waits for it.
func (p *started) stop() { _ = p.cmd.Process.Kill(); <-p.exited }

// timeToFirstFrame starts a program and returns how long it took to paint
// its window's first frame, from the time the program writes to
// ZEN_FIRST_FRAME_FILE (to the nanosecond; polling only notices it).
func timeToFirstFrame(b *testing.B, bin string, args ...string) time.Duration {
	b.Helper()
	stamp := filepath.Join(b.TempDir(), "first-frame")
	start := time.Now()
	p := startApp(b, []string{"ZEN_FIRST_FRAME_FILE=" + stamp}, bin, args...)
	defer p.stop()
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		select {
		case <-p.exited:
			b.Fatalf("%s exited before its first frame: %v\n%s", filepath.Base(bin), p.err, &p.stderr)
		default:
		}
		data, err := os.ReadFile(stamp)
		if err != nil || !bytes.HasSuffix(data, []byte("\n")) {
			continue // not yet, or not wholly written
		}
		ns, err := strconv.ParseInt(strings.TrimSpace(string(data)), 10, 64)
		if err != nil {
			b.Fatalf("%s wrote %q as its first frame's time", filepath.Base(bin), data)
		}
		return time.Unix(0, ns).Sub(start)
	}
	b.Fatalf("%s showed no first frame in 60 s\n%s", filepath.Base(bin), &p.stderr)
	return 0
}

// BenchmarkStartToWindow compares the app's start-up, to the first frame
// of its window on the local engine, with an empty Fyne window's, measured
// the same way, as the median of 9 starts each, taken in turns
// (goal: ≤ 1.5×). The app is built as the Makefile builds it (appTags);
// the empty window as Fyne builds one by default.
func BenchmarkStartToWindow(b *testing.B) {
	app := binary(b)
	baseline := buildBaseline(b)
	const starts = 9
	var appT, baseT []time.Duration
	for b.Loop() {
		for range starts {
			baseT = append(baseT, timeToFirstFrame(b, baseline))
			appT = append(appT, timeToFirstFrame(b, app, "--data", b.TempDir()))
		}
	}
	a, e := median(appT), median(baseT)
	b.ReportMetric(float64(a.Microseconds())/1e3, "ms-app")
	b.ReportMetric(float64(e.Microseconds())/1e3, "ms-empty-window")
	clienttest.Goal(b, "start-vs-empty-window", float64(a)/float64(e), "app/empty", "<=", 1.5)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkRSS24MP opens a 6000×4000 photo in the app, waits until a
// screenshot shows it on the canvas, and reports the resident memory once
// it has settled (goal: ≤ 350 MB), and the peak.
func BenchmarkRSS24MP(b *testing.B) {
	app := binary(b)
	need(b, "xdotool", "import")
	photo := filepath.Join(b.TempDir(), "photo.jpg")
	if err := os.WriteFile(photo, clienttest.JPEG(clienttest.Photo(6000, 4000)), 0o600); err != nil {
		b.Fatal(err)
	}
	var rss, peak int
	for b.Loop() {
		p := startApp(b, nil, app, "--data", b.TempDir(), photo)
		if !photoOnScreen(b, p.cmd.Process.Pid) {
			b.Fatalf("the photo is not on the canvas after 30 s: the figures would be an empty window's\n%s", &p.stderr)
		}
		rss, peak = settledRSS(b, p.cmd.Process.Pid)
		p.stop()
	}
	b.ReportMetric(float64(peak)/1024, "MB-peak-rss")
	clienttest.Goal(b, "rss-24mp", float64(rss)/1024, "MB-rss", "<=", 350)
}

// photoOnScreen screenshots the app's window until the photo is seen on
// it, for up to 30 s.
func photoOnScreen(b *testing.B, pid int) bool {
	b.Helper()
	shot := filepath.Join(b.TempDir(), "screenshot.png")
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		out, err := exec.Command("xdotool", "search", "--onlyvisible", "--pid", strconv.Itoa(pid), "--name", "Zen Inpaint Studio").Output()
		ids := strings.Fields(string(out))
		if err != nil || len(ids) == 0 {
			continue
		}
		if exec.Command("import", "-window", ids[0], shot).Run() != nil {
			continue
		}
		if photoPixels(b, shot) >= 20000 {
			return true
		}
	}
	return false
}

// photoPixels counts, on every other pixel of a screenshot, those that
// look like clienttest.Photo (blue near 140 under a red and green that
// vary: colourful, where the window's own greys and accent are not).
func photoPixels(b *testing.B, path string) int {
	b.Helper()
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		b.Fatal(err)
	}
	n := 0
	r := img.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			cr, cg, cb = cr>>8, cg>>8, cb>>8
			if cb >= 110 && cb <= 160 && max(cr, cg, cb)-min(cr, cg, cb) >= 30 {
				n++
			}
		}
	}
	return n
}

// settledRSS waits until a process's resident memory stops growing (by
// 1 MiB) for two seconds and returns it and the peak, in KiB (Linux
// /proc).
func settledRSS(b *testing.B, pid int) (rss, peak int) {
	b.Helper()
	last, stableSince := -1, time.Now()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			b.Fatalf("reading the app's memory: %v", err)
		}
		rss, peak = procField(string(status), "VmRSS:"), procField(string(status), "VmHWM:")
		if rss > last+1024 {
			last, stableSince = rss, time.Now()
		} else if time.Since(stableSince) > 2*time.Second {
			return rss, peak
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatalf("the app's memory did not settle in 60 s (last %d MB)", rss/1024)
	return 0, 0
}

func procField(status, name string) int {
	for _, line := range strings.Split(status, "\n") {
		if strings.HasPrefix(line, name) {
			if f := strings.Fields(line); len(f) >= 2 {
				n, _ := strconv.Atoi(f[1])
				return n
			}
		}
	}
	return 0
}

// hostileDataDir fills a new data folder as the issue found it: a 200 MB
// random queue.json and two earlier set-aside copies of the same size (hard
// links of one file made once in dir), plus one stored picture.
func hostileDataDir(b testing.TB, junk string) string {
	b.Helper()
	data := filepath.Join(b.TempDir(), "data")
	if err := os.MkdirAll(filepath.Join(data, "blobs"), 0o700); err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"queue.json", "queue.json.damaged", "queue.json.damaged.2"} {
		if err := os.Link(junk, filepath.Join(data, name)); err != nil {
			b.Fatal(err)
		}
	}
	blob := strings.Repeat("ab", 32)
	if err := os.WriteFile(filepath.Join(data, "blobs", blob), []byte("a stored picture"), 0o600); err != nil {
		b.Fatal(err)
	}
	return data
}

// randomFile writes n random bytes to a file in dir.
func randomFile(b testing.TB, dir string, n int) string {
	b.Helper()
	path := filepath.Join(dir, "junk")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := io.CopyN(f, rand.Reader, int64(n)); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkStartOnHostileQueue compares the start-up to the first frame on
// a data folder holding a 200 MB random queue.json and two 200 MB
// set-aside copies with the start on an empty folder, as the median of 5
// starts each (goal: at most 2 s more).
func BenchmarkStartOnHostileQueue(b *testing.B) {
	app := binary(b)
	junk := randomFile(b, b.TempDir(), 200<<20)
	const starts = 5
	var hostile, empty []time.Duration
	for b.Loop() {
		for range starts {
			empty = append(empty, timeToFirstFrame(b, app, "--data", b.TempDir()))
			hostile = append(hostile, timeToFirstFrame(b, app, "--data", hostileDataDir(b, junk)))
		}
	}
	h, e := median(hostile), median(empty)
	b.ReportMetric(float64(h.Microseconds())/1e3, "ms-hostile")
	b.ReportMetric(float64(e.Microseconds())/1e3, "ms-empty")
	clienttest.Goal(b, "start-hostile-queue-extra", (h - e).Seconds(), "s", "<=", 2)
}
