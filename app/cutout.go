package app

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/canvas/segment"
	"github.com/zeninpaint/studio/engine"
)

// cutOutSubject separates a subject from its backdrop and puts the result
// in the Subject slot; Ctrl+Z brings the original back. A plain, gradient
// or sweep backdrop is keyed out by the local engine's cut-out; a busy one
// (a product on a table) by the object segmentation, which finds the main
// object and gives it a soft edge. Both run aside.
func (s *Studio) cutOutSubject(l *loadedImage) {
	s.setStatus("Cutting " + l.Name + " out of its backdrop…")
	aside(s, func() (*loadedImage, error) {
		px, err := document.DecodePixels(l)
		if err != nil {
			return nil, err
		}
		cut, err := engine.CutOut(s.ctx, px)
		if errors.Is(err, engine.ErrNoSubject) {
			var matte *image.Alpha
			if matte, err = segment.CutOut(s.ctx, px, image.Rectangle{}, segment.Options{}); err == nil {
				cut = segment.WithAlpha(px, matte)
			}
		}
		if err != nil {
			return nil, err
		}
		return document.FromPixels(strings.TrimSuffix(l.Name, "."+l.Info.Format)+" cut out.png", cut)
	}, func(out *loadedImage) {
		s.doc.Replace(document.CutOut, fieldSubject, out, nil)
		s.setStatus(fmt.Sprintf("%s is cut out: its backdrop is transparent now (Ctrl+Z gives back the original).", l.Name))
	}, func(err error) {
		s.setStatus("")
		msg := "The subject could not be cut out: " + err.Error()
		if errors.Is(err, engine.ErrNoSubject) || errors.Is(err, segment.ErrEmptyBox) {
			msg = "No subject stands out from the backdrop in " + l.Name + ". Select it on the canvas with the object tool (W) instead."
		}
		s.showInfo("Cut out", msg)
	})
}

// cutOutCurrentSubject cuts out the subject in the slot.
func (s *Studio) cutOutCurrentSubject() {
	sub := s.doc.Input(fieldSubject)
	if sub == nil {
		s.setStatus("Add a subject first: drop a product shot on the Subject slot.")
		return
	}
	s.cutOutSubject(sub)
}

// alphaFromMask turns a mask (white = subject) into an image whose alpha is
// the mask, as MaskFromAlpha reads a subject.
func alphaFromMask(m *image.Gray) *image.NRGBA {
	out := image.NewNRGBA(m.Rect)
	for i, v := range m.Pix {
		out.Pix[4*i+3] = v
	}
	return out
}
