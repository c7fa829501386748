package app

import (
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client/imagefile"
)

// onCanvasRune takes the canvas's keys the editor leaves: \ shows the
// newest result over the original, and back.
func (s *Studio) onCanvasRune(r rune) {
	if r == '\\' {
		s.frame.result.toggle()
	}
}

// variations are the finished jobs of the same press as j (its
// variations, and the other photos of a batch), oldest first.
func (s *Studio) variations(j jobs.Job) []jobs.Job {
	var out []jobs.Job
	if j.Press == "" {
		return nil
	}
	all := s.queue.all()
	for i := len(all) - 1; i >= 0; i-- {
		if o := all[i]; o.Press == j.Press && o.Status == jobs.Done {
			out = append(out, o)
		}
	}
	return out
}

// showVariations shows the results of one press side by side, each with
// its seed and the actions to keep it.
func (s *Studio) showVariations(js []jobs.Job) {
	s.setStatus("Opening the variations…")
	go func() {
		thumbs := make([]image.Image, len(js))
		for i, j := range js {
			if data, err := s.conn.manager.Result(j); err == nil {
				if img, _, err := imagefile.Decode(data, 0); err == nil {
					thumbs[i] = imaging.Fit(img, 360, 360, imaging.Linear)
				}
			}
		}
		s.cfg.Do(func() {
			s.setStatus("")
			grid := container.NewGridWrap(fyne.NewSize(260, 300))
			var d dialog.Dialog
			for i, j := range js {
				pic := canvas.NewImageFromImage(thumbs[i])
				pic.FillMode = canvas.ImageFillContain
				pic.SetMinSize(fyne.NewSize(250, 200))
				keep := container.NewHBox(
					widget.NewButton("Save as…", func() { s.saveResultAs(j) }),
					widget.NewButton("Use", func() { d.Hide(); s.useResult(j, fieldBackground) }))
				label := widget.NewLabel(fmt.Sprintf("Seed %d · %s", j.Seed, mainInputName(j)))
				label.Wrapping = fyne.TextWrapWord
				grid.Add(container.NewBorder(nil, container.NewVBox(label, keep), nil, nil, pic))
			}
			d = dialog.NewCustom(fmt.Sprintf("%d variations", len(js)), "Close", container.NewVScroll(grid), s.win)
			size := s.win.Canvas().Size()
			d.Resize(fyne.NewSize(min(860, size.Width-40), min(680, size.Height-40)))
			s.showDialog(d, nil)
		})
	}()
}
