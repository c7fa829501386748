package app

import (
	"image"
	"image/draw"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client/imagefile"
)

// compareImages draws before left of split (0..1) and after right of it,
// both scaled to w×h: the picture behind the before/after slider.
func compareImages(before, after image.Image, split float64, w, h int) *image.NRGBA {
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	b := imaging.Resize(before, w, h, imaging.Linear)
	a := imaging.Resize(after, w, h, imaging.Linear)
	cut := int(split * float64(w))
	draw.Draw(out, image.Rect(0, 0, cut, h), b, image.Point{}, draw.Src)
	draw.Draw(out, image.Rect(cut, 0, w, h), a, image.Pt(cut, 0), draw.Src)
	for y := 0; y < h && cut < w; y++ { // the dividing line
		out.Pix[out.PixOffset(cut, y)+0], out.Pix[out.PixOffset(cut, y)+1], out.Pix[out.PixOffset(cut, y)+2], out.Pix[out.PixOffset(cut, y)+3] = 255, 255, 255, 255
	}
	return out
}

// showCompare opens a before/after view of a finished job with a slider.
func (s *Studio) showCompare(j jobs.Job) {
	beforeData, err := s.manager.Input(j, mainInput(j))
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	afterData, err := s.manager.Result(j)
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	before, _, err1 := imagefile.Decode(beforeData, 0)
	after, _, err2 := imagefile.Decode(afterData, 0)
	if err1 != nil || err2 != nil {
		dialog.ShowError(firstErr(err1, err2), s.win)
		return
	}
	// Compare at screen size: at most 1600 px wide.
	before = imaging.Fit(before, 1600, 1600, imaging.Linear)
	after = imaging.Resize(after, before.Bounds().Dx(), before.Bounds().Dy(), imaging.Linear)
	split := 0.5
	var raster *canvas.Raster
	raster = canvas.NewRaster(func(w, h int) image.Image { return compareImages(before, after, split, w, h) })
	raster.SetMinSize(fyne.NewSize(640, 640*float32(before.Bounds().Dy())/float32(before.Bounds().Dx())))
	slider := widget.NewSlider(0, 1)
	slider.Step = 0.001
	slider.SetValue(split)
	slider.OnChanged = func(v float64) { split = v; raster.Refresh() }
	content := container.NewBorder(nil, container.NewBorder(nil, nil, widget.NewLabel("Before"), widget.NewLabel("After"), slider), nil, nil, raster)
	d := dialog.NewCustom("Before / after", "Close", content, s.win)
	d.Resize(fyne.NewSize(900, 720))
	d.Show()
}

// mainInput is the input a job's result is compared with: the
// background, depth map, preview or subject, whichever it has.
func mainInput(j jobs.Job) string {
	for _, f := range []string{fieldBackground, fieldDepth, fieldPreview, fieldSubject} {
		if _, ok := j.Inputs[f]; ok {
			return f
		}
	}
	return fieldSubject
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
