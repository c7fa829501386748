package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// folderMessage is what to say when the system could not open a folder
// (no file manager, no xdg-open): where it is, to open by hand.
func folderMessage() string {
	return "This computer has no program set up to open folders. The folder is here; copy its path and open it in your file manager:"
}

// showFolderPath tells where a folder is when it could not be opened,
// with its path ready to copy; the system's error goes to the -v log.
func (s *Studio) showFolderPath(dir string, err error) {
	s.cfg.Logger.Warn("opening a folder", "folder", dir, "error", err)
	path := newEscEntry(s.keys.closeTop)
	path.SetText(dir)
	msg := widget.NewLabel(folderMessage())
	msg.Wrapping = fyne.TextWrapWord
	copyButton := widget.NewButton("Copy the path", func() {
		s.desk.app.Clipboard().SetContent(dir)
		s.setStatus("The folder's path is copied.")
	})
	d := dialog.NewCustom("Open the folder", "Close", container.NewVBox(msg, path, copyButton), s.win)
	d.Resize(fyne.NewSize(520, 200))
	s.showDialog(d, nil)
}
