package client

import (
	"context"
	"image"
	"io"
	"math/rand/v2"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// BenchmarkThroughput14 sends jobs, 14 at a time, to a loopback server that
// takes 50 ms per job, with the client and with a bare http.Client and a
// channel semaphore (what the machine itself allows), in turns of one
// round each so that a busy moment of the machine falls on both, and
// reports the client's throughput as a fraction of net/http's (goal:
// ≥ 0.99).
func BenchmarkThroughput14(b *testing.B) {
	const latency = 50 * time.Millisecond
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(latency)
		_, _ = w.Write(imageJSON(photoPNG))
	})
	c, srv := newTestClient(b, handler, func(cfg *Config) { cfg.MaxConcurrent = 14 })
	req := inpaintRequest()
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 14
	raw := &http.Client{Transport: t}
	slots := make(chan struct{}, 14)
	body, err := newRequestBody(requestFields(req))
	if err != nil {
		b.Fatal(err)
	}
	viaClient := func() error {
		_, err := c.Generate(context.Background(), req, nil)
		return err
	}
	viaNetHTTP := func() error {
		slots <- struct{}{}
		defer func() { <-slots }()
		resp, err := raw.Post(srv.URL+basePath+"/", "application/json", body.reader())
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		_, err = io.ReadAll(resp.Body)
		return err
	}
	var clientTime, rawTime time.Duration
	for b.Loop() {
		for range 3 {
			rawTime += wave(b, viaNetHTTP)
			clientTime += wave(b, viaClient)
		}
	}
	ideal := 3 * time.Duration(b.N*jobsPerWave/14) * latency
	b.ReportMetric(float64(ideal)/float64(clientTime), "client-of-ideal")
	b.ReportMetric(float64(ideal)/float64(rawTime), "net/http-of-ideal")
	clienttest.Goal(b, "client-vs-net-http-14", float64(rawTime)/float64(clientTime), "of-net/http", ">=", 0.99)
}

// jobsPerWave is how many jobs a wave sends, 14 at a time.
const jobsPerWave = 14 * 20

// wave sends jobsPerWave jobs at once and returns how long they took.
func wave(b *testing.B, send func() error) time.Duration {
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int32
	for range jobsPerWave {
		wg.Go(func() {
			if send() != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if failed.Load() > 0 {
		b.Fatalf("%d jobs failed", failed.Load())
	}
	return time.Since(start)
}

// BenchmarkSendHeap24MP sends a 24-megapixel PNG and reports the peak heap
// during the send as a multiple of the PNG's size (goal: ≤ 1.5×, the image
// itself included).
func BenchmarkSendHeap24MP(b *testing.B) {
	img := image.NewNRGBA(image.Rect(0, 0, 6000, 4000))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range img.Pix {
		img.Pix[i] = uint8(i/4000) + uint8(rng.IntN(24)) // a gradient with sensor-like noise
		if i%4 == 3 {
			img.Pix[i] = 255
		}
	}
	photo, err := imagefile.PNGBytes(img)
	if err != nil {
		b.Fatal(err)
	}
	mask, _ := imagefile.PNGBytes(image.NewGray(img.Rect))
	img = nil
	req := &Request{Mode: ModeInpaint, Subject: subjectPNG, Mask: mask, Background: photo}
	c, _ := newTestClient(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		_, _ = w.Write(imageJSON(photoPNG))
	}))
	var peak uint64
	for b.Loop() {
		runtime.GC()
		stop := clienttest.WatchHeap(&peak)
		if _, err := c.Generate(context.Background(), req, nil); err != nil {
			b.Fatal(err)
		}
		stop()
	}
	b.ReportMetric(float64(len(photo))/(1<<20), "MB-png")
	clienttest.Goal(b, "send-heap-24mp", float64(peak)/float64(len(photo)), "peak-heap/png", "<=", 1.5)
}
