package app

import (
	"errors"
	"fmt"
	"image"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// queuePanel lists every job, newest first, with its status and actions.
type queuePanel struct {
	s       *Studio
	content fyne.CanvasObject
	list    *widget.List
	jobs    []jobs.Job
	thumbs  map[string]image.Image
	ticker  *time.Ticker
}

func newQueuePanel(s *Studio) *queuePanel {
	q := &queuePanel{s: s, thumbs: map[string]image.Image{}}
	q.list = widget.NewList(func() int { return len(q.jobs) }, q.newRow, q.updateRow)
	q.list.OnSelected = func(id widget.ListItemID) { q.list.Unselect(id) }
	clear := widget.NewButton("Clear finished", func() {
		for _, j := range q.jobs {
			if !j.Status.Active() {
				_ = s.manager.Remove(j.ID)
			}
		}
		q.reload()
	})
	header := container.NewBorder(nil, nil, widget.NewLabelWithStyle("Jobs", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), clear)
	q.content = container.NewBorder(container.NewPadded(header), nil, nil, nil, q.list)
	// Elapsed times tick while jobs run.
	q.ticker = time.NewTicker(time.Second)
	go func() {
		for {
			select {
			case <-s.ctx.Done():
				q.ticker.Stop()
				return
			case <-q.ticker.C:
				q.s.do(func() {
					if slices.ContainsFunc(q.jobs, func(j jobs.Job) bool { return j.Status.Active() }) {
						q.list.Refresh()
					}
				})
			}
		}
	}()
	return q
}

// reload takes the whole queue from the manager.
func (q *queuePanel) reload() {
	all := q.s.manager.Jobs()
	slices.Reverse(all)
	q.jobs = all
	for _, j := range all {
		q.loadThumb(j)
	}
	q.list.Refresh()
}

// jobChanged updates one row (called on Fyne's goroutine).
func (s *Studio) jobChanged(j jobs.Job) {
	q := s.queue
	i := slices.IndexFunc(q.jobs, func(o jobs.Job) bool { return o.ID == j.ID })
	var old jobs.Status
	if i < 0 {
		q.jobs = append([]jobs.Job{j}, q.jobs...)
	} else {
		old = q.jobs[i].Status
		q.jobs[i] = j
	}
	q.loadThumb(j)
	q.list.Refresh()
	if old != j.Status && (j.Status == jobs.Done || j.Status == jobs.Failed) {
		s.notifyFinished(j)
	}
}

// loadThumb makes a row's thumbnail in the background: the result when
// there is one, else the main input.
func (q *queuePanel) loadThumb(j jobs.Job) {
	key := j.ID + j.Final()
	if _, ok := q.thumbs[key]; ok {
		return
	}
	q.thumbs[key] = nil
	go func() {
		var data []byte
		var err error
		if j.Final() != "" {
			data, err = q.s.manager.Result(j)
		} else {
			data, err = q.s.manager.Input(j, mainInput(j))
		}
		if err != nil || data == nil {
			return
		}
		img, _, err := imagefile.Decode(data, 0)
		if err != nil {
			return
		}
		thumb := imaging.Fit(img, 96, 96, imaging.Linear)
		q.s.do(func() {
			q.thumbs[key] = thumb
			q.list.Refresh()
		})
	}()
}

// row is one job's line in the list.
type row struct {
	widget.BaseWidget
	content fyne.CanvasObject
	thumb   *canvas.Image
	title   *widget.Label
	status  *widget.Label
	detail  *widget.Label
	bar     *widget.ProgressBar
	spinner *widget.ProgressBarInfinite
	primary *widget.Button
	more    *widget.Button
}

func (q *queuePanel) newRow() fyne.CanvasObject {
	r := &row{
		thumb:   canvas.NewImageFromImage(nil),
		title:   widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		status:  widget.NewLabel(""),
		detail:  widget.NewLabel(""),
		bar:     widget.NewProgressBar(),
		spinner: widget.NewProgressBarInfinite(),
		primary: widget.NewButton("", nil),
		more:    widget.NewButtonWithIcon("", theme.MoreVerticalIcon(), nil),
	}
	r.thumb.FillMode = canvas.ImageFillContain
	r.thumb.SetMinSize(fyne.NewSize(56, 56))
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.status.Truncation = fyne.TextTruncateEllipsis // the full text is under Details…
	r.detail.SizeName = theme.SizeNameCaptionText
	r.more.Importance = widget.LowImportance
	texts := container.NewVBox(r.title, r.status, container.NewStack(r.bar, r.spinner), r.detail)
	actions := container.NewVBox(r.primary, r.more)
	r.content = container.NewBorder(nil, widget.NewSeparator(), r.thumb, actions, texts)
	r.ExtendBaseWidget(r)
	return r
}

// CreateRenderer is part of fyne.Widget.
func (r *row) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(r.content) }

func (q *queuePanel) updateRow(id widget.ListItemID, obj fyne.CanvasObject) {
	r, ok := obj.(*row)
	if !ok || id >= len(q.jobs) {
		return
	}
	j := q.jobs[id]
	r.thumb.Image = q.thumbs[j.ID+j.Final()]
	r.thumb.Refresh()
	title := modeLabel(j)
	if j.Prompt != "" {
		title += " · “" + j.Prompt + "”"
	}
	r.title.SetText(title)
	r.status.SetText(statusText(j))
	r.status.Importance = widget.MediumImportance
	switch j.Status {
	case jobs.Failed, jobs.Interrupted:
		r.status.Importance = widget.DangerImportance
	case jobs.Done:
		r.status.Importance = widget.SuccessImportance
	}
	r.status.Refresh()
	cost := fmt.Sprintf("%.2f credits", j.Credits)
	if j.Server.Local {
		cost = "free (local engine)"
	}
	r.detail.SetText(fmt.Sprintf("%s · seed %d · %s · %s", formatElapsed(j.Elapsed(time.Now())), j.Seed, cost, syncWord(j.Async)))
	known := j.Status.Active() && j.Progress >= 0
	r.bar.Hidden = !known
	r.spinner.Hidden = !j.Status.Active() || known
	if known {
		r.bar.SetValue(j.Progress)
	}
	label, action := q.primaryAction(j)
	r.primary.SetText(label)
	r.primary.OnTapped = action
	r.more.OnTapped = func() {
		menu := fyne.NewMenu("", q.menuItems(j)...)
		widget.ShowPopUpMenuAtRelativePosition(menu, q.s.win.Canvas(), fyne.NewPos(0, r.more.Size().Height), r.more)
	}
}

// modeLabel names a job's mode. A scene from the local engine is called a
// preview render: it is lit from the depth, not generated by a model.
func modeLabel(j jobs.Job) string {
	if j.Mode == client.ModeScene && j.Server.Local {
		return j.Mode.Title() + " · preview render"
	}
	return j.Mode.Title()
}

func syncWord(async bool) string {
	if async {
		return "async"
	}
	return "sync"
}

func formatElapsed(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.0f s", d.Seconds())
	}
	return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
}

// statusText says where a job is, in words.
func statusText(j jobs.Job) string {
	pct := func(prefix string) string {
		if j.Progress >= 0 {
			return fmt.Sprintf("%s %.0f %%", prefix, j.Progress*100)
		}
		return prefix + "…"
	}
	switch j.Status {
	case jobs.Queued:
		return "Queued"
	case jobs.Sending:
		if !j.Async && j.Progress < 0 {
			return "Generating…"
		}
		return pct("Sending")
	case jobs.Waiting:
		return "Waiting in the server's queue"
	case jobs.Processing:
		return pct("Processing")
	case jobs.Done:
		if j.Error != "" {
			return j.Error
		}
		return "Done · saved in " + filepath.Base(filepath.Dir(j.ResultPath))
	case jobs.Failed:
		return "Failed: " + j.Error
	case jobs.Cancelled:
		if j.Error != "" {
			return "Cancelled. " + j.Error
		}
		return "Cancelled"
	case jobs.Interrupted:
		return "Interrupted: " + j.Error
	}
	return string(j.Status)
}

// primaryAction is the row's main button: Cancel while running, Save as…
// when done, Retry otherwise.
func (q *queuePanel) primaryAction(j jobs.Job) (string, func()) {
	switch {
	case j.Status.Active():
		return "Cancel", func() { q.s.manager.Cancel(j.ID) }
	case j.Status == jobs.Done:
		return "Save as…", func() { q.s.saveResultAs(j) }
	}
	return "Retry", func() { q.retry(j) }
}

func (q *queuePanel) retry(j jobs.Job) {
	if err := q.s.manager.Retry(j.ID); err != nil {
		dialog.ShowError(err, q.s.win)
	}
}

// menuItems are the row's other actions.
func (q *queuePanel) menuItems(j jobs.Job) []*fyne.MenuItem {
	s := q.s
	items := []*fyne.MenuItem{fyne.NewMenuItem("Details…", func() { s.showDetails(j) })}
	if j.Status == jobs.Done {
		items = append(items,
			fyne.NewMenuItem("Save as…", func() { s.saveResultAs(j) }),
			fyne.NewMenuItem("Save raw (as the server sent it)…", func() { s.saveRawAs(j) }),
			fyne.NewMenuItem("Open the output folder", func() { s.openFolder(filepath.Dir(j.ResultPath)) }),
			fyne.NewMenuItem("Compare before/after", func() { s.showCompare(j) }),
			fyne.NewMenuItem("Use as background", func() { s.useResult(j, fieldBackground) }),
			fyne.NewMenuItem("Use as subject", func() { s.useResult(j, fieldSubject) }),
		)
	}
	if j.Status.Active() {
		items = append(items, fyne.NewMenuItem("Cancel", func() { s.manager.Cancel(j.ID) }))
	} else {
		items = append(items,
			fyne.NewMenuItem("Retry", func() { q.retry(j) }),
			fyne.NewMenuItem("Remove from the list", func() {
				if err := s.manager.Remove(j.ID); err == nil {
					q.reload()
				}
			}))
	}
	return items
}

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
	lines = append(lines, fmt.Sprintf("Seed: %d · %s · %.2f credits", j.Seed, syncWord(j.Async), j.Credits))
	for _, f := range []string{fieldBackground, fieldSubject, fieldMask, fieldDepth, fieldPreview} {
		if in, ok := j.Inputs[f]; ok {
			lines = append(lines, fmt.Sprintf("%s: %s (%d×%d)", s.slots[f].title, in.Name, in.Width, in.Height))
		}
	}
	if j.ResultPath != "" {
		lines = append(lines, "Saved as: "+j.ResultPath)
	}
	text := widget.NewLabel(strings.Join(lines, "\n"))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom("Job details", "Close", container.NewVScroll(text), s.win)
	d.Resize(fyne.NewSize(560, 360))
	d.Show()
}

// saveResultAs writes a result with its metadata where the user chooses.
func (s *Studio) saveResultAs(j jobs.Job) {
	data, err := s.manager.Result(j)
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	out, err := jobs.WithPNGText(data, jobs.MetadataKeys, jobs.Metadata(j, j.Finished))
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	s.saveBytes(filepath.Base(j.ResultPath), out)
}

// saveRawAs saves what the server sent, before it was put back into the
// original.
func (s *Studio) saveRawAs(j jobs.Job) {
	data, err := s.manager.RawResult(j)
	if err == nil {
		data, err = jobs.WithPNGText(data, jobs.MetadataKeys, jobs.Metadata(j, j.Finished))
	}
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	s.saveBytes(strings.TrimSuffix(filepath.Base(j.ResultPath), ".png")+" raw.png", data)
}

// saveBytes asks where to save data and writes it there.
func (s *Studio) saveBytes(name string, data []byte) {
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			return
		}
		saved, err := writeSaveAs(w, data)
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		s.setStatus("Saved " + saved)
	}, s.win)
	if name != "" && name != "." {
		d.SetFileName(name)
	}
	if dir, err := storage.ListerForURI(storage.NewFileURI(s.settings.OutputDir())); err == nil {
		d.SetLocation(dir)
	}
	d.Show()
}

func (s *Studio) openFolder(dir string) {
	if _, err := os.Stat(dir); err != nil {
		dialog.ShowError(errors.New("the output folder does not exist any more"), s.win)
		return
	}
	u, err := url.Parse(storage.NewFileURI(dir).String())
	if err == nil {
		err = s.app.OpenURL(u)
	}
	if err != nil {
		s.showFolderPath(dir, err)
	}
}

// useResult makes a finished job's result an input.
func (s *Studio) useResult(j jobs.Job, field string) {
	data, err := s.manager.Result(j)
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	img, err := loadImageBytes(filepath.Base(j.ResultPath), data)
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	s.setInput(field, img)
	s.setStatus(fmt.Sprintf("The result is now the %s.", s.slots[field].title))
}

// notifyFinished sends a desktop notification when the window is not in
// front.
func (s *Studio) notifyFinished(j jobs.Job) {
	if s.focused {
		return
	}
	title := "Job done"
	body := modeLabel(j) + ": saved as " + filepath.Base(j.ResultPath)
	if j.Status == jobs.Failed {
		title, body = "Job failed", j.Error
	}
	s.app.SendNotification(fyne.NewNotification(title, body))
}
