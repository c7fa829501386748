package document

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/zeninpaint/studio/client"
)

// fakeMask is a canvas's mask: its history's steps (their identities)
// and the pixels.
type fakeMask struct {
	steps []uint64
	next  uint64
	pix   *image.Gray
}

func (m *fakeMask) Position() uint64 {
	if len(m.steps) == 0 {
		return 0
	}
	return m.steps[len(m.steps)-1]
}

// step records a new step of the canvas.
func (m *fakeMask) step() { m.next++; m.steps = append(m.steps, m.next) }

// undo takes the canvas's last step back.
func (m *fakeMask) undo() { m.steps = m.steps[:len(m.steps)-1] }
func (m *fakeMask) Copy() *image.Gray {
	if m.pix == nil {
		return nil
	}
	c := *m.pix
	c.Pix = slices.Clone(m.pix.Pix)
	return &c
}
func (m *fakeMask) Restore(g *image.Gray) { m.pix = g; m.step() }

// paint is a stroke on the canvas.
func (m *fakeMask) paint(v uint8) {
	if m.pix == nil {
		m.pix = image.NewGray(image.Rect(0, 0, 8, 8))
	}
	m.pix.Pix[0] = v
	m.step()
}

func picture(t *testing.T, name string, c color.Color) *Picture {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 8, 8))
	draw.Draw(img, img.Rect, image.NewUniform(c), image.Point{}, draw.Src)
	p, err := FromPixels(name, img)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// names is the document's inputs, role: name.
func names(d *Document) map[client.Role]string {
	out := map[client.Role]string{}
	for r, p := range d.Inputs() {
		out[r] = p.Name
	}
	return out
}

func TestEveryEditUndoesAndRedoes(t *testing.T) {
	red, blue := color.NRGBA{200, 0, 0, 255}, color.NRGBA{0, 0, 200, 255}
	type setup func(t *testing.T, d *Document, m *fakeMask)
	start := func(t *testing.T, d *Document, m *fakeMask) {
		d.Replace(Replaced, client.RoleBackground, picture(t, "bg.png", red), nil)
		d.Replace(Replaced, client.RoleSubject, picture(t, "sub.png", blue), nil)
		m.paint(255)
	}
	for _, tc := range []struct {
		name   string
		edit   setup
		after  map[client.Role]string
		roles  []client.Role
		mask   uint8 // the mask's first pixel after the undo
		batchN int   // after the edit
	}{
		{"replace the background", func(t *testing.T, d *Document, _ *fakeMask) {
			d.Replace(Replaced, client.RoleBackground, picture(t, "new.png", blue), []*Picture{picture(t, "b2.png", red)})
		}, map[client.Role]string{client.RoleBackground: "new.png", client.RoleSubject: "sub.png"}, []client.Role{client.RoleBackground}, 255, 1},
		{"replace the subject", func(t *testing.T, d *Document, _ *fakeMask) {
			d.Replace(Replaced, client.RoleSubject, picture(t, "sub2.png", red), nil)
		}, map[client.Role]string{client.RoleBackground: "bg.png", client.RoleSubject: "sub2.png"}, []client.Role{client.RoleSubject}, 255, 0},
		{"clear the subject", func(t *testing.T, d *Document, _ *fakeMask) { d.Clear(client.RoleSubject) },
			map[client.Role]string{client.RoleBackground: "bg.png"}, []client.Role{client.RoleSubject}, 255, 0},
		{"cut out the subject", func(t *testing.T, d *Document, _ *fakeMask) {
			d.Replace(CutOut, client.RoleSubject, picture(t, "sub cut out.png", color.NRGBA{0, 0, 200, 0}), nil)
		}, map[client.Role]string{client.RoleBackground: "bg.png", client.RoleSubject: "sub cut out.png"}, []client.Role{client.RoleSubject}, 255, 0},
		{"expand", func(t *testing.T, d *Document, m *fakeMask) {
			d.Expand(picture(t, "bg expanded.png", red))
			m.pix = image.NewGray(image.Rect(0, 0, 8, 8))
			m.paint(77) // the border, imported with the edit
			d.SetMaskName("the new border")
			d.MarkUndoPoint()
		}, map[client.Role]string{client.RoleBackground: "bg expanded.png"}, []client.Role{client.RoleBackground, client.RoleSubject}, 255, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := &fakeMask{}
			d := New(m)
			start(t, d, m)
			before := names(d)
			var changed []client.Role
			d.OnChange(func(c Change) {
				if c.Aspect == InputChanged {
					changed = append(changed, c.Role)
				}
			})
			tc.edit(t, d, m)
			if got := names(d); !reflect.DeepEqual(got, tc.after) {
				t.Fatalf("after the edit: %v, want %v", got, tc.after)
			}
			if len(d.Batch()) != tc.batchN {
				t.Errorf("batch of %d after the edit, want %d", len(d.Batch()), tc.batchN)
			}
			if !reflect.DeepEqual(changed, tc.roles) {
				t.Errorf("listeners told of %v, want %v", changed, tc.roles)
			}
			afterMask := m.pix.Pix[0]
			e, ok := d.Undo()
			if !ok || e.Role != tc.roles[0] {
				t.Fatalf("Undo = %v, %v", e.Role, ok)
			}
			if got := names(d); !reflect.DeepEqual(got, before) {
				t.Errorf("after the undo: %v, want %v", got, before)
			}
			if m.pix.Pix[0] != tc.mask || len(d.Batch()) != 0 {
				t.Errorf("after the undo: mask %d (want %d), batch %d", m.pix.Pix[0], tc.mask, len(d.Batch()))
			}
			if _, ok := d.Redo(); !ok {
				t.Fatal("nothing to redo")
			}
			if got := names(d); !reflect.DeepEqual(got, tc.after) || len(d.Batch()) != tc.batchN {
				t.Errorf("after the redo: %v (batch %d), want %v", got, len(d.Batch()), tc.after)
			}
			if m.pix.Pix[0] != afterMask {
				t.Errorf("after the redo: mask %d, want %d", m.pix.Pix[0], afterMask)
			}
		})
	}
}

func TestStrokesAreUndoneBeforeTheEdit(t *testing.T) {
	m := &fakeMask{}
	d := New(m)
	d.Replace(Replaced, client.RoleBackground, picture(t, "a.png", color.White), nil)
	d.Replace(Replaced, client.RoleBackground, picture(t, "b.png", color.Black), nil)
	m.paint(9)
	if d.CanUndo() {
		t.Fatal("the edit can be undone before the stroke made after it")
	}
	if _, ok := d.Undo(); ok {
		t.Fatal("Undo took the edit back over a stroke")
	}
	m.undo() // the canvas undoes its stroke
	if e, ok := d.Undo(); !ok || !e.Restores() || d.Input(client.RoleBackground).Name != "a.png" {
		t.Fatalf("the edit was not undone after the stroke: %v", ok)
	}
	if !d.CanRedo() {
		t.Fatal("nothing to redo")
	}
	m.paint(3)
	if d.CanRedo() {
		t.Error("a redo over a new stroke")
	}
	d.Replace(Replaced, client.RoleSubject, picture(t, "s.png", color.White), nil)
	if _, ok := d.Redo(); ok {
		t.Error("a new edit did not end the redo")
	}
}

func TestDepthAndPreviewExcludeEachOther(t *testing.T) {
	d := New(nil)
	d.SetMode(client.ModeScene)
	d.Replace(Replaced, client.RoleDepth, picture(t, "depth.png", color.Gray{128}), nil)
	if d.MainRole() != client.RoleDepth {
		t.Errorf("main role %s", d.MainRole())
	}
	d.Replace(Replaced, client.RolePreview, picture(t, "render.png", color.NRGBA{1, 2, 3, 255}), nil)
	if d.Input(client.RoleDepth) != nil || d.MainRole() != client.RolePreview {
		t.Fatalf("depth and preview both kept: %v", names(d))
	}
	d.Undo()
	if d.Input(client.RoleDepth) == nil || d.Input(client.RolePreview) != nil {
		t.Fatalf("the undo did not bring the depth map back alone: %v", names(d))
	}
}

func TestHistoryIsBounded(t *testing.T) {
	d := New(nil)
	for i := range 2 * maxHistory {
		d.Replace(Replaced, client.RoleSubject, picture(t, string(rune('a'+i))+".png", color.White), nil)
	}
	n := 0
	for d.CanUndo() {
		d.Undo()
		n++
	}
	if n != maxHistory {
		t.Errorf("%d undo steps, want %d", n, maxHistory)
	}
}

func TestModeTextViewAndShown(t *testing.T) {
	d := New(nil)
	var got []Change
	d.OnChange(func(c Change) { got = append(got, c) })
	d.SetMode("no such mode")
	d.SetMode(client.ModeBackground)
	d.SetMode(client.ModeBackground)
	d.SetText(Text{Prompt: "a vase", Seed: "7"})
	d.SetText(Text{Prompt: "a vase", Seed: "7"})
	d.SetView(View{Zoom: 2})
	d.Show(client.ModeBackground, "job-1")
	d.Show(client.ModeBackground, "")
	want := []Change{{Aspect: ModeChanged}, {Aspect: TextChanged}, {Aspect: ViewChanged},
		{Aspect: ShownChanged, Mode: client.ModeBackground}, {Aspect: ShownChanged, Mode: client.ModeBackground}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes %v, want %v", got, want)
	}
	if d.Mode() != client.ModeBackground || d.MainRole() != client.RoleSubject || d.Shown(client.ModeBackground) != "" {
		t.Errorf("mode %s, main %s", d.Mode(), d.MainRole())
	}
}

func TestWorkspaceRoundTrip(t *testing.T) {
	dir := t.TempDir()
	m := &fakeMask{}
	d := New(m)
	d.Replace(Replaced, client.RoleBackground, picture(t, "bg.png", color.NRGBA{10, 20, 30, 255}), []*Picture{picture(t, "more.png", color.White)})
	d.Replace(Replaced, client.RoleSubject, picture(t, "sub.png", color.NRGBA{0, 0, 0, 0}), nil)
	d.Replace(Replaced, client.RoleDepth, picture(t, "depth.png", color.Gray{90}), nil)
	d.SetMaskName("mask.png")
	d.SetText(Text{Prompt: "a meadow", Negative: "fog", Seed: "42", SeedLocked: true})
	d.SetView(View{Zoom: 1.5, OriginX: 3, OriginY: 4})
	d.SetMode(client.ModeScene)
	m.paint(200)
	if _, err := d.Snapshot(m.Copy()).Write(dir); err != nil {
		t.Fatal(err)
	}
	s, err := Read(dir)
	if err != nil || s == nil {
		t.Fatalf("Read: %v, %v", s, err)
	}
	back := New(nil)
	back.Restore(s)
	if !reflect.DeepEqual(names(back), names(d)) || len(back.Batch()) != 1 || back.Batch()[0].Name != "more.png" {
		t.Errorf("inputs %v batch %d, want %v", names(back), len(back.Batch()), names(d))
	}
	if back.Text() != d.Text() || back.Mode() != client.ModeScene || back.MaskName() != "mask.png" || *back.View() != *d.View() {
		t.Errorf("restored %+v %s %q %+v", back.Text(), back.Mode(), back.MaskName(), back.View())
	}
	if len(s.Mask) == 0 {
		t.Error("the mask was not saved")
	}
	if back.CanUndo() {
		t.Error("a restored workspace has history")
	}

	// A second save without the depth map deletes its file.
	files := func() int { e, _ := os.ReadDir(dir); return len(e) }
	n := files()
	d.Clear(client.RoleDepth)
	if _, err := d.Snapshot(nil).Write(dir); err != nil {
		t.Fatal(err)
	}
	if files() != n-2 { // the depth map and the mask
		t.Errorf("%d files after dropping the depth map and the mask, want %d", files(), n-2)
	}
}

// TestKeptMask saves a workspace, then one that keeps the mask saved
// before instead of carrying it again (as a save after a typed word does):
// the mask reads back the same; a kept mask whose file is gone is an
// error that leaves the last workspace whole.
func TestKeptMask(t *testing.T) {
	dir := t.TempDir()
	m := &fakeMask{}
	d := New(m)
	d.Replace(Replaced, client.RoleBackground, picture(t, "bg.png", color.NRGBA{10, 20, 30, 255}), nil)
	m.paint(200)
	blob, err := d.Snapshot(m.Copy()).Write(dir)
	if err != nil || blob == "" {
		t.Fatalf("first save: %q, %v", blob, err)
	}
	first, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	d.SetText(Text{Prompt: "typed since"})
	snap := d.Snapshot(nil)
	snap.KeepMask(blob)
	if again, err := snap.Write(dir); err != nil || again != blob {
		t.Fatalf("second save: %q, %v; want %q", again, err, blob)
	}
	second, err := Read(dir)
	if err != nil {
		t.Fatal(err)
	}
	if second.Text.Prompt != "typed since" || !bytes.Equal(second.Mask, first.Mask) || len(second.Mask) == 0 {
		t.Fatalf("read back prompt %q, mask %d bytes (first save's %d)", second.Text.Prompt, len(second.Mask), len(first.Mask))
	}

	if err := os.Remove(filepath.Join(dir, blob)); err != nil {
		t.Fatal(err)
	}
	d.SetText(Text{Prompt: "not saved"})
	snap = d.Snapshot(nil)
	snap.KeepMask(blob)
	if _, err := snap.Write(dir); !errors.Is(err, ErrKeptMaskGone) {
		t.Fatalf("a kept mask that is gone: %v, want ErrKeptMaskGone", err)
	}
	if back, err := Read(dir); err != nil || back.Text.Prompt != "typed since" {
		t.Fatalf("after the failed save the workspace reads %v, %v", back, err)
	}
}

func TestReadFailures(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(dir string) error
		ok    bool // read without an error
	}{
		{"no workspace", func(string) error { return nil }, true},
		{"damaged JSON", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "workspace.json"), []byte(`{"mode": `), 0o600)
		}, false},
		{"a folder in its place", func(dir string) error { return os.Mkdir(filepath.Join(dir, "workspace.json"), 0o700) }, false},
		{"missing and hostile blobs", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "workspace.json"), []byte(`{"version":2,"mode":"inpaint","prompt":"kept",
			"inputs":{"background":{"name":"x","blob":"../../etc/passwd"},"subject":{"name":"y","blob":"`+
				"0000000000000000000000000000000000000000000000000000000000000000"+`"}}}`), 0o600)
		}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := tc.write(dir); err != nil {
				t.Fatal(err)
			}
			s, err := Read(dir)
			if (err == nil) != tc.ok {
				t.Fatalf("Read error %v, want ok=%v", err, tc.ok)
			}
			if s != nil && (len(s.Inputs) != 0 || s.Text.Prompt != "kept") {
				t.Errorf("read %+v", s)
			}
		})
	}
}

func TestAFirstPictureIsNoUndoStep(t *testing.T) {
	m := &fakeMask{}
	d := New(m)
	d.Replace(Replaced, client.RoleBackground, picture(t, "a.png", color.White), nil)
	if d.CanUndo() {
		t.Fatal("Ctrl+Z would take the first picture away")
	}
	m.paint(1)
	d.Replace(Replaced, client.RoleBackground, picture(t, "b.png", color.White), nil)
	if !d.CanUndo() {
		t.Fatal("a replaced picture with a mask over it cannot be undone")
	}
}

// TestNoRedoOnAnotherBranch: undo an edit, undo a stroke, paint a new one:
// the mask is as deep as before, but on another branch, and the edit is
// not redone.
func TestNoRedoOnAnotherBranch(t *testing.T) {
	m := &fakeMask{}
	d := New(m)
	d.Replace(Replaced, client.RoleBackground, picture(t, "bg.png", color.White), nil)
	m.paint(1)
	m.paint(2)
	d.Replace(Replaced, client.RoleSubject, picture(t, "a.png", color.White), nil)
	d.Replace(Replaced, client.RoleSubject, picture(t, "b.png", color.White), nil)
	if _, ok := d.Undo(); !ok {
		t.Fatal("the edit was not undone")
	}
	m.undo()   // Ctrl+Z: a stroke
	m.paint(3) // a new stroke: as many steps as before
	if d.CanRedo() {
		t.Error("the edit would be redone over a stroke on another branch")
	}
}

// TestWriteFailures: a workspace folder that cannot be made (a file in its
// place) and a workspace.json that cannot be replaced (a folder in its
// place) are errors, not a silent loss.
func TestWriteFailures(t *testing.T) {
	m := &fakeMask{}
	d := New(m)
	d.Replace(Replaced, client.RoleBackground, picture(t, "bg.png", color.NRGBA{10, 20, 30, 255}), nil)
	m.paint(200)
	for _, tc := range []struct {
		name string
		dir  func(t *testing.T) string
	}{
		{"a file in the folder's place", func(t *testing.T) string {
			file := filepath.Join(t.TempDir(), "workspace")
			if err := os.WriteFile(file, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return file
		}},
		{"a folder in workspace.json's place", func(t *testing.T) string {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "workspace.json"), 0o700); err != nil {
				t.Fatal(err)
			}
			return dir
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if blob, err := d.Snapshot(m.Copy()).Write(tc.dir(t)); err == nil {
				t.Errorf("no error (mask file %q)", blob)
			}
		})
	}
}
