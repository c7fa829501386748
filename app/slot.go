package app

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// slot is an input card of the side panel: a thumbnail, the file's name
// and size, and buttons to choose or clear it. Files dropped on it fill it.
type slot struct {
	field   string
	title   string
	hint    string
	card    *fyne.Container
	thumb   *canvas.Image
	caption *widget.Label
	clear   *widget.Button
}

func newSlot(field, title, hint string, onChoose, onClear func()) *slot {
	s := &slot{field: field, title: title, hint: hint}
	s.thumb = canvas.NewImageFromImage(nil)
	s.thumb.FillMode = canvas.ImageFillContain
	s.thumb.SetMinSize(fyne.NewSize(64, 64))
	s.caption = widget.NewLabel("")
	s.caption.Wrapping = fyne.TextWrapWord
	s.caption.SizeName = theme.SizeNameCaptionText
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	choose := widget.NewButtonWithIcon("Choose…", theme.FolderOpenIcon(), onChoose)
	s.clear = widget.NewButtonWithIcon("", theme.ContentClearIcon(), onClear)
	s.clear.Importance = widget.LowImportance
	bg := canvas.NewRectangle(color.NRGBA{R: 128, G: 128, B: 128, A: 24})
	bg.CornerRadius = 6
	body := container.NewBorder(nil, container.NewHBox(choose, s.clear), nil, nil, s.caption)
	s.card = container.NewStack(bg, container.NewPadded(
		container.NewBorder(heading, nil, container.NewCenter(s.thumb), nil, body)))
	s.reset()
	return s
}

// show fills the slot with an image; note adds a line (e.g. a batch count).
func (s *slot) show(img *loadedImage, note string) {
	s.thumb.Image = img.Thumb
	s.thumb.Refresh()
	text := img.Describe()
	if note != "" {
		text += "\n" + note
	}
	s.caption.SetText(text)
	s.clear.Enable()
}

// showText fills the slot with a description and no file (e.g. a painted
// mask).
func (s *slot) showText(text string, canClear bool) {
	s.thumb.Image = nil
	s.thumb.Refresh()
	s.caption.SetText(text)
	if canClear {
		s.clear.Enable()
	} else {
		s.clear.Disable()
	}
}

// reset shows the slot empty with its hint.
func (s *slot) reset() { s.showText("Drop a file here. "+s.hint, false) }
