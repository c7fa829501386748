package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/client"
)

// inputActions are what the inputs panel's buttons do.
type inputActions struct {
	setMode   func(client.Mode)
	choose    func(client.Role) // a file dialog for a slot
	clear     func(client.Role) // takes an input out
	clearMask func()
	runOnUI   func(func()) // the slots' tooltips
}

// slotTexts are each slot's title and its hint while empty.
var slotTexts = []struct {
	role        client.Role
	title, hint string
}{
	{fieldBackground, "Background", "drop the photo to change"},
	{fieldSubject, "Subject", "optional: a PNG to place"},
	{fieldMask, "Mask", "paint it, or drop a file"},
	{fieldDepth, "Depth map", "grayscale, near = bright"},
	{fieldPreview, "3D preview", "a render from your 3D tool"},
}

// build makes the mode buttons (returned as a row for the window's top)
// and the slots.
func (p *inputsPanel) build(do inputActions) *fyne.Container {
	p.modeButtons = map[client.Mode]*widget.Button{}
	var buttons []fyne.CanvasObject
	for _, m := range client.Modes {
		b := widget.NewButton(m.Title(), func() { do.setMode(m) })
		p.modeButtons[m] = b
		buttons = append(buttons, b)
	}
	for _, t := range slotTexts {
		clear := func() { do.clear(t.role) }
		if t.role == fieldMask {
			clear = do.clearMask
		}
		p.slots[t.role] = newSlot(t.role, t.title, t.hint, do.runOnUI, func() { do.choose(t.role) }, clear)
	}
	p.slotBox = container.NewVBox()
	return container.NewHBox(buttons...)
}

// showMode marks the mode's button and shows its slots.
func (p *inputsPanel) showMode(m client.Mode) {
	for mode, b := range p.modeButtons {
		mark(b, mode == m, widget.MediumImportance)
	}
	// The slots go in at once: each Add would lay the box out again.
	cards := make([]fyne.CanvasObject, 0, len(document.ModeRoles[m]))
	for _, f := range document.ModeRoles[m] {
		cards = append(cards, p.slots[f].card)
	}
	p.slotBox.Objects = cards
	p.slotBox.Refresh()
}
