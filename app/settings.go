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
	cfg := client.Config{SyncURL: s.cfg.EngineURL, AsyncURL: s.cfg.EngineURL, Logger: s.cfg.Logger}
	if !srv.Local {
		s.conn.clientsMu.Lock()
		creds := s.conn.creds
		s.conn.clientsMu.Unlock()
		if creds.APIKey == "" && !client.IsLoopbackURL(srv.SyncURL) {
			// (A compatible server on this computer, such as a test server,
			// needs no key.)
			return nil, errors.New("no API key: add your Zen-Inpaint API key and e-mail in Settings, or switch to the local engine")
		}
		cfg = client.Config{SyncURL: srv.SyncURL, AsyncURL: srv.AsyncURL, APIKey: creds.APIKey, Email: creds.Email, Logger: s.cfg.Logger}
	}
	key := clientKey{cfg.SyncURL, cfg.AsyncURL, cfg.APIKey, cfg.Email}
	s.conn.clientsMu.Lock()
	defer s.conn.clientsMu.Unlock()
	if c, ok := s.conn.clients[key]; ok {
		return c, nil
	}
	c, err := client.New(cfg)
	if err != nil {
		return nil, err
	}
	if s.conn.clients == nil {
		s.conn.clients = map[clientKey]*client.Client{}
	}
	s.conn.clients[key] = c
	return c, nil
}

// clientKey identifies a shared client.
type clientKey struct{ sync, async, apiKey, email string }

// setCredentials changes the credentials used by new requests.
func (s *Studio) setCredentials(c Credentials) {
	s.conn.clientsMu.Lock()
	s.conn.creds = c
	s.conn.clientsMu.Unlock()
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
