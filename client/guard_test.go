package client

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client/clienttest"
)

// hit is one request a test server received.
type hit struct {
	method, path string
	key, email   string
	bodyBytes    int
}

// recorder is a loopback server that records every request it gets.
type recorder struct {
	mu   sync.Mutex
	hits []hit
	srv  *httptest.Server
}

func newRecorder(t *testing.T, tls bool, h http.HandlerFunc) *recorder {
	t.Helper()
	r := &recorder{}
	wrapped := http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.hits = append(r.hits, hit{method: req.Method, path: req.URL.Path, key: req.Header.Get(headerAPIKey),
			email: req.Header.Get(headerEmail), bodyBytes: len(body)})
		r.mu.Unlock()
		h(w, req)
	})
	if tls {
		r.srv = httptest.NewTLSServer(wrapped)
	} else {
		r.srv = httptest.NewServer(wrapped)
	}
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) all() []hit {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]hit(nil), r.hits...)
}

// TestRedirectMatrix: whatever redirect a server answers, the key reaches
// only the API's own host (scheme and port included), a paid body is sent
// once, and plain http off this computer is never contacted.
func TestRedirectMatrix(t *testing.T) {
	statuses := []int{http.StatusMovedPermanently, http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect}
	targets := []string{"same host", "other https host", "plain http off loopback"}
	origins := []string{"sync /", "/run", "/predict", "result link"}
	for _, origin := range origins {
		for _, status := range statuses {
			for _, target := range targets {
				t.Run(fmt.Sprintf("%s %d to %s", origin, status, target), func(t *testing.T) {
					checkRedirectCase(t, origin, status, target)
				})
			}
		}
	}
}

func checkRedirectCase(t *testing.T, origin string, status int, target string) {
	other := newRecorder(t, true, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(photoPNG)
	})
	var api *recorder
	api = newRecorder(t, true, func(w http.ResponseWriter, r *http.Request) {
		var to string
		switch target {
		case "same host":
			to = api.srv.URL + "/elsewhere"
		case "other https host":
			to = other.srv.URL + "/elsewhere"
		default:
			to = "http://zen-inpaint.example/elsewhere"
		}
		switch {
		case r.URL.Path == "/elsewhere":
			if r.Method == http.MethodGet {
				w.Header().Set("Content-Type", "image/png")
				_, _ = w.Write(photoPNG)
				return
			}
			w.WriteHeader(http.StatusTeapot)
		case origin == "result link" && r.URL.Path == "/" && r.Method == http.MethodPost:
			_, _ = fmt.Fprintf(w, `{"image":%q}`, api.srv.URL+"/result/1?sig=abc")
		case origin == "result link" && r.URL.Path == "/result/1",
			origin == "sync /" && r.URL.Path == "/",
			origin == "/run" && r.URL.Path == "/run",
			origin == "/predict" && r.URL.Path == "/predict":
			http.Redirect(w, r, to, status)
		default:
			_, _ = io.WriteString(w, `{"status":"processing"}`)
		}
	})
	c, err := New(Config{SyncURL: api.srv.URL + "/", AsyncURL: api.srv.URL, APIKey: testKey, Email: testEmail,
		HTTPClient: api.srv.Client(), MaxWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	c.retry = retryPolicy{attempts: 2, base: time.Millisecond, max: time.Millisecond}
	ctx := context.Background()
	switch origin {
	case "sync /", "result link":
		_, err = c.Generate(ctx, inpaintRequest(), nil)
	case "/run":
		_, err = c.Submit(ctx, inpaintRequest(), nil)
	case "/predict":
		_, err = c.Poll(ctx, "t-1")
	}

	// The key reaches the API's own host only: no other host saw it.
	for _, h := range other.all() {
		if h.key != "" || h.email != "" {
			t.Errorf("credentials reached another host: %+v", h)
		}
	}
	// A POST is never followed: the body went once, to its address.
	posts := 0
	for _, h := range api.all() {
		if h.method == http.MethodPost && h.bodyBytes > 0 && h.path != "/predict" {
			posts++
		}
		if h.path == "/elsewhere" && h.method != http.MethodGet {
			t.Errorf("a %s was redirected: %+v", h.method, h)
		}
	}
	if origin != "/predict" && posts != 1 {
		t.Errorf("the paid body was sent %d times, want 1", posts)
	}
	if n := len(other.all()); origin != "result link" && n != 0 {
		t.Errorf("a redirected POST reached the other host %d times", n)
	}

	followed := origin == "result link" && target != "plain http off loopback"
	switch {
	case followed && err != nil:
		t.Fatalf("a GET redirect to %s should be followed: %v", target, err)
	case !followed && !errors.Is(err, ErrRedirected):
		t.Fatalf("error = %v, want ErrRedirected", err)
	case !followed && strings.Contains(err.Error(), "%!"):
		t.Errorf("garbled message %q", err)
	}
	if followed && target == "same host" {
		last := api.all()[len(api.all())-1]
		if last.path != "/elsewhere" || last.key != testKey {
			t.Errorf("same-host redirect of a result link lost its credentials: %+v", last)
		}
	}
}

// TestStalledSubmissionEndsWithinItsDeadline: a /run that takes the body
// and never answers ends with a plain "may have been billed" error once the
// answer deadline passes, and its slot is free again.
func TestStalledSubmissionEndsWithinItsDeadline(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	var runs atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if runs.Add(1) == 1 {
			select { // stall the first submission
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		_, _ = io.WriteString(w, `{"ticket":"t-2"}`)
	}), func(cfg *Config) { cfg.MaxConcurrent = 1; cfg.RequestTimeout = 300 * time.Millisecond })
	_, err := c.Submit(context.Background(), inpaintRequest(), nil)
	if !errors.Is(err, ErrOutcomeUnknown) || !errors.Is(err, ErrTimeout) {
		t.Fatalf("error = %v, want ErrOutcomeUnknown and ErrTimeout", err)
	}
	if !strings.Contains(err.Error(), "did not answer within 300ms") {
		t.Errorf("message %q does not say what happened", err)
	}
	if runs.Load() != 1 {
		t.Errorf("a stalled submission was resent: %d runs", runs.Load())
	}
	// The only slot is free again.
	if tk, err := c.Submit(context.Background(), inpaintRequest(), nil); err != nil || tk != "t-2" {
		t.Errorf("next submission: %q, %v", tk, err)
	}
}

// TestPollsAreNotStarvedBySyncCalls: with every slot held by sync
// generations and many more queued, the poll of a job the server took gets
// the next free slot, ahead of the queued uploads.
func TestPollsAreNotStarvedBySyncCalls(t *testing.T) {
	const queued = 40
	var started, seenAtPoll atomic.Int32
	seenAtPoll.Store(-1)
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/predict" {
			seenAtPoll.CompareAndSwap(-1, started.Load())
			_, _ = w.Write(imageJSON(photoPNG))
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		n := started.Add(1)
		time.Sleep(100*time.Millisecond + time.Duration(n%DefaultMaxConcurrent)*40*time.Millisecond) // they end one by one
		_, _ = w.Write(imageJSON(photoPNG))
	}))
	var wg sync.WaitGroup
	for range queued {
		wg.Go(func() { _, _ = c.Generate(context.Background(), inpaintRequest(), nil) })
	}
	eventually(t, "every slot to be taken", func() bool { return started.Load() >= DefaultMaxConcurrent })
	ctx, cancel := context.WithDeadline(context.Background(), clienttest.WaitDeadline(t))
	_, err := c.Wait(ctx, "t-9", nil)
	cancel()
	wg.Wait()
	if err != nil {
		t.Fatalf("Wait behind %d sync calls: %v", queued, err)
	}
	// The poll went out when a slot first freed up: only the first 14 and
	// the few that slipped in before it had reached the server.
	if got := seenAtPoll.Load(); got > DefaultMaxConcurrent+pollReserve {
		t.Errorf("the poll reached the server after %d of %d queued uploads", got, queued)
	}
	if started.Load() != queued {
		t.Errorf("%d sync calls ran, want %d", started.Load(), queued)
	}
}

// TestSyncCallsUseEverySlot: with no job being waited for, 14 sync calls
// run at once (nothing is held back for polls that are not there).
func TestSyncCallsUseEverySlot(t *testing.T) {
	var inFlight, most atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		n := inFlight.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		time.Sleep(100 * time.Millisecond)
		inFlight.Add(-1)
		_, _ = w.Write(imageJSON(photoPNG))
	}))
	var wg sync.WaitGroup
	for range 2 * DefaultMaxConcurrent {
		wg.Go(func() { _, _ = c.Generate(context.Background(), inpaintRequest(), nil) })
	}
	wg.Wait()
	if got := most.Load(); got != DefaultMaxConcurrent {
		t.Errorf("at most %d sync calls ran at once, want %d", got, DefaultMaxConcurrent)
	}
}

// TestWaitForASlotIsNotTheJobsTime: a sync job that waits longer than
// MaxWait for a free slot still gets its full MaxWait once sent.
func TestWaitForASlotIsNotTheJobsTime(t *testing.T) {
	var calls atomic.Int32
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if calls.Add(1) == 1 {
			time.Sleep(600 * time.Millisecond)
		}
		_, _ = w.Write(imageJSON(photoPNG))
	}), func(cfg *Config) { cfg.MaxConcurrent = 1; cfg.MaxWait = 1200 * time.Millisecond })
	errs := make(chan error, 2)
	for range 2 {
		go func() { _, err := c.Generate(context.Background(), inpaintRequest(), nil); errs <- err }()
		time.Sleep(50 * time.Millisecond)
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Errorf("a queued sync job failed: %v", err)
		}
	}
}

func TestNonFiniteProgressIsRejected(t *testing.T) {
	for _, v := range []string{`"NaN"`, `"nan"`, `"Inf"`, `"-Infinity"`, `"+Inf%"`} {
		p, err := parseResponse([]byte(`{"status":"processing","progress":` + v + `}`))
		if err != nil || p.Progress != -1 {
			t.Errorf("progress %s parsed as %v (%v), want -1 (unknown)", v, p.Progress, err)
		}
	}
}

func TestRedact(t *testing.T) {
	key := "sk-SECRET-42abc"
	cases := []string{
		"bad key sk-secret-42abc",
		"bad key SK-SECRET-42ABC!",
		"see https://cdn.example/r/1.png?X-Goog-Signature=deadbeef&key=sk-secret-42abc for details",
		`{"url":"https://h.example/p#sig=1"}`,
	}
	for _, in := range cases {
		out := Redact(in, key)
		for _, leak := range []string{"secret-42", "SECRET-42", "deadbeef", "sig=1"} {
			if strings.Contains(out, leak) {
				t.Errorf("Redact(%q) = %q still holds %q", in, out, leak)
			}
		}
	}
	if got := Redact("https://h.example/a/b.png", key); got != "https://h.example/a/b.png" {
		t.Errorf("a URL without a query changed: %q", got)
	}
}

// TestEchoedKeyIsRedactedEverywhere: a server that echoes the key in any
// letter case, in error answers and in a failed job's reason.
func TestEchoedKeyIsRedactedEverywhere(t *testing.T) {
	upper := strings.ToUpper(testKey)
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/predict":
			_, _ = fmt.Fprintf(w, `{"status":"failed","error":"key %s at https://x.example/a?token=%s"}`, upper, testKey)
		default:
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"error":"bad key %s / %s"}`, upper, strings.ToLower(testKey))
		}
	}))
	_, err1 := c.Generate(context.Background(), inpaintRequest(), nil)
	_, err2 := c.Wait(context.Background(), "t-1", nil)
	for _, err := range []error{err1, err2} {
		if err == nil {
			t.Fatal("expected an error")
		}
		if strings.Contains(strings.ToLower(err.Error()), strings.ToLower(testKey)) || strings.Contains(err.Error(), "token=") {
			t.Errorf("the key or a signed query leaked: %q", err)
		}
	}
}

// TestLargeResultsAreAcceptedForLargeOutputs: the answer limit follows the
// expected output size, so a big (paid) result is not refused.
func TestLargeResultsAreAcceptedForLargeOutputs(t *testing.T) {
	big := make([]byte, MaxResponseBytes+1<<20)
	copy(big, photoPNG)
	body := `{"image":"` + base64.StdEncoding.EncodeToString(big) + `"}`
	c, _ := newTestClient(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = io.WriteString(w, body)
	}))
	if _, err := c.Generate(context.Background(), inpaintRequest(), nil); !errors.Is(err, ErrBadResponse) {
		t.Fatalf("default limit: error = %v, want ErrBadResponse (too large)", err)
	}
	res, err := c.ForOutput(image.Pt(6000, 6000)).Generate(context.Background(), inpaintRequest(), nil)
	if err != nil || len(res.Image) != len(big) {
		t.Fatalf("a 36 MP result's answer was refused: %v", err)
	}
}
