package app

import (
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/app/framing"
)

// Expand extends the background to a new shape: the picture grows, the new
// border (and a band of overlap into the original) becomes the mask, and
// Generate fills it like any inpaint, framed and priced the same way.

// expandShapes are the offered aspect ratios, width:height.
var expandShapes = []struct {
	name   string
	rw, rh int
}{
	{"1:1 (square)", 1, 1}, {"4:5 (portrait post)", 4, 5}, {"3:2 (photo)", 3, 2},
	{"16:9 (wide)", 16, 9}, {"9:16 (story)", 9, 16},
}

const expandCustom = "Width × height in pixels"

// expandAnchors are where the original may sit.
var expandAnchors = []struct {
	name string
	a    framing.Anchor
}{
	{"Centre", framing.Anchor{X: 0.5, Y: 0.5}}, {"Top", framing.Anchor{X: 0.5, Y: 0}}, {"Bottom", framing.Anchor{X: 0.5, Y: 1}},
	{"Left", framing.Anchor{X: 0, Y: 0.5}}, {"Right", framing.Anchor{X: 1, Y: 0.5}},
	{"Top left", framing.Anchor{}}, {"Top right", framing.Anchor{X: 1}}, {"Bottom left", framing.Anchor{Y: 1}}, {"Bottom right", framing.Anchor{X: 1, Y: 1}},
}

// defaultOverlap is the band of the original the fill may repaint so the
// new border blends in.
const defaultOverlap = 16

// expandTarget is the size a choice gives for a picture of size.
func expandTarget(size image.Point, shape, custom string) (image.Point, error) {
	for _, sh := range expandShapes {
		if sh.name == shape {
			return framing.ExpandedSize(size, sh.rw, sh.rh)
		}
	}
	w, h, ok := strings.Cut(strings.NewReplacer("×", "x", " ", "").Replace(strings.ToLower(custom)), "x")
	wi, err1 := strconv.Atoi(w)
	hi, err2 := strconv.Atoi(h)
	if !ok || err1 != nil || err2 != nil {
		return image.Point{}, fmt.Errorf("write the new size as width × height, e.g. 3000 × 3750")
	}
	if wi < size.X || hi < size.Y {
		return image.Point{}, fmt.Errorf("the new size must hold the picture (%d × %d)", size.X, size.Y)
	}
	return image.Pt(wi, hi), nil
}

// showExpand asks for the new shape and where the picture sits in it.
func (s *Studio) showExpand() {
	bg := s.doc.Input(fieldBackground)
	if bg == nil || !s.editor.HasImage() {
		s.setStatus("Expand needs a background: drop a photo on the canvas first.")
		return
	}
	f := newExpandForm(image.Pt(bg.Info.Width, bg.Info.Height), s.keys.closeTop)
	d := dialog.NewCustomConfirm("Expand the picture", "Expand", "Cancel", f.content, func(ok bool) {
		if !ok {
			return
		}
		target, anchor, overlap, err := f.choice()
		if err != nil {
			s.showInfo("Expand", "Choose a shape (or a size that holds the picture) and an overlap of 0 or more pixels.")
			return
		}
		s.expand(target, anchor, overlap)
	}, s.win)
	d.Resize(fyne.NewSize(min(520, s.win.Canvas().Size().Width-40), 360))
	s.showDialog(d, func() { d.Confirm() })
}

// expandForm is the Expand dialog's choices: the shape (or a size), where
// the picture sits, the overlap, and a summary of what will be filled.
type expandForm struct {
	size            image.Point // the picture's
	shape, anchor   *widget.Select
	custom, overlap *escEntry
	summary         *widget.Label
	content         fyne.CanvasObject
}

func newExpandForm(size image.Point, escape func()) *expandForm {
	f := &expandForm{size: size}
	names := []string{}
	for _, sh := range expandShapes {
		names = append(names, sh.name)
	}
	f.shape = widget.NewSelect(append(names, expandCustom), nil)
	f.custom = newEscEntry(escape)
	f.custom.SetPlaceHolder("e.g. 3000 × 3750")
	anchorNames := []string{}
	for _, a := range expandAnchors {
		anchorNames = append(anchorNames, a.name)
	}
	f.anchor = widget.NewSelect(anchorNames, nil)
	f.overlap = newEscEntry(escape)
	f.overlap.SetText(strconv.Itoa(defaultOverlap))
	f.summary = widget.NewLabel("")
	f.summary.Wrapping = fyne.TextWrapWord
	f.shape.OnChanged = func(string) { f.update() }
	f.custom.OnChanged = func(string) { f.update() }
	f.overlap.OnChanged = func(string) { f.update() }
	f.anchor.OnChanged = func(string) { f.update() }
	f.shape.SetSelected(expandShapes[0].name)
	f.anchor.SetSelected("Centre")
	form := widget.NewForm(
		widget.NewFormItem("Shape", f.shape), widget.NewFormItem("", f.custom),
		widget.NewFormItem("Picture at", f.anchor), widget.NewFormItem("Overlap (px)", f.overlap))
	f.content = container.NewVBox(form, f.summary)
	return f
}

// update shows the custom size's field when it is chosen, and says what
// the choices will do.
func (f *expandForm) update() {
	f.custom.Hidden = f.shape.Selected != expandCustom
	target, err := expandTarget(f.size, f.shape.Selected, f.custom.Text)
	if err != nil {
		f.summary.SetText(err.Error())
		return
	}
	n, _ := strconv.Atoi(strings.TrimSpace(f.overlap.Text))
	f.summary.SetText(fmt.Sprintf("%d × %d → %d × %d: the new border, and %d px of the picture along it for blending, "+
		"become the mask; Generate fills them (the estimate shows the cost).", f.size.X, f.size.Y, target.X, target.Y, n))
}

// choice is what was chosen; an error when the size or overlap is not one.
func (f *expandForm) choice() (target image.Point, anchor framing.Anchor, overlap int, err error) {
	target, err = expandTarget(f.size, f.shape.Selected, f.custom.Text)
	if err != nil {
		return target, anchor, 0, err
	}
	overlap, err = strconv.Atoi(strings.TrimSpace(f.overlap.Text))
	if err == nil && overlap < 0 {
		err = errors.New("a negative overlap")
	}
	anchor = expandAnchors[0].a
	for _, x := range expandAnchors {
		if x.name == f.anchor.Selected {
			anchor = x.a
		}
	}
	return target, anchor, overlap, err
}

// expand makes the expanded picture aside and puts it in place: the
// background (one Ctrl+Z brings the old one back, with its mask) and the
// border as the mask. A subject is set aside (Expand fills from the
// picture itself); Ctrl+Z brings it back too.
func (s *Studio) expand(target image.Point, anchor framing.Anchor, overlap int) {
	bg := s.doc.Input(fieldBackground)
	pixels := s.editor.Image() // never changed once set: safe to read aside
	s.setStatus("Expanding…")
	type expanded struct {
		e framing.Expansion
		l *loadedImage
	}
	aside(s, func() (expanded, error) {
		e, err := framing.Expand(pixels, target, anchor, overlap)
		if err != nil {
			return expanded{}, err
		}
		l, err := document.FromPixels(strings.TrimSuffix(bg.Name, ".png")+" expanded.png", e.Picture)
		return expanded{e, l}, err
	}, func(x expanded) {
		e, l := x.e, x.l
		s.doc.Expand(l)
		_, _ = s.editor.ImportMask(e.Mask)
		s.doc.SetMaskName(fmt.Sprintf("the new border (+%d px overlap)", overlap))
		s.doc.MarkUndoPoint()
		s.refreshMaskSlot()
		s.validate()
		s.setStatus(fmt.Sprintf("Expanded to %d × %d. The new border is the mask: press Generate to fill it (Ctrl+Z goes back).", target.X, target.Y))
	}, func(err error) { s.showError(err) })
}
