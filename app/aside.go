package app

import (
	"image"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/client/imagefile"
)

// aside runs slow work (a decode, a cut-out, an expansion) off Fyne's
// goroutine with the loading bar up, then done with its result, or failed
// with its error, back on Fyne's goroutine.
func aside[T any](s *Studio, work func() (T, error), done func(T), failed func(error)) {
	s.showLoading(true)
	go func() {
		v, err := work()
		s.cfg.Do(func() {
			s.showLoading(false)
			if err != nil {
				failed(err)
				return
			}
			done(v)
		})
	}()
}

// derive makes a new input from an input's pixels (converted, cropped)
// aside, and gives it to done; an error is shown.
func (s *Studio) derive(l *loadedImage, name string, change func(image.Image) image.Image, done func(*loadedImage)) {
	aside(s, func() (*loadedImage, error) {
		px, err := document.DecodePixels(l)
		if err != nil {
			return nil, err
		}
		return document.FromPixels(name, change(px))
	}, done, func(err error) { s.showError(err) })
}

// toGray is a picture's brightness (a depth map, a mask).
func toGray(img image.Image) image.Image { return imagefile.ToGray(img) }

// cropToShape crops a picture at its centre to the shape w×h.
func cropToShape(w, h int) func(image.Image) image.Image {
	return func(img image.Image) image.Image {
		iw, ih := img.Bounds().Dx(), img.Bounds().Dy()
		cw, ch := iw, iw*h/w
		if ch > ih {
			cw, ch = ih*w/h, ih
		}
		return imaging.CropCenter(img, cw, ch)
	}
}
