package canvas

import (
	"context"
	"image"
	"sync"

	"fyne.io/fyne/v2"

	"github.com/zeninpaint/studio/canvas/segment"
)

// editorHost is the editor as its tools see it.
type editorHost struct{ e *Editor }

var _ ToolHost = editorHost{}

func (e *Editor) host() ToolHost { return editorHost{e} }

func (h editorHost) Mask() *Mask                                { return h.e.mask }
func (h editorHost) Image() *image.NRGBA                        { return h.e.Image() }
func (h editorHost) Brush() Brush                               { return h.e.brush }
func (h editorHost) SelectionFeather() int                      { return h.e.feather }
func (h editorHost) ModeFor(mod fyne.KeyModifier) SelectionMode { return h.e.modeFor(mod) }
func (h editorHost) UnitsBetween(a, b Point) float64            { return h.e.unitsBetween(a, b) }
func (h editorHost) DevicePerImage() float64                    { return h.e.view.Zoom }
func (h editorHost) Invalidate(r image.Rectangle)               { h.e.invalidate(r) }
func (h editorHost) RedrawOutline()                             { h.e.requestFrame() }
func (h editorHost) Committed(changed bool)                     { h.e.afterOp(changed) }
func (h editorHost) Stroked()                                   { h.e.changed() }
func (h editorHost) ModeChanged()                               { h.e.announceMode() }
func (h editorHost) PickTool(t Tool)                            { h.e.SetTool(t) }

func (h editorHost) Run(work func(ctx context.Context, progress func(float64)) func()) {
	h.e.runJob(work)
}

// jobState is the editor's background job.
type jobState struct {
	cancel context.CancelFunc
	done   chan struct{}
	busy   bool
	frac   float64
	wg     sync.WaitGroup
}

// Busy reports whether a background job (an object selection, Select
// subject) is running, and the fraction of it done.
func (e *Editor) Busy() (busy bool, done float64) { return e.job.busy, e.job.frac }

func (e *Editor) notifyBusy() {
	if e.OnBusy != nil {
		e.OnBusy(e.job.busy, e.job.frac)
	}
}

// runJob runs work on its own goroutine, replacing the job running; see
// ToolHost.Run.
func (e *Editor) runJob(work func(ctx context.Context, progress func(float64)) func()) {
	e.cancelJob()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	e.job.cancel, e.job.done, e.job.busy, e.job.frac = cancel, done, true, 0
	e.notifyBusy()
	current := func() bool { return e.job.done == done }
	e.job.wg.Go(func() {
		last := 0.0
		apply := work(ctx, func(f float64) {
			if f-last < 0.02 && f < 1 {
				return
			}
			last = f
			fyne.Do(func() {
				if current() {
					e.job.frac = f
					e.notifyBusy()
				}
			})
		})
		fyne.Do(func() {
			if !current() {
				return
			}
			ok := ctx.Err() == nil
			e.job.cancel()
			e.job.cancel, e.job.done, e.job.busy, e.job.frac = nil, nil, false, 1
			if apply != nil && ok {
				apply()
			}
			e.notifyBusy()
		})
	})
}

// cancelJob stops the background job, if any; its result is dropped.
func (e *Editor) cancelJob() {
	if e.job.cancel == nil {
		return
	}
	e.job.cancel()
	e.job.cancel, e.job.done, e.job.busy = nil, nil, false
	e.notifyBusy()
}

// waitJobs waits for the background jobs' goroutines to end (for tests).
func (e *Editor) waitJobs() { e.job.wg.Wait() }

// SelectSubject selects the picture's main object without a box (Mask ▸
// Select subject; see segment.Subject), combined with the mask by the
// selection mode and feather in force, as one undo step. It runs off Fyne's
// goroutine like the object selection: OnBusy follows it, Esc
// (CancelSelection) stops it.
func (e *Editor) SelectSubject() {
	img := e.Image()
	if img == nil {
		return
	}
	mode, feather, m := e.selMode, e.feather, e.mask
	e.runJob(func(ctx context.Context, progress func(float64)) func() {
		sel, err := segment.Subject(ctx, img, segment.Options{Progress: progress})
		if err != nil {
			return nil
		}
		return func() { e.afterOp(m.SelectGray(sel, mode, feather)) }
	})
}
