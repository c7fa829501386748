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

	"github.com/zeninpaint/studio/app/document"
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
		note = fmt.Sprintf("Used %s; not used: %s (the %s takes one image).", first.Name, strings.Join(unused, ", "), s.inputs.slots[target].title)
		imgs = imgs[:1]
	}
	if s.askIfMisfit(target, first) {
		return
	}
	prev := s.doc.Input(target)
	s.replaceInput(target, first, imgs[1:])
	switch {
	case note != "":
		s.setStatus(note)
	case target == fieldMask:
	case prev != nil:
		s.setStatus(fmt.Sprintf("%s: %s (Ctrl+Z brings back %s).", s.inputs.slots[target].title, first.Name, prev.Name))
	default:
		s.setStatus(fmt.Sprintf("%s: %s.", s.inputs.slots[target].title, first.Name))
	}
}

// routeByContent picks the slot for files dropped on the canvas.
func (s *Studio) routeByContent(imgs []*loadedImage) (target client.Role, note string) {
	first := imgs[0]
	bg := s.doc.Input(fieldBackground)
	switch s.doc.Mode() {
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
	case field == fieldSubject && s.doc.Mode() == client.ModeBackground && !(img.Transparent && img.Info.Format == "png"):
		choices := []choice{
			{"Use as Background instead", func() { s.setMode(client.ModeInpaint); s.replaceInput(fieldBackground, img, nil) }},
			{"Use as the subject anyway", func() { s.replaceInput(fieldSubject, img, nil) }},
		}
		if s.desk.cutOut != nil {
			choices = append([]choice{{"Cut out from backdrop", func() { s.desk.cutOut(img) }}}, choices...)
		}
		s.desk.ask("No transparent background", img.Name+" has no transparent background, which New background needs "+
			"to know what to keep. What should it be?", choices)
		return true
	case field == fieldDepth && !img.Gray:
		s.desk.ask("Not a depth map", img.Name+" is in colour; a depth map is grayscale (near = bright).", []choice{
			{"Convert to grayscale depth", func() {
				s.derive(img, img.Name+" (grayscale)", toGray, func(d *loadedImage) { s.replaceInput(fieldDepth, d, nil) })
			}},
			{"Use as 3D preview instead", func() { s.replaceInput(fieldPreview, img, nil) }},
		})
		return true
	case field == fieldMask && s.doc.Input(fieldBackground) != nil && !img.Gray:
		choices := []choice{{"Use its brightness as the mask", func() {
			s.derive(img, img.Name+" (grayscale)", toGray, func(d *loadedImage) { s.place(fieldMask, []*loadedImage{d}) })
		}}}
		if img.Transparent {
			choices = append(choices, choice{"Use its shape (transparency) as the mask", func() {
				aside(s, func() (image.Image, error) { return document.DecodePixels(img) },
					func(px image.Image) { s.editor.MaskFromAlpha(px, true) },
					func(err error) { s.showError(err) })
			}})
		}
		s.desk.ask("Not a mask", img.Name+" is in colour; a mask is grayscale (white = may change).", choices)
		return true
	case field == fieldMask && s.doc.Input(fieldBackground) != nil && !sameAspect(img, s.doc.Input(fieldBackground)):
		bg := s.doc.Input(fieldBackground).Info
		s.desk.ask("The mask has another shape", fmt.Sprintf("%s is %d×%d but the background is %d×%d. Fit it how?",
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

// replaceInput fills a slot, keeping what was there for Ctrl+Z; a mask
// goes to the canvas (whose strokes have their own undo).
func (s *Studio) replaceInput(field client.Role, img *loadedImage, batch []*loadedImage) {
	if field == fieldMask {
		s.importMask(img)
		return
	}
	for _, b := range batch {
		b.DropPreview() // a batch photo is decoded when its job is prepared
	}
	s.doc.Replace(document.Replaced, field, img, batch)
}

// undo is the editor's OnUndo: the newest edit of the document when no
// mask step was made since (those are undone first), said in the status
// line; the mask, which only Inpaint shows, is never changed from another
// mode.
func (s *Studio) undo() bool {
	e, ok := s.doc.Undo()
	if !ok {
		return s.maskStep("Undone", s.editor.Mask().CanUndo())
	}
	s.setStatus("Undone: " + s.describeEdit(e, true))
	return true
}

// redo is the editor's OnRedo: an undone edit of the document again when
// nothing was painted since, else a step of the mask, said in words, and
// only where the mask is shown.
func (s *Studio) redo() bool {
	if e, ok := s.doc.Redo(); ok {
		s.setStatus("Redone: " + s.describeEdit(e, false))
		return true
	}
	return s.maskStep("Redone", s.editor.Mask().CanRedo())
}

// describeEdit says what an undo (back) or redo of e did, and where when
// the mode shown is not the edit's.
func (s *Studio) describeEdit(e document.Edit, back bool) string {
	what := strings.ToLower(s.inputs.slots[e.Role].title)
	var text string
	switch {
	case back && e.Restores():
		text = fmt.Sprintf("the %s is back", what)
	case back:
		text = fmt.Sprintf("the %s is taken out", what)
	case e.Kind == document.Cleared:
		text = fmt.Sprintf("the %s is taken out", what)
	case e.Kind == document.Expanded:
		text = "the expanded picture is back"
	case e.Kind == document.CutOut:
		text = "the cut-out subject is back"
	default:
		text = fmt.Sprintf("the new %s is back", what)
	}
	if !slices.Contains(document.ModeRoles[s.doc.Mode()], e.Role) {
		text += fmt.Sprintf(" (in %s, not shown now)", document.ModeOf(e.Role).Title())
	}
	return text + "."
}

// maskStep says what an undo or redo of a mask step does, and keeps it
// from changing the mask when another mode is shown (it reports true: the
// step is taken care of, by saying so).
func (s *Studio) maskStep(done string, possible bool) bool {
	switch {
	case s.doc.Mode() != client.ModeInpaint:
		s.setStatus(fmt.Sprintf("Nothing to %s in %s: the mask's steps are %s in Inpaint.",
			strings.ToLower(strings.TrimSuffix(done, "ne")), s.doc.Mode().Title(), strings.ToLower(done)))
		return true
	case !possible:
		s.setStatus(fmt.Sprintf("Nothing to %s.", strings.ToLower(strings.TrimSuffix(done, "ne"))))
		return true
	}
	s.setStatus(done + ": a step of the mask.")
	return false
}
