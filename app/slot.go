package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/zeninpaint/studio/client"
)

// slot is an input card of the side panel: a thumbnail, the file's name
// and size, and buttons to choose or clear it. Files dropped on it fill it.
type slot struct {
	field   client.Role
	title   string
	hint    string
	card    *fyne.Container
	thumb   *canvas.Image
	heading *widget.Label
	caption *widget.Label
	choose  *widget.Button
	clear   *widget.Button
}

func newSlot(field client.Role, title, hint string, onChoose, onClear func()) *slot {
	s := &slot{field: field, title: title, hint: hint}
	s.thumb = canvas.NewImageFromImage(nil)
	s.thumb.FillMode = canvas.ImageFillContain
	s.thumb.SetMinSize(fyne.NewSize(44, 44))
	s.caption = widget.NewLabel("")
	s.caption.Wrapping = fyne.TextWrapWord
	s.caption.SizeName = theme.SizeNameCaptionText
	s.heading = widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	s.choose = widget.NewButtonWithIcon("", theme.FolderOpenIcon(), onChoose)
	s.clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), onClear)
	s.clear.Importance = widget.LowImportance
	bg := canvas.NewRectangle(color.NRGBA{R: 128, G: 128, B: 128, A: 24})
	bg.CornerRadius = 6
	// A compact row: thumbnail, title and caption, and the buttons side by
	// side; a filled slot is one line (see fold), so the prompt has room.
	text := container.New(&tightVBox{}, s.heading, s.caption)
	s.card = container.NewStack(bg, container.NewBorder(nil, nil, container.NewCenter(s.thumb),
		container.NewCenter(container.NewHBox(s.choose, s.clear)), text))
	s.reset()
	return s
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

// show fills the slot with an image; note adds a line (e.g. a batch count).
func (s *slot) show(img *loadedImage, note string) {
	s.thumb.Image = img.Thumb
	s.thumb.Refresh()
	text := s.title + ": " + img.Describe()
	if note != "" {
		text += "\n" + note
	}
	s.fold(note == "")
	s.caption.SetText(text)
	s.clear.Enable()
}

// showText fills the slot with a description and no file (e.g. a painted
// mask).
func (s *slot) showText(text string, canClear bool) {
	s.thumb.Image = nil
	s.thumb.Refresh()
	s.fold(canClear)
	if canClear {
		text = s.title + ": " + text
	}
	s.caption.SetText(text)
	if canClear {
		s.clear.Enable()
	} else {
		s.clear.Disable()
	}
}

// reset shows the slot empty with its hint.
func (s *slot) reset() { s.showText("Drop or choose: "+s.hint, false) }

// fold shows the slot on one line (a filled slot: its title with the
// file's name, cut short with an ellipsis, and a smaller thumbnail), or
// with its heading and wrapped text (an empty slot's hint).
func (s *slot) fold(oneLine bool) {
	s.heading.Hidden = oneLine
	if oneLine {
		s.caption.Wrapping, s.caption.Truncation = fyne.TextWrapOff, fyne.TextTruncateEllipsis
		s.thumb.SetMinSize(fyne.NewSize(28, 28))
	} else {
		s.caption.Wrapping, s.caption.Truncation = fyne.TextWrapWord, fyne.TextTruncateOff
		s.thumb.SetMinSize(fyne.NewSize(44, 44))
	}
	s.heading.Refresh()
}
