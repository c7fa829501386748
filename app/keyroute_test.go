package app

import (
	"errors"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// menuItem finds an item of the window's main menu by its label.
func menuItem(t *testing.T, w fyne.Window, menu, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range w.MainMenu().Items {
		if m.Label != menu {
			continue
		}
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no %s ▸ %s", menu, label)
	return nil
}

// typeAsDriver types runes as the desktop driver delivers them: to the
// widget that has the keyboard, else to the window's canvas.
func typeAsDriver(c fyne.Canvas, text string) {
	for _, r := range text {
		if f := c.Focused(); f != nil {
			f.TypedRune(r)
		} else if on := c.OnTypedRune(); on != nil {
			on(r)
		}
	}
}

// keyAsDriver sends a key as the desktop driver does: to the widget with
// the keyboard, else to the window.
func keyAsDriver(c fyne.Canvas, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := c.Focused(); f != nil {
		f.TypedKey(ev)
	} else if on := c.OnTypedKey(); on != nil {
		on(ev)
	}
}

// TestToolKeysAfterEveryRoute: the designer types in the prompt, then takes
// a route to the canvas (a main-menu item, a Mask ▸ or View ▸ item, a
// dialog answered with Enter or closed with Esc); the next tool key picks
// the tool and is never typed into the prompt.
func TestToolKeysAfterEveryRoute(t *testing.T) {
	ts := newTestStudio(t, "")
	ts.installMenu()
	ts.load(onCanvas, ts.file("room.png", clienttest.PNG(clienttest.Photo(320, 240))))
	ts.paint()
	c := ts.win.Canvas()
	item := func(items []*fyne.MenuItem, label string) func() {
		for _, it := range ts.keys.menu(items) {
			if it.Label == label {
				return it.Action
			}
		}
		t.Fatalf("no menu item %q", label)
		return nil
	}
	// escape closes the dialog on top with Esc as the designer presses it,
	// wherever the keyboard is in it.
	escape := func(what string) {
		keyAsDriver(c, fyne.KeyEscape)
		ts.pump()
		if n := len(ts.keys.dialogs); n > 0 || c.Overlays().Top() != nil {
			t.Errorf("Esc left %s open (%d dialogs)", what, n)
			for len(ts.keys.dialogs) > 0 {
				ts.keys.dialogs[0].d.Hide()
			}
		}
	}
	closeTop := func(enter bool) {
		top := ts.keys.dialogs[len(ts.keys.dialogs)-1]
		if enter {
			top.enter()
		} else {
			top.d.Hide()
		}
		ts.pump()
	}
	routes := []struct {
		name  string
		route func()
	}{
		{"Edit ▸ Invert mask", menuItem(t, ts.win, "Edit", "Invert mask").Action},
		{"Mask ▸ Invert", item(ts.frame.bar.maskItems(), "Invert (Ctrl+I)")},
		{"Mask ▸ Clear", item(ts.frame.bar.maskItems(), "Clear")},
		{"View ▸ 75 %", func() {
			for _, it := range ts.frame.bar.viewItems() {
				if it.ChildMenu != nil {
					item(it.ChildMenu.Items, "75 %")()
					return
				}
			}
			item(ts.frame.bar.viewItems(), "75 %")()
		}},
		{"Mask ▸ Grow… answered with Enter", func() { item(ts.frame.bar.maskItems(), "Grow…")(); closeTop(true) }},
		{"Mask ▸ Feather… closed with Esc", func() { item(ts.frame.bar.maskItems(), "Feather…")(); escape("Feather…") }},
		{"the Open dialog closed with Esc", func() {
			ts.desk.files.fyneOpen(pickOptions{Folder: t.TempDir()}, func(fyne.URI) {})
			escape("the Open dialog")
		}},
		{"Settings closed with Esc in a field", func() {
			ts.ShowSettings()
			ts.pump()
			c.Focus(ts.settingsField())
			escape("Settings")
		}},
		{"Settings closed with Esc in the API key field", func() {
			ts.ShowSettings()
			ts.pump()
			c.Focus(ts.settingsKeyField())
			escape("Settings")
		}},
		{"an error closed with Esc", func() { ts.showError(errors.New("The file is damaged.")); escape("the error") }},
		{"Esc in the prompt", func() { keyAsDriver(c, fyne.KeyEscape) }},
		// A click on a button leaves the keyboard where it was in Fyne's
		// desktop driver (a button is focusable, so the click does not
		// unfocus the field; test.Tap would): the button's action is called
		// as the driver calls it.
		{"Generate clicked", func() { ts.request.generate.OnTapped() }},
		{"the Mask slot's clear button", func() { ts.inputs.slots[fieldMask].clear.OnTapped() }},
		{"the Inpaint mode button", func() { ts.inputs.modeButtons[client.ModeInpaint].OnTapped() }},
	}
	// Every item of the Mask and View menus and of the main menu's Edit and
	// View, a dialog it opens answered in turn with Esc and with Enter.
	answer := 0
	var each func(menu string, items []*fyne.MenuItem)
	each = func(menu string, items []*fyne.MenuItem) {
		for _, it := range ts.keys.menu(items) {
			switch {
			case it.IsSeparator:
			case it.ChildMenu != nil:
				each(menu+" ▸ "+it.Label, it.ChildMenu.Items)
			case it.Action != nil:
				act := it.Action
				routes = append(routes, struct {
					name  string
					route func()
				}{menu + " ▸ " + it.Label, func() {
					act()
					ts.pump()
					if len(ts.keys.dialogs) > 0 {
						answer++
						if answer%2 == 0 {
							escape(it.Label)
						} else {
							keyAsDriver(c, fyne.KeyReturn)
							ts.pump()
							for len(ts.keys.dialogs) > 0 { // a dialog Enter does not close (a file dialog)
								ts.keys.dialogs[0].d.Hide()
								ts.pump()
							}
						}
					}
				}})
			}
		}
	}
	each("Mask", ts.frame.bar.maskItems())
	each("View", ts.frame.bar.viewItems())
	for _, m := range ts.win.MainMenu().Items {
		if m.Label == "Edit" || m.Label == "View" || m.Label == "Tools" {
			each(m.Label, m.Items)
		}
	}
	// Each key picks its tool; L and M pick the lasso or marquee used last
	// (a second press the other one), so the tool before the key is the
	// eraser or the brush.
	sameKey := map[zcanvas.Tool]zcanvas.Tool{zcanvas.ToolLasso: zcanvas.ToolPolygon, zcanvas.ToolRect: zcanvas.ToolEllipse}
	keys := []struct {
		key    string
		tool   zcanvas.Tool
		before zcanvas.Tool
	}{{"l", zcanvas.ToolLasso, zcanvas.ToolBrush}, {"b", zcanvas.ToolBrush, zcanvas.ToolEraser},
		{"m", zcanvas.ToolRect, zcanvas.ToolBrush}, {"e", zcanvas.ToolEraser, zcanvas.ToolBrush}}
	if len(routes) < 30 {
		t.Fatalf("only %d routes", len(routes))
	}
	for i, r := range routes {
		k := keys[i%len(keys)]
		ts.editor.SetTool(k.before)
		ts.request.prompt.SetText("")
		c.Focus(ts.request.prompt)
		typeAsDriver(c, "sky")
		r.route()
		ts.pump()
		typeAsDriver(c, k.key)
		if ts.request.prompt.Text != "sky" {
			t.Errorf("after %s, %q went into the prompt (%q)", r.name, k.key, ts.request.prompt.Text)
		}
		if got := ts.editor.Tool(); got != k.tool && got != sameKey[k.tool] {
			t.Errorf("after %s, %q picked %v, want %v", r.name, k.key, got, k.tool)
		}
	}
	// Letters typed in the prompt stay text.
	c.Focus(ts.request.prompt)
	ts.request.prompt.SetText("")
	typeAsDriver(c, "blem")
	ts.editor.SetTool(zcanvas.ToolBrush)
	typeAsDriver(c, "blem")
	if ts.request.prompt.Text != "blemblem" || ts.editor.Tool() != zcanvas.ToolBrush {
		t.Errorf("typing in the prompt: %q, tool %v", ts.request.prompt.Text, ts.editor.Tool())
	}
}

// settingsField is the Settings dialog's output folder field.
func (ts *testStudio) settingsField() fyne.Focusable {
	var found fyne.Focusable
	walkTree(ts.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		if e, ok := o.(*escEntry); ok && found == nil {
			found = e
		}
		return true
	})
	if found == nil {
		ts.t.Fatal("no field in the Settings dialog")
	}
	return found
}

// settingsKeyField chooses the cloud in the Settings dialog and returns
// its API key field.
func (ts *testStudio) settingsKeyField() fyne.Focusable {
	var key fyne.Focusable
	walkTree(ts.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) bool {
		switch w := o.(type) {
		case *widget.RadioGroup:
			w.SetSelected(serverCloud)
		case *escEntry:
			if w.Password && key == nil {
				key = w
			}
		}
		return true
	})
	if key == nil {
		ts.t.Fatal("no API key field in the Settings dialog")
	}
	return key
}

// TestEscClosesTheTopmostPopUp: a dialog that opens a pop-up of its own
// (Fyne's Save dialog asks "Overwrite?") loses the pop-up to Esc, not
// itself; a second Esc closes the dialog.
func TestEscClosesTheTopmostPopUp(t *testing.T) {
	ts := newTestStudio(t, "")
	c := ts.win.Canvas()
	ts.desk.files.fyneSave(pickOptions{Folder: t.TempDir(), Name: "result.png"}, func(fyne.URIWriteCloser) {})
	ts.pump()
	c.Unfocus() // the name field keeps Esc (Fyne's); a click elsewhere
	dialog.ShowConfirm("Overwrite?", "result.png exists.", func(bool) {}, ts.win)
	before := len(c.Overlays().List())
	keyAsDriver(c, fyne.KeyEscape)
	if len(c.Overlays().List()) != before-1 || len(ts.keys.dialogs) != 1 {
		t.Fatalf("Esc over the question: %d overlays (were %d), %d dialogs", len(c.Overlays().List()), before, len(ts.keys.dialogs))
	}
	keyAsDriver(c, fyne.KeyEscape)
	ts.pump()
	if len(ts.keys.dialogs) != 0 || c.Overlays().Top() != nil {
		t.Errorf("the second Esc left the Save dialog open")
	}
}
