package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
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
	caption *tipLabel
	choose  *widget.Button
	clear   *widget.Button
}

func newSlot(field client.Role, title, hint string, do func(func()), onChoose, onClear func()) *slot {
	s := &slot{field: field, title: title, hint: hint}
	s.thumb = canvas.NewImageFromImage(nil)
	s.thumb.FillMode = canvas.ImageFillContain
	s.thumb.SetMinSize(fyne.NewSize(28, 28))
	s.caption = newTipLabel(do) // its whole text shows when the pointer rests on it, cut
	s.caption.Wrapping = fyne.TextWrapWord
	s.caption.SizeName = theme.SizeNameCaptionText
	s.choose = widget.NewButtonWithIcon("", theme.FolderOpenIcon(), onChoose)
	s.clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), onClear)
	s.clear.Importance = widget.LowImportance
	bg := canvas.NewRectangle(color.NRGBA{R: 128, G: 128, B: 128, A: 24})
	bg.CornerRadius = 6
	// A compact row: thumbnail, one line of caption, and the buttons side by
	// side (see fold), so the prompt has room.
	text := container.NewVBox(layout.NewSpacer(), s.caption, layout.NewSpacer())
	s.card = container.NewStack(bg, container.NewBorder(nil, nil, container.NewCenter(s.thumb),
		container.NewCenter(container.NewHBox(s.choose, s.clear)), text))
	s.reset()
	return s
}

// show fills the slot with an image; note adds a line (e.g. a batch count).
func (s *slot) show(img *loadedImage, note string) {
	s.thumb.Image = img.Thumb
	s.thumb.Refresh()
	text := s.title + ": " + img.Describe()
	if note != "" {
		text += "\n" + note
	}
	s.fold(note != "")
	s.caption.SetText(text)
	s.clear.Enable()
}

// showText fills the slot with a description and no file (e.g. a painted
// mask).
func (s *slot) showText(text string, canClear bool) {
	s.thumb.Image = nil
	s.thumb.Refresh()
	s.fold(false)
	if canClear {
		text = s.title + ": " + text
	} else {
		text = s.title + " · " + text
	}
	s.caption.SetText(text)
	if canClear {
		s.clear.Enable()
	} else {
		s.clear.Disable()
	}
}

// reset shows the slot empty with its hint.
func (s *slot) reset() { s.showText(s.hint, false) }

// fold shows the slot on one line: its title with the file's name or,
// empty, what to drop, cut short with an ellipsis; a note (a batch)
// wraps.
func (s *slot) fold(wrap bool) {
	if wrap {
		s.caption.Wrapping, s.caption.Truncation = fyne.TextWrapWord, fyne.TextTruncateOff
	} else {
		s.caption.Wrapping, s.caption.Truncation = fyne.TextWrapOff, fyne.TextTruncateEllipsis
	}
}
