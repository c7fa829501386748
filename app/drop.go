package app

import (
	"fyne.io/fyne/v2"
	"github.com/zeninpaint/studio/client"
)

// dropArea is a named rectangle of the window that takes dropped files.
type dropArea struct {
	Name    client.Role   // a slot's role, or onCanvas
	Pos     fyne.Position // absolute, in the window's canvas
	Size    fyne.Size
	Visible bool
}

// routeDrop returns the name of the visible area under pos, the last one
// listed winning where areas overlap (list the canvas first, slots after),
// or "" when none is.
func routeDrop(pos fyne.Position, areas []dropArea) client.Role {
	hit := client.Role("")
	for _, a := range areas {
		if !a.Visible {
			continue
		}
		if pos.X >= a.Pos.X && pos.Y >= a.Pos.Y && pos.X < a.Pos.X+a.Size.Width && pos.Y < a.Pos.Y+a.Size.Height {
			hit = a.Name
		}
	}
	return hit
}

// areaOf measures a widget as a drop area.
func areaOf(name client.Role, obj fyne.CanvasObject) dropArea {
	d := fyne.CurrentApp().Driver()
	visible := obj.Visible()
	if c := d.CanvasForObject(obj); c == nil {
		visible = false
	}
	return dropArea{Name: name, Pos: d.AbsolutePositionForObject(obj), Size: obj.Size(), Visible: visible}
}
