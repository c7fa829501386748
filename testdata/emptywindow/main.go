// Command emptywindow is the start-up benchmark's baseline: a Fyne app
// that only opens a window, and reports its first frame the way the app
// does (ZEN_FIRST_FRAME_FILE, written when Fyne calls OnStarted, once
// ShowAndRun has painted the first frame).
package main

import (
	"fmt"
	"os"
	"time"

	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("com.example.emptywindow")
	w := a.NewWindow("Empty Fyne Window")
	w.SetContent(widget.NewLabel(""))
	if path := os.Getenv("ZEN_FIRST_FRAME_FILE"); path != "" {
		a.Lifecycle().SetOnStarted(func() {
			_ = os.WriteFile(path, fmt.Appendf(nil, "%d\n", time.Now().UnixNano()), 0o600)
		})
	}
	w.ShowAndRun()
}
