package document

import (
	"image"
	"slices"

	"github.com/zeninpaint/studio/client"
)

// ModeRoles lists each mode's inputs, in the order the panel shows them.
// The mask is the canvas's: the document names it (MaskName) but its
// pixels and strokes live in the canvas.
var ModeRoles = map[client.Mode][]client.Role{
	client.ModeInpaint:    {client.RoleBackground, client.RoleSubject, client.RoleMask},
	client.ModeScene:      {client.RoleDepth, client.RolePreview},
	client.ModeBackground: {client.RoleSubject},
}

// ModeOf is the mode whose panel shows a role (Inpaint for the subject,
// which it shares with New background).
func ModeOf(role client.Role) client.Mode {
	for _, m := range client.Modes {
		if slices.Contains(ModeRoles[m], role) {
			return m
		}
	}
	return client.ModeInpaint
}

// Text is what the designer typed: the prompts and the seed.
type Text struct {
	Prompt     string
	Negative   string
	Seed       string
	SeedLocked bool // every press uses the same seed
}

// View is the canvas's zoom and position: Zoom device pixels per image
// pixel, and the image coordinate at the canvas's top-left corner.
type View struct {
	Zoom    float64
	OriginX float64
	OriginY float64
}

// Aspect is what a change touched.
type Aspect int

// The aspects of a document a change can touch.
const (
	ModeChanged  Aspect = iota // the mode
	InputChanged               // one input (Change.Role), or the batch with the background
	MaskNamed                  // where the mask came from
	TextChanged                // the prompts or the seed
	ViewChanged                // the canvas's zoom and position
	ShownChanged               // which result a mode's canvas shows (Change.Mode)
)

// Change tells a listener what changed.
type Change struct {
	Aspect Aspect
	Role   client.Role // for InputChanged
	Mode   client.Mode // for ShownChanged
}

// Mask is the canvas's mask as the document sees it. The canvas keeps the
// pixels and the history of strokes; the document asks where the mask is
// in that history (so that Ctrl+Z undoes the strokes made after an edit
// before the edit, and a redo is refused once the designer painted on
// another branch), a copy (kept with an edit that replaces the
// background), and puts a copy back when such an edit is undone.
type Mask interface {
	// Position names the mask's place in its history: the same after an
	// undo as before the step undone, new for every new step.
	Position() uint64
	Copy() *image.Gray // nil when there is no mask or it is empty
	Restore(*image.Gray)
}

// Document is the workspace a designer edits. Its methods are called on
// one goroutine (the UI's); listeners are called there, after each change.
type Document struct {
	mode     client.Mode
	inputs   map[client.Role]*Picture
	batch    []*Picture // more backgrounds, one job each
	maskName string     // the file the mask came from, "" when painted
	text     Text
	view     *View
	shown    map[client.Mode]string // the job whose result a mode's canvas shows
	history  history
	mask     Mask
	listen   []func(Change)
}

// New is an empty Inpaint document whose mask is mask (nil: no canvas).
func New(mask Mask) *Document {
	if mask == nil {
		mask = noMask{}
	}
	return &Document{mode: client.ModeInpaint, inputs: map[client.Role]*Picture{},
		shown: map[client.Mode]string{}, mask: mask}
}

// OnChange adds a listener, called after every change.
func (d *Document) OnChange(f func(Change)) { d.listen = append(d.listen, f) }

func (d *Document) changed(c Change) {
	for _, f := range d.listen {
		f(c)
	}
}

// Mode is the mode the designer works in.
func (d *Document) Mode() client.Mode { return d.mode }

// SetMode switches the mode (inputs of other modes are kept); an unknown
// mode is Inpaint.
func (d *Document) SetMode(m client.Mode) {
	if _, ok := ModeRoles[m]; !ok {
		m = client.ModeInpaint
	}
	if m == d.mode {
		return
	}
	d.mode = m
	d.changed(Change{Aspect: ModeChanged})
}

// Input is the picture in a role, nil when there is none.
func (d *Document) Input(role client.Role) *Picture { return d.inputs[role] }

// Inputs are the document's inputs by role (a copy).
func (d *Document) Inputs() map[client.Role]*Picture {
	out := make(map[client.Role]*Picture, len(d.inputs))
	for r, p := range d.inputs {
		out[r] = p
	}
	return out
}

// Batch are the backgrounds after the first, one job each.
func (d *Document) Batch() []*Picture { return d.batch }

// MainRole is the input the canvas shows in the current mode.
func (d *Document) MainRole() client.Role {
	switch d.mode {
	case client.ModeScene:
		if d.inputs[client.RoleDepth] == nil && d.inputs[client.RolePreview] != nil {
			return client.RolePreview
		}
		return client.RoleDepth
	case client.ModeBackground:
		return client.RoleSubject
	}
	return client.RoleBackground
}

// Main is the picture the canvas shows, nil when there is none.
func (d *Document) Main() *Picture { return d.inputs[d.MainRole()] }

// MaskName is where the mask came from ("" when painted).
func (d *Document) MaskName() string { return d.maskName }

// SetMaskName names the mask's source: a file's name, or "" once painted.
func (d *Document) SetMaskName(name string) {
	if name == d.maskName {
		return
	}
	d.maskName = name
	d.changed(Change{Aspect: MaskNamed})
}

// Text is the prompts and the seed.
func (d *Document) Text() Text { return d.text }

// SetText replaces the prompts and the seed.
func (d *Document) SetText(t Text) {
	if t == d.text {
		return
	}
	d.text = t
	d.changed(Change{Aspect: TextChanged})
}

// View is the canvas's last zoom and position, nil when it fits.
func (d *Document) View() *View { return d.view }

// SetView keeps the canvas's zoom and position.
func (d *Document) SetView(v View) {
	if d.view != nil && *d.view == v {
		return
	}
	d.view = &v
	d.changed(Change{Aspect: ViewChanged})
}

// Shown is the job whose result the mode's canvas shows, "" for the
// mode's own picture.
func (d *Document) Shown(m client.Mode) string { return d.shown[m] }

// Show shows a job's result on a mode's canvas ("" shows the picture).
func (d *Document) Show(m client.Mode, job string) {
	if d.shown[m] == job {
		return
	}
	if job == "" {
		delete(d.shown, m)
	} else {
		d.shown[m] = job
	}
	d.changed(Change{Aspect: ShownChanged, Mode: m})
}

// noMask is the mask of a document without a canvas.
type noMask struct{}

func (noMask) Position() uint64    { return 0 }
func (noMask) Copy() *image.Gray   { return nil }
func (noMask) Restore(*image.Gray) {}
