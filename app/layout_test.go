package app

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// laptopSizes are the windows of real laptops the layout must fit.
var laptopSizes = []fyne.Size{{Width: 1024, Height: 700}, {Width: 1280, Height: 800}, {Width: 1400, Height: 880}}

// sampleJobs are rows of every kind, with the longest texts the queue
// shows.
func sampleJobs() []jobs.Job {
	now := time.Now()
	in := map[client.Role]jobs.Input{"background": {Name: "IMG_20261129_153012_living-room.jpg", Width: 6000, Height: 4000}}
	return []jobs.Job{
		{ID: "a1b2c3d4e5f6a7b8", Mode: client.ModeScene, Server: jobs.Server{Local: true}, Status: jobs.Done, Progress: 1,
			Inputs: map[client.Role]jobs.Input{client.RoleDepth: {Name: "depth.png"}}, Seed: 123456789, Created: now, Started: now, Finished: now,
			ResultPath: filepath.Join("Pictures", "Zen Inpaint", "2026-12-01 101010 scene seed 123456789 a1b2c3.png")},
		{ID: "b1b2c3d4e5f6a7b8", Mode: client.ModeInpaint, Server: jobs.Server{SyncURL: "https://x"}, Status: jobs.Failed, Progress: -1,
			Inputs: in, Seed: 987654321, Credits: 0.05, Billing: jobs.MaybeBilled, Created: now, Started: now, Finished: now,
			Error: jobs.Explain(client.ErrOutcomeUnknown)},
		{ID: "c1b2c3d4e5f6a7b8", Mode: client.ModeBackground, Server: jobs.Server{SyncURL: "https://x"}, Async: true, Status: jobs.Cancelled,
			Ticket: "t-1", Progress: -1, Inputs: map[client.Role]jobs.Input{"subject": {Name: "bottle.png"}}, Seed: 5, Credits: 0.04, Billing: jobs.Charged,
			Error: "Stopped waiting. The server may still finish (and bill) this job; Check again looks for its result."},
		{ID: "d1b2c3d4e5f6a7b8", Mode: client.ModeInpaint, Server: jobs.Server{SyncURL: "https://x"}, Async: true, Status: jobs.Processing,
			Progress: 0.42, Inputs: in, Seed: 42, Credits: 0.04, Billing: jobs.Charged, Created: now, Started: now},
	}
}

// TestLayoutFitsLaptopWindows: at 1024×700, 1280×800 and 1400×880, in
// every mode, with inputs, a mask and jobs of every kind, the window keeps
// its size, and every button, drop-down, check box, slot and job action is
// inside it (or in a panel that scrolls up and down), whole, with its text
// uncut.
func TestLayoutFitsLaptopWindows(t *testing.T) {
	for _, size := range laptopSizes {
		for _, mode := range client.Modes {
			t.Run(fmt.Sprintf("%.0fx%.0f %s", size.Width, size.Height, mode), func(t *testing.T) {
				ts := newTestStudio(t, "")
				ts.queue.jobs = sampleJobs() // rows laid out at another width first
				ts.queue.list.Refresh()
				ts.win.Canvas().Capture()
				ts.win.Resize(size)
				switch mode {
				case client.ModeInpaint:
					ts.load("canvas", ts.file("IMG_20261129_153012_living-room.jpg", clienttest.JPEG(clienttest.Photo(300, 200))))
					ts.load(fieldSubject, ts.file("a-rather-long-product-name-bottle.png", clienttest.PNG(cutout)))
					ts.paint()
				case client.ModeScene:
					ts.setMode(mode)
					ts.load("canvas", ts.file("depth.png", clienttest.PNG(depth)))
				case client.ModeBackground:
					ts.setMode(mode)
					ts.load("canvas", ts.file("bottle.png", clienttest.PNG(cutout)))
				}
				ts.queue.jobs = sampleJobs()
				ts.queue.list.Refresh()
				ts.pump()
				// The designer resizes the window: nothing else changes.
				ts.win.Resize(fyne.NewSize(1700, 1000))
				ts.win.Canvas().Capture()
				ts.win.Resize(size)
				ts.win.Canvas().Capture()
				if got := ts.win.Canvas().Size(); got != size {
					t.Fatalf("the window grew to %v", got)
				}
				if m := ts.win.Content().MinSize(); m.Width > size.Width || m.Height > size.Height {
					t.Errorf("the content needs %v", m)
				}
				checkLayout(t, ts, size)
				checkRoomToWrite(t, ts, size)
			})
		}
	}
}

// TestRoomToWriteWithEmptySlots: at the start (every slot empty) and
// with only a background and a mask (the subject is optional), the prompt
// and the settings have the room checkRoomToWrite asks for, at the laptop
// sizes and in the window a 1024×700 screen gives (its title bar taken).
func TestRoomToWriteWithEmptySlots(t *testing.T) {
	onSmallScreen := fitToScreen(fyne.NewSize(1400, 880), fyne.NewSize(1024, 700))
	for _, size := range append(laptopSizes, onSmallScreen) {
		for _, filled := range []bool{false, true} {
			t.Run(fmt.Sprintf("%.0fx%.0f background %v", size.Width, size.Height, filled), func(t *testing.T) {
				ts := newTestStudio(t, "")
				if filled {
					ts.load("canvas", ts.file("IMG_20261129_153012_living-room.jpg", clienttest.JPEG(clienttest.Photo(300, 200))))
					ts.paint()
				}
				ts.request.prompt.SetText("a red ceramic vase standing in the grass,\nsoft evening light")
				ts.win.Resize(size)
				ts.win.Canvas().Capture()
				checkLayout(t, ts, size)
				checkRoomToWrite(t, ts, size)
			})
		}
	}
}

// checkLayout walks the window's objects.
func checkLayout(t *testing.T, ts *testStudio, size fyne.Size) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	checked := 0
	var walk func(o fyne.CanvasObject, scrolled bool)
	walk = func(o fyne.CanvasObject, scrolled bool) {
		if o == nil || !o.Visible() {
			return
		}
		name := ""
		switch w := o.(type) {
		case *widget.Button:
			name = "button " + w.Text
		case *tipButton:
			name = "button " + w.Text + " (" + w.tip + ")"
		case *keySelect:
			name = "drop-down " + w.Selected
			textW := fyne.MeasureText(w.Selected, theme.TextSize(), fyne.TextStyle{}).Width
			if textW+theme.IconInlineSize()+4*theme.InnerPadding() > w.Size().Width+1 {
				t.Errorf("drop-down %q is cut: %v wide for %.0f of text", w.Selected, w.Size().Width, textW)
			}
		case *escEntry:
			if !w.MultiLine && w.Text != "" {
				textW := fyne.MeasureText(w.Text, theme.TextSize(), w.TextStyle).Width
				if textW+2*theme.InnerPadding()+2*theme.Padding() > w.Size().Width+1 {
					t.Errorf("field %q is cut: %v wide for %.0f of text", w.Text, w.Size().Width, textW)
				}
			}
		case *widget.Entry:
			if !w.MultiLine && w.Text != "" {
				textW := fyne.MeasureText(w.Text, theme.TextSize(), w.TextStyle).Width
				if textW+2*theme.InnerPadding()+2*theme.Padding() > w.Size().Width+1 {
					t.Errorf("field %q is cut: %v wide for %.0f of text", w.Text, w.Size().Width, textW)
				}
			}
		case *keyCheck:
			name = "check box " + w.Text
		case *tipLabel:
			// A slot's caption is one line cut short on purpose: the
			// whole text shows as its tooltip (TestCutSlotNamesShowWhole).
		case *widget.Label:
			if w.Text != "" && w.Truncation != fyne.TextTruncateOff {
				textSize := theme.TextSize()
				if w.SizeName != "" {
					textSize = theme.Size(w.SizeName)
				}
				textW := fyne.MeasureText(w.Text, textSize, w.TextStyle).Width
				if textW+2*theme.InnerPadding() > w.Size().Width+1 {
					t.Errorf("label %q is cut at %v", w.Text, w.Size().Width)
				}
			}
			if w.Text != "" && w.Wrapping != fyne.TextWrapOff && w.MinSize().Height > w.Size().Height+1 {
				t.Errorf("wrapped label %q needs %v but has %v", w.Text, w.MinSize().Height, w.Size().Height)
			}
		}
		if r, ok := o.(*row); ok && r.Size().Height+1 < r.content.MinSize().Height {
			t.Errorf("job row %q is %v tall but its texts need %v", r.title.Text, r.Size().Height, r.content.MinSize().Height)
		}
		for f, sl := range ts.inputs.slots {
			if o == sl.card {
				name = "slot " + string(f)
			}
		}
		if name != "" {
			checked++
			pos, sz := d.AbsolutePositionForObject(o), o.Size()
			if sz.Width+1 < o.MinSize().Width || sz.Height+1 < o.MinSize().Height {
				t.Errorf("%s is squeezed: %v, needs %v", name, sz, o.MinSize())
			}
			out := pos.X < -1 || pos.X+sz.Width > size.Width+1
			if !scrolled {
				out = out || pos.Y < -1 || pos.Y+sz.Height > size.Height+1
			}
			if out {
				t.Errorf("%s lies outside the window: at %v, %v", name, pos, sz)
			}
		}
		if s, ok := o.(*container.Scroll); ok && s.Direction != container.ScrollVerticalOnly {
			t.Errorf("a panel scrolls sideways (direction %v)", s.Direction)
		}
		if _, ok := o.(*widget.Entry); ok {
			return // its own scrolling text
		}
		if _, ok := o.(*escEntry); ok {
			return
		}
		_, isScroll := o.(*container.Scroll)
		_, isList := o.(*keyList)
		inner := scrolled || isScroll || isList
		if c, ok := o.(*fyne.Container); ok {
			for _, child := range c.Objects {
				walk(child, inner)
			}
		}
		if w, ok := o.(fyne.Widget); ok {
			if r := test.WidgetRenderer(w); r != nil {
				for _, child := range r.Objects() {
					walk(child, inner)
				}
			}
		}
	}
	walk(ts.win.Canvas().Content(), false)
	if checked < 20 {
		t.Errorf("only %d controls checked: the walk missed the window", checked)
	}
}

// checkRoomToWrite: the prompt shows three lines at least, whole, without
// scrolling; from 1280×800 up the seed, the variations, the resolution
// and the delivery are in view without scrolling too, and the estimate and
// Generate are in the window.
func checkRoomToWrite(t *testing.T, ts *testStudio, size fyne.Size) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	g := ts.request
	lineH := fyne.MeasureText("Mg", theme.TextSize(), fyne.TextStyle{}).Height
	if h := g.prompt.Size().Height; h < 3*lineH+2*theme.InnerPadding() {
		t.Errorf("the prompt is %.0f px tall: under three lines of %.0f px", h, lineH)
	}
	for _, l := range []*widget.Label{g.estimate, g.reason} {
		if l.Visible() && l.Text == "" {
			t.Errorf("an empty label under the settings takes a line of their room")
		}
	}
	top, pos := d.AbsolutePositionForObject(g.scroll), d.AbsolutePositionForObject(g.prompt)
	if pos.Y < top.Y-1 || pos.Y+g.prompt.Size().Height > top.Y+g.scroll.Size().Height+1 {
		t.Errorf("the prompt (at %.0f, %.0f tall) is not whole in its panel (at %.0f, %.0f tall)",
			pos.Y, g.prompt.Size().Height, top.Y, g.scroll.Size().Height)
	}
	if size.Height < 800 {
		return
	}
	for _, o := range []fyne.CanvasObject{g.seed, g.seedLock, g.variations, g.resolution, g.syncMode} {
		p := d.AbsolutePositionForObject(o)
		if p.Y < top.Y-1 || p.Y+o.Size().Height > top.Y+g.scroll.Size().Height+1 {
			t.Errorf("%T at %.0f (%.0f tall) needs scrolling in a panel at %.0f, %.0f tall", o, p.Y, o.Size().Height, top.Y, g.scroll.Size().Height)
		}
	}
	// The estimate, or the reason Generate cannot run yet, and Generate.
	for _, o := range []fyne.CanvasObject{g.estimate, g.reason, g.generate} {
		if !o.Visible() {
			continue
		}
		p := d.AbsolutePositionForObject(o)
		if p.Y < 0 || p.Y+o.Size().Height > size.Height+1 {
			t.Errorf("%T at %v lies outside the window", o, p)
		}
	}
}

// TestCutSlotNamesShowWhole: a slot's caption cut short with an ellipsis
// (an empty slot's hint, a long file name) shows its whole text when the
// pointer rests on it, and hides it when the pointer leaves; one that fits
// shows nothing.
func TestCutSlotNamesShowWhole(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.win.Resize(fyne.NewSize(1024, 700))
	ts.load(fieldBackground, ts.file("a photograph with a very long name from the shoot.jpg", clienttest.JPEG(clienttest.Photo(60, 40))))
	overlay := func() string {
		if top, ok := ts.win.Canvas().Overlays().Top().(*widget.PopUp); ok && top.Visible() {
			if l, ok := top.Content.(*widget.Label); ok {
				return l.Text
			}
		}
		return ""
	}
	for _, role := range []client.Role{fieldBackground, fieldSubject} {
		c := ts.inputs.slots[role].caption
		if !c.cut() {
			t.Fatalf("the %s slot's caption %q is not cut at %v: not the case tested", role, c.Text, c.Size().Width)
		}
		c.MouseIn(&desktop.MouseEvent{})
		ts.pumpUntil("the "+string(role)+" slot's whole name", func() bool { return overlay() == c.Text })
		c.MouseOut()
		if overlay() != "" {
			t.Errorf("the tooltip %q stays after the pointer left", overlay())
		}
	}
	c := ts.inputs.slots[fieldMask].caption
	c.SetText("Mask")
	if c.cut() || c.tip() != "" {
		t.Errorf("a caption that fits (%q at %v) has the tooltip %q", c.Text, c.Size().Width, c.tip())
	}
}
