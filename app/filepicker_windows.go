//go:build windows

package app

import (
	"runtime"

	"golang.org/x/sys/windows"
)

// runDialog shows a common dialog on a thread of its own with COM set up
// (the folder dialog's new style needs it); the thread ends with the call.
func runDialog(show func() (string, error)) (string, error) {
	type answer struct {
		path string
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		runtime.LockOSThread() // not unlocked: the thread goes with its COM state
		if err := windows.CoInitializeEx(0, windows.COINIT_APARTMENTTHREADED); err == nil {
			defer windows.CoUninitialize()
		}
		path, err := show()
		ch <- answer{path, err}
	}()
	a := <-ch
	return a.path, a.err
}

// startDir is a folder as the common dialogs take it: a path.
func startDir(path string) string { return path }
