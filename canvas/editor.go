package canvas

import (
	"errors"
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	fynecanvas "fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client/imagefile"
)

// Editor is the mask-painting widget: the image with the mask as a coloured
// overlay, a round brush cursor, zoom around the pointer, pan, and the
// keyboard shortcuts of a paint program. Its methods must be called on
// Fyne's goroutine (inside fyne.Do from other goroutines).
type Editor struct {
	widget.BaseWidget

	// OnMaskChanged is called after each change of the mask (a stroke, an
	// operation, undo or redo).
	OnMaskChanged func()
	// OnViewChanged is called when the zoom changes, with the new zoom.
	OnViewChanged func(zoom float64)
	// OnToolChanged is called when the tool or brush changes from the
	// keyboard, so that a panel can follow.
	OnToolChanged func(tool Tool, brush Brush)
	// OnSelectionModeChanged is called when the selection mode a drag would
	// use changes: SetSelectionMode, Shift or Alt pressed or released, or a
	// selection started with them held. A bar shows it next to the tool.
	OnSelectionModeChanged func(mode SelectionMode)
	// OnUndo, when set, is asked first by Undo (the key, the menu): it
	// returns true when it undid a change of its own (say, an input the
	// app replaced) instead of a mask step.
	OnUndo func() bool
	// OnRedo, when set, is asked first by Redo; it returns true when it
	// took the redo.
	OnRedo func() bool
	// OnOtherRune receives the typed characters the editor has no use for,
	// so the app can give keys of its own to the canvas (say, \ to show a
	// result).
	OnOtherRune func(r rune)
	// OnAltModifier is called when Alt modifies a press on the canvas (a
	// selection that subtracts): the window must not take Alt's release
	// for Alt pressed alone, which opens the menu bar.
	OnAltModifier func()
	// OnOtherShortcut receives the shortcuts the editor has no use for
	// while it has the keyboard (copy, paste).
	OnOtherShortcut func(fyne.Shortcut)
	// OnKey, when set, sees each key typed on the editor first; it returns
	// true when it used the key (the app's staging of results).
	OnKey func(fyne.KeyName) bool
	// OnBusy is called on Fyne's goroutine when a background job (an
	// object selection, Select subject) starts (busy, done 0), advances
	// (done from 0 to 1) and ends (not busy), so the app can show a
	// progress indication; the editor stays responsive meanwhile.
	OnBusy func(busy bool, done float64)
	// OnToolPress, when set, is called as a tool starts on the picture (a
	// stroke, a selection), before it acts: a result shown in place of the
	// picture can go away first, so that what is painted is seen.
	OnToolPress func()

	mask    *Mask
	rend    renderer
	view    View
	viewSet bool
	fitted  bool    // the view is a fit, kept a fit when the widget's size changes
	shown   pyramid // the image's own pyramid while ShowPicture shows another
	brush   Brush

	raster *fynecanvas.Raster
	cursor *fynecanvas.Circle

	scale        float64 // device pixels per Fyne unit, from the last frame
	lastSize     image.Point
	lastView     View
	dirty        image.Rectangle // device pixels to redraw on the next frame
	fullRedraw   bool
	framePending bool

	pointer   fyne.Position
	pointerIn bool
	spaceHeld bool
	panning   bool

	tb         toolbox         // the tools and the one in hand
	selMode    SelectionMode   // the mode chosen in a bar
	shiftHeld  bool            // Shift is down: add
	altHeld    bool            // Alt is down: subtract
	lastMode   SelectionMode   // the mode last announced
	feather    int             // feather of new selections, in image pixels
	outlineBox image.Rectangle // device pixels the last outline covered
	budget     int64           // history budget for new masks (0: default)

	job jobRunner // the background job (an object selection), if any
}

// NewEditor returns an editor with no image, a 60 px brush at 80 %
// hardness and the default overlay.
func NewEditor() *Editor {
	e := &Editor{
		brush: Brush{Size: 60, Hardness: 0.8},
		scale: 1,
		mask:  NewMask(0, 0),

		tb: newToolbox(),
	}
	e.job.do = fyne.Do
	e.job.notify = func(busy bool, done float64) {
		if e.OnBusy != nil {
			e.OnBusy(busy, done)
		}
	}
	e.rend.overlay = DefaultOverlay
	e.raster = fynecanvas.NewRaster(e.generate)
	e.cursor = &fynecanvas.Circle{StrokeColor: color.White, StrokeWidth: 1.5}
	e.cursor.Hide()
	e.ExtendBaseWidget(e)
	return e
}

// SetImage shows img with a new, empty mask of its size and fits it to the
// view. The editor keeps img (converted to NRGBA when it is not).
func (e *Editor) SetImage(img image.Image) {
	n := imagefile.ToNRGBA(img)
	e.rend.pyr = newPyramid(n)
	e.shown = nil
	e.job.stop()
	e.tb.handler.Cancel(e.host())
	e.mask = NewMask(n.Rect.Dx(), n.Rect.Dy())
	if e.budget != 0 {
		e.mask.SetHistoryBudget(e.budget)
	}
	e.rend.mask = e.mask
	e.viewSet = false
	e.redrawAll()
	e.changed()
}

// ShowPicture shows another picture of the image's size (a result, say)
// in place of the image, at the same zoom and without the mask's overlay
// (so the picture is judged as it is), without changing what is painted
// on; ShowPicture(nil) shows the image and its mask again. A picture of
// another size is scaled to the image's.
func (e *Editor) ShowPicture(pic image.Image) {
	if !e.HasImage() {
		return
	}
	e.rend.hideMask = pic != nil
	if pic == nil {
		if e.shown != nil {
			e.rend.pyr, e.shown = e.shown, nil
		}
	} else {
		if e.shown == nil {
			e.shown = e.rend.pyr
		}
		size := e.shown[0].Rect.Size()
		n := imagefile.ToNRGBA(pic)
		if n.Rect.Size() != size {
			n = imaging.Resize(n, size.X, size.Y, imaging.Lanczos)
		}
		e.rend.pyr = newPyramid(n)
	}
	e.redrawAll()
}

// ShowingPicture reports whether a picture other than the image is shown.
func (e *Editor) ShowingPicture() bool { return e.shown != nil }

// Shown is the picture on screen at full resolution: the one ShowPicture
// shows, else the image (nil when none).
func (e *Editor) Shown() *image.NRGBA {
	if !e.HasImage() {
		return nil
	}
	return e.rend.pyr[0]
}

// HasImage reports whether an image is loaded.
func (e *Editor) HasImage() bool { return len(e.rend.pyr) > 0 }

// Image returns the image being painted on (nil when none).
func (e *Editor) Image() *image.NRGBA {
	if !e.HasImage() {
		return nil
	}
	if e.shown != nil {
		return e.shown[0]
	}
	return e.rend.pyr[0]
}

// Mask returns the mask model. Call Refresh after changing it directly.
func (e *Editor) Mask() *Mask { return e.mask }

// Brush returns the brush settings.
func (e *Editor) Brush() Brush { return e.brush }

// SetBrush changes the brush (size and hardness are clamped).
func (e *Editor) SetBrush(b Brush) {
	e.brush = b.clamped()
	e.updateCursor()
}

// Tool returns the current tool.
func (e *Editor) Tool() Tool { return e.tb.tool }

// SetTool selects a tool; a selection being drawn with another tool is
// cancelled. It does not call OnToolChanged. An unknown tool is ignored.
func (e *Editor) SetTool(t Tool) {
	if _, ok := specOf(t); t == e.tb.tool || !ok {
		return
	}
	e.CancelSelection()
	e.tb.pick(t)
	e.updateCursor()
}

// SetHistoryBudget sets how many bytes of undo history the mask may keep,
// now and for the masks of images set later (see Mask.SetHistoryBudget).
func (e *Editor) SetHistoryBudget(bytes int64) {
	e.budget = bytes
	if bytes <= 0 {
		e.budget = -1
	}
	e.mask.SetHistoryBudget(bytes)
}

// HistoryBytes returns the bytes the mask's undo history holds, against
// HistoryBudget (for a status line or a memory panel).
func (e *Editor) HistoryBytes() int64 { return e.mask.HistoryBytes() }

// HistoryBudget returns the mask's history budget in bytes (≤ 0: none).
func (e *Editor) HistoryBudget() int64 { return e.mask.HistoryBudget() }

// Overlay returns how the mask is shown.
func (e *Editor) Overlay() Overlay { return e.rend.overlay }

// SetOverlay changes the overlay colour, opacity or mask-alone view.
func (e *Editor) SetOverlay(o Overlay) {
	e.rend.overlay = o
	e.redrawAll()
}

// Zoom returns the current zoom (1 = 100 %).
func (e *Editor) Zoom() float64 { return e.view.Zoom }

// View returns the current view.
func (e *Editor) View() View { return e.view }

// SetView shows the image at a zoom and origin (a saved view, say); it is
// kept within the image like any pan or zoom.
func (e *Editor) SetView(v View) {
	if v.Zoom > 0 {
		e.setView(v)
	}
}

// ZoomFit shows the whole image.
func (e *Editor) ZoomFit() {
	e.setView(e.fitView())
	e.fitted = true
}

// ZoomActual shows the image at 100 %, centred.
func (e *Editor) ZoomActual() {
	if w, h := e.deviceSize(); e.HasImage() {
		s := e.mask.Size()
		e.setView(ActualView(s.X, s.Y, w, h))
	}
}

// ZoomAt zooms by factor keeping the image point under pos (in the
// widget's coordinates) where it is.
func (e *Editor) ZoomAt(factor float64, pos fyne.Position) {
	e.ensureView()
	e.setView(e.view.ZoomAt(e.view.Zoom*factor, float64(pos.X)*e.scale, float64(pos.Y)*e.scale))
}

// ImagePoint maps a position in the widget to image coordinates.
func (e *Editor) ImagePoint(pos fyne.Position) (x, y float64) {
	e.ensureView()
	return e.view.ToImage(float64(pos.X)*e.scale, float64(pos.Y)*e.scale)
}

// Undo reverts the last mask change.
func (e *Editor) Undo() {
	if e.OnUndo != nil && e.OnUndo() {
		return
	}
	e.afterOp(e.mask.Undo())
}

// Redo re-applies the last undone change.
func (e *Editor) Redo() {
	if e.OnRedo != nil && e.OnRedo() {
		return
	}
	e.afterOp(e.mask.Redo())
}

// Invert swaps painted and kept areas.
func (e *Editor) Invert() { e.afterOp(e.mask.Invert()) }

// ClearMask empties the mask.
func (e *Editor) ClearMask() { e.afterOp(e.mask.Clear()) }

// FillMask marks the whole image for painting.
func (e *Editor) FillMask() { e.afterOp(e.mask.Fill()) }

// Grow grows the painted area by n pixels.
func (e *Editor) Grow(n int) { e.afterOp(e.mask.Grow(n)) }

// Shrink shrinks the painted area by n pixels.
func (e *Editor) Shrink(n int) { e.afterOp(e.mask.Shrink(n)) }

// Feather softens the mask's edge by about n pixels.
func (e *Editor) Feather(n int) { e.afterOp(e.mask.Feather(n)) }

// MaskFromAlpha makes the mask from a subject's transparency (see
// Mask.FromAlpha).
func (e *Editor) MaskFromAlpha(subject image.Image, opaqueIsPaint bool) {
	e.afterOp(e.mask.FromAlpha(subject, opaqueIsPaint))
}

// ErrNoImage is returned by mask import and export before an image is set.
var ErrNoImage = errors.New("open an image first: the mask is painted over it")

// ImportMask replaces the mask with img (white = paint), resized to the
// image when the sizes differ; resized tells the caller to say so.
func (e *Editor) ImportMask(img image.Image) (resized bool, err error) {
	if !e.HasImage() {
		return false, ErrNoImage
	}
	resized = e.mask.Import(img)
	e.afterOp(true)
	return resized, nil
}

// MaskPNG exports the mask at the image's full size as an 8-bit grayscale
// PNG: white 255 = paint, black 0 = keep.
func (e *Editor) MaskPNG() ([]byte, error) {
	if !e.HasImage() {
		return nil, ErrNoImage
	}
	return imagefile.PNGBytes(e.mask.Gray())
}

func (e *Editor) afterOp(changed bool) {
	if changed {
		e.redrawAll()
		e.changed()
	}
}

func (e *Editor) changed() {
	if e.OnMaskChanged != nil {
		e.OnMaskChanged()
	}
}

// CreateRenderer is part of fyne.Widget.
func (e *Editor) CreateRenderer() fyne.WidgetRenderer {
	return &editorRenderer{e: e}
}

// MinSize keeps the editor usable in a tight layout.
func (e *Editor) MinSize() fyne.Size { return fyne.NewSize(200, 150) }

type editorRenderer struct{ e *Editor }

func (r *editorRenderer) Layout(size fyne.Size) {
	r.e.raster.Resize(size)
	r.e.raster.Move(fyne.Position{})
	if r.e.fitted && r.e.HasImage() && size.Width > 0 {
		r.e.view = r.e.fitView() // a fitted picture stays fitted as the window changes
		r.e.redrawAll()
	}
}
func (r *editorRenderer) MinSize() fyne.Size { return r.e.MinSize() }
func (r *editorRenderer) Refresh() {
	r.e.updateCursor()
	r.e.raster.Refresh()
	r.e.cursor.Refresh()
}
func (r *editorRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.e.raster, r.e.cursor}
}
func (r *editorRenderer) Destroy() {}

// generate is the raster's generator: device pixels in, the composite of
// the visible region out, redrawing only what changed since the last frame.
func (e *Editor) generate(w, h int) image.Image {
	e.framePending = false
	if size := e.Size(); size.Width > 0 {
		e.scale = float64(w) / float64(size.Width)
	}
	if !e.HasImage() {
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = 48
		}
		return img
	}
	e.ensureView()
	size := image.Pt(w, h)
	var img *image.RGBA
	if e.fullRedraw || size != e.lastSize || e.view != e.lastView || e.rend.buf == nil {
		e.fullRedraw, e.dirty = false, image.Rectangle{}
		e.lastSize, e.lastView = size, e.view
		img = e.rend.render(e.view, w, h)
	} else {
		// The last outline is drawn over the picture: redraw under it too.
		dirty := e.dirty.Union(e.outlineBox)
		e.dirty = image.Rectangle{}
		img = e.rend.redraw(dirty)
	}
	e.outlineBox = e.drawOutline(img)
	return img
}

// deviceSize is the widget's size in device pixels.
func (e *Editor) deviceSize() (float64, float64) {
	s := e.Size()
	return float64(s.Width) * e.scale, float64(s.Height) * e.scale
}

func (e *Editor) fitView() View {
	s := e.mask.Size()
	w, h := e.deviceSize()
	return FitView(s.X, s.Y, w, h)
}

// ensureView fits the image the first time the widget has a size.
func (e *Editor) ensureView() {
	if e.viewSet || !e.HasImage() {
		return
	}
	if w, _ := e.deviceSize(); w > 0 {
		e.view, e.viewSet, e.fitted = e.fitView(), true, true
	} else if e.view.Zoom == 0 {
		e.view = View{Zoom: 1}
	}
}

func (e *Editor) setView(v View) {
	old := e.view.Zoom
	e.view, e.viewSet, e.fitted = v, true, false
	e.redrawAll()
	e.updateCursor()
	if e.OnViewChanged != nil && v.Zoom != old {
		e.OnViewChanged(v.Zoom)
	}
}

func (e *Editor) redrawAll() {
	e.fullRedraw = true
	e.requestFrame()
}

// invalidate marks an image rectangle for redrawing on the next frame.
func (e *Editor) invalidate(r image.Rectangle) {
	if r.Empty() {
		return
	}
	x0, y0 := e.view.ToDevice(float64(r.Min.X), float64(r.Min.Y))
	x1, y1 := e.view.ToDevice(float64(r.Max.X), float64(r.Max.Y))
	e.dirty = e.dirty.Union(image.Rect(int(math.Floor(x0))-1, int(math.Floor(y0))-1, int(math.Ceil(x1))+1, int(math.Ceil(y1))+1))
	e.requestFrame()
}

// requestFrame coalesces changes: one raster refresh per frame, however
// many mouse moves arrive before it is drawn.
func (e *Editor) requestFrame() {
	if e.framePending {
		return
	}
	e.framePending = true
	e.raster.Refresh()
}

func (e *Editor) updateCursor() {
	look := e.tb.handler.Cursor()
	if !e.pointerIn || !e.HasImage() || e.panning || e.spaceHeld || look == CursorCrosshair {
		e.cursor.Hide()
		return
	}
	e.ensureView()
	r := float32(e.brush.Size / 2 * e.view.Zoom / e.scale)
	e.cursor.Resize(fyne.NewSize(2*r, 2*r))
	e.cursor.Move(fyne.NewPos(e.pointer.X-r, e.pointer.Y-r))
	// The eraser's ring is dark with a light fill, the brush's a white
	// line: which tool is in hand shows at the pointer.
	if look == CursorEraser {
		e.cursor.StrokeColor, e.cursor.StrokeWidth = color.NRGBA{R: 20, G: 20, B: 20, A: 255}, 2.5
		e.cursor.FillColor = color.NRGBA{R: 255, G: 255, B: 255, A: 60}
	} else {
		e.cursor.StrokeColor, e.cursor.StrokeWidth, e.cursor.FillColor = color.White, 1.5, color.Transparent
	}
	e.cursor.Show()
	e.cursor.Refresh()
}
