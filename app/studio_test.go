package app

import (
	"fmt"
	"image"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/engine"
)

// uiQueue collects what other goroutines ask Fyne's goroutine to do, for
// the test goroutine to run: the test driver would run it at once, racing.
type uiQueue struct {
	mu  sync.Mutex
	fns []func()
}

func (q *uiQueue) do(fn func()) {
	q.mu.Lock()
	q.fns = append(q.fns, fn)
	q.mu.Unlock()
}

func (q *uiQueue) pump() {
	for {
		q.mu.Lock()
		fns := q.fns
		q.fns = nil
		q.mu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, f := range fns {
			f()
		}
	}
}

type testStudio struct {
	*Studio
	t   *testing.T
	ui  *uiQueue
	win fyne.Window
	dir string // real image files
	out string // the output folder
}

// newTestStudio builds the studio on Fyne's test driver with a real local
// engine on loopback; serverURL, when set, is used as the "cloud".
func newTestStudio(t *testing.T, serverURL string) *testStudio {
	t.Helper()
	return newLoggedTestStudio(t, serverURL, nil)
}

// newLoggedTestStudio is newTestStudio with the logger the app gets at
// start (as -v gives it).
func newLoggedTestStudio(t *testing.T, serverURL string, logger *slog.Logger) *testStudio {
	t.Helper()
	return newTestStudioIn(t, serverURL, logger, filepath.Join(t.TempDir(), "data"))
}

// newTestStudioIn is a studio on a given data folder (a restart).
func newTestStudioIn(t *testing.T, serverURL string, logger *slog.Logger, dataDir string) *testStudio {
	t.Helper()
	a := test.NewTempApp(t)
	eng := httptest.NewServer(engine.NewServer(engine.Options{}))
	t.Cleanup(eng.Close)
	ui := &uiQueue{}
	w := test.NewTempWindow(t, nil)
	ts := &testStudio{t: t, ui: ui, win: w, dir: t.TempDir(), out: filepath.Join(t.TempDir(), "out")}
	s, err := newStudio(a, w, Config{DataDir: dataDir, OutputDir: ts.out,
		EngineURL: eng.URL, ServerURL: serverURL, KeyringService: ID + ".test." + t.Name(), Do: ui.do, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); ui.pump() })
	ts.Studio = s
	w.Resize(fyne.NewSize(1400, 900))
	w.Canvas().Capture() // lays out and draws a frame, so the editor knows its size
	ts.pumpUntil("the saved queue to be read", func() bool { return ts.queue.read })
	return ts
}

func (ts *testStudio) pump() { ts.ui.pump() }

// file writes a real image file and returns its URI.
func (ts *testStudio) file(name string, data []byte) fyne.URI {
	path := filepath.Join(ts.dir, name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		ts.t.Fatal(err)
	}
	return storage.NewFileURI(path)
}

// load reads files as a drop on target does, synchronously.
func (ts *testStudio) load(target client.Role, uris ...fyne.URI) {
	loaded, problems := readFiles(uris)
	ts.finishLoad(target, loaded, problems)
}

// paint drags across the canvas as the desktop driver does.
func (ts *testStudio) paint() {
	e := ts.editor
	from := fyne.NewPos(e.Size().Width*0.3, e.Size().Height*0.3)
	e.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary})
	for i := 1; i <= 5; i++ {
		to := fyne.NewPos(from.X+float32(i)*40, from.Y+float32(i)*20)
		e.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: to}, Dragged: fyne.NewDelta(40, 20)})
	}
	e.DragEnd()
}

// waitJobs waits until n jobs exist and none is active.
func (ts *testStudio) waitJobs(n int) []jobs.Job {
	ts.t.Helper()
	ts.pumpUntil(fmt.Sprintf("%d jobs to finish", n), func() bool {
		return len(ts.queue.jobs) >= n && !hasActive(ts.queue.jobs)
	})
	return ts.queue.jobs
}

func hasActive(all []jobs.Job) bool {
	for _, j := range all {
		if j.Status.Active() {
			return true
		}
	}
	return false
}

var (
	photo   = clienttest.Photo(120, 90)
	cutout  = clienttest.Subject(60, 60)
	depth   = clienttest.Depth(100, 75)
	opaque  = clienttest.PNG(clienttest.Photo(40, 40))
	grayPNG = clienttest.PNG(clienttest.Mask(120, 90, image.Rect(10, 10, 60, 60)))
)

func TestGenerateEveryModeSyncAndAsync(t *testing.T) {
	ts := newTestStudio(t, "")
	bg, sub, dm := ts.file("room.jpg", clienttest.JPEG(photo)), ts.file("vase.png", clienttest.PNG(cutout)), ts.file("depth.png", clienttest.PNG(depth))
	steps := []struct {
		mode  client.Mode
		setup func()
	}{
		{client.ModeInpaint, func() { ts.load("canvas", bg); ts.load(fieldSubject, sub); ts.paint() }},
		{client.ModeScene, func() { ts.load("canvas", dm) }},
		{client.ModeBackground, func() { ts.load("canvas", sub) }},
	}
	done := 0
	for _, st := range steps {
		ts.setMode(st.mode)
		if ts.doc.Input(ts.doc.MainRole()) == nil && !ts.request.generate.Disabled() {
			t.Fatalf("%s: Generate enabled with no inputs", st.mode)
		}
		st.setup()
		if ts.request.generate.Disabled() {
			t.Fatalf("%s: Generate disabled: %s", st.mode, ts.request.reason.Text)
		}
		for _, async := range []string{syncWait, syncQueue} {
			ts.request.syncMode.SetSelected(async)
			ts.request.prompt.SetText("a test of " + string(st.mode))
			test.Tap(ts.request.generate)
			done++
			all := ts.waitJobs(done)
			j := all[0]
			if j.Status != jobs.Done || j.Mode != st.mode || j.Async != (async == syncQueue) {
				t.Fatalf("%s %s: %s %q", st.mode, async, j.Status, j.Error)
			}
			data, err := os.ReadFile(j.ResultPath)
			if err != nil || filepath.Dir(j.ResultPath) != ts.out {
				t.Fatalf("result %q: %v", j.ResultPath, err)
			}
			meta := jobs.PNGText(data)
			if meta["Prompt"] != "a test of "+string(st.mode) || meta["Mode"] != string(st.mode) || meta["Seed"] == "" {
				t.Errorf("metadata %v", meta)
			}
			if got := statusText(j); !strings.HasPrefix(got, "Done · ") {
				t.Errorf("row says %q", got)
			}
		}
	}
	// Use a result as the new background, then compare before/after.
	last := ts.queue.jobs[0]
	ts.useResult(last, fieldBackground)
	ts.pumpUntil("the result to become the background", func() bool {
		return strings.HasPrefix(ts.frame.status.Text, "The result is now")
	})
	if ts.doc.Input(fieldBackground) == nil || !ts.editor.HasImage() {
		t.Error("use as background did nothing")
	}
}

func TestGenerateIsDisabledWithAReason(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.setMode(client.ModeBackground)
	if !strings.Contains(ts.request.reason.Text, "PNG subject") {
		t.Errorf("reason %q", ts.request.reason.Text)
	}
	ts.load("canvas", ts.file("flat.png", opaque))
	if !ts.request.generate.Disabled() || !strings.Contains(ts.request.reason.Text, "transparent background") {
		t.Errorf("opaque subject: disabled=%v reason %q", ts.request.generate.Disabled(), ts.request.reason.Text)
	}
	ts.setMode(client.ModeInpaint)
	ts.load("canvas", ts.file("room.png", clienttest.PNG(photo)))
	ts.load(fieldSubject, ts.file("vase.png", clienttest.PNG(cutout)))
	if !strings.Contains(ts.request.reason.Text, "Paint on the canvas") {
		t.Errorf("no mask: reason %q", ts.request.reason.Text)
	}
	ts.paint()
	if ts.request.generate.Disabled() || !strings.Contains(ts.request.estimate.Text, "1 request(s)") {
		t.Errorf("after painting: disabled=%v estimate %q", ts.request.generate.Disabled(), ts.request.estimate.Text)
	}
	ts.request.variations.SetSelected("3")
	if !strings.Contains(ts.request.estimate.Text, "3 request(s)") || !strings.Contains(ts.request.estimate.Text, "0.12 credits on the cloud") {
		t.Errorf("3 variations: estimate %q", ts.request.estimate.Text)
	}
}

func TestDropsFillTheRightSlots(t *testing.T) {
	ts := newTestStudio(t, "")
	drop := func(target fyne.CanvasObject, uris ...fyne.URI) {
		a := areaOf("", target)
		ts.dropped(fyne.NewPos(a.Pos.X+a.Size.Width/2, a.Pos.Y+a.Size.Height/2), uris)
		ts.pumpUntil("the dropped files to load", func() bool { return ts.frame.loading.Hidden })
	}
	room := ts.file("room.png", clienttest.PNG(photo))
	drop(ts.inputs.slots[fieldSubject].card, ts.file("vase.png", clienttest.PNG(cutout)))
	if ts.doc.Input(fieldSubject) == nil || ts.doc.Input(fieldBackground) != nil {
		t.Fatal("a drop on the Subject slot did not fill it (alone)")
	}
	drop(ts.frame.center, room)
	if ts.doc.Input(fieldBackground) == nil || !ts.editor.HasImage() {
		t.Fatal("a photo dropped on the canvas did not become the background")
	}
	drop(ts.frame.center, ts.file("mask.png", grayPNG))
	if ts.editor.Mask().IsEmpty() || ts.doc.MaskName() != "mask.png" || ts.doc.Input(fieldBackground).Name != "room.png" {
		t.Fatal("a grayscale mask of the background's size dropped on the canvas did not become the mask")
	}
	before := ts.doc.Input(fieldBackground)
	broken := ts.file("broken.png", clienttest.PNG(photo)[:100])
	notImage := ts.file("notes.txt", []byte("hello"))
	drop(ts.frame.center, broken, notImage)
	if ts.doc.Input(fieldBackground) != before || ts.editor.Mask().IsEmpty() {
		t.Error("broken files changed the state")
	}
	if ts.win.Canvas().Overlays().Top() == nil {
		t.Error("no message for the broken files")
	}
	ts.win.Canvas().Overlays().Remove(ts.win.Canvas().Overlays().Top())

	// Each remaining slot takes what is dropped on it.
	ts.setMode(client.ModeScene)
	drop(ts.inputs.slots[fieldDepth].card, ts.file("depth.png", clienttest.PNG(depth)))
	if ts.doc.Input(fieldDepth) == nil || ts.frame.preview.Hidden {
		t.Error("the depth slot was not filled or not shown")
	}
	if !strings.Contains(ts.request.estimate.Text, "preview render") {
		t.Errorf("a scene on the local engine is not called a preview render: %q", ts.request.estimate.Text)
	}
	drop(ts.inputs.slots[fieldPreview].card, ts.file("render.jpg", clienttest.JPEG(photo)))
	if ts.doc.Input(fieldPreview) == nil || ts.doc.Input(fieldDepth) != nil {
		t.Error("a preview should replace the depth map (a scene takes one of them)")
	}
	ts.setMode(client.ModeInpaint)
	drop(ts.inputs.slots[fieldBackground].card, ts.file("other.png", clienttest.PNG(clienttest.Photo(120, 90))))
	if ts.doc.Input(fieldBackground).Name != "other.png" || !ts.editor.Mask().IsEmpty() {
		t.Error("the background slot did not take the new photo with a fresh mask")
	}
	drop(ts.inputs.slots[fieldMask].card, ts.file("small-mask.png", clienttest.PNG(clienttest.Mask(60, 45, image.Rect(0, 0, 30, 45)))))
	if ts.doc.MaskName() != "small-mask.png" || ts.editor.Mask().At(10, 10) != 255 || ts.editor.Mask().At(100, 10) != 0 ||
		!strings.Contains(ts.frame.status.Text, "resized") {
		t.Errorf("the mask slot: name %q, status %q", ts.doc.MaskName(), ts.frame.status.Text)
	}

	// A batch: three photos at once make three jobs with the same mask.
	drop(ts.frame.center, room, ts.file("b.png", clienttest.PNG(clienttest.Photo(120, 90))), ts.file("c.jpg", clienttest.JPEG(clienttest.Photo(240, 180))))
	if len(ts.doc.Batch()) != 2 || !strings.Contains(ts.inputs.slots[fieldBackground].caption.Text, "+ 2 more") {
		t.Fatalf("batch of %d, caption %q", len(ts.doc.Batch()), ts.inputs.slots[fieldBackground].caption.Text)
	}
	ts.paint()
	test.Tap(ts.request.generate)
	all := ts.waitJobs(3)
	if len(all) != 3 {
		t.Fatalf("%d jobs for a batch of 3", len(all))
	}
	for _, j := range all {
		if j.Status != jobs.Done {
			t.Errorf("batch job: %s %q", j.Status, j.Error)
		}
	}
}

func TestServerErrorsShowPlainMessages(t *testing.T) {
	var calls int
	var mu sync.Mutex
	fault := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ping" { // the warm-up ping may come at any time
			return
		}
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n%2 == 1 {
			w.WriteHeader(http.StatusPaymentRequired)
			_, _ = w.Write([]byte(`{"error":"balance is 0"}`))
			return
		}
		w.WriteHeader(http.StatusInternalServerError)
	}))
	defer fault.Close()
	ts := newTestStudio(t, fault.URL)
	ts.setMode(client.ModeBackground)
	ts.request.syncMode.SetSelected(syncWait)
	ts.load("canvas", ts.file("vase.png", clienttest.PNG(cutout)))
	test.Tap(ts.request.generate)
	first := ts.waitJobs(1)[0]
	test.Tap(ts.request.generate)
	second := ts.waitJobs(2)[0]
	if !strings.Contains(statusText(first), "Not enough credits") || !strings.Contains(statusText(first), "Top up") {
		t.Errorf("402 shows %q", statusText(first))
	}
	if !strings.Contains(statusText(second), "The server had a problem") {
		t.Errorf("500 shows %q", statusText(second))
	}
}

// TestKeyNeverLandsInFiles runs a cloud job with a known key, then reads
// every file the app wrote (queue, images, results) and its log, looking
// for it.
func TestKeyNeverLandsInFiles(t *testing.T) {
	const key = "zk-live-NEVER-IN-A-FILE-7f3a9c"
	// The log goes to a file: the queue and the clients write it from
	// their own goroutines.
	logFile, err := os.Create(filepath.Join(t.TempDir(), "log.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	eng := httptest.NewServer(engine.NewServer(engine.Options{APIKey: key, Email: "me@example.com"}))
	defer eng.Close()
	// The logger the app is started with (as -v gives it), which the
	// queue and the clients keep.
	ts := newLoggedTestStudio(t, eng.URL, slog.New(slog.NewTextHandler(logFile, &slog.HandlerOptions{Level: slog.LevelDebug})))
	ts.setCredentials(Credentials{APIKey: key, Email: "me@example.com"})
	_ = ts.conn.keyring.Save(ts.conn.creds) // the real keyring, or memory when there is none
	t.Cleanup(func() { _ = ts.conn.keyring.Delete() })
	ts.setMode(client.ModeBackground)
	ts.load("canvas", ts.file("vase.png", clienttest.PNG(cutout)))
	test.Tap(ts.request.generate)
	if j := ts.waitJobs(1)[0]; j.Status != jobs.Done {
		t.Fatalf("the cloud job did not finish: %s %q", j.Status, j.Error)
	}
	// What the app writes: the queue and its images, and the results.
	// (Preferences hold no credentials by design; the test app keeps them
	// in memory.)
	roots := []string{ts.cfg.DataDir, ts.out}
	files := 0
	for _, root := range roots {
		_ = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			data, _ := os.ReadFile(path)
			files++
			if strings.Contains(string(data), key) {
				t.Errorf("the API key is in %s", path)
			}
			return nil
		})
	}
	if files < 3 {
		t.Errorf("only %d files checked: the test looked in the wrong places", files)
	}
	// A server that echoes the key in its error: the message shown keeps it out.
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/ping" {
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"error":"key ` + r.Header.Get("x-api-key") + ` is not valid"}`))
	}))
	defer echo.Close()
	ts.cfg.ServerURL = echo.URL
	ts.settings.cfg.ServerURL = echo.URL
	test.Tap(ts.request.generate)
	failed := ts.waitJobs(2)[0]
	if failed.Status != jobs.Failed || !strings.Contains(failed.Error, "[redacted]") {
		t.Errorf("the echoing server's error: %s %q", failed.Status, failed.Error)
	}
	// Every text on screen (labels, entries but the password field, the rows).
	ts.queue.list.Refresh()
	texts := visibleTexts(ts.win.Canvas().Content())
	joined := strings.Join(texts, "\n")
	if !strings.Contains(joined, "Generate") || !strings.Contains(joined, "[redacted]") {
		t.Fatalf("the walk missed the window's texts (%d found)", len(texts))
	}
	for _, text := range texts {
		if strings.Contains(text, key) {
			t.Errorf("the key is on screen: %q", text)
		}
	}
	logs, _ := os.ReadFile(logFile.Name())
	if strings.Contains(string(logs), key) || !strings.Contains(string(logs), "request") {
		t.Errorf("the key is in the log, or nothing was logged: %q", logs)
	}
}

// walkTree calls visit for o and, while visit returns true, for what is
// under it: a container's objects and a widget's renderer's.
func walkTree(o fyne.CanvasObject, visit func(fyne.CanvasObject) bool) {
	if o == nil || !visit(o) {
		return
	}
	if c, ok := o.(*fyne.Container); ok {
		for _, child := range c.Objects {
			walkTree(child, visit)
		}
	}
	if w, ok := o.(fyne.Widget); ok {
		if r := test.WidgetRenderer(w); r != nil {
			for _, child := range r.Objects() {
				walkTree(child, visit)
			}
		}
	}
}

// visibleTexts lists the text of every label, entry and button under obj.
func visibleTexts(obj fyne.CanvasObject) []string {
	var out []string
	walkTree(obj, func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Entry:
			if !w.Password {
				out = append(out, w.Text)
			}
		case *escEntry:
			if !w.Password {
				out = append(out, w.Text)
			}
		case *widget.Button:
			out = append(out, w.Text)
		case *row:
			out = append(out, w.title.Text, w.status.Text, w.detail.Text)
		}
		return true
	})
	return out
}

// One client per server and credentials: the cap on requests in flight is
// the app's, not each job's.
func TestClientsAreSharedAcrossJobs(t *testing.T) {
	ts := newTestStudio(t, "")
	local := jobs.Server{Local: true}
	cloud := jobs.Server{SyncURL: "https://zen.example", AsyncURL: "https://zen.example"}
	a, _ := ts.clientFor(local)
	b, _ := ts.clientFor(local)
	if a == nil || a != b {
		t.Fatal("two jobs on the local engine got different clients")
	}
	if _, err := ts.clientFor(cloud); err == nil {
		t.Error("a cloud client without an API key")
	}
	ts.setCredentials(Credentials{APIKey: "k1", Email: "e"})
	c1, _ := ts.clientFor(cloud)
	c2, _ := ts.clientFor(cloud)
	ts.setCredentials(Credentials{APIKey: "k2", Email: "e"})
	c3, _ := ts.clientFor(cloud)
	if c1 == nil || c1 != c2 || c3 == c1 {
		t.Error("cloud clients are not shared per credentials")
	}
}
