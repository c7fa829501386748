package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

const (
	testKey   = "zk-test-SECRET-0123456789"
	testEmail = "designer@example.com"
	basePath  = "/api-v1" // a non-empty base path: an absolute path in the client fails loudly
)

// newTestClient serves h on loopback under basePath and returns a client
// aimed at it with short retry and poll delays. Benchmarks pass their
// *testing.B: a request outside the base path then fails them, and the
// server is closed when they end.
func newTestClient(t testing.TB, h http.Handler, edit ...func(*Config)) (*Client, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(basePath+"/", http.StripPrefix(basePath, h))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	cfg := Config{SyncURL: srv.URL + basePath + "/", AsyncURL: srv.URL + basePath, APIKey: testKey, Email: testEmail}
	for _, e := range edit {
		e(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	c.retry = retryPolicy{attempts: 4, base: 2 * time.Millisecond, max: 10 * time.Millisecond}
	c.cfg.PollInterval = 5 * time.Millisecond
	return c, srv
}

func imageJSON(img []byte) []byte {
	return []byte(`{"image":"` + base64.StdEncoding.EncodeToString(img) + `"}`)
}

func TestGenerateSendsCredentialsAndImages(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" || r.Method != http.MethodPost {
			t.Errorf("sync call went to %s %s", r.Method, r.URL.Path)
		}
		if r.Header.Get("x-api-key") != testKey || r.Header.Get("x-email") != testEmail {
			t.Errorf("auth headers missing: %v", r.Header)
		}
		if r.ContentLength <= 0 {
			t.Errorf("no Content-Length")
		}
		req, err := DecodeRequest(r.Body)
		if err != nil {
			t.Errorf("DecodeRequest: %v", err)
		}
		if !bytes.Equal(req.Background, photoPNG) || !bytes.Equal(req.Mask, maskPNG) || req.Seed != 7 {
			t.Errorf("server got a different request")
		}
		_, _ = w.Write(imageJSON(photoPNG))
	}))
	var stages []Stage
	res, err := c.Generate(context.Background(), inpaintRequest(), func(p Progress) { stages = append(stages, p.Stage) })
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if !bytes.Equal(res.Image, photoPNG) || res.Info.Width != 64 || res.Info.Height != 48 {
		t.Errorf("result = %d bytes %+v", len(res.Image), res.Info)
	}
	if len(stages) < 2 || stages[0] != StageUploading || stages[len(stages)-1] != StageDone {
		t.Errorf("stages = %v", stages)
	}
}

func TestGenerateImageBody(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(photoPNG)
	}))
	res, err := c.Generate(context.Background(), inpaintRequest(), nil)
	if err != nil || !bytes.Equal(res.Image, photoPNG) {
		t.Fatalf("Generate = %v, %v", res, err)
	}
}

func TestStatusErrors(t *testing.T) {
	cases := []struct {
		status       int
		body         string
		retryAfter   string
		want         error
		wantAttempts int32 // for a submission
		wantText     string
	}{
		{401, `{"error":"bad key"}`, "", ErrUnauthorized, 1, "Check the API key"},
		{403, `{"detail":"forbidden"}`, "", ErrUnauthorized, 1, "forbidden"},
		{402, `{"error":"no credits left"}`, "", ErrInsufficientCredits, 1, "no credits left"},
		{413, `payload too large`, "", ErrTooLarge, 1, "payload too large"},
		{400, `{"error":"mask missing"}`, "", ErrInvalidInput, 1, "mask missing"},
		{422, `{"detail":[{"loc":["mask"]}]}`, "", ErrInvalidInput, 1, "loc"},
		{429, `{"error":"slow down"}`, "0", ErrRateLimited, 4, "Wait a moment"},
		{500, `<html>oops</html>`, "", ErrServer, 1, "HTTP 500)"},
		{502, `bad gateway`, "", ErrOutcomeUnknown, 1, "bad gateway"},
		{503, `{"error":"warming up"}`, "", ErrOutcomeUnknown, 1, "warming up"},
		{503, `{"error":"warming up"}`, "0", ErrServer, 4, "warming up"},
		{504, `gateway timeout`, "", ErrOutcomeUnknown, 1, "gateway timeout"},
		{418, `teapot`, "", ErrBadResponse, 1, "HTTP 418"},
		{401, `{"error":"key ` + testKey + ` is wrong"}`, "", ErrUnauthorized, 1, "[redacted]"},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status, tc.retryAfter), func(t *testing.T) {
			var attempts atomic.Int32
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				attempts.Add(1)
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				w.WriteHeader(tc.status)
				_, _ = io.WriteString(w, tc.body)
			}))
			_, err := c.Generate(context.Background(), inpaintRequest(), nil)
			if !errors.Is(err, tc.want) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status {
				t.Errorf("not an *APIError with status %d: %#v", tc.status, err)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("message %q lacks %q", err, tc.wantText)
			}
			if strings.Contains(err.Error(), testKey) {
				t.Errorf("the API key leaked into %q", err)
			}
			if got := attempts.Load(); got != tc.wantAttempts {
				t.Errorf("server saw %d attempts, want %d", got, tc.wantAttempts)
			}
		})
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	var mu sync.Mutex
	var times []time.Time
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		times = append(times, time.Now())
		n := len(times)
		mu.Unlock()
		if n == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write(imageJSON(photoPNG))
	}))
	if _, err := c.Generate(context.Background(), inpaintRequest(), nil); err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if len(times) != 2 {
		t.Fatalf("%d attempts, want 2", len(times))
	}
	if gap := times[1].Sub(times[0]); gap < 900*time.Millisecond {
		t.Errorf("retried after %v, before the 1 s Retry-After", gap)
	}
}

// hangUp reads the whole request, then drops the connection without an
// answer: the server took the job, the client cannot know.
func hangUp(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		conn.Close()
	}
}

func TestSubmissionIsNotResentAfterTheBodyWasSent(t *testing.T) {
	for _, call := range []string{"sync", "async"} {
		t.Run(call, func(t *testing.T) {
			var attempts atomic.Int32
			c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				attempts.Add(1)
				hangUp(w, r)
			}))
			var err error
			if call == "sync" {
				_, err = c.Generate(context.Background(), inpaintRequest(), nil)
			} else {
				_, err = c.Submit(context.Background(), inpaintRequest(), nil)
			}
			if !errors.Is(err, ErrOutcomeUnknown) {
				t.Fatalf("error = %v, want ErrOutcomeUnknown", err)
			}
			if got := attempts.Load(); got != 1 {
				t.Errorf("the server received the job %d times, want 1", got)
			}
		})
	}
}

func TestSubmitWithUnreadableTicketIsOutcomeUnknown(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"ticket_id": `) // truncated JSON
	}))
	_, err := c.Submit(context.Background(), inpaintRequest(), nil)
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrBadResponse) {
		t.Fatalf("error = %v", err)
	}
}

// refusingDialer fails the first n dials with ECONNREFUSED, as a server
// that is not listening yet does.
func refusingDialer(n int32) (func(ctx context.Context, network, addr string) (net.Conn, error), *atomic.Int32) {
	var refused atomic.Int32
	var d net.Dialer
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		if refused.Add(1) <= n {
			return nil, &net.OpError{Op: "dial", Net: network, Err: syscall.ECONNREFUSED}
		}
		return d.DialContext(ctx, network, addr)
	}, &refused
}

func TestSubmissionIsRetriedWhenTheConnectionWasRefused(t *testing.T) {
	dial, refused := refusingDialer(2)
	var attempts atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		_, _ = io.WriteString(w, `{"ticket_id":"t-1"}`)
	}), func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: dial}}
	})
	ticket, err := c.Submit(context.Background(), inpaintRequest(), nil)
	if err != nil || ticket != "t-1" {
		t.Fatalf("Submit = %q, %v", ticket, err)
	}
	if refused.Load() != 3 || attempts.Load() != 1 {
		t.Errorf("dials %d, server attempts %d; want 3 and 1", refused.Load(), attempts.Load())
	}
}

func TestRefusedEverywhereIsANetworkError(t *testing.T) {
	dial, _ := refusingDialer(100)
	c, _ := newTestClient(t, http.NotFoundHandler(), func(cfg *Config) {
		cfg.HTTPClient = &http.Client{Transport: &http.Transport{DialContext: dial}}
	})
	_, err := c.Generate(context.Background(), inpaintRequest(), nil)
	if !errors.Is(err, ErrNetwork) || errors.Is(err, ErrOutcomeUnknown) {
		t.Fatalf("error = %v, want ErrNetwork and not ErrOutcomeUnknown", err)
	}
}

// A scripted /predict: each call takes the next step.
func scriptedPredict(t *testing.T, steps ...func(w http.ResponseWriter, r *http.Request)) (http.Handler, *atomic.Int32) {
	var n atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/predict" {
			t.Errorf("poll went to %s", r.URL.Path)
		}
		if tk, err := DecodeTicket(r.Body); err != nil || tk != "t-9" {
			t.Errorf("ticket = %q, %v", tk, err)
		}
		i := int(n.Add(1)) - 1
		steps[min(i, len(steps)-1)](w, r)
	}), &n
}

func reply(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestWaitSurvivesTransientFaults(t *testing.T) {
	done := string(imageJSON(photoPNG))
	done = `{"state":"SUCCEEDED",` + done[1:]
	h, calls := scriptedPredict(t,
		reply(200, `{"status":"queued"}`),
		reply(502, `bad gateway`),
		reply(200, `<html>proxy error</html>`), // garbled once: polled again
		hangUp,
		reply(429, `{"error":"busy"}`),
		reply(200, `{"status":"warming_up"}`),
		reply(200, `{"status":"processing","progress":0.5}`),
		reply(200, done),
	)
	c, _ := newTestClient(t, h)
	var progress []Progress
	res, err := c.Wait(context.Background(), "t-9", func(p Progress) { progress = append(progress, p) })
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	if !bytes.Equal(res.Image, photoPNG) {
		t.Error("wrong image")
	}
	if calls.Load() != 8 {
		t.Errorf("%d polls, want 8", calls.Load())
	}
	var sawHalf, sawQueued bool
	for _, p := range progress {
		sawHalf = sawHalf || (p.Stage == StageProcessing && p.Fraction == 0.5)
		sawQueued = sawQueued || p.Stage == StageQueued
	}
	if !sawHalf || !sawQueued || progress[len(progress)-1].Stage != StageDone {
		t.Errorf("progress = %+v", progress)
	}
}

func TestWaitOutcomes(t *testing.T) {
	cases := []struct {
		name    string
		step    func(http.ResponseWriter, *http.Request)
		maxWait time.Duration
		want    error
		text    string
	}{
		{"failed job", reply(200, `{"status":"failed","error":"NSFW content detected"}`), 0, ErrJobFailed, "NSFW content detected"},
		{"forever processing", reply(200, `{"status":"processing"}`), 100 * time.Millisecond, ErrTimeout, "had not finished"},
		{"unknown ticket", reply(404, `{"error":"unknown ticket"}`), 0, ErrNotFound, "unknown ticket"},
		{"malformed JSON", reply(200, `{"status": "proc`), 0, ErrBadResponse, "could not be understood"},
		{"completed without image", reply(200, `{"status":"completed"}`), 0, ErrBadResponse, "no image"},
		{"not an image", reply(200, `{"status":"completed","image":"aGVsbG8="}`), 0, ErrBadResponse, "not a supported image"},
		{"server down", reply(500, `boom`), 2 * time.Second, ErrTimeout, "last error"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, _ := scriptedPredict(t, tc.step)
			c, _ := newTestClient(t, h, func(cfg *Config) { cfg.MaxWait = tc.maxWait })
			_, err := c.Wait(context.Background(), "t-9", nil)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.text) {
				t.Fatalf("Wait error = %v, want %v containing %q", err, tc.want, tc.text)
			}
		})
	}
}

func TestWaitHonoursCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var polls atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			return // the cancel cut this poll while it was being sent: nothing to check
		}
		if tk, err := DecodeTicket(bytes.NewReader(body)); err != nil || tk != "t-9" || r.URL.Path != "/predict" {
			t.Errorf("poll %s with ticket %q, %v", r.URL.Path, tk, err)
		}
		if polls.Add(1) == 1 { // cancel once polling is under way
			time.AfterFunc(30*time.Millisecond, cancel)
		}
		_, _ = io.WriteString(w, `{"status":"processing"}`)
	}))
	if _, err := c.Wait(ctx, "t-9", nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("Wait = %v, want context.Canceled", err)
	}
	if polls.Load() == 0 {
		t.Error("Wait ended without polling")
	}
}

func TestPollStallIsRetriedThenReported(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	h, calls := scriptedPredict(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = io.WriteString(w, `{"status":`)
		w.(http.Flusher).Flush()
		<-release // a body that never ends
	})
	c, _ := newTestClient(t, h)
	c.timeout = 50 * time.Millisecond
	_, err := c.Poll(context.Background(), "t-9")
	// A body cut off is a network error; on a busy machine the 50 ms may
	// run out before the headers arrive, a timeout: either is retried.
	if !errors.Is(err, ErrNetwork) && !errors.Is(err, ErrTimeout) {
		t.Fatalf("Poll = %v, want ErrNetwork or ErrTimeout", err)
	}
	if calls.Load() != 4 {
		t.Errorf("%d attempts, want 4", calls.Load())
	}
}

func TestOversizedResponseIsRefused(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		chunk := make([]byte, 1<<20)
		for range MaxResponseBytes>>20 + 2 {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}))
	_, err := c.Generate(context.Background(), inpaintRequest(), nil)
	if !errors.Is(err, ErrBadResponse) || !strings.Contains(err.Error(), "64 MiB") {
		t.Fatalf("error = %v", err)
	}
}

func TestResultURLIsDownloaded(t *testing.T) {
	var sawAuth atomic.Bool
	mux := http.NewServeMux()
	var srvURL string
	mux.HandleFunc("/predict", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"status":"completed","output":["`+srvURL+basePath+`/files/out.png"]}`)
	})
	mux.HandleFunc("/files/out.png", func(w http.ResponseWriter, r *http.Request) {
		sawAuth.Store(r.Header.Get("x-api-key") == testKey)
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(photoPNG)
	})
	c, srv := newTestClient(t, mux)
	srvURL = srv.URL
	st, err := c.Poll(context.Background(), "t-9")
	if err != nil || st.State != StateDone || !bytes.Equal(st.Result.Image, photoPNG) {
		t.Fatalf("Poll = %+v, %v", st, err)
	}
	if !sawAuth.Load() {
		t.Error("the download to the API's own host lacked credentials")
	}
}

func TestPingFallsBackToPostWithoutCredentials(t *testing.T) {
	var methods []string
	var mu sync.Mutex
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		methods = append(methods, r.Method)
		mu.Unlock()
		if r.URL.Path != "/ping" {
			t.Errorf("ping went to %s", r.URL.Path)
		}
		if r.Header.Get("x-api-key") != "" || r.Header.Get("x-email") != "" {
			t.Error("ping carried credentials")
		}
		if r.Method == http.MethodGet {
			w.WriteHeader(http.StatusMethodNotAllowed)
			return
		}
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	}))
	if err := c.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	if strings.Join(methods, ",") != "GET,POST" {
		t.Errorf("methods = %v, want GET then POST", methods)
	}
}

func TestPingReportsADeadServer(t *testing.T) {
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusInternalServerError)
	}))
	if err := c.Ping(context.Background()); !errors.Is(err, ErrServer) {
		t.Fatalf("Ping = %v, want ErrServer", err)
	}
}

func TestConcurrencyIsCapped(t *testing.T) {
	var inFlight, peak atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			p := peak.Load()
			if n <= p || peak.CompareAndSwap(p, n) {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
		_, _ = w.Write(imageJSON(photoPNG))
	}), func(cfg *Config) { cfg.MaxConcurrent = 14 })
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := c.Generate(context.Background(), inpaintRequest(), nil)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if got := peak.Load(); got > 14 || got < 2 {
		t.Errorf("peak in flight = %d, want 2..14", got)
	}
}

func TestInsecureURLsAreRefused(t *testing.T) {
	cases := []struct {
		url string
		ok  bool
	}{
		{"https://zen.example", true},
		{"http://127.0.0.1:8080", true},
		{"http://127.9.9.9", true},
		{"http://localhost:1", true},
		{"http://[::1]:9", true},
		{"http://zen.example", false},
		{"http://10.0.0.1", false},
		{"ftp://zen.example", false},
		{"not a url", false},
	}
	for _, tc := range cases {
		_, err := New(Config{SyncURL: tc.url, AsyncURL: "https://ok.example"})
		if (err == nil) != tc.ok {
			t.Errorf("New(%q) error = %v, want ok=%v", tc.url, err, tc.ok)
		}
		if !tc.ok && strings.HasPrefix(tc.url, "http://") && !errors.Is(err, ErrInsecureURL) {
			t.Errorf("New(%q) = %v, want ErrInsecureURL", tc.url, err)
		}
	}
}

func TestAPIKeyNeverShows(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	}), func(cfg *Config) { cfg.Logger = logger })
	_, err := c.Generate(context.Background(), inpaintRequest(), nil)
	cfg := c.Config()
	logger.Info("config", "cfg", cfg)
	shown := fmt.Sprintf("%v|%+v|%#v|%s|%v", cfg, cfg, cfg, cfg, err) + logs.String()
	if strings.Contains(shown, testKey) {
		t.Fatalf("the API key shows in: %s", shown)
	}
	if !strings.Contains(logs.String(), "redacted") {
		t.Errorf("the log has no redacted config: %s", logs.String())
	}
}

// TLS verification is on, and nothing in Config can turn it off.
func TestTLSVerificationStaysOn(t *testing.T) {
	var reached atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached.Add(1)
		_, _ = w.Write(imageJSON(photoPNG))
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshake is expected
	srv.StartTLS()
	defer srv.Close()
	// The client New builds from a default Config, aimed at a server whose
	// certificate no one trusts: the request must fail at the handshake.
	c, err := New(Config{SyncURL: srv.URL, AsyncURL: srv.URL, APIKey: testKey, Email: testEmail})
	if err != nil {
		t.Fatal(err)
	}
	c.retry = retryPolicy{attempts: 1}
	_, err = c.Generate(context.Background(), inpaintRequest(), nil)
	var unknown x509.UnknownAuthorityError
	var verify *tls.CertificateVerificationError
	if !errors.As(err, &unknown) && !errors.As(err, &verify) {
		t.Errorf("a self-signed server: error %v, want a certificate verification error", err)
	}
	if reached.Load() != 0 {
		t.Fatalf("the request reached a server whose certificate was not verified")
	}
	// The same server with its certificate trusted answers, so the failure
	// above was the verification.
	trusted, err := New(Config{SyncURL: srv.URL, AsyncURL: srv.URL, APIKey: testKey, Email: testEmail, HTTPClient: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := trusted.Generate(context.Background(), inpaintRequest(), nil); err != nil || reached.Load() != 1 {
		t.Errorf("with the certificate trusted: %v, %d requests", err, reached.Load())
	}
}
