package app

import (
	"fyne.io/fyne/v2"
	"github.com/go-gl/glfw/v3.3/glfw"
)

// titleBarMargin leaves room for a desktop's panel and the window's title
// bar when a window is fitted to the screen's height.
const titleBarMargin = 48

// screenSize is the primary monitor's size in pixels, or false when it is
// not known. GLFW is initialised by the first fyne.App.NewWindow; call it
// on the main goroutine (Fyne's GLFW driver keeps it on the main thread),
// before ShowAndRun.
func screenSize() (fyne.Size, bool) {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return fyne.Size{}, false
	}
	mode := m.GetVideoMode()
	if mode == nil || mode.Width <= 0 || mode.Height <= 0 {
		return fyne.Size{}, false
	}
	return fyne.NewSize(float32(mode.Width), float32(mode.Height)), true
}

// fitToScreen is want made small enough to lie on a screen of the given
// size, with room for the title bar and a panel. (The window never gets
// smaller than its content's minimum, which fits 1024×700.)
func fitToScreen(want, screen fyne.Size) fyne.Size {
	if screen.Width <= 0 || screen.Height <= 0 {
		return want
	}
	return fyne.NewSize(min(want.Width, screen.Width), min(want.Height, screen.Height-titleBarMargin))
}
