package app

import (
	"encoding/base64"
	"image"
	"math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
	"github.com/zeninpaint/studio/engine"
)

// BenchmarkSmartContext24MP sends an inpaint of a 6000×4000 photo with a
// mask covering 5 % of it, framed around the mask (Economy) and as the
// whole image (Economy and Full), through the local engine, and reports the
// bytes uploaded and the wall time of the round trip with paste-back, and
// the ratios (goal: ≥ 10× fewer bytes around the mask).
func BenchmarkSmartContext24MP(b *testing.B) {
	photo := clienttest.Photo(6000, 4000)
	rng := rand.New(rand.NewPCG(7, 8))
	for i := range photo.Pix { // sensor-like noise, so the JPEG is photo-sized
		if i%4 != 3 {
			photo.Pix[i] = uint8(min(max(int(photo.Pix[i])+rng.IntN(17)-8, 0), 255))
		}
	}
	bg, err := document.LoadBytes("photo.jpg", must(imagefile.JPEGBytes(photo, 90)))
	if err != nil {
		b.Fatal(err)
	}
	bgPixels, err := bg.TakePixels()
	if err != nil {
		b.Fatal(err)
	}
	box := image.Rect(2400, 1600, 3740, 2500) // 1340×900 ≈ 5 % of 24 MP
	eng := httptest.NewServer(engine.NewServer(engine.Options{}))
	defer eng.Close()
	store, _ := jobs.OpenStore(filepath.Join(b.TempDir(), "data"))
	m, err := jobs.NewManager(jobs.Options{Store: store, OutputDir: func() string { return b.TempDir() },
		Clients: func(jobs.Server) (*client.Client, error) {
			return client.New(client.Config{SyncURL: eng.URL, AsyncURL: eng.URL})
		}})
	if err != nil {
		b.Fatal(err)
	}
	defer m.Close()
	cases := []struct {
		name string
		s    framing.Settings
	}{
		{"around-mask", framing.DefaultSettings},
		{"whole-economy", framing.Settings{Context: framing.WholeImage, Resolution: framing.Economy}},
		{"whole-full", framing.Settings{Context: framing.WholeImage, Resolution: framing.Full}},
	}
	bytes := map[string]float64{}
	took := map[string]time.Duration{}
	for b.Loop() {
		for _, c := range cases {
			g := planned(b, genRequest{base: jobs.Spec{Mode: client.ModeInpaint, Server: jobs.Server{Local: true}},
				mains: []*loadedImage{bg}, mainImg: bgPixels,
				subject: must(document.LoadBytes("vase.png", clienttest.PNG(clienttest.Subject(800, 800)))),
				mask:    clienttest.Mask(6000, 4000, box)}, c.s, 1)
			start := time.Now()
			specs, err := buildSpecs(g)
			if err != nil {
				b.Fatal(err)
			}
			var up int
			for _, in := range specs[0].Inputs {
				up += base64.StdEncoding.EncodedLen(len(in.Data))
			}
			job, err := m.Add(specs[0])
			if err != nil {
				b.Fatal(err)
			}
			for j, _ := m.Job(job.ID); j.Status.Active(); j, _ = m.Job(job.ID) {
				time.Sleep(5 * time.Millisecond)
			}
			if j, _ := m.Job(job.ID); j.Status != jobs.Done {
				b.Fatalf("%s: the job ended %s: %s", c.name, j.Status, j.Error)
			}
			bytes[c.name] = float64(up)
			took[c.name] += time.Since(start)
		}
	}
	n := time.Duration(b.N)
	for _, c := range cases {
		b.ReportMetric(bytes[c.name]/1e6, "MB-up-"+c.name)
		b.ReportMetric((took[c.name] / n).Seconds(), "s-"+c.name)
	}
	clienttest.Goal(b, "smart-context-bytes", bytes["whole-full"]/bytes["around-mask"], "bytes-whole-full/around", ">=", 10)
	b.ReportMetric(bytes["whole-economy"]/bytes["around-mask"], "bytes-whole-economy/around")
	b.ReportMetric(float64(took["whole-full"])/float64(took["around-mask"]), "time-whole-full/around")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
