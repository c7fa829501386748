package app

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"path/filepath"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// queuePanel lists every job, newest first, with its status and actions.
type queuePanel struct {
	manager *jobs.Manager
	host    jobsHost
	content fyne.CanvasObject
	list    *keyList
	jobs    []jobs.Job
	heights map[widget.ListItemID]float32 // rows' heights, by their wrapped texts
	thumbs  map[string]image.Image
	ticker  *time.Ticker
	read    bool // the saved queue has been read (see queueRead)
}

// jobsHost is what the jobs list asks of the window: to run on the UI
// goroutine, to say something in the status line or a dialog, the
// window's own actions on a finished job (details, compare, use as an
// input…), and to tell the designer a job finished.
type jobsHost interface {
	runOnUI(func())
	setStatus(text string)
	showError(err error)
	window() fyne.Window
	saveResultAs(j jobs.Job)
	resultActions(j jobs.Job) []*fyne.MenuItem
	notifyFinished(j jobs.Job)
}

// newQueuePanel builds the list of the manager's jobs; its goroutines end
// with ctx. Tool keys typed while the list has focus go to typed.
func newQueuePanel(ctx context.Context, manager *jobs.Manager, host jobsHost, typed func(rune)) *queuePanel {
	q := &queuePanel{manager: manager, host: host, thumbs: map[string]image.Image{}, heights: map[widget.ListItemID]float32{}}
	q.list = newKeyList(func() int { return len(q.jobs) }, q.newRow, q.updateRow, typed)
	q.list.onWidth = func() {
		clear(q.heights)
		q.list.Refresh() // each row measures its texts again
	}
	q.list.OnSelected = func(id widget.ListItemID) { q.list.Unselect(id) }
	clear := widget.NewButton("Clear finished", func() {
		go func() { // writes the queue and deletes images: not on Fyne's goroutine
			n, err := manager.ClearFinished()
			host.runOnUI(func() {
				q.reload()
				if err != nil {
					host.setStatus("Some finished jobs could not be cleared: " + jobs.Explain(err))
					return
				}
				host.setStatus(fmt.Sprintf("%d finished job(s) cleared, with their stored images.", n))
			})
		}()
	})
	header := container.NewBorder(nil, nil, widget.NewLabelWithStyle("Jobs", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), clear)
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(jobsPanelWidth, 0))
	q.content = container.NewStack(width, container.NewBorder(container.NewPadded(header), nil, nil, nil, q.list))
	// Elapsed times tick while jobs run.
	q.ticker = time.NewTicker(time.Second)
	go func() {
		for {
			select {
			case <-ctx.Done():
				q.ticker.Stop()
				return
			case <-q.ticker.C:
				host.runOnUI(func() {
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
	all := q.manager.Jobs()
	slices.Reverse(all)
	q.jobs = all
	for _, j := range all {
		q.loadThumb(j)
	}
	q.list.Refresh()
}

// queueRead shows the jobs once the saved queue has been read, and what
// could not be loaded, in words (called on Fyne's goroutine).
func (q *queuePanel) queueRead(err error) {
	q.read = true
	q.reload()
	if err != nil {
		q.host.showError(err)
	}
}

// all is the list's jobs, newest first (a copy).
func (q *queuePanel) all() []jobs.Job { return slices.Clone(q.jobs) }

// jobChanged updates one row (called on Fyne's goroutine).
func (q *queuePanel) jobChanged(j jobs.Job) {
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
		q.host.notifyFinished(j)
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
			data, err = q.manager.Result(j)
		} else {
			data, err = q.manager.Input(j, mainInput(j))
		}
		if err != nil || data == nil {
			return
		}
		img, _, err := imagefile.Decode(data, 0)
		if err != nil {
			return
		}
		thumb := imaging.Fit(img, 96, 96, imaging.Linear)
		q.host.runOnUI(func() {
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
	r.thumb.SetMinSize(fyne.NewSize(48, 48))
	r.title.Wrapping = fyne.TextWrapWord
	r.status.Wrapping = fyne.TextWrapWord
	r.detail.Wrapping = fyne.TextWrapWord
	r.detail.SizeName = theme.SizeNameCaptionText
	r.more.Importance = widget.LowImportance
	texts := container.New(&tightVBox{}, r.title, r.status)
	top := container.NewBorder(nil, nil, container.NewCenter(r.thumb), nil, texts)
	actions := container.NewBorder(nil, nil, nil, container.NewHBox(r.primary, r.more), r.detail)
	r.content = container.NewBorder(nil, widget.NewSeparator(), nil, nil,
		container.NewVBox(top, container.NewStack(r.bar, r.spinner), actions))
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
	if name := mainInputName(j); name != "" {
		title += " · " + name
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
	r.detail.SetText(fmt.Sprintf("%s · seed %d · %s", formatElapsed(j.Elapsed(time.Now())), j.Seed, costText(j)))
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
		widget.ShowPopUpMenuAtRelativePosition(menu, q.host.window().Canvas(), fyne.NewPos(0, r.more.Size().Height), r.more)
	}
	q.fitRow(id, r)
}

// jobsPanelWidth is the job list's narrowest width.
const jobsPanelWidth = 250

// fitRow gives a row the height its wrapped texts need at the list's
// width, so no status is cut off.
func (q *queuePanel) fitRow(id widget.ListItemID, r *row) {
	w := q.list.Size().Width - 2*theme.Padding()
	if w < 100 {
		w = jobsPanelWidth - 2*theme.Padding()
	}
	r.content.Resize(fyne.NewSize(w, r.content.MinSize().Height))
	h := r.content.MinSize().Height
	if q.heights[id] != h {
		q.heights[id] = h
		q.list.SetItemHeight(id, h)
	}
}

// mainInputName is the file a job was made from, as the designer named it.
func mainInputName(j jobs.Job) string {
	if in, ok := j.Inputs[mainInput(j)]; ok {
		return in.Name
	}
	return ""
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

// costText is what a job cost: its price once the server took it, 0 when
// it never did, and a warning when that is unknown.
func costText(j jobs.Job) string {
	switch {
	case j.Server.Local:
		return "free (local engine)"
	case j.Billing == jobs.Charged:
		return fmt.Sprintf("%.2f credits", j.Credits)
	case j.Billing == jobs.MaybeBilled:
		return fmt.Sprintf("may have cost %.2f credits", j.Credits)
	case j.Status.Active():
		return fmt.Sprintf("%.2f credits once taken", j.Credits)
	}
	return "0 credits (not taken)"
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
	case jobs.Finishing:
		return "Finishing: putting the result in place and saving it…"
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
		return "Cancel", func() { q.cancel(j) }
	case j.Status == jobs.Done:
		return "Save as…", func() { q.host.saveResultAs(j) }
	}
	return retryLabel(j), func() { q.retry(j) }
}

// retryLabel: a job the server took is looked for again, not resent.
func retryLabel(j jobs.Job) string {
	if j.Ticket != "" {
		return "Check again"
	}
	return "Retry"
}

// cancel stops a job and always says what became of it.
func (q *queuePanel) cancel(j jobs.Job) {
	q.host.setStatus("Cancelling…")
	go func() {
		said := q.manager.Cancel(j.ID)
		q.host.runOnUI(func() { q.host.setStatus(said) })
	}()
}

// retry resends a job, or looks for a taken one's result again; the
// queue's write happens aside.
func (q *queuePanel) retry(j jobs.Job) {
	go func() {
		if err := q.manager.Retry(j.ID); err != nil {
			q.host.runOnUI(func() { q.host.showError(err) })
		}
	}()
}

// menuItems are the row's other actions: the window's on a result, then
// the list's own.
func (q *queuePanel) menuItems(j jobs.Job) []*fyne.MenuItem {
	items := q.host.resultActions(j)
	if j.Status.Active() {
		return append(items, fyne.NewMenuItem("Cancel", func() { q.cancel(j) }))
	}
	return append(items,
		fyne.NewMenuItem(retryLabel(j), func() { q.retry(j) }),
		fyne.NewMenuItem("Remove from the list", func() {
			go func() {
				if err := q.manager.Remove(j.ID); err == nil {
					q.host.runOnUI(q.reload)
				}
			}()
		}))
}
