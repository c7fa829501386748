//go:build soak

package jobs

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/engine"
)

// faultProxy sits before the real engine and injects a fault into 20 % of
// requests. It records, per job (by seed), every submission whose body it
// read whole and what it answered.
type faultProxy struct {
	next http.Handler
	mu   sync.Mutex
	rng  *rand.Rand
	// received[seed] lists the answers to fully received submissions.
	received map[int64][]string
	stuck    map[string]bool // tickets that stay "processing"
	faults   map[string]int
}

var faultKinds = []string{"reset-before-body", "reset-after-body", "500", "502", "503", "429", "stall",
	"truncated-json", "malformed-json", "stuck-ticket", "predict-failed"}

func (p *faultProxy) pick() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.rng.Float64() >= 0.2 {
		return ""
	}
	k := faultKinds[p.rng.IntN(len(faultKinds))]
	p.faults[k]++
	return k
}

func hangUpConn(w http.ResponseWriter) {
	if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fault := p.pick()
	if fault == "reset-before-body" {
		hangUpConn(w)
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	submission := r.URL.Path == "/" || r.URL.Path == "/run"
	record := func(answer string) {
		if !submission {
			return
		}
		req, err := client.DecodeRequest(bytes.NewReader(body))
		if err != nil {
			return
		}
		p.mu.Lock()
		p.received[req.Seed] = append(p.received[req.Seed], answer)
		p.mu.Unlock()
	}
	switch fault {
	case "reset-after-body":
		record("reset")
		hangUpConn(w)
	case "500", "502", "503":
		record(fault)
		w.WriteHeader(map[string]int{"500": 500, "502": 502, "503": 503}[fault])
	case "429":
		record("429")
		w.Header().Set("Retry-After", "1")
		w.WriteHeader(http.StatusTooManyRequests)
	case "stall":
		record("stall")
		time.Sleep(3 * time.Second) // past the client's per-attempt timeout for polls
		hangUpConn(w)
	case "truncated-json":
		record("truncated")
		_, _ = w.Write([]byte(`{"status": "proc`))
	case "malformed-json":
		record("malformed")
		_, _ = w.Write([]byte(`<html>Bad Gateway</html>`))
	case "predict-failed":
		if r.URL.Path == "/predict" {
			_, _ = w.Write([]byte(`{"status":"failed","error":"injected failure"}`))
			return
		}
		fallthrough
	default:
		if r.URL.Path == "/predict" {
			if tk, err := client.DecodeTicket(bytes.NewReader(body)); err == nil {
				p.mu.Lock()
				stuck := p.stuck[tk]
				p.mu.Unlock()
				if stuck {
					_, _ = w.Write([]byte(`{"status":"processing"}`))
					return
				}
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		rec := &recorder{ResponseWriter: w}
		p.next.ServeHTTP(rec, r)
		record(fmt.Sprint(rec.status))
		if fault == "stuck-ticket" && r.URL.Path == "/run" {
			if tk, err := client.DecodeTicket(bytes.NewReader(rec.body.Bytes())); err == nil {
				p.mu.Lock()
				p.stuck[tk] = true
				p.mu.Unlock()
			}
		}
	}
}

type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(code int) { r.status = code; r.ResponseWriter.WriteHeader(code) }
func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = 200
	}
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// TestSoak runs 500 jobs, half sync and half async, through the shared
// client and the queue against the faulty server, and reports how they
// ended: none may be lost, none submitted twice after the server took it.
func TestSoak(t *testing.T) {
	const total = 500
	proxy := &faultProxy{next: engine.NewServer(engine.Options{}), rng: rand.New(rand.NewPCG(42, 7)),
		received: map[int64][]string{}, stuck: map[string]bool{}, faults: map[string]int{}}
	srv := httptest.NewServer(proxy)
	defer srv.Close()
	shared, err := client.New(client.Config{SyncURL: srv.URL, AsyncURL: srv.URL, MaxWait: 8 * time.Second,
		RequestTimeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	store, _ := OpenStore(filepath.Join(t.TempDir(), "data"))
	m, err := NewManager(Options{Store: store, OutputDir: func() string { return t.TempDir() },
		Clients: func(Server) (*client.Client, error) { return shared, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	subject := clienttest.PNG(clienttest.Subject(32, 32))
	start := time.Now()
	ids := map[string]int64{}
	for i := range total {
		j, err := m.Add(Spec{Mode: client.ModeBackground, Seed: int64(i), Async: i%2 == 1,
			Server: Server{SyncURL: srv.URL, AsyncURL: srv.URL}, Inputs: map[client.Role]InputData{"subject": {Name: "s.png", Data: subject}}})
		if err != nil {
			t.Fatal(err)
		}
		ids[j.ID] = int64(i)
	}
	deadline := time.Now().Add(170 * time.Second)
	for time.Now().Before(deadline) && active(m) > 0 {
		time.Sleep(100 * time.Millisecond)
	}
	took := time.Since(start)

	reasons := map[string]int{}
	var done, failed, lost int
	for _, j := range m.Jobs() {
		switch {
		case j.Status == Done:
			done++
		case j.Status == Failed && j.Error != "":
			failed++
			reasons[firstWords(j.Error)]++
		default:
			lost++
			t.Errorf("job %d ended %s with %q", ids[j.ID], j.Status, j.Error)
		}
	}
	lost += total - len(m.Jobs())
	twice := 0
	proxy.mu.Lock()
	for seed, answers := range proxy.received {
		taken := 0
		for _, a := range answers {
			if a != "429" && a != "503" { // those tell the client it was not taken
				taken++
			}
		}
		if taken > 1 {
			twice++
			t.Errorf("job %d was received and taken %d times: %v", seed, taken, answers)
		}
	}
	faults := fmt.Sprint(proxy.faults)
	proxy.mu.Unlock()
	var lines []string
	for r, n := range reasons {
		lines = append(lines, fmt.Sprintf("  %4d  %s", n, r))
	}
	sort.Strings(lines)
	report := fmt.Sprintf("soak: %d jobs in %s: %d finished, %d failed with a reason, %d lost, %d submitted twice\n"+
		"faults injected: %s\nfailure reasons:\n%s\n", total, took.Round(time.Second), done, failed, lost, twice, faults, strings.Join(lines, "\n"))
	fmt.Print(report)
	if lost != 0 || twice != 0 {
		t.Fail()
	}
}

func active(m *Manager) int {
	n := 0
	for _, j := range m.Jobs() {
		if j.Status.Active() {
			n++
		}
	}
	return n
}

// firstWords groups failure messages by their first sentence.
func firstWords(s string) string {
	if i := strings.IndexAny(s, ".("); i > 0 {
		return s[:i]
	}
	return s
}
