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

// tipDelay is how long the pointer rests on a control before its tooltip
// shows.
const tipDelay = 600 * time.Millisecond

// tooltip shows a text under a control once the pointer has rested on it
// for tipDelay, until the pointer leaves or taps. do runs on the UI
// goroutine (the delay's timer fires on another).
type tooltip struct {
	do    func(func())
	timer *time.Timer
	popup *widget.PopUp
}

// start shows, after the delay, what text returns then under o ("" shows
// nothing).
func (t *tooltip) start(o fyne.CanvasObject, text func() string) {
	if t.timer != nil {
		t.timer.Stop()
	}
	t.timer = time.AfterFunc(tipDelay, func() { t.do(func() { t.show(o, text()) }) })
}

// stop hides the tooltip and one about to show.
func (t *tooltip) stop() {
	if t.timer != nil {
		t.timer.Stop()
	}
	t.hide()
}

func (t *tooltip) show(o fyne.CanvasObject, text string) {
	c := fyne.CurrentApp().Driver().CanvasForObject(o)
	if c == nil || text == "" {
		return
	}
	t.hide()
	t.popup = widget.NewPopUp(widget.NewLabel(text), c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(o).Add(fyne.NewPos(0, o.Size().Height+2))
	size := t.popup.MinSize()
	if over := pos.X + size.Width - c.Size().Width; over > 0 {
		pos.X = max(pos.X-over, 0)
	}
	t.popup.ShowAtPosition(pos)
}

func (t *tooltip) hide() {
	if t.popup != nil {
		t.popup.Hide()
		t.popup = nil
	}
}

// tipButton is a button that shows a tooltip after the pointer rests on
// it for a moment.
type tipButton struct {
	widget.Button
	tip     string
	tooltip tooltip
}

func newTipButton(label string, icon fyne.Resource, tip string, do func(func()), tapped func()) *tipButton {
	b := &tipButton{Button: widget.Button{Text: label, Icon: icon, OnTapped: tapped}, tip: tip, tooltip: tooltip{do: do}}
	b.ExtendBaseWidget(b)
	return b
}

// MouseIn starts the tooltip's delay.
func (b *tipButton) MouseIn(e *desktop.MouseEvent) {
	b.Button.MouseIn(e)
	b.tooltip.start(b, func() string { return b.tip })
}

// MouseOut hides the tooltip.
func (b *tipButton) MouseOut() {
	b.Button.MouseOut()
	b.tooltip.stop()
}

// Tapped hides the tooltip, and one about to show (it would cover the
// menu the button may open), and acts.
func (b *tipButton) Tapped(e *fyne.PointEvent) {
	b.tooltip.stop()
	b.Button.Tapped(e)
}

// tipLabel is a one-line label cut short with an ellipsis that shows its
// whole text as a tooltip when the pointer rests on it and it is cut.
type tipLabel struct {
	widget.Label
	tooltip tooltip
}

func newTipLabel(do func(func())) *tipLabel {
	l := &tipLabel{tooltip: tooltip{do: do}}
	l.ExtendBaseWidget(l)
	return l
}

// cut reports whether the label shows less than its text.
func (l *tipLabel) cut() bool {
	if l.Truncation == fyne.TextTruncateOff || l.Text == "" {
		return false
	}
	size := theme.TextSize()
	if l.SizeName != "" {
		size = theme.Size(l.SizeName)
	}
	return fyne.MeasureText(l.Text, size, l.TextStyle).Width+2*theme.InnerPadding() > l.Size().Width+0.5
}

// tip is the tooltip's text: the whole text when it is cut, else none.
func (l *tipLabel) tip() string {
	if l.cut() {
		return l.Text
	}
	return ""
}

// MouseIn starts the tooltip's delay.
func (l *tipLabel) MouseIn(*desktop.MouseEvent) { l.tooltip.start(l, l.tip) }

// MouseMoved does nothing: the tooltip waits for the pointer to leave.
func (l *tipLabel) MouseMoved(*desktop.MouseEvent) {}

// MouseOut hides the tooltip.
func (l *tipLabel) MouseOut() { l.tooltip.stop() }

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
