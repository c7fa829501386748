//go:build darwin && !ios

package app

import "net/url"

// runDialog shows a panel: sqweek/dialog runs it on the main thread itself
// (performSelectorOnMainThread) and waits for the designer.
func runDialog(show func() (string, error)) (string, error) { return show() }

// startDir is a folder as sqweek/dialog's Cocoa panel reads it: through
// NSURL's URLWithString, so a file URL, escaped (a bare path with a space
// is no URL at all).
func startDir(path string) string {
	if path == "" {
		return ""
	}
	return (&url.URL{Scheme: "file", Path: path + "/"}).String()
}
