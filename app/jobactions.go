package app

import (
	"errors"
	"fmt"
	"image"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// The window's actions on a job of the list: its details, saving its
// result, using it as an input, telling the designer it finished.

// resultActions are the window's actions on a job in the list's menu:
// its details, and for a finished one saving, comparing, showing it on
// the canvas and using it as an input.
func (s *Studio) resultActions(j jobs.Job) []*fyne.MenuItem {
	items := []*fyne.MenuItem{fyne.NewMenuItem("Details…", func() { s.showDetails(j) })}
	if j.Status != jobs.Done {
		return items
	}
	items = append(items,
		fyne.NewMenuItem("Save as…", func() { s.saveResultAs(j) }),
		fyne.NewMenuItem("Save raw (as the server sent it)…", func() { s.saveRawAs(j) }),
		fyne.NewMenuItem("Open the output folder", func() { s.openFolder(filepath.Dir(j.ResultPath)) }),
		fyne.NewMenuItem("Compare before/after", func() { s.showCompare(j) }),
	)
	if vars := s.variations(j); len(vars) > 1 {
		items = append(items, fyne.NewMenuItem("Variations side by side…", func() { s.showVariations(s.variations(j)) }))
	}
	if s.frame.result.fits(j) {
		items = append(items, fyne.NewMenuItem("Show on the canvas (\\)", func() { s.frame.result.show(j) }))
	}
	return append(items,
		fyne.NewMenuItem("Use as background", func() { s.useResult(j, fieldBackground) }),
		fyne.NewMenuItem("Use as subject", func() { s.useResult(j, fieldSubject) }),
	)
}

// allJobs are the jobs, newest first.
func (s *Studio) allJobs() []jobs.Job { return s.queue.all() }

// openResult reads and decodes a job's result aside.
func (s *Studio) openResult(j jobs.Job, done func(image.Image), failed func(error)) {
	aside(s, func() (image.Image, error) {
		data, err := s.conn.manager.Result(j)
		if err != nil {
			return nil, err
		}
		img, _, err := imagefile.Decode(data, 0)
		return img, err
	}, done, failed)
}

// The jobs list's host (jobsHost).
func (s *Studio) runOnUI(f func())    { s.cfg.Do(f) }
func (s *Studio) window() fyne.Window { return s.win }

// showDetails shows everything about a job, including the whole message.
func (s *Studio) showDetails(j jobs.Job) {
	lines := []string{
		"Mode: " + modeLabel(j),
		"Status: " + statusText(j),
	}
	if j.Error != "" {
		lines = append(lines, "Message: "+j.Error)
	}
	if j.Prompt != "" {
		lines = append(lines, "Prompt: "+j.Prompt)
	}
	if j.NegativePrompt != "" {
		lines = append(lines, "Negative prompt: "+j.NegativePrompt)
	}
	lines = append(lines, fmt.Sprintf("Seed: %d · %s · %s", j.Seed, syncWord(j.Async), costText(j)))
	for _, f := range []client.Role{fieldBackground, fieldSubject, fieldMask, fieldDepth, fieldPreview} {
		if in, ok := j.Inputs[f]; ok {
			lines = append(lines, fmt.Sprintf("%s: %s (%d×%d)", s.inputs.slots[f].title, in.Name, in.Width, in.Height))
		}
	}
	if j.ResultPath != "" {
		lines = append(lines, "Saved as: "+j.ResultPath)
	}
	text := widget.NewLabel(strings.Join(lines, "\n"))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Job details", "Close", container.NewVScroll(text), s.win)
	d.Resize(fyne.NewSize(560, 360))
	s.showDialog(d, nil)
}

// saveResultAs writes a result with its metadata where the user chooses.
func (s *Studio) saveResultAs(j jobs.Job) {
	data, err := s.conn.manager.Result(j)
	if err != nil {
		s.showError(err)
		return
	}
	out, err := jobs.WithPNGText(data, jobs.MetadataKeys, jobs.Metadata(j, j.Finished))
	if err != nil {
		s.showError(err)
		return
	}
	s.saveBytes(filepath.Base(j.ResultPath), out)
}

// saveRawAs saves what the server sent, before it was put back into the
// original.
func (s *Studio) saveRawAs(j jobs.Job) {
	data, err := s.conn.manager.RawResult(j)
	if err == nil {
		data, err = jobs.WithPNGText(data, jobs.MetadataKeys, jobs.Metadata(j, j.Finished))
	}
	if err != nil {
		s.showError(err)
		return
	}
	s.saveBytes(strings.TrimSuffix(filepath.Base(j.ResultPath), ".png")+" raw.png", data)
}

// saveBytes asks where to save data and writes it there (the desktop's
// chooser, filepicker.go).
func (s *Studio) saveBytes(name string, data []byte) {
	s.desk.files.save(name, func(w fyne.URIWriteCloser) {
		saved, err := writeSaveAs(w, data)
		if err != nil {
			s.showError(err)
			return
		}
		s.setStatus("Saved " + saved)
	})
}

func (s *Studio) openFolder(dir string) {
	if _, err := os.Stat(dir); err != nil {
		s.showError(errors.New("the output folder does not exist any more"))
		return
	}
	u, err := url.Parse(storage.NewFileURI(dir).String())
	if err == nil {
		err = s.desk.app.OpenURL(u)
	}
	if err != nil {
		s.showFolderPath(dir, err)
	}
}

// useResult makes a finished job's result an input. It is read and
// decoded aside; as the background it keeps the painted mask when the sizes
// match, and Ctrl+Z brings the previous input back.
func (s *Studio) useResult(j jobs.Job, field client.Role) {
	s.setStatus("Opening the result…")
	go func() {
		data, err := s.conn.manager.Result(j)
		var img *loadedImage
		if err == nil {
			img, err = document.LoadBytes(filepath.Base(j.ResultPath), data)
		}
		s.cfg.Do(func() {
			if err != nil {
				s.setStatus("")
				s.showError(err)
				return
			}
			s.useImage(field, img)
		})
	}()
}

// useImage places a result: as the background, the painted mask stays
// when the sizes match (an inpaint result is the background's size).
func (s *Studio) useImage(field client.Role, img *loadedImage) {
	var mask *image.Gray
	if field == fieldBackground && s.editor.HasImage() && !s.editor.Mask().IsEmpty() &&
		s.editor.Mask().Size() == image.Pt(img.Info.Width, img.Info.Height) {
		mask = s.editor.Mask().Gray()
	}
	s.doc.Replace(document.Kept, field, img, nil)
	if mask != nil {
		_, _ = s.editor.ImportMask(mask)
		s.doc.MarkUndoPoint()
	}
	s.setStatus(fmt.Sprintf("The result is now the %s (Ctrl+Z brings the previous one back).", s.inputs.slots[field].title))
}

// notifyFinished sends a desktop notification when the window is not in
// front.
func (s *Studio) notifyFinished(j jobs.Job) {
	if s.frame.focused {
		return
	}
	title := "Job done"
	body := modeLabel(j) + ": saved as " + filepath.Base(j.ResultPath)
	if j.Status == jobs.Failed {
		title, body = "Job failed", j.Error
	}
	s.desk.app.SendNotification(fyne.NewNotification(title, body))
}
