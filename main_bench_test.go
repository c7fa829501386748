package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client/clienttest"
)

// emptyWindow is the baseline: a Fyne app that only opens a window.
const emptyWindow = `package main

import (
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("com.example.emptywindow")
	w := a.NewWindow("Empty Fyne Window")
	w.SetContent(widget.NewLabel(""))
	w.ShowAndRun()
}
`

// buildBaseline builds the empty-window program inside the module (a dot
// folder, which ./... ignores) and removes its source again.
func buildBaseline(b *testing.B) string {
	b.Helper()
	dir, err := os.MkdirTemp(".", ".bench-emptywindow-")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(dir)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(emptyWindow), 0o600); err != nil {
		b.Fatal(err)
	}
	out := filepath.Join(b.TempDir(), "emptywindow")
	args := []string{"build", "-o", out}
	if raceEnabled {
		args = append(args, "-race")
	}
	if msg, err := exec.Command("go", append(args, "./"+filepath.Base(dir))...).CombinedOutput(); err != nil {
		b.Fatalf("building the baseline: %v\n%s", err, msg)
	}
	return out
}

// timeToWindow starts a program and returns how long its window took to be
// mapped on the display.
func timeToWindow(b *testing.B, bin, title string, args ...string) time.Duration {
	b.Helper()
	home := b.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }()
	if out, err := exec.Command("timeout", "60", "xdotool", "search", "--sync", "--onlyvisible", "--name", title).CombinedOutput(); err != nil {
		b.Fatalf("no window %q: %v %s", title, err, out)
	}
	return time.Since(start)
}

// BenchmarkStartToWindow compares the app's start-up, to a visible window on
// the local engine, with an empty Fyne window's (goal: ≤ 1.5×).
func BenchmarkStartToWindow(b *testing.B) {
	t := &testing.T{}
	app := binary(t)
	if t.Failed() || t.Skipped() {
		b.Skip("needs an X display and xdotool (run `make bench`)")
	}
	baseline := buildBaseline(b)
	var appT, baseT time.Duration
	for b.Loop() {
		baseT += timeToWindow(b, baseline, "Empty Fyne Window")
		appT += timeToWindow(b, app, "Zen Inpaint Studio", "--data", b.TempDir())
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64((appT / n).Milliseconds()), "ms-app")
	b.ReportMetric(float64((baseT / n).Milliseconds()), "ms-empty-window")
	b.ReportMetric(float64(appT)/float64(baseT), "app/empty")
}

// BenchmarkRSS24MP opens a 6000×4000 photo in the app and reports the
// resident memory once it has settled, and the peak (goal: ≤ 350 MB).
func BenchmarkRSS24MP(b *testing.B) {
	t := &testing.T{}
	app := binary(t)
	if t.Failed() || t.Skipped() {
		b.Skip("needs an X display and xdotool (run `make bench`)")
	}
	photo := filepath.Join(b.TempDir(), "photo.jpg")
	if err := os.WriteFile(photo, clienttest.JPEG(clienttest.Photo(6000, 4000)), 0o600); err != nil {
		b.Fatal(err)
	}
	var rss, peak int
	for b.Loop() {
		cmd := exec.Command(app, "--data", b.TempDir(), photo)
		cmd.Env = append(os.Environ(), "HOME="+b.TempDir())
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		rss, peak = settledRSS(b, cmd.Process.Pid)
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	}
	b.ReportMetric(float64(rss)/1024, "MB-rss")
	b.ReportMetric(float64(peak)/1024, "MB-peak-rss")
}

// settledRSS waits until a process's resident memory stops growing for two
// seconds and returns it and the peak, in KiB (Linux /proc).
func settledRSS(b *testing.B, pid int) (rss, peak int) {
	b.Helper()
	last, stableSince := -1, time.Now()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			b.Skip("no /proc here: ", err)
		}
		rss, peak = procField(string(status), "VmRSS:"), procField(string(status), "VmHWM:")
		if rss > last+1024 {
			last, stableSince = rss, time.Now()
		} else if time.Since(stableSince) > 2*time.Second && rss > 100*1024 {
			return rss, peak
		}
		time.Sleep(100 * time.Millisecond)
	}
	return rss, peak
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
