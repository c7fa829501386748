package app

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
)

// The server choices of the settings dialog.
const (
	serverLocal = "Local engine (offline, classical)"
	serverCloud = "Zen-Inpaint cloud"
)

// settingsDialog is the Settings window: the server (the local engine or
// the cloud, with its URLs and credentials), a connection test, where
// results are saved and how long finished jobs are kept. It writes the
// preferences itself; what follows from them (new credentials, a tidied
// store) it hands to saved.
type settingsDialog struct {
	settings *Settings
	env      settingsEnv

	server                                *widget.RadioGroup
	syncURL, asyncURL, key, email, output *escEntry
	dlg                                   dialog.Dialog
	cloudForm                             *widget.Form
	keep                                  *widget.Select
	storage, result                       *widget.Label
	spinner                               *widget.ProgressBarInfinite
	test, stop                            *widget.Button
	stopTest                              context.CancelFunc
}

// settingsEnv is what the dialog needs of the app.
type settingsEnv struct {
	ctx        context.Context
	win        fyne.Window
	do         func(func())
	creds      Credentials // those in use
	engineURL  string      // the local engine's
	dataDir    string
	manager    *jobs.Manager
	pickFolder func(start string, set func(string))
	showError  func(error)
	// saved is called after Save with the credentials typed.
	saved func(creds Credentials)
}

// ShowSettings opens the settings dialog.
func (s *Studio) ShowSettings() {
	s.conn.clientsMu.Lock()
	creds := s.conn.creds
	s.conn.clientsMu.Unlock()
	d := newSettingsDialog(s.settings, settingsEnv{ctx: s.ctx, win: s.win, do: s.cfg.Do, creds: creds,
		engineURL: s.cfg.EngineURL, dataDir: s.cfg.DataDir, manager: s.conn.manager, pickFolder: s.desk.files.folder, showError: s.showError,
		saved: s.settingsSaved})
	d.show(s.showDialog)
}

// settingsSaved applies what the dialog saved: the store is tidied to the
// new keeping time, new credentials go to the keyring, and the server is
// woken.
func (s *Studio) settingsSaved(creds Credentials) {
	go func() {
		if _, err := s.conn.manager.Tidy(); err != nil {
			s.cfg.Logger.Warn("tidying the job store", "error", err)
		}
		s.cfg.Do(s.queue.reload)
	}()
	if creds != s.conn.creds {
		s.setCredentials(creds)
		go func() { // a D-Bus call: not on Fyne's goroutine
			if err := s.conn.keyring.Save(creds); err != nil {
				s.cfg.Do(func() { s.showInfo("Keyring", keyringMessage(err)) })
			}
		}()
	}
	s.validate()
	go s.warmUp()
}

func newSettingsDialog(settings *Settings, env settingsEnv) *settingsDialog {
	d := &settingsDialog{settings: settings, env: env}
	d.buildServer()
	d.buildTest()
	d.buildStorage()
	return d
}

// buildServer makes the server choice and the cloud's fields, which show
// only when the cloud is chosen: no greyed field with a label that looks
// usable.
func (d *settingsDialog) buildServer() {
	d.server = widget.NewRadioGroup([]string{serverLocal, serverCloud}, nil)
	d.server.Required = true
	d.syncURL, d.asyncURL = d.entry(), d.entry()
	d.syncURL.SetText(d.settings.SyncURL())
	d.asyncURL.SetText(d.settings.AsyncURL())
	d.key = d.entry()     // Esc closes the dialog here too
	d.key.Password = true // with Fyne's button that shows it
	d.key.SetPlaceHolder("Your API key")
	d.key.SetText(d.env.creds.APIKey)
	d.email = d.entry()
	d.email.SetPlaceHolder("The e-mail of your account")
	d.email.SetText(d.env.creds.Email)
	keyNote := widget.NewLabel("The API key and e-mail are kept in your system's keyring, never in a file.")
	keyNote.Wrapping = fyne.TextWrapWord
	d.cloudForm = widget.NewForm(
		widget.NewFormItem("Sync URL", d.syncURL),
		widget.NewFormItem("Async URL", d.asyncURL),
		widget.NewFormItem("API key", d.key),
		widget.NewFormItem("E-mail", d.email),
		widget.NewFormItem("", keyNote),
	)
	d.server.OnChanged = func(v string) {
		d.cloudForm.Hidden = v != serverCloud
		d.cloudForm.Refresh()
	}
	if d.settings.Cloud() {
		d.server.SetSelected(serverCloud)
	} else {
		d.server.SetSelected(serverLocal)
	}
}

// entry is a field of the dialog: Esc in it closes the dialog.
func (d *settingsDialog) entry() *escEntry {
	return newEscEntry(func() {
		if d.dlg != nil {
			d.dlg.Hide()
		}
	})
}

func (d *settingsDialog) cloud() bool { return d.server.Selected == serverCloud }

// buildTest makes Test connection, which tries what is typed (not yet
// saved), and Stop.
func (d *settingsDialog) buildTest() {
	d.result = widget.NewLabel("")
	d.result.Wrapping = fyne.TextWrapWord
	d.spinner = widget.NewProgressBarInfinite()
	d.spinner.Hide()
	d.stop = widget.NewButton("Stop", func() {
		if d.stopTest != nil {
			d.stopTest()
		}
	})
	d.stop.Hide()
	d.test = widget.NewButton("Test connection", d.runTest)
}

// runTest probes the server typed in, once, and says what it found.
func (d *settingsDialog) runTest() {
	d.result.SetText("Testing…")
	cfg := client.Config{SyncURL: d.env.engineURL, AsyncURL: d.env.engineURL}
	if d.cloud() {
		cfg = client.Config{SyncURL: strings.TrimSpace(d.syncURL.Text), AsyncURL: strings.TrimSpace(d.asyncURL.Text),
			APIKey: d.key.Text, Email: strings.TrimSpace(d.email.Text)}
	}
	ctx, cancel := context.WithCancel(d.env.ctx)
	d.stopTest = cancel
	d.test.Disable()
	d.stop.Show()
	d.spinner.Show()
	d.spinner.Start()
	go func() {
		text := testConnection(ctx, cfg)
		if ctx.Err() != nil && d.env.ctx.Err() == nil {
			text = "Stopped."
		}
		cancel()
		d.env.do(func() {
			d.result.SetText(text)
			d.test.Enable()
			d.stop.Hide()
			d.spinner.Stop()
			d.spinner.Hide()
		})
	}()
}

// buildStorage makes the output folder, the keeping time and the store's
// size, measured aside.
func (d *settingsDialog) buildStorage() {
	d.output = d.entry()
	d.output.SetText(d.settings.OutputDir())
	var keepLabels []string
	for _, c := range keepChoices {
		keepLabels = append(keepLabels, c.label)
	}
	d.keep = widget.NewSelect(keepLabels, nil)
	d.keep.SetSelected(keepLabel(d.settings.KeepFinished()))
	d.storage = widget.NewLabel("Measuring…")
	d.storage.Wrapping = fyne.TextWrapWord
	go func() {
		used, err := d.env.manager.DiskUsage()
		text := storageText(used, d.env.dataDir)
		if err != nil {
			text = "at least " + text
		}
		d.env.do(func() { d.storage.SetText(text) })
	}()
}

// show puts the dialog on screen with showDialog (Esc and Enter work).
func (d *settingsDialog) show(showDialog func(dialog.Dialog, func())) {
	browse := widget.NewButton("Browse…", func() { d.env.pickFolder(d.output.Text, d.output.SetText) })
	where := widget.NewForm(
		widget.NewFormItem("Save results to", container.NewBorder(nil, nil, nil, browse, d.output)),
		widget.NewFormItem("Keep finished jobs", d.keep),
		widget.NewFormItem("Storage used", d.storage),
	)
	content := container.NewVScroll(container.NewVBox(widget.NewForm(widget.NewFormItem("Server", d.server)), d.cloudForm, where,
		container.NewBorder(nil, nil, container.NewHBox(d.test, d.stop), nil, d.spinner), d.result))
	dlg := dialog.NewCustomConfirm("Settings", "Save", "Cancel", content, d.close, d.env.win)
	d.dlg = dlg
	size := d.env.win.Canvas().Size()
	dlg.Resize(fyne.NewSize(min(580, size.Width-40), min(520, size.Height-40)))
	showDialog(dlg, func() { dlg.Confirm() })
}

// close ends a test under way and, on Save, checks and keeps the settings.
func (d *settingsDialog) close(save bool) {
	if d.stopTest != nil {
		d.stopTest()
	}
	if !save {
		return
	}
	if d.cloud() {
		for _, u := range []string{d.syncURL.Text, d.asyncURL.Text} {
			if err := client.CheckURL(strings.TrimSpace(u)); err != nil {
				d.env.showError(err)
				return
			}
		}
	}
	d.settings.SetCloud(d.cloud())
	d.settings.SetURLs(strings.TrimSpace(d.syncURL.Text), strings.TrimSpace(d.asyncURL.Text))
	d.settings.SetOutputDir(strings.TrimSpace(d.output.Text))
	for _, c := range keepChoices {
		if c.label == d.keep.Selected {
			d.settings.SetKeepFinished(c.days)
		}
	}
	d.env.saved(Credentials{APIKey: strings.TrimSpace(d.key.Text), Email: strings.TrimSpace(d.email.Text)})
}
