package engine

import (
	"bytes"
	"context"
	"errors"
	"image"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

var (
	bg      = clienttest.Photo(96, 64)
	maskBox = image.Rect(30, 20, 70, 50)
	subject = clienttest.Subject(40, 40)
)

func requests() map[string]*client.Request {
	return map[string]*client.Request{
		"inpaint": {Mode: client.ModeInpaint, Prompt: "a red ball", Seed: 1,
			Subject: clienttest.PNG(subject), Background: clienttest.PNG(bg), Mask: clienttest.PNG(clienttest.Mask(96, 64, maskBox))},
		"scene depth":    {Mode: client.ModeScene, Prompt: "sunset street", Seed: 2, DepthMap: clienttest.PNG(clienttest.Depth(80, 60))},
		"scene preview":  {Mode: client.ModeScene, Seed: 3, Preview: clienttest.JPEG(clienttest.Photo(80, 60))},
		"new background": {Mode: client.ModeBackground, Prompt: "studio", Seed: 4, Subject: clienttest.PNG(subject)},
	}
}

// startEngine runs the real engine on a loopback port and returns a client
// for it, with a short poll interval.
func startEngine(t *testing.T, opts Options, key string) *client.Client {
	t.Helper()
	base, err := Start(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("engine listens on %s, want loopback", base)
	}
	c, err := client.New(client.Config{SyncURL: base, AsyncURL: base, APIKey: key, Email: "me@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestEveryModeSyncAndAsync(t *testing.T) {
	t.Parallel()
	c := startEngine(t, Options{}, "")
	if err := c.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	for name, req := range requests() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			inputs, err := req.Validate(0)
			if err != nil {
				t.Fatal(err)
			}
			want := client.OutputSize(inputs)
			sync, err := c.Generate(t.Context(), req, nil)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			ticket, err := c.Submit(t.Context(), req, nil)
			if err != nil {
				t.Fatalf("Submit: %v", err)
			}
			var fractions []float64
			async, err := c.Wait(t.Context(), ticket, func(p client.Progress) { fractions = append(fractions, p.Fraction) })
			if err != nil {
				t.Fatalf("Wait: %v", err)
			}
			if !bytes.Equal(sync.Image, async.Image) {
				t.Error("sync and async results differ for the same request")
			}
			if got := image.Pt(sync.Info.Width, sync.Info.Height); got != want || sync.Info.Format != "png" {
				t.Errorf("result %v %s, want %v png", got, sync.Info.Format, want)
			}
			checkResult(t, req, sync.Image)
		})
	}
}

// checkResult checks what each mode promises about its pixels.
func checkResult(t *testing.T, req *client.Request, png []byte) {
	t.Helper()
	img, _, err := imagefile.Decode(png, 0)
	if err != nil {
		t.Fatal(err)
	}
	out := imagefile.ToNRGBA(img)
	switch req.Mode {
	case client.ModeInpaint:
		changed := 0
		for y := 0; y < 64; y++ {
			for x := 0; x < 96; x++ {
				same := out.NRGBAAt(x, y) == bg.NRGBAAt(x, y)
				inside := image.Pt(x, y).In(maskBox)
				if !inside && !same {
					t.Fatalf("pixel (%d,%d) outside the mask changed", x, y)
				}
				if inside && !same {
					changed++
				}
			}
		}
		if changed < maskBox.Dx()*maskBox.Dy()/2 {
			t.Errorf("only %d pixels changed inside the mask", changed)
		}
		if c := out.NRGBAAt(50, 42); c.R < 150 || c.G > 90 {
			t.Errorf("no red subject in the middle of the mask: %v", c)
		}
	case client.ModeBackground:
		for y := 0; y < 40; y++ {
			for x := 0; x < 40; x++ {
				s := subject.NRGBAAt(x, y)
				o := out.NRGBAAt(x, y)
				if s.A == 255 && (s.R != o.R || s.G != o.G || s.B != o.B) {
					t.Fatalf("opaque subject pixel (%d,%d) changed: %v -> %v", x, y, s, o)
				}
				if o.A != 255 {
					t.Fatalf("the result is not opaque at (%d,%d)", x, y)
				}
			}
		}
		if c := out.NRGBAAt(1, 1); c.A != 255 || (c.R < 20 && c.G < 20 && c.B < 20) {
			t.Errorf("no backdrop around the subject: %v", c)
		}
	case client.ModeScene:
		if out.NRGBAAt(40, 45) == out.NRGBAAt(5, 5) {
			t.Error("the scene is flat: near and far look the same")
		}
	}
}

func TestSameSeedSameBytes(t *testing.T) {
	t.Parallel()
	for name, req := range requests() {
		a, err := Generate(context.Background(), req, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := Generate(context.Background(), req, 0, nil)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: same request, different bytes", name)
		}
		if req.Mode == client.ModeBackground || req.Mode == client.ModeScene {
			other := *req
			other.Seed++
			c, _ := Generate(context.Background(), &other, 0, nil)
			if bytes.Equal(a, c) {
				t.Errorf("%s: another seed gave the same bytes", name)
			}
		}
	}
}

func TestCredentialsAreChecked(t *testing.T) {
	t.Parallel()
	opts := Options{APIKey: "right-key", Email: "me@example.com"}
	req := requests()["new background"]
	if _, err := startEngine(t, opts, "wrong-key").Generate(t.Context(), req, nil); !errors.Is(err, client.ErrUnauthorized) {
		t.Errorf("wrong key: %v, want ErrUnauthorized", err)
	}
	if err := startEngine(t, opts, "").Ping(t.Context()); err != nil {
		t.Errorf("ping needs no key but failed: %v", err)
	}
	if _, err := startEngine(t, opts, "right-key").Generate(t.Context(), req, nil); err != nil {
		t.Errorf("right key: %v", err)
	}
}

func TestOversizedBodyIs413(t *testing.T) {
	t.Parallel()
	c := startEngine(t, Options{MaxBodyBytes: 1 << 10}, "")
	_, err := c.Generate(t.Context(), requests()["inpaint"], nil)
	if !errors.Is(err, client.ErrTooLarge) {
		t.Fatalf("error = %v, want ErrTooLarge", err)
	}
}

func TestBadRequestsGetClearStatuses(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(NewServer(Options{}))
	defer srv.Close()
	cases := []struct {
		path, body string
		want       int
		text       string
	}{
		{"/", `not json`, 400, "not a JSON object"},
		{"/", `{"gen_mode":"upscale"}`, 422, "unknown mode"},
		{"/run", `{"gen_mode":"bg_generation"}`, 422, "needs a subject PNG"},
		{"/run", `{"gen_mode":"scene_generation","depth_map":"aGVsbG8="}`, 422, "not a supported image"},
		{"/predict", `{"ticket_id":"nope"}`, 404, "unknown or expired"},
		{"/predict", `{}`, 400, "no ticket_id"},
		{"/elsewhere", `{}`, 404, "no such endpoint"},
	}
	for _, tc := range cases {
		resp, err := http.Post(srv.URL+tc.path, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.want || !strings.Contains(buf.String(), tc.text) {
			t.Errorf("POST %s %s = %d %s; want %d with %q", tc.path, tc.body, resp.StatusCode, buf.String(), tc.want, tc.text)
		}
	}
	resp, err := http.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET / = %d, want 405", resp.StatusCode)
	}
}

// blockingServer's jobs report half progress, then wait for release.
func blockingServer(t *testing.T, opts Options) (*Server, *client.Client, chan struct{}) {
	t.Helper()
	s := NewServer(opts)
	release := make(chan struct{})
	s.gen = func(ctx context.Context, r *client.Request, p func(float64)) ([]byte, error) {
		p(0.5)
		select {
		case <-release:
			return clienttest.PNG(bg), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{SyncURL: srv.URL, AsyncURL: srv.URL, MaxWait: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return s, c, release
}

func TestProgressQueueLimitAndExpiry(t *testing.T) {
	t.Parallel()
	const ttl = 2 * time.Second // long enough to see a result even on a loaded machine
	_, c, release := blockingServer(t, Options{Workers: 1, MaxQueued: 2, ResultTTL: ttl})
	req := requests()["new background"]
	first, err := c.Submit(t.Context(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, err := c.Submit(t.Context(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Submit(t.Context(), req, nil); !errors.Is(err, client.ErrRateLimited) {
		t.Errorf("third job with MaxQueued 2: %v, want ErrRateLimited", err)
	}
	var st *client.PollStatus
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if st, err = c.Poll(t.Context(), first); err != nil || st.Status == client.StatusProcessing {
			break
		}
	}
	if err != nil || st.Status != client.StatusProcessing || st.Progress != 0.5 {
		t.Fatalf("first job: %+v, %v; want processing at 0.5", st, err)
	}
	if st, err := c.Poll(t.Context(), second); err != nil || st.Status != client.StatusQueued {
		t.Fatalf("second job (one worker): %+v, %v; want queued", st, err)
	}
	close(release)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if st, err = c.Poll(t.Context(), second); err != nil || st.State == client.StateDone {
			break
		}
	}
	if err != nil || st.State != client.StateDone {
		t.Fatalf("second job: %+v, %v; want done", st, err)
	}
	time.Sleep(ttl + 200*time.Millisecond) // past ResultTTL
	if _, err := c.Poll(t.Context(), first); !errors.Is(err, client.ErrNotFound) {
		t.Errorf("expired job: %v, want ErrNotFound", err)
	}
}

func TestCloseFailsRunningJobs(t *testing.T) {
	t.Parallel()
	s, c, _ := blockingServer(t, Options{})
	ticket, err := c.Submit(t.Context(), requests()["new background"], nil)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = c.Wait(t.Context(), ticket, nil)
	if !errors.Is(err, client.ErrJobFailed) {
		t.Fatalf("Wait after Close = %v, want ErrJobFailed", err)
	}
	if _, err := c.Submit(t.Context(), requests()["new background"], nil); !errors.Is(err, client.ErrServer) {
		t.Errorf("Submit after Close = %v, want ErrServer (503)", err)
	}
}

func TestTicketsAreUnguessable(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		tk, err := newTicket()
		if err != nil || len(tk) != 32 || seen[tk] {
			t.Fatalf("ticket %q, %v (seen before: %v)", tk, err, seen[tk])
		}
		seen[tk] = true
	}
}
