//go:build darwin && !ios

package app

// runDialog shows a panel: sqweek/dialog runs it on the main thread itself
// (performSelectorOnMainThread) and waits for the designer.
func runDialog(show func() (string, error)) (string, error) { return show() }
