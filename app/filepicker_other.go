//go:build !(linux && !android) && !windows && !(darwin && !ios)

package app

// newSystemPicker: no chooser of the system's here, Fyne's dialog only.
func newSystemPicker() filePicker { return nil }
