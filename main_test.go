package main

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
	"github.com/zeninpaint/studio/engine"
)

// These tests run the real binary in a real window: they need an X display
// (`make test` starts Xvfb) and, for the smoke test, xdotool and ImageMagick.

// appTags are the build tags the app is built with: the Makefile's TAGS.
const appTags = "no_emoji"

// TestBinaryIsBuiltAsTheMakefileBuildsIt keeps appTags and the Makefile's
// TAGS the same: the tests and benchmarks run the binary a designer gets.
func TestBinaryIsBuiltAsTheMakefileBuildsIt(t *testing.T) {
	makefile, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(makefile), "\n") {
		if tags, ok := strings.CutPrefix(line, "TAGS := "); ok {
			if tags != appTags {
				t.Fatalf("the Makefile builds with tags %q, the tests with %q", tags, appTags)
			}
			return
		}
	}
	t.Fatal("the Makefile sets no TAGS")
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// binary builds the app once per test run.
func binary(t testing.TB) string {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no DISPLAY on CI: `make test` should run the tests under xvfb-run")
		}
		t.Skip("no X display: run `make test`, which starts Xvfb")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "zen-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "zen-inpaint-studio")
		args := []string{"build", "-tags", appTags, "-o", binPath}
		if raceEnabled {
			args = append(args, "-race")
		}
		out, err := exec.Command("go", append(args, ".")...).CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// start runs the binary with its own HOME and returns the process.
func start(t *testing.T, home string, args ...string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("app stderr:\n%s", stderr.String())
		}
	})
	return cmd
}

func need(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is missing: `make deps` installs it", tool)
			}
			t.Skipf("%s is not installed: run `make deps`", tool)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// TestSmokeRealWindow opens the app in a real window with a photo, paints a
// stroke with real mouse events, and checks a screenshot: the window is not
// blank and the mask overlay's colour is on screen. ZEN_SCREENSHOT=path
// also saves the screenshot (the README's picture).
func TestSmokeRealWindow(t *testing.T) {
	need(t, "xdotool", "import")
	dir := t.TempDir()
	scene, err := engine.Generate(context.Background(), &client.Request{Mode: client.ModeScene, Prompt: "sunset", Seed: 3,
		DepthMap: clienttest.PNG(clienttest.Depth(1800, 1200))}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	photo := filepath.Join(dir, "scène du soir.png") // a space and non-ASCII in the name
	if err := os.WriteFile(photo, scene, 0o600); err != nil {
		t.Fatal(err)
	}
	data := finishedJobs(t, filepath.Join(dir, "data"))
	start(t, filepath.Join(dir, "home"), "--data", data, photo)

	wid := run(t, "timeout", untilDeadline(t), "xdotool", "search", "--sync", "--name", "Zen Inpaint Studio")
	wid = strings.Fields(wid)[0]
	// Paint a stroke and look; on a slow machine the photo may still be
	// loading, so paint and look again until the stroke shows or the
	// test's deadline comes.
	shot := filepath.Join(dir, "screenshot.png")
	var colours, overlay int
	paintAndLook := func() {
		run(t, "xdotool", "mousemove", "--window", wid, "700", "450", "mousedown", "1")
		for x := 720; x <= 900; x += 30 {
			run(t, "xdotool", "mousemove", "--window", wid, fmt.Sprint(x), "480")
			time.Sleep(40 * time.Millisecond) // the pace of a hand, not a wait
		}
		run(t, "xdotool", "mouseup", "1")
		run(t, "xdotool", "mousemove", "--window", wid, "820", "560")
		run(t, "import", "-window", wid, shot)
		colours, overlay = screenshotStats(t, shot)
	}
	clienttest.Until(t, "the painted stroke and the photo on screen", paintAndLook, func() bool {
		return colours >= 200 && overlay >= 100
	})
	if out := os.Getenv("ZEN_SCREENSHOT"); out != "" {
		src, _ := os.ReadFile(shot)
		if err := os.WriteFile(out, src, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// screenshotStats counts a screenshot's distinct colours and the pixels of
// the magenta mask overlay over the warm photo.
func screenshotStats(t testing.TB, path string) (colours, overlay int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[3]uint8]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			c := [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8)}
			seen[c] = true
			if c[0] > 180 && c[1] < 120 && c[2] > 90 && c[0] > c[2] {
				overlay++
			}
		}
	}
	return len(seen), overlay
}

// finishedJobs fills a data folder with three finished jobs, so the queue
// panel has rows to show.
func finishedJobs(t *testing.T, dir string) string {
	t.Helper()
	eng := httptest.NewServer(engine.NewServer(engine.Options{}))
	defer eng.Close()
	store, err := jobs.OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := jobs.NewManager(jobs.Options{Store: store, OutputDir: func() string { return filepath.Join(dir, "out") },
		Clients: func(s jobs.Server) (*client.Client, error) {
			return client.New(client.Config{SyncURL: eng.URL, AsyncURL: eng.URL})
		}})
	if err != nil {
		t.Fatal(err)
	}
	specs := []jobs.Spec{
		{Mode: client.ModeBackground, Prompt: "studio, soft light", Seed: 11, Inputs: map[client.Role]jobs.InputData{"subject": {Name: "ball.png", Data: clienttest.PNG(clienttest.Subject(400, 300))}}},
		{Mode: client.ModeScene, Prompt: "forest path at dawn", Seed: 12, Inputs: map[client.Role]jobs.InputData{client.RoleDepth: {Name: "depth.png", Data: clienttest.PNG(clienttest.Depth(400, 300))}}},
		{Mode: client.ModeScene, Prompt: "night street", Seed: 13, Inputs: map[client.Role]jobs.InputData{client.RoleDepth: {Name: "depth.png", Data: clienttest.PNG(clienttest.Depth(400, 300))}}},
	}
	for _, s := range specs {
		s.Server = jobs.Server{Local: true}
		if _, err := m.Add(s); err != nil {
			t.Fatal(err)
		}
	}
	clienttest.Until(t, "the local jobs to finish", nil, func() bool {
		done := 0
		for _, j := range m.Jobs() {
			if j.Status == jobs.Done {
				done++
			}
		}
		return done == len(specs)
	})
	m.Close()
	return dir
}

// TestKillAndRestartKeepsEveryJob runs the real binary with 20 async jobs
// queued against a loopback server that holds them "processing", kills it
// with SIGKILL at a random moment while they are in flight, and restarts
// it: every job is still there, every job that had a ticket resumes polling
// and finishes, and no job is submitted twice. ZEN_CRASH_ROUNDS sets how
// many rounds (`make soak` runs 10).
func TestKillAndRestartKeepsEveryJob(t *testing.T) {
	rounds := 1
	if n, err := strconv.Atoi(os.Getenv("ZEN_CRASH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	var present, resumed, interrupted int
	for round := range rounds {
		p, r, i := crashRound(t, round)
		present, resumed, interrupted = present+p, resumed+r, interrupted+i
	}
	fmt.Printf("crash recovery: %d rounds of 20 jobs killed with SIGKILL: %d/%d jobs present after restart, %d pending tickets resumed and finished, %d interrupted while being sent\n",
		rounds, present, rounds*20, resumed, interrupted)
}

// crashRound is one kill-and-restart; it returns the jobs present after
// the kill, the tickets that resumed, and the jobs caught mid-send.
func crashRound(t *testing.T, round int) (present, resumed, interrupted int) {
	const total = 20
	var release atomic.Bool
	var runs atomic.Int32
	inner := engine.NewServer(engine.Options{})
	eng := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/run":
			runs.Add(1)
			if !release.Load() { // a slow upload widens the window of jobs caught mid-send
				time.Sleep(time.Duration(rand.IntN(200)) * time.Millisecond)
			}
		case r.URL.Path == "/predict" && !release.Load():
			_, _ = w.Write([]byte(`{"status":"processing","progress":0.3}`))
			return
		}
		inner.ServeHTTP(w, r)
	}))
	defer eng.Close()

	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	store, err := jobs.OpenStore(data)
	if err != nil {
		t.Fatal(err)
	}
	blob, _ := store.PutBlob(clienttest.PNG(clienttest.Subject(64, 48)))
	var queued []*jobs.Job
	for i := range total {
		queued = append(queued, &jobs.Job{ID: fmt.Sprintf("r%02d-job%02d-%08x", round, i, rand.Uint32()), Mode: client.ModeBackground,
			Prompt: "studio", Seed: int64(i), Async: true, Server: jobs.Server{SyncURL: eng.URL, AsyncURL: eng.URL},
			Inputs: map[client.Role]jobs.Input{"subject": {Blob: blob, Name: "cutout.png"}}, Status: jobs.Queued,
			Progress: -1, Created: time.Now()})
	}
	if err := store.Save(queued); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")

	first := start(t, home, "--data", data, "--server", eng.URL)
	// A random moment once sending has begun: up to 300 ms later.
	waitQueue(t, store, "sending to begin", func(js []*jobs.Job) bool {
		for _, j := range js {
			if j.Status != jobs.Queued {
				return true
			}
		}
		return false
	})
	time.Sleep(time.Duration(rand.IntN(300)) * time.Millisecond)
	_ = first.Process.Signal(syscall.SIGKILL)
	_ = first.Wait()

	afterKill, err := store.Load()
	if err != nil {
		t.Fatalf("round %d: the queue file is unreadable after SIGKILL: %v", round, err)
	}
	if len(afterKill) != total {
		t.Fatalf("round %d: %d jobs after SIGKILL, want %d", round, len(afterKill), total)
	}

	release.Store(true)
	start(t, home, "--data", data, "--server", eng.URL)
	final := waitQueue(t, store, "every job to end after the restart", func(js []*jobs.Job) bool {
		for _, j := range js {
			if j.Status.Active() {
				return false
			}
		}
		return true
	})
	if len(final) != total {
		t.Fatalf("round %d: %d jobs after the restart, want %d", round, len(final), total)
	}
	for i, j := range final {
		switch j.Status {
		case jobs.Done:
		case jobs.Interrupted:
			interrupted++
		default:
			t.Errorf("round %d: job %s ended %s: %s", round, j.ID, j.Status, j.Error)
		}
		if afterKill[i].Ticket != "" {
			if j.Status != jobs.Done || j.Ticket != afterKill[i].Ticket {
				t.Errorf("round %d: job %s had ticket %s but ended %s with ticket %s", round, j.ID, afterKill[i].Ticket, j.Status, j.Ticket)
			} else {
				resumed++
			}
		}
	}
	// Each ticket is one /run; only an interrupted job (caught between
	// sending and its ticket) may account for one more, never resent.
	if r := int(runs.Load()); r < countTickets(final) || r > countTickets(final)+interrupted {
		t.Errorf("round %d: %d submissions for %d tickets and %d interrupted jobs: a job was submitted twice", round, r, countTickets(final), interrupted)
	}
	return len(afterKill), resumed, interrupted
}

func countTickets(js []*jobs.Job) int {
	n := 0
	for _, j := range js {
		if j.Ticket != "" {
			n++
		}
	}
	return n
}

// waitQueue reads the saved queue until ok says it is as wanted, bounded
// by the test's deadline.
func waitQueue(t *testing.T, store *jobs.Store, what string, ok func([]*jobs.Job) bool) []*jobs.Job {
	t.Helper()
	var js []*jobs.Job
	clienttest.Until(t, what, nil, func() bool {
		var err error
		js, err = store.Load()
		return err == nil && ok(js)
	})
	return js
}

// untilDeadline is the seconds left until the test's wait deadline, for a
// command's own time limit (timeout(1)).
func untilDeadline(t *testing.T) string {
	return fmt.Sprint(int(time.Until(clienttest.WaitDeadline(t)).Seconds()) + 1)
}

// TestStartOnAHostileDataFolder: the real binary on a data folder with a
// 200 MB random queue.json and two such set-aside copies shows its window,
// moves the huge file aside unread (the newest copies kept) and deletes no
// stored picture.
func TestStartOnAHostileDataFolder(t *testing.T) {
	need(t, "xdotool")
	dir := t.TempDir()
	data := hostileDataDir(t, randomFile(t, dir, 200<<20))
	start(t, filepath.Join(dir, "home"), "--data", data)
	run(t, "timeout", untilDeadline(t), "xdotool", "search", "--sync", "--onlyvisible", "--name", "Zen Inpaint Studio")
	clienttest.Until(t, "the huge queue to be moved aside", nil, func() bool {
		_, err := os.Stat(filepath.Join(data, "queue.json.damaged.3"))
		return err == nil
	})
	copies, _ := filepath.Glob(filepath.Join(data, "queue.json.damaged*"))
	if len(copies) != 3 {
		t.Errorf("set-aside copies %v, want the newest three", copies)
	}
	if blobs, _ := os.ReadDir(filepath.Join(data, "blobs")); len(blobs) != 1 {
		t.Errorf("%d stored pictures, want the one kept", len(blobs))
	}
}

// TestClipboardOnTheRealWindow: a PNG put on the X clipboard by another
// program (xclip) and Ctrl+V on the real window becomes the background, a
// transparent PNG the subject; Ctrl+C puts the picture shown back on the
// clipboard, pixel for pixel, where xclip reads it.
func TestClipboardOnTheRealWindow(t *testing.T) {
	need(t, "xdotool", "xclip")
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	stamp := filepath.Join(dir, "first-frame")
	t.Setenv("ZEN_FIRST_FRAME_FILE", stamp)
	start(t, filepath.Join(dir, "home"), "--data", data)
	wid := strings.Fields(run(t, "timeout", untilDeadline(t), "xdotool", "search", "--sync", "--name", "Zen Inpaint Studio"))[0]
	clienttest.Until(t, "the app's first frame", nil, func() bool { _, err := os.Stat(stamp); return err == nil })
	workspace := func() string {
		b, _ := os.ReadFile(filepath.Join(data, "workspace", "workspace.json"))
		return string(b)
	}
	paste := func(name string, png []byte) {
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, png, 0o600); err != nil {
			t.Fatal(err)
		}
		// xclip stays behind to serve the clipboard: no pipes to wait on.
		if err := exec.Command("xclip", "-selection", "clipboard", "-t", "image/png", "-i", file).Run(); err != nil {
			t.Fatal(err)
		}
		run(t, "xdotool", "mousemove", "--window", wid, "700", "450", "click", "1") // the canvas has the keyboard
		run(t, "xdotool", "key", "--window", wid, "ctrl+v")
	}
	photo := clienttest.Photo(400, 300)
	paste("photo.png", clienttest.PNG(photo))
	clienttest.Until(t, "the pasted photo as the background", nil, func() bool {
		return strings.Contains(workspace(), `"background"`)
	})
	paste("subject.png", clienttest.PNG(clienttest.Subject(200, 200)))
	clienttest.Until(t, "the pasted cut-out as the subject", nil, func() bool {
		return strings.Contains(workspace(), `"subject"`)
	})
	// Ctrl+C: the picture shown, the photo, comes back through xclip.
	run(t, "xdotool", "key", "--window", wid, "ctrl+c")
	var copied image.Image
	clienttest.Until(t, "the copied picture on the clipboard", nil, func() bool {
		out, err := exec.Command("xclip", "-selection", "clipboard", "-t", "image/png", "-o").Output()
		if err != nil {
			return false
		}
		img, _, err := imagefile.Decode(out, 0)
		if err != nil || img.Bounds().Size() != photo.Rect.Size() {
			return false
		}
		copied = img
		return true
	})
	for _, p := range []image.Point{{10, 10}, {200, 150}, {399, 299}} {
		if got, want := color.NRGBAModel.Convert(copied.At(p.X, p.Y)), photo.NRGBAAt(p.X, p.Y); got != want {
			t.Errorf("copied pixel %v is %v, the photo's %v", p, got, want)
		}
	}
}

// TestAltReleaseAfterSubtractKeepsTheMenuClosed: on the real window, Alt
// held to subtract with the marquee and then released does not open the
// menu bar: the left of the window under the menu bar, where the File
// menu would drop down, looks the same before and after.
func TestAltReleaseAfterSubtractKeepsTheMenuClosed(t *testing.T) {
	need(t, "xdotool", "import")
	dir := t.TempDir()
	photo := filepath.Join(dir, "photo.png")
	if err := os.WriteFile(photo, clienttest.PNG(clienttest.Photo(900, 600)), 0o600); err != nil {
		t.Fatal(err)
	}
	stamp := filepath.Join(dir, "first-frame")
	t.Setenv("ZEN_FIRST_FRAME_FILE", stamp)
	start(t, filepath.Join(dir, "home"), "--data", filepath.Join(dir, "data"), photo)
	wid := strings.Fields(run(t, "timeout", untilDeadline(t), "xdotool", "search", "--sync", "--name", "Zen Inpaint Studio"))[0]
	clienttest.Until(t, "the app's first frame", nil, func() bool { _, err := os.Stat(stamp); return err == nil })
	path := filepath.Join(dir, "shot.png")
	look := func() *image.NRGBA {
		run(t, "import", "-window", wid, path)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := imagefile.Decode(data, 0)
		if err != nil {
			t.Fatal(err)
		}
		return imagefile.ToNRGBA(img)
	}
	clienttest.Until(t, "the photo on screen", nil, func() bool { look(); colours, _ := screenshotStats(t, path); return colours >= 200 })
	run(t, "xdotool", "mousemove", "--window", wid, "700", "450", "click", "1") // the canvas has the keyboard
	run(t, "xdotool", "key", "--window", wid, "m")
	drag := func() {
		run(t, "xdotool", "mousemove", "--window", wid, "620", "380", "mousedown", "1")
		for _, x := range []int{660, 700, 740, 780} {
			run(t, "xdotool", "mousemove", "--window", wid, fmt.Sprint(x), fmt.Sprint(x-250))
		}
		run(t, "xdotool", "mouseup", "1")
	}
	drag() // a selection to subtract from
	run(t, "xdotool", "mousemove", "--window", wid, "900", "700")
	before := look()
	run(t, "xdotool", "keydown", "--window", wid, "alt")
	drag()
	run(t, "xdotool", "keyup", "--window", wid, "alt")
	run(t, "xdotool", "mousemove", "--window", wid, "900", "700")
	// The menu bar answers on the next frame: look until the picture of
	// the panel is steady, then compare.
	var after *image.NRGBA
	clienttest.Until(t, "a steady window", nil, func() bool {
		prev := after
		after = look()
		return prev != nil && string(prev.Pix) == string(after.Pix)
	})
	// Where the File menu drops down, above the Mask slot (whose line says
	// the box the subtraction changes): the mode row and the Background
	// and Subject slots, which nothing else changes.
	panel := image.Rect(0, 20, 190, 150)
	changed := 0
	for y := panel.Min.Y; y < panel.Max.Y; y++ {
		for x := panel.Min.X; x < panel.Max.X; x++ {
			if before.NRGBAAt(x, y) != after.NRGBAAt(x, y) {
				changed++
			}
		}
	}
	if changed > 200 {
		t.Errorf("%d pixels under the menu bar changed when Alt was released after a subtracting drag: the menu opened", changed)
		if out := os.Getenv("ZEN_SCREENSHOT_DIR"); out != "" {
			_ = os.WriteFile(filepath.Join(out, "alt-before.png"), clienttest.PNG(before), 0o644)
			_ = os.WriteFile(filepath.Join(out, "alt-after.png"), clienttest.PNG(after), 0o644)
		}
	}
}
