package app

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window's focusable controls that are not text fields pass the
// canvas's one-letter tool keys (B, E, X, L, M, [ and ]) on to the mask
// editor: after a click on a slider, a check box, a list or a drop-down,
// B still picks the brush. Each keeps the keys it uses itself.

// toolKeys receives the runes a control does not use.
type toolKeys func(rune)

// passOn gives the space bar to the control's own handler (it toggles,
// opens or selects) and every other rune to the tool keys.
func (k toolKeys) passOn(r rune, own func(rune)) {
	if r == ' ' {
		own(r)
		return
	}
	k(r)
}

// keySlider is a slider that passes tool keys on.
type keySlider struct {
	widget.Slider
	keys toolKeys
}

func newKeySlider(min, max float64, keys toolKeys) *keySlider {
	s := &keySlider{Slider: widget.Slider{Min: min, Max: max, Step: 1, Orientation: widget.Horizontal}, keys: keys}
	s.ExtendBaseWidget(s)
	return s
}

// TypedRune passes every rune on (a slider uses only arrow keys).
func (s *keySlider) TypedRune(r rune) { s.keys(r) }

// keyCheck is a check box that passes tool keys on.
type keyCheck struct {
	widget.Check
	keys toolKeys
}

func newKeyCheck(label string, changed func(bool), keys toolKeys) *keyCheck {
	c := &keyCheck{Check: widget.Check{Text: label, OnChanged: changed}, keys: keys}
	c.ExtendBaseWidget(c)
	return c
}

// TypedRune keeps the space bar (toggle) and passes the rest on.
func (c *keyCheck) TypedRune(r rune) { c.keys.passOn(r, c.Check.TypedRune) }

// keySelect is a drop-down that passes tool keys on.
type keySelect struct {
	widget.Select
	keys toolKeys
}

func newKeySelect(options []string, changed func(string), keys toolKeys) *keySelect {
	s := &keySelect{Select: widget.Select{Options: options, OnChanged: changed, PlaceHolder: "(choose)"}, keys: keys}
	s.ExtendBaseWidget(s)
	return s
}

// TypedRune keeps the space bar (open) and passes the rest on.
func (s *keySelect) TypedRune(r rune) { s.keys.passOn(r, s.Select.TypedRune) }

// keyList is a list that passes tool keys on (it takes focus when a row
// is tapped).
type keyList struct {
	widget.List
	keys toolKeys
	// onWidth is called when the list's width changes: rows whose texts
	// wrap need new heights.
	onWidth func()
	width   float32
}

// Resize lays the list out and, when its width changed, lets the rows fit
// their wrapped texts again.
func (l *keyList) Resize(s fyne.Size) {
	l.List.Resize(s)
	if s.Width != l.width {
		l.width = s.Width
		if l.onWidth != nil {
			l.onWidth()
		}
	}
}

func newKeyList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject), keys toolKeys) *keyList {
	l := &keyList{List: widget.List{Length: length, CreateItem: create, UpdateItem: update}, keys: keys}
	l.ExtendBaseWidget(l)
	return l
}

// TypedRune keeps the space bar (select) and passes the rest on.
func (l *keyList) TypedRune(r rune) { l.keys.passOn(r, l.List.TypedRune) }

// tipButton is a button that shows a tooltip after the pointer rests on
// it for a moment.
type tipButton struct {
	widget.Button
	tip   string
	do    func(func())
	timer *time.Timer
	popup *widget.PopUp
}

func newTipButton(label string, icon fyne.Resource, tip string, do func(func()), tapped func()) *tipButton {
	b := &tipButton{Button: widget.Button{Text: label, Icon: icon, OnTapped: tapped}, tip: tip, do: do}
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn starts the tooltip's delay.
func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	if b.timer != nil {
		b.timer.Stop()
	}
	b.timer = time.AfterFunc(600*time.Millisecond, func() { b.do(b.showTip) })
}

// MouseOut hides the tooltip.
func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	if b.timer != nil {
		b.timer.Stop()
	}
	b.hideTip()
}

// Tapped hides the tooltip, and one about to show (it would cover the
// menu the button may open), and acts.
func (b *tipButton) Tapped(e *fyne.PointEvent) {
	if b.timer != nil {
		b.timer.Stop()
	}
	b.hideTip()
	b.Button.Tapped(e)
}

func (b *tipButton) showTip() {
	c := fyne.CurrentApp().Driver().CanvasForObject(b)
	if c == nil || b.tip == "" {
		return
	}
	b.hideTip()
	label := widget.NewLabel(b.tip)
	b.popup = widget.NewPopUp(label, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(b).Add(fyne.NewPos(0, b.Size().Height+2))
	size := b.popup.MinSize()
	if over := pos.X + size.Width - c.Size().Width; over > 0 {
		pos.X = max(pos.X-over, 0)
	}
	b.popup.ShowAtPosition(pos)
}

func (b *tipButton) hideTip() {
	if b.popup != nil {
		b.popup.Hide()
		b.popup = nil
	}
}

// wheelCatcher lies over the side panel and gives every turn of the wheel
// to the panel's scroll, wherever the pointer is: Fyne gives the wheel to
// the deepest scrollable under the pointer, and each text field is one
// (its own text's scroll), so the panel would not move over a field. It
// takes nothing else (taps, hovers and keys go through to the controls).
type wheelCatcher struct {
	widget.BaseWidget
	target fyne.Scrollable
}

func newWheelCatcher(target fyne.Scrollable) *wheelCatcher {
	w := &wheelCatcher{target: target}
	w.ExtendBaseWidget(w)
	return w
}

// Scrolled scrolls the panel.
func (w *wheelCatcher) Scrolled(ev *fyne.ScrollEvent) { w.target.Scrolled(ev) }

// CreateRenderer draws nothing.
func (w *wheelCatcher) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Transparent))
}

// tightVBox stacks objects with no gap, so a heading and its caption read
// as one.
type tightVBox struct{}

// MinSize is the widest child and the sum of the heights.
func (tightVBox) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var size fyne.Size
	for _, o := range objs {
		if o.Visible() {
			m := o.MinSize()
			size.Width = max(size.Width, m.Width)
			size.Height += m.Height - theme.Padding()
		}
	}
	return size
}

// Layout places the children top to bottom, overlapping their padding.
func (tightVBox) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - theme.Padding()
	}
}
