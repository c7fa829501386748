package app

import (
	"fmt"
	"image"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/client"
)

// choice is one answer to a question the app asks about a drop.
type choice struct {
	label string
	do    func()
}

// askDialog asks a question with a button per choice (and Cancel).
func (s *Studio) askDialog(title, message string, choices []choice) {
	var d dialog.Dialog
	buttons := container.NewHBox()
	for _, c := range choices {
		buttons.Add(widget.NewButton(c.label, func() { d.Hide(); c.do() }))
	}
	text := widget.NewLabel(message)
	text.Wrapping = fyne.TextWrapWord
	d = dialog.NewCustom(title, "Cancel", container.NewVBox(text, buttons), s.win)
	d.Resize(fyne.NewSize(520, 200))
	s.showDialog(d, nil)
}

// inputChange is a replaced input, kept so that Ctrl+Z brings it back.
type inputChange struct {
	field     client.Role
	prev      *loadedImage
	prevBatch []*loadedImage
	// prevMask is the mask painted over a replaced background (nil when
	// empty), and editorSteps the mask's undo depth right after the change:
	// Ctrl+Z undoes strokes made since before it undoes the change.
	prevMask     *image.Gray
	prevMaskName string
	editorSteps  int
}

// maxInputUndo bounds the kept input changes (each may hold a mask).
const maxInputUndo = 8

// place puts loaded images where the designer meant: by where they were
// dropped, and on the canvas by what they are. A file that does not fit
// its slot asks what to do instead of replacing a good input, and every
// replacement can be undone.
func (s *Studio) place(target client.Role, imgs []*loadedImage) {
	first := imgs[0]
	note := ""
	if target == onCanvas {
		target, note = s.routeByContent(imgs)
	}
	if len(imgs) > 1 && target != fieldBackground {
		var unused []string
		for _, l := range imgs[1:] {
			unused = append(unused, l.Name)
		}
		note = fmt.Sprintf("Used %s; not used: %s (the %s takes one image).", first.Name, strings.Join(unused, ", "), s.slots[target].title)
		imgs = imgs[:1]
	}
	if s.askIfMisfit(target, first) {
		return
	}
	s.replaceInput(target, first, imgs[1:])
	if note != "" {
		s.setStatus(note)
	}
}

// routeByContent picks the slot for files dropped on the canvas.
func (s *Studio) routeByContent(imgs []*loadedImage) (target client.Role, note string) {
	first := imgs[0]
	bg := s.inputs[fieldBackground]
	switch s.mode {
	case client.ModeInpaint:
		switch {
		case len(imgs) == 1 && bg != nil && first.Transparent:
			return fieldSubject, first.Name + " has a transparent background, so it is the Subject (drop it on the Background slot to replace the photo)."
		case len(imgs) == 1 && bg != nil && first.Gray && sameAspect(first, bg):
			return fieldMask, first.Name + " is grayscale and the shape of the background, so it is the Mask."
		}
		return fieldBackground, ""
	case client.ModeScene:
		if first.Gray {
			return fieldDepth, ""
		}
		return fieldPreview, first.Name + " is in colour, so it is the 3D preview (a depth map is grayscale)."
	}
	return fieldSubject, ""
}

// sameAspect reports whether two images have the same shape, within a
// pixel of rounding.
func sameAspect(a, b *loadedImage) bool {
	return abs(a.Info.Width*b.Info.Height-b.Info.Width*a.Info.Height) <= max(a.Info.Width, b.Info.Width)
}

func abs(n int) int { return max(n, -n) }

// askIfMisfit offers the fitting actions for an image that does not suit
// its slot, and returns true when it asked (nothing is placed until the
// designer answers).
func (s *Studio) askIfMisfit(field client.Role, img *loadedImage) bool {
	switch {
	case field == fieldSubject && s.mode == client.ModeBackground && !(img.Transparent && img.Info.Format == "png"):
		choices := []choice{
			{"Use as Background instead", func() { s.setMode(client.ModeInpaint); s.replaceInput(fieldBackground, img, nil) }},
			{"Use as the subject anyway", func() { s.replaceInput(fieldSubject, img, nil) }},
		}
		if s.cutOut != nil {
			choices = append([]choice{{"Cut out from backdrop", func() { s.cutOut(img) }}}, choices...)
		}
		s.ask("No transparent background", img.Name+" has no transparent background, which New background needs "+
			"to know what to keep. What should it be?", choices)
		return true
	case field == fieldDepth && !img.Gray:
		s.ask("Not a depth map", img.Name+" is in colour; a depth map is grayscale (near = bright).", []choice{
			{"Convert to grayscale depth", func() {
				s.derive(img, img.Name+" (grayscale)", toGray, func(d *loadedImage) { s.replaceInput(fieldDepth, d, nil) })
			}},
			{"Use as 3D preview instead", func() { s.replaceInput(fieldPreview, img, nil) }},
		})
		return true
	case field == fieldMask && s.inputs[fieldBackground] != nil && !img.Gray:
		choices := []choice{{"Use its brightness as the mask", func() {
			s.derive(img, img.Name+" (grayscale)", toGray, func(d *loadedImage) { s.place(fieldMask, []*loadedImage{d}) })
		}}}
		if img.Transparent {
			choices = append(choices, choice{"Use its shape (transparency) as the mask", func() {
				aside(s, func() (image.Image, error) { return decodePixels(img) },
					func(px image.Image) { s.editor.MaskFromAlpha(px, true) },
					func(err error) { dialog.ShowError(err, s.win) })
			}})
		}
		s.ask("Not a mask", img.Name+" is in colour; a mask is grayscale (white = may change).", choices)
		return true
	case field == fieldMask && s.inputs[fieldBackground] != nil && !sameAspect(img, s.inputs[fieldBackground]):
		bg := s.inputs[fieldBackground].Info
		s.ask("The mask has another shape", fmt.Sprintf("%s is %d×%d but the background is %d×%d. Fit it how?",
			img.Name, img.Info.Width, img.Info.Height, bg.Width, bg.Height), []choice{
			{"Stretch to the background", func() { s.replaceInput(fieldMask, img, nil) }},
			{"Crop to the background's shape", func() {
				s.derive(img, img.Name+" (cropped)", cropToShape(bg.Width, bg.Height), func(d *loadedImage) { s.replaceInput(fieldMask, d, nil) })
			}},
		})
		return true
	}
	return false
}

// replaceInput fills a slot, keeping what was there for Ctrl+Z.
func (s *Studio) replaceInput(field client.Role, img *loadedImage, batch []*loadedImage) {
	remembered := false
	if field != fieldMask {
		prev := inputChange{field: field, prev: s.inputs[field]}
		if field == fieldBackground {
			prev.prevBatch = s.batch
			if s.editor.HasImage() && !s.editor.Mask().IsEmpty() {
				prev.prevMask, prev.prevMaskName = s.editor.Mask().Gray(), s.maskName
			}
		}
		if prev.prev != nil || prev.prevMask != nil {
			s.rememberInput(prev)
			remembered = true
		}
	}
	if field == fieldDepth && s.inputs[fieldPreview] != nil {
		s.clearInput(fieldPreview) // a scene takes one or the other
	}
	if field == fieldPreview && s.inputs[fieldDepth] != nil {
		s.clearInput(fieldDepth)
	}
	s.setInput(field, img)
	if field != fieldBackground {
		img.pixels = nil // other slots decode again when a job needs them
	}
	if remembered {
		s.markUndoPoint()
	}
	if field == fieldBackground && len(batch) > 0 {
		for _, b := range batch {
			b.pixels, b.Preview = nil, nil // a batch photo is decoded when its job is prepared
		}
		s.batch = batch
		s.refreshSlot(fieldBackground)
		s.validate()
	}
}

// rememberInput keeps a replaced input for Ctrl+Z, the newest
// maxInputUndo of them (a dropped one's mask is let go).
func (s *Studio) rememberInput(c inputChange) {
	s.inputUndo = append(s.inputUndo, c)
	if len(s.inputUndo) > maxInputUndo {
		s.inputUndo = append([]inputChange(nil), s.inputUndo[1:]...)
	}
}

// markUndoPoint makes the newest input change take back the mask steps
// made with it so far (a new background's imported mask, say): one Ctrl+Z
// undoes both.
func (s *Studio) markUndoPoint() {
	if n := len(s.inputUndo); n > 0 {
		s.inputUndo[n-1].editorSteps = s.editor.Mask().UndoSteps()
	}
}

// undoInput brings back the last replaced input, when no mask step was
// made since (those are undone first). It is the editor's OnUndo, so every
// undo says in the status line what it undid, and the mask, which only
// Inpaint shows, is never changed from another mode.
func (s *Studio) undoInput() bool {
	n := len(s.inputUndo)
	if n == 0 || s.editor.Mask().UndoSteps() != s.inputUndo[n-1].editorSteps {
		return s.maskStep("Undone", s.editor.Mask().CanUndo())
	}
	c := s.inputUndo[n-1]
	s.inputUndo = s.inputUndo[:n-1]
	if c.prev == nil {
		s.clearInput(c.field)
	} else {
		s.setInput(c.field, c.prev)
	}
	if c.field == fieldBackground {
		s.batch = c.prevBatch
		if c.prevMask != nil && s.editor.HasImage() {
			_, _ = s.editor.ImportMask(c.prevMask)
			s.maskName = c.prevMaskName
		}
		s.refreshSlot(fieldBackground)
		s.refreshMaskSlot()
		s.validate()
	}
	where := ""
	if !slices.Contains(modeFields[s.mode], c.field) {
		where = fmt.Sprintf(" (in %s, not shown now)", modeOf(c.field).Title())
	}
	s.setStatus(fmt.Sprintf("Undone: the %s is back%s.", strings.ToLower(s.slots[c.field].title), where))
	return true
}

// redoMask is the editor's OnRedo: a mask step again, said in words, and
// only where the mask is shown.
func (s *Studio) redoMask() bool { return s.maskStep("Redone", s.editor.Mask().CanRedo()) }

// maskStep says what an undo or redo of a mask step does, and keeps it
// from changing the mask when another mode is shown (it reports true: the
// step is taken care of, by saying so).
func (s *Studio) maskStep(done string, possible bool) bool {
	switch {
	case s.mode != client.ModeInpaint:
		s.setStatus(fmt.Sprintf("Nothing to %s in %s: the mask's steps are %s in Inpaint.",
			strings.ToLower(strings.TrimSuffix(done, "ne")), s.mode.Title(), strings.ToLower(done)))
		return true
	case !possible:
		s.setStatus(fmt.Sprintf("Nothing to %s.", strings.ToLower(strings.TrimSuffix(done, "ne"))))
		return true
	}
	s.setStatus(done + ": a step of the mask.")
	return false
}

// modeOf is the mode whose slot a role is (Inpaint for those it shares).
func modeOf(role client.Role) client.Mode {
	for _, m := range client.Modes {
		if slices.Contains(modeFields[m], role) {
			return m
		}
	}
	return client.ModeInpaint
}
