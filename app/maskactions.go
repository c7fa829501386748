package app

import (
	"fmt"
	"image"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/document"
	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/engine"
)

// The window's actions on the mask that the canvas bar offers: amounts
// asked for in a dialog, the mask from the subject, the tools' menu.

// askPixels asks for a number of pixels and applies it.
func (s *Studio) askPixels(title string, apply func(n int)) {
	e := newEscEntry(s.keys.closeTop)
	e.SetText("8")
	d := dialog.NewForm(title, "Apply", "Cancel", []*widget.FormItem{widget.NewFormItem("Pixels", e)}, func(ok bool) {
		if n, err := strconv.Atoi(strings.TrimSpace(e.Text)); ok && err == nil && n > 0 {
			apply(n)
		}
	}, s.win)
	e.OnSubmitted = func(string) { d.Submit() }
	s.showDialog(d, d.Submit)
	s.win.Canvas().Focus(e)
}

// maskFromSubject paints the mask where the subject is opaque.
func (s *Studio) maskFromSubject() {
	sub := s.doc.Input(fieldSubject)
	if sub == nil || !s.editor.HasImage() {
		s.setStatus("Add a background and a subject with transparency first.")
		return
	}
	s.setStatus("Reading the subject…")
	aside(s, func() (image.Image, error) {
		img, err := document.DecodePixels(sub)
		if err != nil || sub.Transparent {
			return img, err
		}
		// No transparency: find the subject on its backdrop first.
		m, err := engine.MaskFromSubject(s.ctx, img)
		if err != nil {
			return nil, err
		}
		return alphaFromMask(m), nil
	}, func(shape image.Image) {
		s.editor.MaskFromAlpha(shape, false)
		s.setStatus("The mask now covers the subject's shape.")
	}, func(err error) {
		s.showInfo("Mask from the subject", "The subject's shape could not be found: "+err.Error())
	})
}

// toolsMenu lists the canvas's tools, with their keys.
func (s *Studio) toolsMenu() *fyne.Menu {
	var items []*fyne.MenuItem
	for _, t := range zcanvas.Tools() {
		items = append(items, fyne.NewMenuItem(fmt.Sprintf("%s (%s)", t, t.Key()), func() { s.frame.bar.pick(t) }))
	}
	return fyne.NewMenu("Tools", items...)
}
