package app

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"sync"
	"testing"

	"fyne.io/fyne/v2/test"

	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// ledgerCharge is one request the billing server took, and what it got.
type ledgerCharge struct {
	path    string
	credits float64
	sizes   map[string]image.Point // by wire field
	key     string
}

// ledger is a loopback server that bills like the hosted service: each
// accepted generation (a sync answer or a /run ticket) costs 0.04 credits,
// or 0.05 when the largest side of any image it received is over 2048 px.
// It answers with a small real image, polls are free.
type ledger struct {
	mu      sync.Mutex
	charges []ledgerCharge
	tickets map[string]image.Point
	srv     *httptest.Server
}

func newLedger(t *testing.T) *ledger {
	t.Helper()
	l := &ledger{tickets: map[string]image.Point{}}
	result := clienttest.PNG(clienttest.Photo(32, 24))
	answer := func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = fmt.Fprintf(w, `{"status":"completed","image":%q}`, base64.StdEncoding.EncodeToString(result))
	}
	l.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch r.URL.Path {
		case "/ping":
			return
		case "/predict":
			answer(w)
			return
		case "/", "/run":
		default:
			http.NotFound(w, r)
			return
		}
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(body, &fields); err != nil {
			http.Error(w, `{"error":"bad json"}`, http.StatusBadRequest)
			return
		}
		c := ledgerCharge{path: r.URL.Path, sizes: map[string]image.Point{}, key: r.Header.Get("x-api-key")}
		longest := 0
		for _, role := range client.Roles {
			f := role.Wire()
			var s string
			if json.Unmarshal(fields[f], &s) != nil || s == "" {
				continue
			}
			data, err := base64.StdEncoding.DecodeString(s)
			info, err2 := imagefile.Inspect(data, 0)
			if err != nil || err2 != nil {
				http.Error(w, `{"error":"bad image"}`, http.StatusBadRequest)
				return
			}
			c.sizes[f] = image.Pt(info.Width, info.Height)
			longest = max(longest, info.Width, info.Height)
		}
		c.credits = 0.04
		if longest > 2048 {
			c.credits = 0.05
		}
		l.mu.Lock()
		l.charges = append(l.charges, c)
		n := len(l.charges)
		l.mu.Unlock()
		if r.URL.Path == "/run" {
			_, _ = fmt.Fprintf(w, `{"ticket_id":"t-%d","status":"queued"}`, n)
			return
		}
		answer(w)
	}))
	t.Cleanup(l.srv.Close)
	return l
}

func (l *ledger) all() []ledgerCharge {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ledgerCharge(nil), l.charges...)
}

// shownCredits reads the credits the estimate line shows.
func shownCredits(t *testing.T, text string) float64 {
	t.Helper()
	m := regexp.MustCompile(`· ([0-9.]+) credits`).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no credits in the estimate %q", text)
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	return v
}

// TestEstimateEqualsTheBill drives the real Studio against a billing
// server: every mode × context × resolution × inputs below and above
// 2048 px, before and after the inputs' previews are shown, with a batch of
// 3 (three backgrounds in Inpaint, three variations elsewhere). The credits
// the estimate shows equal what the server charged, to the cent, and every
// image arrives at the size the plan promised.
func TestEstimateEqualsTheBill(t *testing.T) {
	led := newLedger(t)
	ts := newTestStudio(t, led.srv.URL)
	const key = "sk-LEDGER-key-0042"
	ts.setCredentials(Credentials{APIKey: key, Email: "me@example.com"})

	type config struct {
		mode       client.Mode
		context    string
		resolution string
		size       image.Point
	}
	var configs []config
	// Just below and just above 2048 px (small pictures keep the race
	// detector's run short; the tier is decided by the longest side).
	for _, size := range []image.Point{{600, 400}, {2064, 1032}} {
		for _, res := range []string{resolutionEconomy, resolutionFull} {
			for _, ctx := range []string{contextAround, contextWhole} {
				configs = append(configs, config{client.ModeInpaint, ctx, res, size})
			}
			configs = append(configs, config{client.ModeScene, contextAround, res, size}, config{client.ModeBackground, contextAround, res, size})
		}
	}
	// One subject for Inpaint: larger than 2048 px, the size of the large
	// backgrounds (cropped with them) and unlike the small ones (sent whole,
	// which puts a small background's request in the upper tier in Full).
	bigSubject := ts.file("subject.png", clienttest.PNG(clienttest.Subject(2064, 1032)))
	promised := len(led.all())
	for i, c := range configs {
		name := fmt.Sprintf("%s %s %s %dx%d", c.mode, c.context, c.resolution, c.size.X, c.size.Y)
		ts.setMode(c.mode)
		ts.request.context.SetSelected(c.context)
		ts.request.resolution.SetSelected(c.resolution)
		if i%2 == 1 {
			ts.request.syncMode.SetSelected(syncQueue)
		} else {
			ts.request.syncMode.SetSelected(syncWait)
		}
		w, h := c.size.X, c.size.Y
		ts.request.variations.SetSelected("1")
		switch c.mode {
		case client.ModeInpaint:
			ts.load("canvas",
				ts.file(fmt.Sprintf("a%d.jpg", i), clienttest.JPEG(clienttest.Photo(w, h))),
				ts.file(fmt.Sprintf("b%d.jpg", i), clienttest.JPEG(clienttest.Photo(w, h))),
				ts.file(fmt.Sprintf("c%d.jpg", i), clienttest.JPEG(clienttest.Photo(w, h))))
			ts.load(fieldSubject, bigSubject)
			ts.paint()
		case client.ModeScene:
			ts.load("canvas", ts.file(fmt.Sprintf("d%d.png", i), clienttest.PNG(clienttest.Depth(w, h))))
			ts.request.variations.SetSelected("3")
		case client.ModeBackground:
			ts.load("canvas", ts.file(fmt.Sprintf("s%d.png", i), clienttest.PNG(clienttest.Subject(w, h))))
			ts.request.variations.SetSelected("3")
		}
		for _, when := range []string{"before previews", "after previews"} {
			if when == "after previews" {
				// Show every input as the window does: the mode's centre
				// preview, then back.
				for _, m := range client.Modes {
					ts.setMode(m)
				}
				ts.setMode(c.mode)
			}
			ts.pump()
			if ts.request.generate.Disabled() {
				t.Fatalf("%s: Generate is disabled: %s", name, ts.request.reason.Text)
			}
			plan, err := ts.plan()
			if err != nil {
				t.Fatal(err)
			}
			shown := shownCredits(t, ts.request.estimate.Text)
			before := len(led.all())
			test.Tap(ts.request.generate)
			charges := waitCharges(t, ts, led, before+plan.Requests())[before:]
			billed := 0.0
			for k, ch := range charges {
				billed += ch.credits
				if ch.key != key {
					t.Errorf("%s: request %d carried key %q", name, k, ch.key)
				}
			}
			if math.Abs(billed-shown) > 1e-9 {
				t.Errorf("%s %s: the estimate showed %.2f credits, the server billed %.2f", name, when, shown, billed)
			}
			checkSizes(t, name+" "+when, plan, charges)
			promised += plan.Requests()
		}
		ts.waitJobs(len(ts.queue.jobs))
		if got := len(led.all()); got != promised {
			t.Fatalf("%s: once every job ended the server had %d requests, the plans promised %d", name, got, promised)
		}
	}
}

// waitCharges pumps the UI until the ledger holds n charges.
func waitCharges(t *testing.T, ts *testStudio, led *ledger, n int) []ledgerCharge {
	t.Helper()
	ts.pumpUntil(fmt.Sprintf("%d charges (status %q)", n, ts.frame.status.Text), func() bool {
		return len(led.all()) >= n && !ts.request.pressing
	})
	// Every request of the press was sent before pressing ended: no more arrive.
	if all := led.all(); len(all) != n {
		t.Fatalf("the server got %d requests, the plan promised %d", len(all), n)
	}
	return led.all()
}

// checkSizes: each request's images arrived at the sizes the plan
// promised, job by job and variation by variation.
func checkSizes(t *testing.T, name string, plan framing.Plan, charges []ledgerCharge) {
	t.Helper()
	want := map[string]int{} // "field WxH" → count
	got := map[string]int{}
	for _, job := range plan.Jobs {
		for _, p := range job.Parts {
			want[fmt.Sprintf("%s %v", p.Role.Wire(), p.Frame.Sent)] += plan.Variations
		}
	}
	for _, c := range charges {
		for f, s := range c.sizes {
			got[fmt.Sprintf("%s %v", f, s)]++
		}
	}
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Errorf("%s: sizes sent %v, promised %v", name, got, want)
	}
}

// TestGenerateTwiceQueuesOnce: a double press (shortcut and button) queues
// one batch; the next press gets a new seed unless it is locked.
func TestGenerateTwiceQueuesOnce(t *testing.T) {
	led := newLedger(t)
	ts := newTestStudio(t, led.srv.URL)
	ts.setMode(client.ModeBackground)
	ts.load("canvas", ts.file("vase.png", clienttest.PNG(cutout)))
	seed := ts.request.seed.Text
	ts.Generate()
	ts.Generate() // a second Ctrl+Enter before the first batch is queued
	test.Tap(ts.request.generate)
	charges := waitCharges(t, ts, led, 1)
	if len(charges) != 1 {
		t.Fatalf("one press sent %d requests", len(charges))
	}
	if ts.request.seed.Text == seed {
		t.Errorf("the seed %s was kept for the next press", seed)
	}
	ts.request.seedLock.SetChecked(true)
	locked := ts.request.seed.Text
	ts.Generate()
	waitCharges(t, ts, led, 2)
	if ts.request.seed.Text != locked {
		t.Errorf("a locked seed changed from %s to %s", locked, ts.request.seed.Text)
	}
	ts.waitJobs(2)
	js := ts.conn.manager.Jobs()
	if strconv.FormatInt(js[0].Seed, 10) != seed || strconv.FormatInt(js[1].Seed, 10) != locked {
		t.Errorf("seeds sent %d, %d; want %s, %s", js[0].Seed, js[1].Seed, seed, locked)
	}
	if ts.frame.spentSession != 0.08 || !regexp.MustCompile(`0\.08 this session`).MatchString(ts.frame.meter.Text) {
		t.Errorf("session meter %v %q, want 0.08", ts.frame.spentSession, ts.frame.meter.Text)
	}
}
