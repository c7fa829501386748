package app

import (
	"image"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
	"github.com/zeninpaint/studio/engine"
)

func loaded(t testing.TB, name string, data []byte) *loadedImage {
	t.Helper()
	l, err := document.LoadBytes(name, data)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// inpaintRequest is an inpaint generation of a w×h photo with a mask box.
func inpaintRequest(t testing.TB, w, h int, box image.Rectangle, fs framing.Settings) genRequest {
	t.Helper()
	bg := loaded(t, "photo.jpg", clienttest.JPEG(clienttest.Photo(w, h)))
	return planned(t, genRequest{
		base:    jobs.Spec{Mode: client.ModeInpaint, Prompt: "a vase", Server: jobs.Server{Local: true}},
		mains:   []*loadedImage{bg},
		subject: loaded(t, "vase.png", clienttest.PNG(clienttest.Subject(300, 300))),
		mask:    clienttest.Mask(w, h, box),
	}, fs, 1)
}

// planned gives g the plan of its inputs, as the Studio makes it.
func planned(t testing.TB, g genRequest, fs framing.Settings, variations int) genRequest {
	t.Helper()
	in := framing.PlanInputs{Mode: g.base.Mode, MainRole: g.field, Variations: variations}
	for _, l := range g.mains {
		in.Mains = append(in.Mains, planInfo(l))
	}
	if g.base.Mode == client.ModeInpaint {
		if g.subject != nil {
			info := planInfo(g.subject)
			in.Subject = &info
		}
		in.MaskSize, in.MaskBox = g.mask.Rect.Size(), imagefile.Bounds(g.mask, 1)
	}
	p, err := framing.MakePlan(in, fs)
	if err != nil {
		t.Fatal(err)
	}
	g.plan = p
	return g
}

func TestSpecHoldsTheCropAroundTheMask(t *testing.T) {
	box := image.Rect(2000, 1500, 2400, 1800) // 400×300 in 6000×4000
	specs, err := buildSpecs(inpaintRequest(t, 6000, 4000, box, framing.DefaultSettings))
	if err != nil {
		t.Fatal(err)
	}
	sp := specs[0]
	want := image.Rect(1872, 1370, 2528, 1930) // 128 px around, in steps of 8
	if got := sp.Framing.Box; image.Rect(got[0], got[1], got[2], got[3]) != want {
		t.Errorf("framing box %v, want %v", got, want)
	}
	for field, size := range map[client.Role]image.Point{"background": want.Size(), "mask": want.Size(), "subject": {300, 300}} {
		info, err := imagefile.Inspect(sp.Inputs[field].Data, 0)
		if err != nil || info.Width != size.X || info.Height != size.Y {
			t.Errorf("%s sent as %dx%d (%v), want %v", field, info.Width, info.Height, err, size)
		}
	}
	if credits, _ := sp.Request().EstimateCredits(0); credits != 0.04 {
		t.Errorf("credits %v, want 0.04", credits)
	}
	if _, err := framing.MakePlan(framing.PlanInputs{Mode: client.ModeInpaint, Mains: []framing.ImageInfo{{Size: image.Pt(600, 400)}},
		MaskSize: image.Pt(600, 400)}, framing.DefaultSettings); err == nil {
		t.Error("an empty mask was accepted")
	}
}

// TestFramedRoundTripEveryMode sends framed jobs of a 3000×2000 image
// (large enough for Economy to scale) through the real engine, sync and
// async, and checks the composites at full resolution.
func TestFramedRoundTripEveryMode(t *testing.T) {
	eng := httptest.NewServer(engine.NewServer(engine.Options{}))
	defer eng.Close()
	store, err := jobs.OpenStore(filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	// A server that redraws every pixel it is sent, as a diffusion model
	// does: only the paste keeps the pixels outside the mask.
	redraw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			return
		}
		_, _ = io.Copy(io.Discard, r.Body)
		solid := image.NewNRGBA(image.Rect(0, 0, 64, 48))
		for i := range solid.Pix {
			solid.Pix[i] = []uint8{0, 255, 0, 255}[i%4]
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(client.ImageResponse(clienttest.PNG(solid)))
	}))
	defer redraw.Close()
	m, err := jobs.NewManager(jobs.Options{Store: store, OutputDir: func() string { return t.TempDir() },
		Clients: func(s jobs.Server) (*client.Client, error) {
			if s.SyncURL == "" {
				return client.New(client.Config{SyncURL: eng.URL, AsyncURL: eng.URL})
			}
			return client.New(client.Config{SyncURL: s.SyncURL, AsyncURL: s.AsyncURL})
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()

	// Every mode, sync and async, at 640×480; then Economy's scaling at
	// 2100×1400 (over 2048 px) once, for a scene. (Small sizes keep the
	// race detector's run short; framing's own tests cover 6000×4000.)
	for _, size := range []image.Point{{640, 480}, {2100, 1400}} {
		economy := size.X > framing.EconomySide
		for _, async := range []bool{false, true} {
			if economy && async {
				continue
			}
			for name, g := range framedCases(t, size, economy) {
				g.base.Async = async
				checkFramedRoundTrip(t, m, name, g, size)
			}
		}
	}
	g := inpaintRequest(t, 640, 480, image.Rect(200, 150, 400, 300), framing.DefaultSettings)
	g.mains = []*loadedImage{loaded(t, "photo.png", clienttest.PNG(clienttest.Photo(640, 480)))}
	g = planned(t, g, framing.DefaultSettings, 1)
	g.base.Server = jobs.Server{SyncURL: redraw.URL, AsyncURL: redraw.URL}
	checkFramedRoundTrip(t, m, "inpaint redrawn everywhere", g, image.Pt(640, 480))
}

// framedCases builds one request per mode for a w×h image.
func framedCases(t *testing.T, size image.Point, economy bool) map[string]genRequest {
	w, h := size.X, size.Y
	whole := framing.Settings{Context: framing.WholeImage, Resolution: framing.Full}
	if economy {
		whole.Resolution = framing.Economy
	}
	cases := map[string]genRequest{
		"scene": planned(t, genRequest{base: jobs.Spec{Mode: client.ModeScene}, field: fieldDepth,
			mains: []*loadedImage{loaded(t, "depth.png", clienttest.PNG(clienttest.Depth(w, h)))}}, whole, 1),
	}
	if economy {
		return cases
	}
	cases["new background"] = planned(t, genRequest{base: jobs.Spec{Mode: client.ModeBackground}, field: "subject",
		mains: []*loadedImage{loaded(t, "cutout.png", clienttest.PNG(clienttest.Subject(w, h)))}}, whole, 1)
	g := inpaintRequest(t, w, h, image.Rect(w/3, h/3, w/3+200, h/3+150), framing.DefaultSettings)
	g.mains = []*loadedImage{loaded(t, "photo.png", clienttest.PNG(clienttest.Photo(w, h)))}
	cases["inpaint"] = planned(t, g, framing.DefaultSettings, 1)
	return cases
}

// checkFramedRoundTrip sends one framed job and checks its composite.
func checkFramedRoundTrip(t *testing.T, m *jobs.Manager, name string, g genRequest, size image.Point) {
	t.Helper()
	w, h := size.X, size.Y
	specs, err := buildSpecs(g)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sentInfo, _ := imagefile.Inspect(specs[0].Inputs[map[client.Mode]client.Role{client.ModeInpaint: fieldBackground, client.ModeScene: fieldDepth, client.ModeBackground: fieldSubject}[g.base.Mode]].Data, 0)
	if sentInfo.LongestSide() > framing.EconomySide {
		t.Errorf("%s: economy sent %dx%d", name, sentInfo.Width, sentInfo.Height)
	}
	job, err := m.Add(specs[0])
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	j := waitDone(t, m, job.ID)
	if j.Status != jobs.Done {
		t.Fatalf("%s async=%v: %s %q", name, g.base.Async, j.Status, j.Error)
	}
	data, _ := m.Result(j)
	img, info, err := imagefile.Decode(data, 0)
	if err != nil || info.Width != w || info.Height != h {
		t.Fatalf("%s: final image %dx%d (%v), want %dx%d", name, info.Width, info.Height, err, w, h)
	}
	out := imagefile.ToNRGBA(img)
	switch g.base.Mode {
	case client.ModeInpaint:
		original := imagefile.ToNRGBA(decodeOrFail(t, g.mains[0].Data))
		// Every pixel outside the mask stays exactly as it was (the
		// feather softens the seam inside the mask only).
		changed := 0
		for y := 0; y < h; y++ {
			for x := 0; x < w; x++ {
				if g.mask.GrayAt(x, y).Y == 0 && out.NRGBAAt(x, y) != original.NRGBAAt(x, y) {
					t.Fatalf("%s: (%d,%d) outside the mask changed", name, x, y)
				}
				if out.NRGBAAt(x, y) != original.NRGBAAt(x, y) {
					changed++
				}
			}
		}
		if changed == 0 {
			t.Fatalf("%s: nothing was pasted", name)
		}
	case client.ModeBackground:
		subject := imagefile.ToNRGBA(decodeOrFail(t, g.mains[0].Data))
		for i := 3; i < len(subject.Pix); i += 4 {
			if subject.Pix[i] == 255 && string(out.Pix[i-3:i]) != string(subject.Pix[i-3:i]) {
				t.Fatalf("%s: opaque subject pixel %d changed", name, i/4)
			}
		}
	}
	if raw, _ := m.RawResult(j); len(raw) == 0 {
		t.Errorf("%s: the raw result was not kept", name)
	}
}

func decodeOrFail(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, _, err := imagefile.Decode(data, 0)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

func waitDone(t *testing.T, m *jobs.Manager, id string) jobs.Job {
	t.Helper()
	var j jobs.Job
	clienttest.Until(t, "job "+id+" to finish", nil, func() bool {
		j, _ = m.Job(id)
		return !j.Status.Active()
	})
	return j
}
