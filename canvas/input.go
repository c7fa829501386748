package canvas

import (
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Interfaces the editor implements.
var (
	_ desktop.Mouseable   = (*Editor)(nil)
	_ desktop.Hoverable   = (*Editor)(nil)
	_ fyne.Draggable      = (*Editor)(nil)
	_ fyne.Scrollable     = (*Editor)(nil)
	_ fyne.Focusable      = (*Editor)(nil)
	_ desktop.Keyable     = (*Editor)(nil)
	_ fyne.Shortcutable   = (*Editor)(nil)
	_ fyne.DoubleTappable = (*Editor)(nil)
	_ desktop.Cursorable  = (*Editor)(nil)
)

// zoomPerNotch is the zoom step of one scroll-wheel notch (25 Fyne units
// of scroll on Linux and Windows).
const zoomPerNotch = 1.2

// MouseDown starts a stroke or a selection (or adds a polygon's corner)
// with the primary button, or a pan with the middle button or with space
// held. Shift adds the selection to the mask, Alt subtracts it. (Fyne delivers no drags of the
// secondary button, which is left for context menus.)
func (e *Editor) MouseDown(ev *desktop.MouseEvent) {
	if c := fyne.CurrentApp().Driver().CanvasForObject(e); c != nil {
		c.Focus(e)
	}
	if (e.altHeld || ev.Modifier&fyne.KeyModifierAlt != 0) && e.OnAltModifier != nil {
		e.OnAltModifier() // Alt modifies this press: it is not a key of its own
	}
	if !e.HasImage() {
		return
	}
	if ev.Button == desktop.MouseButtonTertiary || e.spaceHeld {
		e.panning = true
		e.updateCursor()
		return
	}
	if ev.Button == desktop.MouseButtonPrimary {
		e.toolPress()
		e.tb.pressed = true
		e.tb.handler.Press(e.host(), e.imagePt(ev.Position), ev.Modifier)
	}
}

// toolPress tells OnToolPress that a tool starts.
func (e *Editor) toolPress() {
	if e.OnToolPress != nil {
		e.OnToolPress()
	}
}

// MouseUp ends a click that did not drag.
func (e *Editor) MouseUp(*desktop.MouseEvent) { e.endGesture() }

// Dragged paints along the pointer's path, or pans. ev.Position is the
// pointer's current position and ev.Dragged the move since the last event,
// as the desktop driver sends them.
func (e *Editor) Dragged(ev *fyne.DragEvent) {
	if !e.HasImage() {
		return
	}
	e.pointer = ev.Position
	if e.panning || e.spaceHeld {
		e.panning = true
		e.setView(e.view.Pan(float64(ev.Dragged.DX)*e.scale, float64(ev.Dragged.DY)*e.scale))
		return
	}
	if !e.tb.pressed {
		// A drag that began without MouseDown (e.g. on touch screens).
		e.toolPress()
		e.tb.pressed = true
		from := fyne.NewPos(ev.Position.X-ev.Dragged.DX, ev.Position.Y-ev.Dragged.DY)
		e.tb.handler.Press(e.host(), e.imagePt(from), e.currentModifiers())
	}
	e.tb.handler.Drag(e.host(), e.imagePt(ev.Position))
	e.updateCursor()
}

// DragEnd ends the stroke or pan.
func (e *Editor) DragEnd() { e.endGesture() }

func (e *Editor) endGesture() {
	if e.panning {
		e.panning = false
		e.updateCursor()
	}
	if e.tb.pressed {
		e.tb.pressed = false
		e.tb.handler.Release(e.host())
	}
}

// DoubleTapped closes the polygon being drawn.
func (e *Editor) DoubleTapped(*fyne.PointEvent) { e.CloseSelection() }

// Cursor is a crosshair for the selection tools (the painting tools show
// the brush's outline instead).
func (e *Editor) Cursor() desktop.Cursor {
	if e.tb.handler.Cursor() == CursorCrosshair {
		return desktop.CrosshairCursor
	}
	return desktop.DefaultCursor
}

// Scrolled zooms around the pointer.
func (e *Editor) Scrolled(ev *fyne.ScrollEvent) {
	if !e.HasImage() || ev.Scrolled.DY == 0 {
		return
	}
	e.ZoomAt(math.Pow(zoomPerNotch, float64(ev.Scrolled.DY)/25), ev.Position)
}

// MouseIn shows the brush cursor.
func (e *Editor) MouseIn(ev *desktop.MouseEvent) {
	e.pointerIn, e.pointer = true, ev.Position
	e.updateCursor()
}

// MouseMoved moves the brush cursor, or the polygon's rubber band.
func (e *Editor) MouseMoved(ev *desktop.MouseEvent) {
	e.pointer = ev.Position
	e.updateCursor()
	if e.HasImage() {
		e.tb.handler.Hover(e.host(), e.imagePt(ev.Position))
	}
}

// MouseOut hides the brush cursor.
func (e *Editor) MouseOut() {
	e.pointerIn = false
	e.updateCursor()
}

// FocusGained is part of fyne.Focusable.
func (e *Editor) FocusGained() {}

// FocusLost forgets held keys.
func (e *Editor) FocusLost() {
	e.spaceHeld, e.shiftHeld, e.altHeld = false, false, false
	e.announceMode()
}

// TypedRune handles the one-letter tools: B brush, E eraser, X swap them,
// [ and ] brush size; L the lasso and Shift+L to switch between the lasso
// and the polygonal lasso, M the marquee and Shift+M to switch between the
// rectangle and the ellipse, W the object selection, as in Photoshop.
func (e *Editor) TypedRune(r rune) {
	t, isTool := toolForRune(r, e.tb.tool, e.tb.groupLast)
	rh, hasRunes := e.tb.handler.(runeHandler)
	switch {
	case isTool:
		e.SetTool(t)
	case hasRunes && rh.Rune(e.host(), r):
		// the tool's own key (X swaps brush and eraser)
	case r == '[':
		e.SetBrush(Brush{Size: math.Floor(e.brush.Size / 1.25), Hardness: e.brush.Hardness})
	case r == ']':
		e.SetBrush(Brush{Size: math.Ceil(e.brush.Size * 1.25), Hardness: e.brush.Hardness})
	case r == 'x' || r == 'X':
		return // X belongs to the painting tools
	default:
		if e.OnOtherRune != nil {
			e.OnOtherRune(r)
		}
		return
	}
	if e.OnToolChanged != nil {
		e.OnToolChanged(e.tb.tool, e.brush)
	}
}

// runeHandler is a tool with typed keys of its own.
type runeHandler interface {
	// Rune handles a typed character and reports whether it was the tool's.
	Rune(h ToolHost, r rune) bool
}

// TypedKey handles Enter (close the polygon), Esc (cancel the selection
// being drawn) and Backspace or Delete (drop the polygon's last corner).
func (e *Editor) TypedKey(ev *fyne.KeyEvent) {
	if e.OnKey != nil && e.OnKey(ev.Name) {
		return
	}
	if ev.Name == fyne.KeyEscape {
		e.CancelSelection()
		return
	}
	e.tb.handler.Key(e.host(), ev.Name)
}

// KeyDown notes the space bar, which turns a drag into a pan, and Shift
// and Alt, which make a selection add or subtract.
func (e *Editor) KeyDown(ev *fyne.KeyEvent) { e.holdKey(ev.Name, true) }

// KeyUp releases what KeyDown noted.
func (e *Editor) KeyUp(ev *fyne.KeyEvent) { e.holdKey(ev.Name, false) }

func (e *Editor) holdKey(name fyne.KeyName, down bool) {
	switch name {
	case fyne.KeySpace:
		e.spaceHeld = down
		e.updateCursor()
	case desktop.KeyShiftLeft, desktop.KeyShiftRight:
		e.shiftHeld = down
		e.announceMode()
	case desktop.KeyAltLeft, desktop.KeyAltRight:
		e.altHeld = down
		e.announceMode()
	}
}

// TypedShortcut handles undo (Ctrl+Z), redo (Ctrl+Shift+Z or Ctrl+Y), fit
// (Ctrl+0) and 100 % (Ctrl+1); Cmd instead of Ctrl on macOS.
func (e *Editor) TypedShortcut(s fyne.Shortcut) {
	if !e.handleShortcut(s) && e.OnOtherShortcut != nil {
		e.OnOtherShortcut(s)
	}
}

// Shortcuts lists the editor's shortcuts, for a window to register with
// AddShortcuts so they work while another widget has focus.
func (e *Editor) Shortcuts() []fyne.Shortcut {
	mod := fyne.KeyModifierShortcutDefault
	return []fyne.Shortcut{
		&fyne.ShortcutUndo{},
		&fyne.ShortcutRedo{},
		&desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: mod | fyne.KeyModifierShift},
		&desktop.CustomShortcut{KeyName: fyne.Key0, Modifier: mod},
		&desktop.CustomShortcut{KeyName: fyne.Key1, Modifier: mod},
	}
}

// AddShortcuts registers the editor's shortcuts on a window's canvas.
func (e *Editor) AddShortcuts(c fyne.Canvas) {
	for _, s := range e.Shortcuts() {
		c.AddShortcut(s, func(s fyne.Shortcut) { e.handleShortcut(s) })
	}
}

func (e *Editor) handleShortcut(s fyne.Shortcut) bool {
	switch sc := s.(type) {
	case *fyne.ShortcutUndo:
		e.Undo()
	case *fyne.ShortcutRedo:
		e.Redo()
	case *desktop.CustomShortcut:
		mod := fyne.KeyModifierShortcutDefault
		switch {
		case sc.KeyName == fyne.KeyZ && sc.Modifier == mod|fyne.KeyModifierShift:
			e.Redo()
		case sc.KeyName == fyne.Key0 && sc.Modifier == mod:
			e.ZoomFit()
		case sc.KeyName == fyne.Key1 && sc.Modifier == mod:
			e.ZoomActual()
		default:
			return false
		}
	default:
		return false
	}
	return true
}
