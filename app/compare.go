package app

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// compareView shows before and after of the same pixels side of a split
// line, at any zoom: scroll to zoom at the pointer, drag to pan.
type compareView struct {
	widget.BaseWidget
	before, after *image.NRGBA // the same size: the same pixels of the original and of the result
	split         float64      // 0..1 of the view's width
	zoom          float64      // view pixels per image pixel; 0 fits
	offX, offY    float64      // the image pixel at the view's top-left
	raster        *canvas.Raster
}

func newCompareView(before, after *image.NRGBA) *compareView {
	v := &compareView{before: before, after: after, split: 0.5}
	v.raster = canvas.NewRaster(v.draw)
	v.ExtendBaseWidget(v)
	return v
}

// CreateRenderer is part of fyne.Widget.
func (v *compareView) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(v.raster) }

// MinSize leaves room for a useful picture.
func (v *compareView) MinSize() fyne.Size { return fyne.NewSize(480, 320) }

// fitZoom is the zoom that shows the whole picture.
func (v *compareView) fitZoom(w, h int) float64 {
	b := v.before.Rect.Size()
	return min(float64(w)/float64(b.X), float64(h)/float64(b.Y))
}

// setZoom zooms about the view's centre (0 fits).
func (v *compareView) setZoom(z float64) {
	v.zoom = z
	v.Refresh()
}

// draw renders the visible part: nearest pixels when zoomed in, so a seam
// shows as it is.
func (v *compareView) draw(w, h int) image.Image {
	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	if w == 0 || h == 0 {
		return out
	}
	z := v.zoom
	if z <= 0 {
		z = v.fitZoom(w, h)
		v.offX, v.offY = 0, 0
	}
	size := v.before.Rect.Size()
	v.offX = min(max(v.offX, 0), max(float64(size.X)-float64(w)/z, 0))
	v.offY = min(max(v.offY, 0), max(float64(size.Y)-float64(h)/z, 0))
	cut := int(v.split * float64(w))
	for y := range h {
		iy := int(v.offY + float64(y)/z)
		if iy >= size.Y {
			break
		}
		for x := range w {
			ix := int(v.offX + float64(x)/z)
			if ix >= size.X {
				break
			}
			src := v.after
			if x < cut {
				src = v.before
			}
			o, i := out.PixOffset(x, y), src.PixOffset(ix, iy)
			copy(out.Pix[o:o+4], src.Pix[i:i+4])
			if x == cut {
				copy(out.Pix[o:o+4], []uint8{255, 255, 255, 255})
			}
		}
	}
	return out
}

// Scrolled zooms in or out at the pointer.
func (v *compareView) Scrolled(e *fyne.ScrollEvent) {
	size := v.Size()
	w, h := int(size.Width), int(size.Height)
	z := v.zoom
	if z <= 0 {
		z = v.fitZoom(w, h)
	}
	nz := z * 1.25
	if e.Scrolled.DY < 0 {
		nz = z / 1.25
	}
	nz = min(max(nz, v.fitZoom(w, h)), 16)
	px, py := float64(e.Position.X), float64(e.Position.Y)
	v.offX += px/z - px/nz
	v.offY += py/z - py/nz
	v.setZoom(nz)
}

// Dragged pans.
func (v *compareView) Dragged(e *fyne.DragEvent) {
	z := v.zoom
	if z <= 0 {
		return
	}
	v.offX -= float64(e.Dragged.DX) / z
	v.offY -= float64(e.Dragged.DY) / z
	v.Refresh()
}

// DragEnd is part of fyne.Draggable.
func (v *compareView) DragEnd() {}

// Refresh redraws the picture.
func (v *compareView) Refresh() { v.raster.Refresh() }

// comparePair is what a job's compare view shows: the original and the
// result over the same pixels (the framed area and a margin around it, or
// the whole picture), both at the original's resolution.
func comparePair(before, after image.Image, j jobs.Job) (*image.NRGBA, *image.NRGBA) {
	b := imagefile.ToNRGBA(before)
	size := b.Rect.Size()
	a := imagefile.ToNRGBA(after)
	if a.Rect.Size() != size {
		a = imaging.Resize(after, size.X, size.Y, imaging.Lanczos)
	}
	area := image.Rectangle{Max: size}
	if f := j.Framing; f != nil && f.Kind == jobs.PasteInpaint {
		box := image.Rect(f.Box[0], f.Box[1], f.Box[2], f.Box[3])
		margin := max(box.Dx(), box.Dy()) / 8
		area = box.Inset(-margin).Intersect(area)
	}
	return imaging.Crop(b, area), imaging.Crop(a, area)
}

// showCompare opens a before/after view of a finished job: the original
// and the result over the same pixels, with a split line to drag, zoom to
// 100 % and beyond, and panning. Reading and decoding happen aside.
func (s *Studio) showCompare(j jobs.Job) {
	s.setStatus("Opening the comparison…")
	go func() {
		before, after, err := s.compareImages(j)
		s.cfg.Do(func() {
			if err != nil {
				s.showError(err)
				return
			}
			s.setStatus("")
			v := newCompareView(before, after)
			split := widget.NewSlider(0, 1)
			split.Step = 0.001
			split.SetValue(v.split)
			split.OnChanged = func(x float64) { v.split = x; v.Refresh() }
			zoom := container.NewHBox(
				widget.NewButton("Fit", func() { v.setZoom(0) }),
				widget.NewButton("100 %", func() { v.setZoom(1) }),
				widget.NewButton("200 %", func() { v.setZoom(2) }),
				widget.NewLabel("Scroll to zoom, drag to pan"))
			bottom := container.NewVBox(container.NewBorder(nil, nil, widget.NewLabel("Before"), widget.NewLabel("After"), split), zoom)
			d := dialog.NewCustom("Before / after", "Close", container.NewBorder(nil, bottom, nil, nil, v), s.win)
			size := s.win.Canvas().Size()
			d.Resize(fyne.NewSize(min(900, size.Width-40), min(720, size.Height-40)))
			s.showDialog(d, nil)
		})
	}()
}

// compareImages reads and decodes a job's before and after.
func (s *Studio) compareImages(j jobs.Job) (*image.NRGBA, *image.NRGBA, error) {
	var beforeData []byte
	var err error
	if in, ok := j.Originals[mainInput(j)]; ok {
		beforeData, err = s.conn.manager.Blob(in.Blob)
	} else {
		beforeData, err = s.conn.manager.Input(j, mainInput(j))
	}
	if err != nil {
		return nil, nil, err
	}
	afterData, err := s.conn.manager.Result(j)
	if err != nil {
		return nil, nil, err
	}
	before, _, err := imagefile.Decode(beforeData, 0)
	if err != nil {
		return nil, nil, err
	}
	after, _, err := imagefile.Decode(afterData, 0)
	if err != nil {
		return nil, nil, err
	}
	b, a := comparePair(before, after, j)
	return b, a, nil
}

// mainInput is the input a job's result is compared with: the
// background, depth map, preview or subject, whichever it has.
func mainInput(j jobs.Job) client.Role {
	for _, f := range []client.Role{fieldBackground, fieldDepth, fieldPreview, fieldSubject} {
		if _, ok := j.Inputs[f]; ok {
			return f
		}
	}
	return fieldSubject
}
