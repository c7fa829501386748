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
	h.e.job.run(work)
}

// jobRunner runs the editor's background job (an object selection, Select
// subject), one at a time: the work runs on its own goroutine, its
// progress and its result come back on Fyne's goroutine through do.
type jobRunner struct {
	do     func(func())                  // runs a function on Fyne's goroutine
	notify func(busy bool, done float64) // tells the editor's OnBusy

	cancel context.CancelFunc
	done   chan struct{} // identifies the job running
	busy   bool
	frac   float64
	wg     sync.WaitGroup
}

// RunOnUI sets how a background job's progress and result reach Fyne's
// goroutine: fyne.Do unless the app runs its own queue (its tests do).
// Call it before the first job.
func (e *Editor) RunOnUI(do func(func())) { e.job.do = do }

// Busy reports whether a background job (an object selection, Select
// subject) is running, and the fraction of it done.
func (e *Editor) Busy() (busy bool, done float64) { return e.job.busy, e.job.frac }

// run starts work, replacing the job running; see ToolHost.Run.
func (j *jobRunner) run(work func(ctx context.Context, progress func(float64)) func()) {
	j.stop()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	j.cancel, j.done, j.busy, j.frac = cancel, done, true, 0
	j.notify(true, 0)
	current := func() bool { return j.done == done }
	j.wg.Go(func() {
		last := 0.0
		apply := work(ctx, func(f float64) {
			if f-last < 0.02 && f < 1 {
				return
			}
			last = f
			j.do(func() {
				if current() {
					j.frac = f
					j.notify(true, f)
				}
			})
		})
		j.do(func() {
			if !current() {
				return
			}
			ok := ctx.Err() == nil
			j.cancel()
			j.cancel, j.done, j.busy, j.frac = nil, nil, false, 1
			if apply != nil && ok {
				apply()
			}
			j.notify(false, 1)
		})
	})
}

// stop cancels the job running, if any; its result is dropped.
func (j *jobRunner) stop() {
	if j.cancel == nil {
		return
	}
	j.cancel()
	j.cancel, j.done, j.busy = nil, nil, false
	j.notify(false, j.frac)
}

// wait waits for the jobs' goroutines to end (for tests).
func (j *jobRunner) wait() { j.wg.Wait() }

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
	e.tb.handler.Cancel(e.host()) // a box being segmented is replaced
	e.job.run(func(ctx context.Context, progress func(float64)) func() {
		sel, err := segment.Subject(ctx, img, segment.Options{Progress: progress})
		if err != nil {
			return nil
		}
		return func() { e.afterOp(m.SelectGray(sel, mode, feather)) }
	})
}
