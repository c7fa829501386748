package engine

import (
	"context"
	"image"
	"math"
	"testing"
	"time"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
)

// BenchmarkFill12MP removes an object covering 15 % of a 12 MP photo
// (4240×2832) with the exemplar fill and reports the peak heap (goal ≤ 1 GiB)
// beside the time per fill (goal ≤ 10 s on 2 cores), and the fill's PSNR and
// SSIM against the truth next to the diffusion membrane's; it fails when a
// goal is missed.
func BenchmarkFill12MP(b *testing.B) {
	const w, h = 4240, 2832
	truth := brickScene(w, h)
	radius := int(math.Sqrt(0.15 * w * h / math.Pi))
	input, mask := withObject(truth, image.Pt(w/2, h*3/5), radius)

	var out *image.NRGBA
	var peak uint64
	b.ResetTimer()
	for b.Loop() {
		out = imaging.Clone(input)
		stop := clienttest.WatchHeap(&peak)
		if err := fill(quietTracker(), out, mask, 1, 0, 1); err != nil {
			b.Fatal(err)
		}
		stop()
	}
	b.StopTimer()
	b.ReportMetric(100*float64(maskArea(mask, mask.Rect))/float64(w*h), "%-masked")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")

	diffused := imaging.Clone(input)
	if err := fillHoles(quietTracker(), diffused, mask, 0, 1); err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(psnr(out, truth, mask), "PSNR-dB")
	b.ReportMetric(psnr(diffused, truth, mask), "PSNR-diffusion-dB")
	b.ReportMetric(ssim(out, truth, mask), "SSIM")
	b.ReportMetric(ssim(diffused, truth, mask), "SSIM-diffusion")
	check12MPGoals(b, peak)
}

// check12MPGoals fails b when a 12 MP fill took over 10 s on the mean or
// its peak heap went over 1 GiB (issue #27's goals, checked by make
// quality).
func check12MPGoals(b *testing.B, peak uint64) {
	b.Helper()
	if perFill := b.Elapsed() / time.Duration(b.N); perFill > 10*time.Second {
		b.Errorf("%v per fill, over the goal of 10 s", perFill)
	}
	if peak > 1<<30 {
		b.Errorf("peak heap %d MB, over the goal of 1 GiB", peak>>20)
	}
}

// BenchmarkGenerateInpaint12MP is the whole local inpaint of the same 12 MP
// photo as BenchmarkFill12MP, as the server runs it: decoding the PNGs, the
// fill, placing a subject, and encoding the PNG answer.
func BenchmarkGenerateInpaint12MP(b *testing.B) {
	const w, h = 4240, 2832
	radius := int(math.Sqrt(0.15 * w * h / math.Pi))
	input, mask := withObject(brickScene(w, h), image.Pt(w/2, h*3/5), radius)
	req := &client.Request{Mode: client.ModeInpaint, Seed: 1,
		Background: clienttest.PNG(input), Mask: clienttest.PNG(mask), Subject: clienttest.PNG(clienttest.Subject(600, 800))}
	var peak uint64
	for b.Loop() {
		stop := clienttest.WatchHeap(&peak)
		if _, err := Generate(context.Background(), req, 0, nil); err != nil {
			b.Fatal(err)
		}
		stop()
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
}

// BenchmarkFill12MPPhoto is BenchmarkFill12MP on a photograph: one of the
// benchmark's pictures scaled up to 12 MP (4240×2832) with a disc covering
// 15 % removed; the goals are the same (≤ 10 s, peak heap ≤ 1 GiB).
func BenchmarkFill12MPPhoto(b *testing.B) {
	const w, h = 4240, 2832
	truth := imaging.Resize(loadPhoto(b, "picos", 0), w, h, imaging.Lanczos)
	radius := int(math.Sqrt(0.15 * w * h / math.Pi))
	input, mask := withObject(truth, image.Pt(w/2, h/2), radius)
	var out *image.NRGBA
	var peak uint64
	for b.Loop() {
		out = imaging.Clone(input)
		stop := clienttest.WatchHeap(&peak)
		if err := fill(quietTracker(), out, mask, 1, 0, 1); err != nil {
			b.Fatal(err)
		}
		stop()
	}
	b.ReportMetric(100*float64(maskArea(mask, mask.Rect))/float64(w*h), "%-masked")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(psnr(out, truth, mask), "PSNR-dB")
	check12MPGoals(b, peak)
}

// BenchmarkFillPhotos768 fills the ten benchmark photographs at 768 px
// with their blob masks (as TestPhotoBenchmark, without OpenCV): the time
// per photo.
func BenchmarkFillPhotos768(b *testing.B) {
	type job struct {
		input *image.NRGBA
		mask  *image.Gray
	}
	var jobs []job
	for i, name := range photoNames {
		truth := loadPhoto(b, name, 768)
		mask := blobMask(truth.Rect.Dx(), truth.Rect.Dy(), uint64(i+1))
		jobs = append(jobs, job{punched(truth, mask), mask})
	}
	for b.Loop() {
		for _, j := range jobs {
			if err := fill(quietTracker(), imaging.Clone(j.input), j.mask, 1, 0, 1); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N*len(jobs)), "ms/photo")
}
