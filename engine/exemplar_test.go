package engine

import (
	"bytes"
	"context"
	"errors"
	"image"
	"runtime"
	"testing"

	"github.com/disintegration/imaging"
)

// Removing an object from a textured scene: the exemplar fill continues the
// bricks and the horizon, and beats the diffusion membrane on PSNR and SSIM
// against the truth by a clear margin. Pixels outside the mask never change.
func TestExemplarFillBeatsDiffusion(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		w, h          int
		centre        image.Point
		radius        int
		minGainDB     float64 // PSNR gain over diffusion
		minSSIM       float64
		minGainOnSSIM float64
	}{
		{"on the wall", 200, 140, image.Pt(110, 100), 20, 3, 0.6, 0.3},
		{"across the horizon", 200, 140, image.Pt(80, 56), 18, 5, 0.8, 0.3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			truth := brickScene(tc.w, tc.h)
			input, mask := withObject(truth, tc.centre, tc.radius)

			diffused := imaging.Clone(input)
			if err := fillHoles(quietTracker(), diffused, mask, 0, 1); err != nil {
				t.Fatal(err)
			}
			synthesized := imaging.Clone(input)
			if err := fill(quietTracker(), synthesized, mask, 7, 0, 1); err != nil {
				t.Fatal(err)
			}
			for i, m := range mask.Pix {
				if m == 0 && !bytes.Equal(synthesized.Pix[4*i:4*i+4], input.Pix[4*i:4*i+4]) {
					t.Fatalf("pixel %d outside the mask changed", i)
				}
			}
			pd, pe := psnr(diffused, truth, mask), psnr(synthesized, truth, mask)
			sd, se := ssim(diffused, truth, mask), ssim(synthesized, truth, mask)
			t.Logf("PSNR diffusion %.1f dB, exemplar %.1f dB; SSIM diffusion %.3f, exemplar %.3f", pd, pe, sd, se)
			if pe < pd+tc.minGainDB {
				t.Errorf("exemplar PSNR %.1f dB, want ≥ diffusion's %.1f + %.0f dB", pe, pd, tc.minGainDB)
			}
			if se < tc.minSSIM || se < sd+tc.minGainOnSSIM {
				t.Errorf("exemplar SSIM %.3f, want ≥ %.2f and ≥ diffusion's %.3f + %.2f", se, tc.minSSIM, sd, tc.minGainOnSSIM)
			}
		})
	}
}

// The same seed gives the same pixels, whatever the number of CPUs.
func TestExemplarFillIsDeterministic(t *testing.T) {
	truth := brickScene(160, 120)
	input, mask := withObject(truth, image.Pt(80, 80), 16)
	run := func(procs int) []byte {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		img := imaging.Clone(input)
		if err := fill(quietTracker(), img, mask, 1, 0, 1); err != nil {
			t.Fatal(err)
		}
		return img.Pix
	}
	if a, b := run(1), run(4); !bytes.Equal(a, b) {
		t.Error("the same seed gave different pixels on 1 and 4 CPUs")
	}
}

// A speck falls back to diffusion; a mask covering everything has nothing
// to copy from and falls back too; holes at the picture's edges are filled;
// a cancelled fill stops with ctx's error.
func TestFillEdgeCases(t *testing.T) {
	t.Parallel()
	img := brickScene(64, 48)
	speck := image.NewGray(img.Rect)
	speck.Pix[20*64+30] = 255
	if err := fill(quietTracker(), imaging.Clone(img), speck, 1, 0, 1); err != nil {
		t.Errorf("speck: %v", err)
	}
	all := image.NewGray(img.Rect)
	for i := range all.Pix {
		all.Pix[i] = 255
	}
	whole := imaging.Clone(img)
	if err := fill(quietTracker(), whole, all, 1, 0, 1); err != nil {
		t.Errorf("all masked: %v", err)
	}
	// Holes that touch the picture's edges: patches are clipped there.
	for _, r := range []image.Rectangle{image.Rect(0, 0, 30, 25), image.Rect(10, 38, 64, 48), image.Rect(50, 0, 64, 48)} {
		edge := image.NewGray(img.Rect)
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				edge.Pix[y*64+x] = 255
			}
		}
		out := imaging.Clone(img)
		if err := fill(quietTracker(), out, edge, 1, 0, 1); err != nil {
			t.Errorf("hole %v at the edge: %v", r, err)
		}
		for i, m := range edge.Pix {
			if m == 0 && !bytes.Equal(out.Pix[4*i:4*i+4], img.Pix[4*i:4*i+4]) {
				t.Fatalf("hole %v: pixel %d outside it changed", r, i)
			}
		}
	}
	_, mask := withObject(brickScene(160, 120), image.Pt(80, 60), 20)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := fill(&tracker{ctx: ctx, report: func(float64) {}}, brickScene(160, 120), mask, 1, 0, 1)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled fill returned %v, want context.Canceled", err)
	}
}

// Progress climbs steadily through the given range; a fill cancelled half
// way stops with ctx's error and leaves the picture as it was.
func TestFillReportsProgressAndStops(t *testing.T) {
	t.Parallel()
	input, mask := withObject(brickScene(200, 140), image.Pt(100, 90), 24)
	var seen []float64
	img := imaging.Clone(input)
	p := &tracker{ctx: context.Background(), report: func(f float64) { seen = append(seen, f) }}
	if err := fill(p, img, mask, 1, 0.1, 0.9); err != nil {
		t.Fatal(err)
	}
	if len(seen) < 4 {
		t.Fatalf("only %d progress reports: %v", len(seen), seen)
	}
	for i, f := range seen {
		if f < 0.1 || f > 0.9+1e-9 || i > 0 && f < seen[i-1] {
			t.Fatalf("progress %v is not a climb within 0.1..0.9", seen)
		}
	}
	if last := seen[len(seen)-1]; last < 0.89 {
		t.Errorf("progress ends at %.2f, want 0.9", last)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	img = imaging.Clone(input)
	p = &tracker{ctx: ctx, report: func(f float64) {
		if f > 0.5 {
			cancel()
		}
	}}
	if err := fill(p, img, mask, 1, 0, 1); !errors.Is(err, context.Canceled) {
		t.Fatalf("fill cancelled half way returned %v", err)
	}
	if !bytes.Equal(img.Pix, input.Pix) {
		t.Error("a cancelled fill changed the picture")
	}
}

// A region over the pixel budget is filled at a reduced scale: still better
// than diffusion, and still nothing outside the mask changes.
func TestExemplarFieldScalesDownLargeRegions(t *testing.T) {
	t.Parallel()
	truth := brickScene(200, 140)
	input, mask := withObject(truth, image.Pt(110, 100), 20)
	img := imaging.Clone(input)
	region := maskBounds(mask, 1).Inset(-24).Intersect(img.Rect)
	ex, err := exemplarField(quietTracker(), img, mask, region, region, 3, 0, 1, 3000)
	if err != nil || ex == nil {
		t.Fatalf("exemplarField = %v, %v", ex, err)
	}
	blendFill(img, mask, region, func(x, y int) [3]float32 {
		i := y*region.Dx() + x
		return [3]float32{ex.c[0][i], ex.c[1][i], ex.c[2][i]}
	})
	diffused := imaging.Clone(input)
	if err := fillHoles(quietTracker(), diffused, mask, 0, 1); err != nil {
		t.Fatal(err)
	}
	se, sd := ssim(img, truth, mask), ssim(diffused, truth, mask)
	t.Logf("SSIM at a reduced scale %.3f, diffusion %.3f", se, sd)
	if se < sd+0.1 {
		t.Errorf("SSIM %.3f at a reduced scale, want ≥ diffusion's %.3f + 0.1", se, sd)
	}
}
