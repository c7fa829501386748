//go:build linux && !android

package app

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/storage"
	"github.com/godbus/dbus/v5"

	"github.com/zeninpaint/studio/client/clienttest"
)

// busConfig is a session bus of the test's own: no services to start, and
// anyone may own any name.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=%DIR%</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// privateBus starts a dbus-daemon for t alone and returns its address; it
// is stopped when t ends.
func privateBus(t *testing.T) string {
	t.Helper()
	daemon, err := exec.LookPath("dbus-daemon")
	if err != nil {
		t.Fatal("dbus-daemon is missing: `make deps` installs dbus")
	}
	dir, err := os.MkdirTemp("", "zbus") // short: a socket path has ~100 bytes
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	conf := filepath.Join(dir, "bus.conf")
	if err := os.WriteFile(conf, []byte(strings.ReplaceAll(busConfig, "%DIR%", dir)), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(daemon, "--config-file="+conf, "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	// Its stderr is left out: as root it says it could not raise the fd limit.
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		lines <- strings.TrimSpace(line)
	}()
	addr := clienttest.Receive(t, "the private bus's address", lines)
	if addr == "" {
		t.Fatal("dbus-daemon printed no address")
	}
	return addr
}

// portalCall is a call the stand-in portal received.
type portalCall struct {
	Method  string
	Parent  string
	Title   string
	Options map[string]dbus.Variant
	Handle  dbus.ObjectPath
}

// standInPortal is an org.freedesktop.portal.FileChooser that chooses
// without a designer: answer says what (a status, and file URIs). Like the
// real portal it replies with the request's object, then sends the
// Response signal on it.
type standInPortal struct {
	conn   *dbus.Conn
	calls  chan portalCall
	answer func(portalCall) (uint32, []string)
}

// stillChoosing, as an answer's status, sends no Response: the designer
// is still choosing.
const stillChoosing = 99

// newStandInPortal serves the stand-in on the bus at addr.
func newStandInPortal(t *testing.T, addr string, answer func(portalCall) (uint32, []string)) *standInPortal {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connecting the stand-in portal: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	p := &standInPortal{conn: conn, calls: make(chan portalCall, 4), answer: answer}
	if err := conn.Export(p, portalPath, portalChooser); err != nil {
		t.Fatal(err)
	}
	reply, err := conn.RequestName(portalName, dbus.NameFlagDoNotQueue)
	if err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("the stand-in portal could not own %s: %v (%v)", portalName, reply, err)
	}
	return p
}

// OpenFile is the portal's method.
func (p *standInPortal) OpenFile(sender dbus.Sender, parent, title string, options map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	return p.request("OpenFile", sender, parent, title, options)
}

// SaveFile is the portal's method.
func (p *standInPortal) SaveFile(sender dbus.Sender, parent, title string, options map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	return p.request("SaveFile", sender, parent, title, options)
}

func (p *standInPortal) request(method string, sender dbus.Sender, parent, title string, options map[string]dbus.Variant) (dbus.ObjectPath, *dbus.Error) {
	token, _ := options["handle_token"].Value().(string)
	// The documented form: the caller's unique name without ":" and with
	// "_" for ".", then the caller's token.
	who := strings.ReplaceAll(strings.TrimPrefix(string(sender), ":"), ".", "_")
	handle := dbus.ObjectPath("/org/freedesktop/portal/desktop/request/" + who + "/" + token)
	c := portalCall{Method: method, Parent: parent, Title: title, Options: options, Handle: handle}
	p.calls <- c
	status, uris := p.answer(c)
	if status == stillChoosing {
		return handle, nil
	}
	go p.conn.Emit(handle, portalResponse, status, map[string]dbus.Variant{"uris": dbus.MakeVariant(uris)})
	return handle, nil
}

// choose runs pick aside and returns its answer, bounded by t's deadline.
func choose(t *testing.T, pick func() (string, error)) (string, error) {
	t.Helper()
	type answer struct {
		path string
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		path, err := pick()
		ch <- answer{path, err}
	}()
	a := clienttest.Receive(t, "the chooser's answer", ch)
	return a.path, a.err
}

// chooses answers every request with the file at path, as an escaped
// file URI (as GLib's g_file_get_uri makes it).
func chooses(path string) func(portalCall) (uint32, []string) {
	uri := (&url.URL{Scheme: "file", Path: path}).String()
	return func(portalCall) (uint32, []string) { return 0, []string{uri} }
}

func TestPortalPickerOpen(t *testing.T) {
	addr := privateBus(t)
	chosen := filepath.Join(t.TempDir(), "a photo #1.png") // escaped in the URI
	portal := newStandInPortal(t, addr, chooses(chosen))
	picker := &portalPicker{Address: addr, Timeout: time.Hour}
	folder := t.TempDir()
	path, err := choose(t, func() (string, error) {
		return picker.Open(context.Background(), pickOptions{Title: "Open an image", Parent: "x11:2a",
			Folder: folder, Filters: openFilters})
	})
	if err != nil || path != chosen {
		t.Fatalf("Open gave %q, %v; want %q", path, err, chosen)
	}
	c := clienttest.Receive(t, "the portal's call", portal.calls)
	if c.Method != "OpenFile" || c.Title != "Open an image" || c.Parent != "x11:2a" {
		t.Errorf("called %s(%q, %q)", c.Method, c.Parent, c.Title)
	}
	if got, _ := c.Options["current_folder"].Value().([]byte); string(got) != folder+"\x00" {
		t.Errorf("current_folder %q, want %q NUL-terminated", got, folder)
	}
	if m, _ := c.Options["multiple"].Value().(bool); m {
		t.Error("asked for several files")
	}
	if m, _ := c.Options["modal"].Value().(bool); !m {
		t.Error("the chooser is not modal")
	}
	var filters []portalFilter
	if err := dbus.Store([]any{c.Options["filters"].Value()}, &filters); err != nil {
		t.Fatalf("filters: %v", err)
	}
	if len(filters) != 1 || filters[0].Name != "Images" {
		t.Fatalf("filters %+v", filters)
	}
	globs := map[string]bool{}
	for _, r := range filters[0].Rules {
		if r.Kind != 0 {
			t.Errorf("rule %+v is not a glob", r)
		}
		globs[r.Pattern] = true
	}
	for _, g := range []string{"*.png", "*.PNG", "*.jpg", "*.jpeg", "*.JPEG", "*.webp", "*.tiff"} {
		if !globs[g] {
			t.Errorf("the filter lacks %s: %v", g, globs)
		}
	}
	if _, ok := c.Options["current_filter"]; !ok {
		t.Error("no current_filter")
	}
}

func TestPortalPickerSave(t *testing.T) {
	addr := privateBus(t)
	chosen := filepath.Join(t.TempDir(), "result.jpg")
	portal := newStandInPortal(t, addr, chooses(chosen))
	picker := &portalPicker{Address: addr, Timeout: time.Hour}
	path, err := choose(t, func() (string, error) {
		return picker.Save(context.Background(), pickOptions{Title: "Save as", Name: "mask.png", Filters: saveFilters})
	})
	if err != nil || path != chosen {
		t.Fatalf("Save gave %q, %v; want %q", path, err, chosen)
	}
	c := clienttest.Receive(t, "the portal's call", portal.calls)
	if c.Method != "SaveFile" {
		t.Errorf("called %s", c.Method)
	}
	if name, _ := c.Options["current_name"].Value().(string); name != "mask.png" {
		t.Errorf("current_name %q", name)
	}
	if _, ok := c.Options["current_folder"]; ok {
		t.Error("a current_folder though none was given")
	}
}

func TestPortalPickerFolder(t *testing.T) {
	addr := privateBus(t)
	chosen := t.TempDir()
	portal := newStandInPortal(t, addr, chooses(chosen))
	picker := &portalPicker{Address: addr, Timeout: time.Hour}
	path, err := choose(t, func() (string, error) {
		return picker.Folder(context.Background(), pickOptions{Title: "Choose a folder", Folder: "/"})
	})
	if err != nil || path != chosen {
		t.Fatalf("Folder gave %q, %v; want %q", path, err, chosen)
	}
	c := clienttest.Receive(t, "the portal's call", portal.calls)
	if d, _ := c.Options["directory"].Value().(bool); c.Method != "OpenFile" || !d {
		t.Errorf("called %s with directory %v", c.Method, c.Options["directory"])
	}
	if _, ok := c.Options["filters"]; ok {
		t.Error("a folder chooser with file filters")
	}
}

func TestPortalPickerCancelled(t *testing.T) {
	addr := privateBus(t)
	newStandInPortal(t, addr, func(portalCall) (uint32, []string) { return 1, nil })
	picker := &portalPicker{Address: addr, Timeout: time.Hour}
	path, err := choose(t, func() (string, error) { return picker.Open(context.Background(), pickOptions{}) })
	if path != "" || err != nil {
		t.Fatalf("a cancelled chooser gave %q, %v", path, err)
	}
}

// With no portal on the bus the answer is at once: the bus says nobody
// owns the name, long before the (here hour-long) timeout.
func TestPortalPickerNoService(t *testing.T) {
	picker := &portalPicker{Address: privateBus(t), Timeout: time.Hour}
	_, err := choose(t, func() (string, error) { return picker.Open(context.Background(), pickOptions{}) })
	if !errors.Is(err, errNoSystemPicker) {
		t.Fatalf("no portal gave %v, want errNoSystemPicker", err)
	}
	if !strings.Contains(err.Error(), "ServiceUnknown") && !strings.Contains(err.Error(), "not provided") {
		t.Errorf("no portal: %v", err)
	}
}

func TestPortalPickerNoBus(t *testing.T) {
	picker := &portalPicker{Address: "unix:path=" + filepath.Join(t.TempDir(), "none"), Timeout: time.Hour}
	_, err := choose(t, func() (string, error) { return picker.Save(context.Background(), pickOptions{}) })
	if !errors.Is(err, errNoSystemPicker) {
		t.Fatalf("no bus gave %v, want errNoSystemPicker", err)
	}
}

// A portal that does not answer within the timeout is given up.
func TestPortalPickerSilent(t *testing.T) {
	addr := privateBus(t)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	newStandInPortal(t, addr, func(portalCall) (uint32, []string) {
		<-release
		return 1, nil
	})
	picker := &portalPicker{Address: addr, Timeout: 50 * time.Millisecond}
	_, err := choose(t, func() (string, error) { return picker.Open(context.Background(), pickOptions{}) })
	if !errors.Is(err, errNoSystemPicker) {
		t.Fatalf("a silent portal gave %v, want errNoSystemPicker", err)
	}
}

// Closing the window ends a chooser still open.
func TestPortalPickerContextEnds(t *testing.T) {
	addr := privateBus(t)
	portal := newStandInPortal(t, addr, func(portalCall) (uint32, []string) { return stillChoosing, nil })
	picker := &portalPicker{Address: addr, Timeout: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ch := make(chan error, 1)
	go func() {
		_, err := picker.Open(ctx, pickOptions{})
		ch <- err
	}()
	clienttest.Receive(t, "the portal's call", portal.calls)
	cancel() // the window closes while the designer is choosing
	if err := clienttest.Receive(t, "the chooser to end", ch); !errors.Is(err, context.Canceled) {
		t.Fatalf("gave %v, want context.Canceled", err)
	}
}

// pngFile writes a small PNG into dir.
func pngFile(t *testing.T, dir, name string) string {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 8, 6))); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// The studio opens what the portal chose, from the last folder, and
// remembers the folder.
func TestPickerOpensThePortalsChoice(t *testing.T) {
	ts := newTestStudio(t, "")
	addr := privateBus(t)
	chosen := pngFile(t, ts.dir, "photo.png")
	portal := newStandInPortal(t, addr, chooses(chosen))
	ts.desk.files.system = &portalPicker{Address: addr, Timeout: time.Hour}
	last := t.TempDir()
	ts.settings.p.SetString(openDirKey, storage.NewFileURI(last).String())
	ts.chooseFile(fieldBackground)
	c := clienttest.Receive(t, "the portal's call", portal.calls)
	if got, _ := c.Options["current_folder"].Value().([]byte); string(got) != last+"\x00" {
		t.Errorf("Open started in %q, want the last folder %q", got, last)
	}
	ts.pumpUntil("the chosen photo as the background", func() bool { return ts.doc.Input(fieldBackground) != nil })
	if got := ts.settings.p.String(openDirKey); got != storage.NewFileURI(ts.dir).String() {
		t.Errorf("remembered %q, want the photo's folder", got)
	}
}

// Save as writes where the portal chose, and the next one starts there.
func TestPickerSavesWhereThePortalChose(t *testing.T) {
	ts := newTestStudio(t, "")
	addr := privateBus(t)
	dir := t.TempDir()
	chosen := filepath.Join(dir, "kept.png")
	portal := newStandInPortal(t, addr, chooses(chosen))
	ts.desk.files.system = &portalPicker{Address: addr, Timeout: time.Hour}
	if err := os.MkdirAll(ts.out, 0o755); err != nil {
		t.Fatal(err)
	}
	ts.saveBytes("mask.png", []byte("png bytes"))
	c := clienttest.Receive(t, "the portal's call", portal.calls)
	if got, _ := c.Options["current_folder"].Value().([]byte); string(got) != ts.out+"\x00" {
		t.Errorf("the first Save as started in %q, want the output folder %q", got, ts.out)
	}
	ts.pumpUntil("the file to be saved", func() bool {
		data, err := os.ReadFile(chosen)
		return err == nil && string(data) == "png bytes"
	})
	if got := ts.desk.files.lastFolder(saveDirKey); got != dir {
		t.Errorf("the next Save as starts in %q, want %q", got, dir)
	}
}

// The Settings' Browse… takes the folder the portal chose; a start that
// does not exist yet becomes its nearest existing parent.
func TestPickerChoosesAFolder(t *testing.T) {
	ts := newTestStudio(t, "")
	addr := privateBus(t)
	chosen := t.TempDir()
	portal := newStandInPortal(t, addr, chooses(chosen))
	ts.desk.files.system = &portalPicker{Address: addr, Timeout: time.Hour}
	got := ""
	ts.desk.files.folder(filepath.Join(ts.dir, "not yet", "made"), func(path string) { got = path })
	c := clienttest.Receive(t, "the portal's call", portal.calls)
	if folder, _ := c.Options["current_folder"].Value().([]byte); string(folder) != ts.dir+"\x00" {
		t.Errorf("the folder chooser started in %q, want %q", folder, ts.dir)
	}
	ts.pumpUntil("the chosen folder", func() bool { return got != "" })
	if got != chosen {
		t.Errorf("chose %q, want %q", got, chosen)
	}
}

// With no portal on the bus the studio shows Fyne's dialogs.
func TestPickerFallsBackToFyneDialog(t *testing.T) {
	for _, tc := range []struct {
		name string
		pick func(*testStudio)
	}{
		{"open", func(ts *testStudio) { ts.chooseFile(fieldBackground) }},
		{"save", func(ts *testStudio) { ts.saveBytes("mask.png", []byte("png")) }},
		{"folder", func(ts *testStudio) { ts.desk.files.folder(ts.out, func(string) {}) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestStudio(t, "")
			ts.desk.files.system = &portalPicker{Address: privateBus(t), Timeout: time.Hour}
			if ts.win.Canvas().Overlays().Top() != nil {
				t.Fatal("an overlay before the chooser")
			}
			tc.pick(ts)
			ts.pumpUntil("Fyne's dialog", func() bool { return ts.win.Canvas().Overlays().Top() != nil })
		})
	}
}
