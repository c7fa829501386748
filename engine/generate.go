package engine

import (
	"context"
	"fmt"
	"hash/fnv"
	"image"
	"math"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// Generate runs one request and returns the result as PNG bytes. It is
// deterministic for a given request (the seed and prompt pick every random
// choice), reports progress in 0..1 and stops early when ctx ends.
func Generate(ctx context.Context, req *client.Request, maxPixels int64, progress func(float64)) ([]byte, error) {
	if _, err := req.Validate(maxPixels); err != nil {
		return nil, err
	}
	return generate(ctx, req, maxPixels, progress)
}

// generate is Generate for a request already validated (the server checks
// each request as it arrives, so it does not decode the images twice).
func generate(ctx context.Context, req *client.Request, maxPixels int64, progress func(float64)) ([]byte, error) {
	if progress == nil {
		progress = func(float64) {}
	}
	p := &tracker{ctx: ctx, report: progress}
	p.step(0.02)
	decode := func(name string, data []byte) (image.Image, error) {
		img, _, err := imagefile.Decode(data, maxPixels)
		if err != nil {
			return nil, fmt.Errorf("%w: the %s: %w", client.ErrInvalidRequest, name, err)
		}
		return img, nil
	}
	var out image.Image
	switch req.Mode {
	case client.ModeInpaint:
		bg, err := decode("background", req.Background)
		if err != nil {
			return nil, err
		}
		mask, err := decode("mask", req.Mask)
		if err != nil {
			return nil, err
		}
		subject, err := decode("subject", req.Subject)
		if err != nil {
			return nil, err
		}
		out, err = inpaint(p, imagefile.ToNRGBA(bg), imagefile.ToGray(mask), imagefile.ToNRGBA(subject), seedOf(req))
		if err != nil {
			return nil, err
		}
	case client.ModeScene:
		data, name := req.DepthMap, "depth map"
		if len(data) == 0 {
			data, name = req.Preview, "preview"
		}
		src, err := decode(name, data)
		if err != nil {
			return nil, err
		}
		out, err = scene(p, src, len(req.Preview) > 0, newPalette(req))
		if err != nil {
			return nil, err
		}
	case client.ModeBackground:
		subject, err := decode("subject", req.Subject)
		if err != nil {
			return nil, err
		}
		out, err = newBackground(p, imagefile.ToNRGBA(subject), newPalette(req))
		if err != nil {
			return nil, err
		}
	}
	p.step(0.95)
	png, err := imagefile.PNGBytes(out)
	if err != nil {
		return nil, fmt.Errorf("encoding the result: %w", err)
	}
	p.step(1)
	return png, nil
}

// tracker reports progress and tells the algorithms when to stop.
type tracker struct {
	ctx    context.Context
	report func(float64)
}

// step reports f and returns ctx's error once ctx has ended.
func (t *tracker) step(f float64) error {
	if err := t.ctx.Err(); err != nil {
		return err
	}
	t.report(f)
	return nil
}

// seedOf mixes the request's seed and prompt, so a prompt changes the look
// as a seed does.
func seedOf(req *client.Request) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(req.Prompt))
	return h.Sum64() ^ uint64(req.Seed)*0x9E3779B97F4A7C15
}

func floatBits(f float64) uint64 { return math.Float64bits(f) }
func floatFrom(b uint64) float64 { return math.Float64frombits(b) }

func clamp8(v float32) uint8 {
	switch {
	case v <= 0:
		return 0
	case v >= 255:
		return 255
	}
	return uint8(v + 0.5)
}

func lerp(a, b, t float32) float32 { return a + (b-a)*t }

func smoothstep(e0, e1, x float32) float32 {
	t := min(max((x-e0)/(e1-e0), 0), 1)
	return t * t * (3 - 2*t)
}
