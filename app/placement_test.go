package app

import (
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/jobs"
	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// answer makes the studio's questions answer themselves with the choice
// whose label contains pick ("" cancels), and records what was asked.
func (ts *testStudio) answer(picks ...string) *[]string {
	asked := &[]string{}
	ts.desk.ask = func(title, message string, choices []choice) {
		*asked = append(*asked, title)
		if len(picks) == 0 {
			return // cancelled
		}
		pick := picks[0]
		picks = picks[1:]
		for _, c := range choices {
			if strings.Contains(c.label, pick) {
				c.do()
				return
			}
		}
		ts.t.Errorf("%q offered no %q", title, pick)
	}
	return asked
}

func grayPhoto(w, h int) []byte {
	img := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetGray(x, y, color.Gray{Y: uint8((x*3 + y) % 256)})
		}
	}
	return clienttest.PNG(img)
}

func TestDropsDoWhatWasMeant(t *testing.T) {
	bgJPEG := clienttest.JPEG(clienttest.Photo(120, 80))
	subject := clienttest.PNG(clienttest.Subject(60, 60))
	t.Run("opaque subject for New background asks, and can become the background", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.setMode(client.ModeBackground)
		ts.load(fieldSubject, ts.file("subj.png", subject))
		asked := ts.answer("Background instead")
		ts.load(fieldSubject, ts.file("photo.jpg", bgJPEG))
		if len(*asked) != 1 || ts.doc.Input(fieldSubject).Name != "subj.png" {
			t.Fatalf("asked %v; subject now %q", *asked, ts.doc.Input(fieldSubject).Name)
		}
		if ts.doc.Mode() != client.ModeInpaint || ts.doc.Input(fieldBackground) == nil || ts.doc.Input(fieldBackground).Name != "photo.jpg" {
			t.Errorf("Use as Background instead: mode %s, background %v", ts.doc.Mode(), ts.doc.Input(fieldBackground))
		}
	})
	t.Run("cancelled misfit changes nothing", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.setMode(client.ModeBackground)
		ts.load(fieldSubject, ts.file("subj.png", subject))
		ts.answer() // cancel
		ts.load("canvas", ts.file("photo.jpg", bgJPEG))
		if ts.doc.Input(fieldSubject).Name != "subj.png" {
			t.Errorf("a cancelled drop replaced the subject with %q", ts.doc.Input(fieldSubject).Name)
		}
	})
	t.Run("colour image on the depth slot converts, and undo brings the old depth back", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.setMode(client.ModeScene)
		ts.load(fieldDepth, ts.file("depth.png", clienttest.PNG(depth)))
		asked := ts.answer("grayscale depth")
		ts.load(fieldDepth, ts.file("photo.jpg", bgJPEG))
		ts.pumpUntil("the converted depth map", func() bool { return ts.frame.loading.Hidden }) // converted aside
		d := ts.doc.Input(fieldDepth)
		if len(*asked) != 1 || d == nil || !d.Gray || !strings.Contains(d.Name, "photo.jpg") {
			t.Fatalf("asked %v, depth %+v", *asked, d)
		}
		ts.editor.Undo()
		if ts.doc.Input(fieldDepth).Name != "depth.png" {
			t.Errorf("Ctrl+Z gave depth %q", ts.doc.Input(fieldDepth).Name)
		}
	})
	t.Run("colour mask of another shape: brightness, then crop", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.load("canvas", ts.file("room.jpg", clienttest.JPEG(clienttest.Photo(1200, 800))))
		asked := ts.answer("brightness", "Crop")
		ts.load(fieldMask, ts.file("colour.jpg", clienttest.JPEG(clienttest.Photo(1600, 1200))))
		ts.pumpUntil("both conversions", func() bool { return strings.Contains(ts.doc.MaskName(), "cropped") })
		if strings.Join(*asked, "|") != "Not a mask|The mask has another shape" {
			t.Fatalf("asked %v", *asked)
		}
		if ts.editor.Mask().IsEmpty() || !strings.Contains(ts.doc.MaskName(), "cropped") {
			t.Errorf("mask %q empty=%v", ts.doc.MaskName(), ts.editor.Mask().IsEmpty())
		}
	})
	t.Run("transparent PNG on the canvas becomes the subject", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.load("canvas", ts.file("room.jpg", bgJPEG))
		ts.paint()
		ts.load("canvas", ts.file("vase.png", subject))
		if ts.doc.Input(fieldBackground).Name != "room.jpg" || ts.doc.Input(fieldSubject) == nil || ts.editor.Mask().IsEmpty() {
			t.Fatalf("background %q subject %v mask empty %v", ts.doc.Input(fieldBackground).Name, ts.doc.Input(fieldSubject), ts.editor.Mask().IsEmpty())
		}
		if !strings.Contains(ts.frame.status.Text, "Subject") {
			t.Errorf("status %q does not say where it went", ts.frame.status.Text)
		}
	})
	t.Run("grayscale of the background's shape becomes the mask", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.load("canvas", ts.file("room.jpg", bgJPEG))
		ts.load("canvas", ts.file("mask.png", clienttest.PNG(clienttest.Mask(240, 160, image.Rect(40, 40, 120, 100)))))
		if ts.doc.Input(fieldBackground).Name != "room.jpg" || ts.editor.Mask().IsEmpty() {
			t.Fatalf("background %q mask empty %v", ts.doc.Input(fieldBackground).Name, ts.editor.Mask().IsEmpty())
		}
	})
	t.Run("a photo of another size replaces the background one undo away, mask included", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.load("canvas", ts.file("room.jpg", bgJPEG))
		ts.paint()
		painted := ts.editor.Mask().Gray()
		ts.load("canvas", ts.file("gray.png", grayPhoto(90, 90))) // on the Jobs panel, say
		if ts.doc.Input(fieldBackground).Name != "gray.png" {
			t.Fatalf("background %q", ts.doc.Input(fieldBackground).Name)
		}
		ts.editor.Undo()
		if ts.doc.Input(fieldBackground).Name != "room.jpg" {
			t.Fatalf("Ctrl+Z gave background %q", ts.doc.Input(fieldBackground).Name)
		}
		if got := ts.editor.Mask().Gray(); got.Rect != painted.Rect || string(got.Pix) != string(painted.Pix) {
			t.Error("the painted mask did not come back with the background")
		}
	})
	t.Run("several files on the subject slot say which was used", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.load(fieldSubject, ts.file("a.png", subject), ts.file("b.png", subject))
		if ts.doc.Input(fieldSubject).Name != "a.png" || !strings.Contains(ts.frame.status.Text, "b.png") {
			t.Errorf("subject %q, status %q", ts.doc.Input(fieldSubject).Name, ts.frame.status.Text)
		}
	})
	t.Run("the engine stays named and small uploads are in KB", func(t *testing.T) {
		ts := newTestStudio(t, "")
		ts.load("canvas", ts.file("room.jpg", bgJPEG))
		ts.load(fieldSubject, ts.file("vase.png", subject))
		ts.paint()
		if ts.frame.meter.Text != "Local engine · free" || !strings.Contains(ts.request.estimate.Text, " KB") {
			t.Errorf("meter %q, estimate %q", ts.frame.meter.Text, ts.request.estimate.Text)
		}
	})
}

// TestRemoveObjectChangesOnlyTheMask: Inpaint without a subject, on the
// local engine, fills the masked area from around it; every pixel outside
// the mask is the original's.
func TestRemoveObjectChangesOnlyTheMask(t *testing.T) {
	ts := newTestStudio(t, "")
	photo := clienttest.Photo(160, 120)
	ts.load("canvas", ts.file("room.png", clienttest.PNG(photo)))
	ts.paint()
	if ts.request.generate.Disabled() || !strings.Contains(ts.request.estimate.Text, "removes what is masked") {
		t.Fatalf("Generate without a subject: disabled=%v %q %q", ts.request.generate.Disabled(), ts.request.reason.Text, ts.request.estimate.Text)
	}
	mask := ts.editor.Mask().Gray()
	ts.Generate()
	j := ts.waitJobs(1)[0]
	if j.Status != jobs.Done {
		t.Fatalf("%s %q", j.Status, j.Error)
	}
	got := ts.resultOf(j)
	changed := 0
	for y := range 120 {
		for x := range 160 {
			o, g := photo.NRGBAAt(x, y), got.NRGBAAt(x, y)
			if mask.GrayAt(x, y).Y == 0 && o != g {
				t.Fatalf("pixel (%d,%d) outside the mask changed: %v → %v", x, y, o, g)
			}
			if o != g {
				changed++
			}
		}
	}
	if changed == 0 {
		t.Error("nothing inside the mask changed")
	}
}

// TestToolKeysWorkAfterClickingControls: after a click on a drop-down, a
// check box, a slider or the job list (each takes the keyboard), B, E, L
// and M still pick the canvas's tools; in a text field they are text.
func TestToolKeysWorkAfterClickingControls(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.load("canvas", ts.file("room.jpg", clienttest.JPEG(clienttest.Photo(120, 80))))
	c := ts.win.Canvas()
	controls := map[string]fyne.Focusable{
		"drop-down": ts.request.variations, "check box": ts.request.seedLock, "slider": ts.frame.bar.size, "job list": ts.queue.list,
	}
	// Every control of the window that takes the keyboard on a click (a
	// check box, a drop-down, a slider, a list: Fyne's buttons do not) is
	// one that passes the tool keys on.
	for i, o := range focusables(ts.win.Canvas().Content()) {
		switch o.(type) {
		case *keyCheck, *keySelect, *keySlider, *keyList, *widget.Entry, *escEntry, *widget.Button, *tipButton, *zcanvas.Editor:
		default:
			t.Errorf("a %T takes the keyboard on a click and keeps the tool keys", o)
		}
		switch o.(type) {
		case *widget.Entry, *escEntry: // text fields keep their letters
		default:
			controls[fmt.Sprintf("control %d (%T)", i, o)] = o
		}
	}
	if len(controls) < 10 {
		t.Fatalf("only %d controls found", len(controls))
	}
	for name, ctl := range controls {
		if _, isButton := ctl.(*widget.Button); isButton {
			continue // a click does not give a button the keyboard
		}
		if _, isButton := ctl.(*tipButton); isButton {
			continue
		}
		c.Focus(ctl)
		for _, k := range []struct {
			r    rune
			want zcanvas.Tool
		}{{'e', zcanvas.ToolEraser}, {'b', zcanvas.ToolBrush}, {'l', zcanvas.ToolLasso}, {'m', zcanvas.ToolRect}, {'b', zcanvas.ToolBrush}} {
			c.Focused().TypedRune(k.r)
			if got := ts.editor.Tool(); got != k.want {
				t.Errorf("after clicking the %s, %q gave %v, want %v", name, k.r, got, k.want)
			}
		}
		if ts.frame.bar.tools[zcanvas.ToolBrush].Importance != widget.HighImportance {
			t.Errorf("the bar does not show the brush after the %s's keys", name)
		}
	}
	// With nothing focused, the window passes them on too.
	c.Unfocus()
	test.TypeOnCanvas(c, "e")
	if ts.editor.Tool() != zcanvas.ToolEraser {
		t.Errorf("with nothing focused, e gave %v", ts.editor.Tool())
	}
	// In the prompt, letters are text.
	c.Focus(ts.request.prompt)
	test.Type(ts.request.prompt, "b")
	if ts.editor.Tool() != zcanvas.ToolEraser || !strings.Contains(ts.request.prompt.Text, "b") {
		t.Errorf("typing b in the prompt: tool %v, prompt %q", ts.editor.Tool(), ts.request.prompt.Text)
	}
}

// productShot is a subject photographed on a plain light grey sweep: no
// transparency, as a designer's product shots are.
func productShot(w, h int) []byte {
	sub := clienttest.Subject(w*2/3, h*2/3)
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	off := image.Pt(w/6, h/6)
	for y := range h {
		for x := range w {
			g := uint8(225 - y*20/h) // a gentle sweep
			c := color.NRGBA{g, g, g, 255}
			if p := image.Pt(x, y).Sub(off); p.In(sub.Rect) {
				s := sub.NRGBAAt(p.X, p.Y)
				a := uint32(s.A)
				c = color.NRGBA{uint8((uint32(s.R)*a + uint32(g)*(255-a)) / 255), uint8((uint32(s.G)*a + uint32(g)*(255-a)) / 255),
					uint8((uint32(s.B)*a + uint32(g)*(255-a)) / 255), 255}
			}
			out.SetNRGBA(x, y, c)
		}
	}
	return clienttest.JPEG(out)
}

// TestCutOutAnOpaqueSubject: an opaque product shot dropped on New
// background's Subject slot offers the cut-out; afterwards the subject has
// a transparent backdrop and Generate is enabled; Ctrl+Z gives the shot back.
func TestCutOutAnOpaqueSubject(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.setMode(client.ModeBackground)
	asked := ts.answer("Cut out")
	ts.load(fieldSubject, ts.file("bottle.jpg", productShot(240, 240)))
	ts.pumpUntil("the cut-out", func() bool { s := ts.doc.Input(fieldSubject); return s != nil && s.Transparent })
	if len(*asked) != 1 || ts.request.generate.Disabled() {
		t.Fatalf("asked %v; Generate disabled: %s", *asked, ts.request.reason.Text)
	}
	if s := ts.doc.Input(fieldSubject); s.Info.Format != "png" || !strings.Contains(s.Name, "cut out") {
		t.Errorf("subject %q %s", s.Name, s.Info.Format)
	}
}

// focusables are the visible objects of the window that can take the
// keyboard.
func focusables(root fyne.CanvasObject) []fyne.Focusable {
	var out []fyne.Focusable
	walkTree(root, func(o fyne.CanvasObject) bool {
		if !o.Visible() {
			return false
		}
		if f, ok := o.(fyne.Focusable); ok {
			out = append(out, f)
		}
		_, isEntry := o.(*widget.Entry)
		return !isEntry
	})
	return out
}
