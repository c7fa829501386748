package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
)

// Settings are the app's preferences (never the credentials, which live in
// the keyring).
type Settings struct {
	p   fyne.Preferences
	cfg Config
}

func newSettings(p fyne.Preferences, cfg Config) *Settings { return &Settings{p: p, cfg: cfg} }

// Cloud reports whether jobs go to the hosted service rather than the local
// engine.
func (s *Settings) Cloud() bool { return s.cfg.ServerURL != "" || s.p.BoolWithFallback("cloud", false) }

// SetCloud chooses the hosted service (true) or the local engine.
func (s *Settings) SetCloud(on bool) { s.p.SetBool("cloud", on) }

// SyncURL is the hosted sync endpoint.
func (s *Settings) SyncURL() string {
	if s.cfg.ServerURL != "" {
		return s.cfg.ServerURL
	}
	return s.p.StringWithFallback("sync_url", client.DefaultSyncURL)
}

// AsyncURL is the hosted async endpoint's base.
func (s *Settings) AsyncURL() string {
	if s.cfg.ServerURL != "" {
		return s.cfg.ServerURL
	}
	return s.p.StringWithFallback("async_url", client.DefaultAsyncURL)
}

// SetURLs changes the hosted endpoints.
func (s *Settings) SetURLs(sync, async string) {
	s.p.SetString("sync_url", sync)
	s.p.SetString("async_url", async)
}

// OutputDir is where results are saved.
func (s *Settings) OutputDir() string {
	if s.cfg.OutputDir != "" {
		return s.cfg.OutputDir
	}
	return s.p.StringWithFallback("output_dir", DefaultOutputDir())
}

// SetOutputDir changes where results are saved.
func (s *Settings) SetOutputDir(dir string) { s.p.SetString("output_dir", dir) }

// Mode is the last mode used.
func (s *Settings) Mode() string { return s.p.StringWithFallback("mode", string(client.ModeInpaint)) }

// SetMode remembers the mode.
func (s *Settings) SetMode(m string) { s.p.SetString("mode", m) }

// Async is the last sync/async choice.
func (s *Settings) Async() bool { return s.p.BoolWithFallback("async", true) }

// keyringMessage says what a keyring failure means for the user, without
// the system's technical text (which goes to the -v log).
func keyringMessage(err error) string {
	var ke *keyringError
	if errors.As(err, &ke) {
		slog.Warn("keyring", "cause", ke.cause)
	}
	return "Your system's keyring could not be reached, so the API key and e-mail are kept only until the app closes. " +
		"Unlock or set up the keyring (on Linux, the Secret Service, e.g. GNOME Keyring) to keep them."
}

// keepChoices are the choices for how long finished jobs stay, in days
// (0: forever).
var keepChoices = []struct {
	label string
	days  int
}{{"1 day", 1}, {"1 week", 7}, {"30 days", 30}, {"90 days", 90}, {"Forever", 0}}

// KeepFinished is how long finished jobs (and their images in the app's
// storage) stay after they end; zero keeps them until removed by hand.
func (s *Settings) KeepFinished() time.Duration {
	return time.Duration(s.p.IntWithFallback("keep_finished_days", 30)) * 24 * time.Hour
}

// SetKeepFinished changes how many days finished jobs stay (0: forever).
func (s *Settings) SetKeepFinished(days int) { s.p.SetInt("keep_finished_days", max(days, 0)) }

// keepLabel is the choice shown for a duration.
func keepLabel(d time.Duration) string {
	for _, c := range keepChoices {
		if time.Duration(c.days)*24*time.Hour == d {
			return c.label
		}
	}
	return fmt.Sprintf("%d days", int(d/(24*time.Hour)))
}

// storageText says how much disk the job store uses, and where.
func storageText(bytes int64, dir string) string {
	return fmt.Sprintf("%s in %s", humanBytes(bytes), dir)
}

// humanBytes is a size for people: "12.3 MB".
func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// SetAsync remembers the sync/async choice.
func (s *Settings) SetAsync(on bool) { s.p.SetBool("async", on) }

// DefaultOutputDir is "Zen Inpaint" in the user's Pictures folder.
func DefaultOutputDir() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return filepath.Join(os.TempDir(), "Zen Inpaint")
	}
	var userDirs []byte
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		config := os.Getenv("XDG_CONFIG_HOME")
		if config == "" {
			config = filepath.Join(home, ".config")
		}
		userDirs, _ = os.ReadFile(filepath.Join(config, "user-dirs.dirs"))
	}
	return filepath.FromSlash(outputDirFor(runtime.GOOS, filepath.ToSlash(home), string(userDirs)))
}

// outputDirFor is the default output folder on goos for a home folder (in
// forward slashes): Pictures/Zen Inpaint, where Linux desktops may name
// Pictures otherwise in user-dirs.dirs (e.g. "$HOME/Bilder").
func outputDirFor(goos, home, userDirs string) string {
	pictures := home + "/Pictures"
	if goos != "windows" && goos != "darwin" {
		for _, line := range strings.Split(userDirs, "\n") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(line), "XDG_PICTURES_DIR="); ok {
				v = strings.Trim(v, `"`)
				v = strings.Replace(v, "$HOME", home, 1)
				if strings.HasPrefix(v, "/") && v != home && v != home+"/" {
					pictures = v
				}
			}
		}
	}
	return pictures + "/Zen Inpaint"
}

// currentServer is where new jobs go.
func (s *Studio) currentServer() jobs.Server {
	if !s.settings.Cloud() {
		return jobs.Server{Local: true}
	}
	return jobs.Server{SyncURL: s.settings.SyncURL(), AsyncURL: s.settings.AsyncURL()}
}

// clientFor returns the client for a job's server: the local engine, or
// the hosted service with the keyring's credentials. Clients are shared per
// server and credentials, so the cap on requests in flight holds for the
// whole app, not per job. It is called from job goroutines.
func (s *Studio) clientFor(srv jobs.Server) (*client.Client, error) {
	cfg := client.Config{SyncURL: s.cfg.EngineURL, AsyncURL: s.cfg.EngineURL, Logger: s.log}
	if !srv.Local {
		s.clientsMu.Lock()
		creds := s.creds
		s.clientsMu.Unlock()
		if creds.APIKey == "" && !client.IsLoopbackURL(srv.SyncURL) {
			// (A compatible server on this computer, such as a test server,
			// needs no key.)
			return nil, errors.New("no API key: add your Zen-Inpaint API key and e-mail in Settings, or switch to the local engine")
		}
		cfg = client.Config{SyncURL: srv.SyncURL, AsyncURL: srv.AsyncURL, APIKey: creds.APIKey, Email: creds.Email, Logger: s.log}
	}
	key := clientKey{cfg.SyncURL, cfg.AsyncURL, cfg.APIKey, cfg.Email}
	s.clientsMu.Lock()
	defer s.clientsMu.Unlock()
	if c, ok := s.clients[key]; ok {
		return c, nil
	}
	c, err := client.New(cfg)
	if err != nil {
		return nil, err
	}
	if s.clients == nil {
		s.clients = map[clientKey]*client.Client{}
	}
	s.clients[key] = c
	return c, nil
}

// clientKey identifies a shared client.
type clientKey struct{ sync, async, apiKey, email string }

// setCredentials changes the credentials used by new requests.
func (s *Studio) setCredentials(c Credentials) {
	s.clientsMu.Lock()
	s.creds = c
	s.clientsMu.Unlock()
}

// ShowSettings opens the settings dialog.
func (s *Studio) ShowSettings() {
	server := widget.NewRadioGroup([]string{"Local engine (offline, classical)", "Zen-Inpaint cloud"}, nil)
	server.Required = true
	syncURL, asyncURL := widget.NewEntry(), widget.NewEntry()
	syncURL.SetText(s.settings.SyncURL())
	asyncURL.SetText(s.settings.AsyncURL())
	key := widget.NewPasswordEntry()
	key.SetPlaceHolder("Your API key")
	key.SetText(s.creds.APIKey)
	email := widget.NewEntry()
	email.SetPlaceHolder("The e-mail of your account")
	email.SetText(s.creds.Email)
	output := widget.NewEntry()
	output.SetText(s.settings.OutputDir())
	browse := widget.NewButton("Browse…", func() {
		s.pickFolder(output.Text, output.SetText)
	})
	result := widget.NewLabel("")
	result.Wrapping = fyne.TextWrapWord
	keyNote := widget.NewLabel("The API key and e-mail are kept in your system's keyring, never in a file.")
	keyNote.Wrapping = fyne.TextWrapWord
	// The cloud's fields show only when the cloud is chosen: no greyed
	// field with a label that looks usable.
	cloudForm := widget.NewForm(
		widget.NewFormItem("Sync URL", syncURL),
		widget.NewFormItem("Async URL", asyncURL),
		widget.NewFormItem("API key", key),
		widget.NewFormItem("E-mail", email),
		widget.NewFormItem("", keyNote),
	)
	server.OnChanged = func(v string) {
		cloudForm.Hidden = v != "Zen-Inpaint cloud"
		cloudForm.Refresh()
	}
	if s.settings.Cloud() {
		server.SetSelected("Zen-Inpaint cloud")
	} else {
		server.SetSelected("Local engine (offline, classical)")
	}
	cloud := func() bool { return server.Selected == "Zen-Inpaint cloud" }
	spinner := widget.NewProgressBarInfinite()
	spinner.Hide()
	var stopTest context.CancelFunc
	var test, stop *widget.Button
	stop = widget.NewButton("Stop", func() {
		if stopTest != nil {
			stopTest()
		}
	})
	stop.Hide()
	test = widget.NewButton("Test connection", func() {
		result.SetText("Testing…")
		cfg := client.Config{SyncURL: s.cfg.EngineURL, AsyncURL: s.cfg.EngineURL}
		if cloud() {
			cfg = client.Config{SyncURL: strings.TrimSpace(syncURL.Text), AsyncURL: strings.TrimSpace(asyncURL.Text),
				APIKey: key.Text, Email: strings.TrimSpace(email.Text)}
		}
		ctx, cancel := context.WithCancel(s.ctx)
		stopTest = cancel
		test.Disable()
		stop.Show()
		spinner.Show()
		spinner.Start()
		go func() {
			text := testConnection(ctx, cfg)
			if ctx.Err() != nil && s.ctx.Err() == nil {
				text = "Stopped."
			}
			cancel()
			s.do(func() {
				result.SetText(text)
				test.Enable()
				stop.Hide()
				spinner.Stop()
				spinner.Hide()
			})
		}()
	})
	var keepLabels []string
	for _, c := range keepChoices {
		keepLabels = append(keepLabels, c.label)
	}
	keep := widget.NewSelect(keepLabels, nil)
	keep.SetSelected(keepLabel(s.settings.KeepFinished()))
	storage := widget.NewLabel("Measuring…")
	storage.Wrapping = fyne.TextWrapWord
	go func() {
		used, err := s.manager.DiskUsage()
		text := storageText(used, s.cfg.DataDir)
		if err != nil {
			s.log.Warn("measuring the job store", "error", err)
			text = "at least " + text
		}
		s.do(func() { storage.SetText(text) })
	}()
	form := widget.NewForm(widget.NewFormItem("Server", server))
	where := widget.NewForm(
		widget.NewFormItem("Save results to", container.NewBorder(nil, nil, nil, browse, output)),
		widget.NewFormItem("Keep finished jobs", keep),
		widget.NewFormItem("Storage used", storage),
	)
	content := container.NewVScroll(container.NewVBox(form, cloudForm, where,
		container.NewBorder(nil, nil, container.NewHBox(test, stop), nil, spinner), result))
	d := dialog.NewCustomConfirm("Settings", "Save", "Cancel", content, func(ok bool) {
		if stopTest != nil {
			stopTest()
		}
		if !ok {
			return
		}
		if cloud() {
			for _, u := range []string{syncURL.Text, asyncURL.Text} {
				if err := client.CheckURL(strings.TrimSpace(u)); err != nil {
					dialog.ShowError(err, s.win)
					return
				}
			}
		}
		s.settings.SetCloud(cloud())
		s.settings.SetURLs(strings.TrimSpace(syncURL.Text), strings.TrimSpace(asyncURL.Text))
		s.settings.SetOutputDir(strings.TrimSpace(output.Text))
		for _, c := range keepChoices {
			if c.label == keep.Selected {
				s.settings.SetKeepFinished(c.days)
			}
		}
		go func() {
			if _, err := s.manager.Tidy(); err != nil {
				s.log.Warn("tidying the job store", "error", err)
			}
			s.do(s.queue.reload)
		}()
		creds := Credentials{APIKey: strings.TrimSpace(key.Text), Email: strings.TrimSpace(email.Text)}
		if creds != s.creds {
			s.setCredentials(creds)
			go func() { // a D-Bus call: not on Fyne's goroutine
				if err := s.keyring.Save(creds); err != nil {
					s.do(func() { dialog.ShowInformation("Keyring", keyringMessage(err), s.win) })
				}
			}()
		}
		s.validate()
		go s.warmUp()
	}, s.win)
	size := s.win.Canvas().Size()
	d.Resize(fyne.NewSize(min(580, size.Width-40), min(520, size.Height-40)))
	s.showDialog(d, func() { d.Confirm() })
}

// testConnection probes the server once (no retries, so a wrong address
// is told at once) and, for the cloud, checks the key with a harmless
// status query, then says what it found in plain words: no such host,
// nothing listening, a TLS problem, timed out, or the key refused.
func testConnection(ctx context.Context, cfg client.Config) string {
	c, err := client.New(cfg)
	if err != nil {
		return "✗ " + jobs.Explain(err)
	}
	const limit = 10 * time.Second // a wrong address should not keep the designer waiting
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	start := time.Now()
	if err := c.Probe(ctx); err != nil {
		return "✗ " + connectionProblem(err, cfg.SyncURL, limit)
	}
	took := time.Since(start).Round(time.Millisecond)
	if cfg.APIKey == "" {
		if cfg.SyncURL != "" && client.IsLoopbackURL(cfg.SyncURL) {
			return fmt.Sprintf("✓ The local engine answered in %s.", took)
		}
		return fmt.Sprintf("✓ The server answered in %s, but no API key is set: jobs will be refused.", took)
	}
	_, err = c.Poll(ctx, "connection-test")
	if errors.Is(err, client.ErrUnauthorized) {
		return "✗ The server answered but refused the API key or e-mail. Check them in Settings."
	}
	return fmt.Sprintf("✓ The server answered in %s and did not refuse the key (it is fully checked with the first job).", took)
}

// connectionProblem says why a probe of address failed.
func connectionProblem(err error, address string, limit time.Duration) string {
	host := address
	if u, perr := url.Parse(address); perr == nil && u.Host != "" {
		host = u.Host
	}
	switch {
	case errors.Is(err, client.ErrNoSuchHost):
		return fmt.Sprintf("No such host: %s does not exist. Check the address for typos, and the internet connection.", host)
	case errors.Is(err, client.ErrRefused):
		return fmt.Sprintf("Nothing is listening at %s (the connection was refused). Check the address and port, or start the server.", host)
	case errors.Is(err, client.ErrTLS):
		return fmt.Sprintf("The secure connection to %s could not be trusted (a TLS certificate problem). "+
			"Check the address, and the computer's date and certificates.", host)
	case errors.Is(err, client.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("Timed out: %s did not answer within %s. Check the address and the connection.", host, limit)
	case errors.Is(err, client.ErrUnauthorized):
		return "The server answered but refused the API key or e-mail. Check them in Settings."
	}
	return jobs.Explain(err)
}
