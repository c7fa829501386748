package canvas

import (
	"context"
	"image"
	"unicode"

	"fyne.io/fyne/v2"
)

// Tool names one of the editor's tools: what a primary-button drag does.
// The name is stable (a tool bar can key its buttons on it); what the tool
// does is its ToolHandler, made for each editor from its registration.
type Tool string

// ToolHandler is a tool's behaviour in one editor: its own state (the
// gesture being drawn), its pointer and key handling, its cursor and the
// options it offers. The editor keeps the document (the mask and its
// history, the picture, the view) and hands each event of the primary
// button to the handler of the tool in hand, in image coordinates; a
// handler reaches the document only through its ToolHost, so it can be
// tested with a fake one.
type ToolHandler interface {
	// Press starts a gesture at p: the primary button went down with the
	// modifiers mod (or a drag began without a press, on a touch screen).
	Press(h ToolHost, p Point, mod fyne.KeyModifier)
	// Drag follows the pointer to p while the button is held.
	Drag(h ToolHost, p Point)
	// Release ends the press (after a drag or a click).
	Release(h ToolHost)
	// Hover follows the pointer to p while no button is held.
	Hover(h ToolHost, p Point)
	// Key handles a typed key (Enter, Esc, Backspace…) and reports whether
	// it was the tool's.
	Key(h ToolHost, k fyne.KeyName) bool
	// Cancel drops the gesture being drawn, leaving the mask as it was.
	Cancel(h ToolHost)
	// Drawing reports whether a selection is being drawn, and its mode.
	Drawing() (mode SelectionMode, ok bool)
	// Outline is the shape being drawn, in image coordinates, for the
	// editor to show dashed (closed: back to the first point).
	Outline(h ToolHost) (pts []Point, closed bool)
	// Cursor is the pointer's look over the picture.
	Cursor() ToolCursor
	// Options are the settings the tool uses, for a bar to offer.
	Options() ToolOptions
}

// ToolHost is what a tool sees of the editor.
type ToolHost interface {
	// Mask is the mask being edited.
	Mask() *Mask
	// Image is the picture the mask is painted over.
	Image() *image.NRGBA
	// Brush is the brush settings.
	Brush() Brush
	// SelectionFeather is the feather of new selections, in image pixels.
	SelectionFeather() int
	// ModeFor is the selection mode a gesture started with modifiers mod
	// uses (Alt subtract, Shift add, else the bar's mode).
	ModeFor(mod fyne.KeyModifier) SelectionMode
	// UnitsBetween is the on-screen distance of two image points, in Fyne
	// units.
	UnitsBetween(a, b Point) float64
	// DevicePerImage is how many device pixels an image pixel spans.
	DevicePerImage() float64
	// Invalidate redraws an image rectangle whose mask changed.
	Invalidate(r image.Rectangle)
	// RedrawOutline draws a frame for a changed outline.
	RedrawOutline()
	// Committed ends a change of the mask (one undo step): it redraws the
	// picture and tells the editor's listeners, when changed.
	Committed(changed bool)
	// Stroked ends a stroke whose undo step changed the mask (its dabs were
	// invalidated as they were painted): it tells the editor's listeners.
	Stroked()
	// ModeChanged tells the editor the selection mode shown may differ.
	ModeChanged()
	// PickTool switches to another tool (X swaps brush and eraser).
	PickTool(t Tool)
	// Run runs work off Fyne's goroutine, showing the editor busy with its
	// progress, then calls the function work returns (when not nil) on
	// Fyne's goroutine, unless the job was cancelled or replaced meanwhile
	// (by another job, a new image, or the tool being put down).
	Run(work func(ctx context.Context, progress func(done float64)) (apply func()))
}

// ToolCursor is how the pointer looks with a tool in hand.
type ToolCursor int

// The cursors: the brush's outline, the eraser's, or a crosshair.
const (
	CursorBrush ToolCursor = iota
	CursorEraser
	CursorCrosshair
)

// ToolOptions are the settings a tool uses (a bit set).
type ToolOptions int

// The options a tool bar may offer.
const (
	// OptBrush: the brush's size and hardness.
	OptBrush ToolOptions = 1 << iota
	// OptSelection: the selection mode (Replace, Add, Subtract) and feather.
	OptSelection
)

// ToolSpec registers a tool.
type ToolSpec struct {
	// Tool is the tool's stable name.
	Tool Tool
	// Name names the tool for people ("Rectangular marquee").
	Name string
	// Letter is the tool's key; tools that share one form a group: the
	// letter picks the group's last tool, the capital (Shift) the next.
	Letter rune
	// Key is the keyboard shortcut as a tool tip shows it ("M, Shift+M").
	Key string
	// Tip is the tool tip.
	Tip string
	// New makes the tool's handler for one editor.
	New func() ToolHandler
	// Pending keeps the tool out of Tools() (it is still reached by its
	// key and SetTool) until the app's tool bar has an icon for it.
	Pending bool
}

// registry lists the tools in the order a tool bar shows them. Adding a
// tool is a file with its handler and its spec, and one line here.
var registry = []ToolSpec{
	brushSpec,
	eraserSpec,
	lassoSpec,
	polygonSpec,
	rectSpec,
	ellipseSpec,
	objectSpec,
}

// prototypes holds a handler of each tool, to answer for the Tool values.
var prototypes = func() map[Tool]ToolHandler {
	m := map[Tool]ToolHandler{}
	for _, s := range registry {
		m[s.Tool] = s.New()
	}
	return m
}()

func specOf(t Tool) (ToolSpec, bool) {
	for _, s := range registry {
		if s.Tool == t {
			return s, true
		}
	}
	return ToolSpec{}, false
}

// Tools lists the tools a tool bar shows, in its order.
func Tools() []Tool {
	var out []Tool
	for _, s := range registry {
		if !s.Pending {
			out = append(out, s.Tool)
		}
	}
	return out
}

// String names the tool for people.
func (t Tool) String() string {
	if s, ok := specOf(t); ok {
		return s.Name
	}
	return string(t)
}

// Key is the tool's keyboard shortcut, as a tool tip shows it.
func (t Tool) Key() string {
	s, _ := specOf(t)
	return s.Key
}

// Tip is the tool's tool tip (what it does, its keys).
func (t Tool) Tip() string {
	s, _ := specOf(t)
	return s.Tip
}

// Options are the settings the tool uses.
func (t Tool) Options() ToolOptions {
	if h, ok := prototypes[t]; ok {
		return h.Options()
	}
	return 0
}

// IsSelection reports whether the tool selects an area rather than paints.
func (t Tool) IsSelection() bool { return t.Options()&OptSelection != 0 }

// toolbox is an editor's tools: a handler of each, made on first use, the
// tool in hand, and the last tool of each key's group (L, M).
type toolbox struct {
	handlers  map[Tool]ToolHandler
	tool      Tool
	handler   ToolHandler // the tool in hand's
	groupLast map[rune]Tool
	pressed   bool // the primary button is down on the tool in hand
}

func newToolbox() toolbox {
	b := toolbox{handlers: map[Tool]ToolHandler{}, groupLast: map[rune]Tool{}}
	b.pick(ToolBrush)
	return b
}

// pick puts tool t in hand (a registered tool).
func (b *toolbox) pick(t Tool) {
	s, _ := specOf(t)
	h, ok := b.handlers[t]
	if !ok {
		h = s.New()
		b.handlers[t] = h
	}
	b.tool, b.handler = t, h
	b.groupLast[s.Letter] = t
}

// toolForRune is the tool a typed letter picks, given the tool in hand and
// each group's last tool; ok is false when the letter is no tool's.
func toolForRune(r rune, current Tool, last map[rune]Tool) (Tool, bool) {
	l := unicode.ToLower(r)
	var group []Tool
	for _, s := range registry {
		if s.Letter == l {
			group = append(group, s.Tool)
		}
	}
	if len(group) == 0 {
		return "", false
	}
	t, ok := last[l]
	if !ok {
		t = group[0]
	}
	if r != l && len(group) > 1 {
		for i, g := range group {
			if g == current {
				t = group[(i+1)%len(group)]
			}
		}
	}
	return t, true
}

// selection is what the selection tools share: whether a selection is being
// drawn, and the mode it will combine with the mask by.
type selection struct {
	on   bool
	mode SelectionMode
}

// begin starts a selection with the mode the modifiers choose.
func (s *selection) begin(h ToolHost, mod fyne.KeyModifier) {
	s.on, s.mode = true, h.ModeFor(mod)
	h.ModeChanged()
	h.RedrawOutline()
}

// end stops the selection being drawn and reports whether there was one.
func (s *selection) end(h ToolHost) bool {
	if !s.on {
		return false
	}
	s.on = false
	h.RedrawOutline()
	h.ModeChanged()
	return true
}

func (s *selection) Drawing() (SelectionMode, bool) { return s.mode, s.on }
func (s *selection) Cursor() ToolCursor             { return CursorCrosshair }
func (s *selection) Options() ToolOptions           { return OptSelection }
func (s *selection) Hover(ToolHost, Point)          {}
