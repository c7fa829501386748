package app

import (
	"fmt"
	"image/color"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/assets"
	zcanvas "github.com/zeninpaint/studio/canvas"
)

// canvasBar is the bar above the canvas, in two rows that fit a 1024 px
// window: the tools (paint and select), undo and the Mask and View menus;
// then the options of the tool in hand (brush size and hardness, or the
// selection's mode and feather).
type canvasBar struct {
	editor  *zcanvas.Editor
	host    barHost
	keys    *keyRouter // the canvas takes the keyboard after a pick or a menu
	content *fyne.Container

	tools     map[zcanvas.Tool]*tipButton
	brushRow  *fyne.Container
	selectRow *fyne.Container
	size      *keySlider
	sizeLabel *widget.Label
	hard      *keySlider
	hardLabel *widget.Label
	modes     map[zcanvas.SelectionMode]*widget.Button
	feather   *widget.Entry
}

// toolInfo is how the bar shows a tool.
var toolInfo = map[zcanvas.Tool]struct {
	icon fyne.Resource
	tip  string
}{
	zcanvas.ToolBrush:   {assets.BrushIcon, "Brush (B): paint where the picture may change. [ and ] change the size."},
	zcanvas.ToolEraser:  {assets.EraserIcon, "Eraser (E): take paint away. X swaps brush and eraser."},
	zcanvas.ToolLasso:   {assets.LassoIcon, "Lasso (L): drag around an area. Shift adds, Alt subtracts."},
	zcanvas.ToolPolygon: {assets.PolygonIcon, "Polygonal lasso (Shift+L): click each corner; Enter or a double click closes, Esc cancels."},
	zcanvas.ToolRect:    {assets.RectIcon, "Rectangular marquee (M): drag a rectangle. Shift adds, Alt subtracts."},
	zcanvas.ToolEllipse: {assets.EllipseIcon, "Elliptical marquee (Shift+M): drag an ellipse. Shift adds, Alt subtracts."},
	zcanvas.ToolObject:  {assets.ObjectIcon, zcanvas.ToolObject.Tip()},
}

// overlayColours are the overlay's choices: one reads well on any photo.
var overlayColours = []struct {
	name string
	c    color.NRGBA
}{
	{"Magenta", zcanvas.DefaultOverlay.Color},
	{"Cyan", color.NRGBA{R: 0, G: 200, B: 255, A: 255}},
	{"Green", color.NRGBA{R: 40, G: 220, B: 60, A: 255}},
	{"Yellow", color.NRGBA{R: 255, G: 220, B: 0, A: 255}},
}

// barHost is what the canvas bar asks of the window: to run on the UI
// goroutine, and the mask actions that need a dialog, the subject or the
// whole picture.
type barHost interface {
	runOnUI(func())
	askPixels(title string, apply func(n int))
	maskFromSubject()
	selectSubject()
	showExpand()
	selectionBusy(busy bool, done float64)
}

// newCanvasBar builds the tools, brush and selection rows over the
// editor e.
func newCanvasBar(e *zcanvas.Editor, host barHost, keys *keyRouter) *canvasBar {
	b := &canvasBar{editor: e, host: host, keys: keys, tools: map[zcanvas.Tool]*tipButton{}, modes: map[zcanvas.SelectionMode]*widget.Button{}}
	do := host.runOnUI

	// The row is made from its items at once: each Add lays it out again.
	var items []fyne.CanvasObject
	for _, t := range zcanvas.Tools() {
		info := toolInfo[t]
		btn := newTipButton("", theme.NewThemedResource(info.icon), info.tip, do, func() { b.pick(t) })
		b.tools[t] = btn
		items = append(items, btn)
	}
	items = append(items, widget.NewSeparator(),
		newTipButton("", theme.ContentUndoIcon(), "Undo (Ctrl+Z): the last stroke, selection or replaced input", do, e.Undo),
		newTipButton("", theme.ContentRedoIcon(), "Redo (Ctrl+Shift+Z)", do, e.Redo))
	maskMenu := newTipButton("Mask", theme.MenuDropDownIcon(), "Invert, clear, fill, grow, shrink, feather the mask", do, nil)
	maskMenu.IconPlacement = widget.ButtonIconTrailingText
	maskMenu.OnTapped = func() { b.popMenu(maskMenu, b.maskItems()) }
	viewMenu := newTipButton("", theme.VisibilityIcon(), "View: zoom, the overlay's colour and strength, the mask alone", do, nil)
	viewMenu.OnTapped = func() { b.popMenu(viewMenu, b.viewItems()) }
	row := container.NewHBox(append(items, maskMenu, viewMenu)...)

	b.buildBrushRow(keys.tools())
	b.buildSelectRow()
	e.OnToolChanged = func(t zcanvas.Tool, br zcanvas.Brush) {
		b.showTool(t)
		if br.Size > b.size.Max {
			b.size.Max = br.Size
		}
		b.size.SetValue(br.Size)
	}
	e.OnSelectionModeChanged = b.showMode
	e.OnBusy = host.selectionBusy
	b.content = container.NewVBox(row, container.NewStack(b.brushRow, b.selectRow))
	b.showTool(e.Tool())
	b.showMode(e.SelectionMode())
	return b
}

// buildBrushRow makes the brush's size and hardness sliders.
func (b *canvasBar) buildBrushRow(keys toolKeys) {
	e := b.editor
	b.size = newKeySlider(zcanvas.MinBrushSize, 400, keys)
	b.hard = newKeySlider(0, 100, keys)
	b.sizeLabel, b.hardLabel = widget.NewLabel(""), widget.NewLabel("")
	update := func(float64) {
		e.SetBrush(zcanvas.Brush{Size: b.size.Value, Hardness: b.hard.Value / 100})
		b.showBrush()
	}
	b.size.SetValue(e.Brush().Size)
	b.hard.SetValue(e.Brush().Hardness * 100)
	b.size.OnChanged, b.hard.OnChanged = update, update
	b.showBrush()
	b.brushRow = container.NewHBox(widget.NewLabel("Size"), fixed(b.size, 110), fixed(b.sizeLabel, 66),
		widget.NewLabel("Hardness"), fixed(b.hard, 80), fixed(b.hardLabel, 56))

}

// buildSelectRow makes the selection tools' mode buttons and feather.
func (b *canvasBar) buildSelectRow() {
	e := b.editor
	var modeButtons []fyne.CanvasObject
	for _, m := range []zcanvas.SelectionMode{zcanvas.SelectReplace, zcanvas.SelectAdd, zcanvas.SelectSubtract} {
		btn := widget.NewButton(m.String(), func() { e.SetSelectionMode(m); b.showMode(m) })
		b.modes[m] = btn
		modeButtons = append(modeButtons, btn)
	}
	modeRow := container.NewHBox(modeButtons...)
	b.feather = widget.NewEntry()
	b.feather.SetText("0")
	b.feather.OnChanged = func(t string) {
		if n, err := strconv.Atoi(strings.TrimSpace(t)); err == nil && n >= 0 {
			e.SetSelectionFeather(n)
		}
	}
	b.selectRow = container.NewHBox(modeRow, widget.NewLabel("Feather"), fixed(b.feather, 56), widget.NewLabel("px"))

}

// fixed gives o a fixed width.
func fixed(o fyne.CanvasObject, w float32) fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(w, o.MinSize().Height), o)
}

// pick chooses a tool from the bar, and gives the canvas the keyboard.
func (b *canvasBar) pick(t zcanvas.Tool) {
	b.editor.SetTool(t)
	b.showTool(t)
	b.keys.focusCanvas()
}

// showTool marks the tool in hand and shows its options.
func (b *canvasBar) showTool(t zcanvas.Tool) {
	for tool, btn := range b.tools {
		mark(&btn.Button, tool == t, widget.LowImportance)
	}
	b.brushRow.Hidden = t.IsSelection()
	b.selectRow.Hidden = !t.IsSelection()
	b.content.Refresh()
}

// showMode marks the selection mode a drag would use.
func (b *canvasBar) showMode(m zcanvas.SelectionMode) {
	for mode, btn := range b.modes {
		mark(btn, mode == m, widget.MediumImportance)
	}
}

// mark shows a button of a group as the chosen one (high importance), or
// as one of the others.
func mark(b *widget.Button, chosen bool, other widget.Importance) {
	b.Importance = other
	if chosen {
		b.Importance = widget.HighImportance
	}
	b.Refresh()
}

// showBrush writes the brush's figures in labels of fixed width, so the
// bar does not shift as they change.
func (b *canvasBar) showBrush() {
	b.sizeLabel.SetText(fmt.Sprintf("%.0f px", b.size.Value))
	b.hardLabel.SetText(fmt.Sprintf("%.0f %%", b.hard.Value))
}

// fitBrush sets a default brush for a new picture: 1/40 of its longest
// side, so it is a brush on a 24 MP photo, not a hairline.
func (b *canvasBar) fitBrush(longest int) {
	size := min(max(float64(longest)/40, 20), 400)
	b.size.Max = max(400, float64(longest)/4)
	b.size.SetValue(size)
}

func (b *canvasBar) popMenu(anchor fyne.CanvasObject, items []*fyne.MenuItem) {
	c := fyne.CurrentApp().Driver().CanvasForObject(anchor)
	if c == nil {
		return
	}
	widget.ShowPopUpMenuAtRelativePosition(fyne.NewMenu("", b.keys.menu(items)...), c, fyne.NewPos(0, anchor.Size().Height), anchor)
}

// maskItems are the Mask menu's operations.
func (b *canvasBar) maskItems() []*fyne.MenuItem {
	s, e := b.host, b.editor
	amount := func(title string, apply func(n int)) *fyne.MenuItem {
		return fyne.NewMenuItem(title+"…", func() { s.askPixels(title, apply) })
	}
	return []*fyne.MenuItem{
		fyne.NewMenuItem("Invert (Ctrl+I)", e.Invert),
		fyne.NewMenuItem("Clear", e.ClearMask),
		fyne.NewMenuItem("Fill", e.FillMask),
		fyne.NewMenuItem("From the subject's shape", s.maskFromSubject),
		fyne.NewMenuItem("Select subject", s.selectSubject),
		fyne.NewMenuItemSeparator(),
		amount("Grow", e.Grow), amount("Shrink", e.Shrink), amount("Feather", e.Feather),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Expand the picture to a new shape…", s.showExpand),
	}
}

// viewItems are the View menu's choices.
func (b *canvasBar) viewItems() []*fyne.MenuItem {
	e := b.editor
	o := e.Overlay()
	var strength, colours []*fyne.MenuItem
	for _, pct := range []float64{25, 50, 75, 100} {
		it := fyne.NewMenuItem(fmt.Sprintf("%.0f %%", pct), func() { o := e.Overlay(); o.Opacity = pct / 100; e.SetOverlay(o) })
		it.Checked = int(o.Opacity*100+0.5) == int(pct)
		strength = append(strength, it)
	}
	for _, c := range overlayColours {
		it := fyne.NewMenuItem(c.name, func() { o := e.Overlay(); o.Color = c.c; e.SetOverlay(o) })
		it.Checked = o.Color == c.c
		colours = append(colours, it)
	}
	sItem, cItem := fyne.NewMenuItem("Overlay strength", nil), fyne.NewMenuItem("Overlay colour", nil)
	sItem.ChildMenu, cItem.ChildMenu = fyne.NewMenu("", strength...), fyne.NewMenu("", colours...)
	alone := fyne.NewMenuItem("Mask only", func() { o := e.Overlay(); o.MaskAlone = !o.MaskAlone; e.SetOverlay(o) })
	alone.Checked = o.MaskAlone
	return []*fyne.MenuItem{
		fyne.NewMenuItem("Fit (Ctrl+0)", e.ZoomFit),
		fyne.NewMenuItem("100 % (Ctrl+1)", e.ZoomActual),
		fyne.NewMenuItemSeparator(),
		sItem, cItem, alone,
	}
}
