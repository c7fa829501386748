// Package app is Zen Inpaint Studio's user interface: the window, its
// panels, settings, the job queue and its persistence.
package app

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/assets"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/engine"
)

// ID is the app's identifier (also the keyring's service name).
const ID = "com.fotographer.zeninpaint.studio"

// Run builds the app, starts the local engine and shows the window until
// the user quits.
func Run() error {
	a := fyneapp.NewWithID(ID)
	a.SetIcon(assets.Icon)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	w := a.NewWindow("Zen Inpaint Studio")
	status := widget.NewLabel("Starting the local engine…")
	status.Wrapping = fyne.TextWrapWord
	w.SetContent(container.NewPadded(status))
	w.Resize(fyne.NewSize(640, 240))

	base, err := engine.Start(ctx, engine.Options{})
	if err != nil {
		return err
	}
	c, err := client.New(client.Config{SyncURL: base, AsyncURL: base})
	if err != nil {
		return err
	}
	go func() {
		start := time.Now()
		err := c.Ping(ctx)
		text := fmt.Sprintf("Connected to the local engine (offline, classical) at %s.\nIt answered a ping in %s.",
			base, time.Since(start).Round(time.Millisecond))
		if err != nil {
			text = "The local engine did not answer: " + err.Error()
		}
		fyne.Do(func() { status.SetText(text) })
	}()
	w.ShowAndRun()
	return nil
}
