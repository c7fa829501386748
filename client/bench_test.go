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
// takes 50 ms per job, and reports the throughput as a fraction of the ideal
// 14 jobs per 50 ms (goal: ≥ 0.95). The "net/http" case does the same with a
// bare http.Client and a channel semaphore: what the machine itself allows.
func BenchmarkThroughput14(b *testing.B) {
	const latency = 50 * time.Millisecond
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		time.Sleep(latency)
		_, _ = w.Write(imageJSON(photoPNG))
	})
	c, srv := newTestClient(b, handler, func(cfg *Config) { cfg.MaxConcurrent = 14 })
	req := inpaintRequest()
	var ofIdeal float64
	ran := b.Run("client", func(b *testing.B) {
		ofIdeal = runWaves(b, latency, func() error {
			_, err := c.Generate(context.Background(), req, nil)
			return err
		})
	})
	if ran && ofIdeal > 0 { // not when -bench left it out
		clienttest.Goal(b, "client-throughput-14", ofIdeal, "of-ideal", ">=", 0.95)
	}
	b.Run("net/http", func(b *testing.B) {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 14
		raw := &http.Client{Transport: t}
		slots := make(chan struct{}, 14)
		body, _ := newRequestBody(requestFields(req))
		runWaves(b, latency, func() error {
			slots <- struct{}{}
			defer func() { <-slots }()
			resp, err := raw.Post(srv.URL+basePath+"/", "application/json", body.reader())
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			_, err = io.ReadAll(resp.Body)
			return err
		})
	})
}

// runWaves runs 20×14 jobs per iteration and reports and returns the
// fraction of the ideal throughput reached.
func runWaves(b *testing.B, latency time.Duration, send func() error) float64 {
	const jobs = 14 * 20
	start := time.Now()
	for b.Loop() {
		var wg sync.WaitGroup
		var failed atomic.Int32
		for range jobs {
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
	}
	ideal := time.Duration(b.N*jobs/14) * latency
	ratio := float64(ideal) / float64(time.Since(start))
	b.ReportMetric(ratio, "of-ideal-throughput")
	return ratio
}

// BenchmarkSendHeap24MP sends a 24-megapixel PNG and reports the peak heap
// during the send as a multiple of the PNG's size (goal: ≤ 3×, the image
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
	clienttest.Goal(b, "send-heap-24mp", float64(peak)/float64(len(photo)), "peak-heap/png", "<=", 3)
}
