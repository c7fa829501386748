package engine

import (
	"image"
	"math"
)

// newBackground puts the subject on a generated studio backdrop: a wall that
// sweeps into a floor just behind the subject's base, tinted toward the
// subject's own colours, with a soft vignette, fine grain against banding,
// and a contact shadow. Every fully opaque subject pixel is kept exactly.
func newBackground(p *tracker, subject *image.NRGBA, pal *palette) (*image.NRGBA, error) {
	w, h := subject.Rect.Dx(), subject.Rect.Dy()
	alpha := image.NewGray(subject.Rect)
	var mean [3]float64
	var count float64
	for i := range alpha.Pix {
		a := subject.Pix[4*i+3]
		alpha.Pix[i] = a
		if a > 128 {
			for c := 0; c < 3; c++ {
				mean[c] += float64(subject.Pix[4*i+c])
			}
			count++
		}
	}
	wall, floor := pal.wall, pal.floor
	if count > 0 {
		for c := 0; c < 3; c++ {
			m := float32(mean[c] / count)
			wall[c] = lerp(wall[c], m, 0.15)
			floor[c] = lerp(floor[c], m, 0.2)
		}
	}
	box := maskBounds(alpha, 128)
	horizon := float32(h) * 0.8
	if !box.Empty() {
		horizon = float32(box.Max.Y) - float32(box.Dy())*0.12
	}
	band := float32(h) * 0.08
	if err := p.step(0.2); err != nil {
		return nil, err
	}

	out := image.NewNRGBA(subject.Rect)
	cx, cy := float32(w)/2, float32(h)/2
	diag := float32(math.Hypot(float64(w), float64(h))) / 2
	for y := 0; y < h; y++ {
		fy := float32(y)
		t := smoothstep(horizon-band, horizon+band, fy)
		wallShade := lerp(1.06, 0.95, fy/float32(h))
		floorShade := lerp(0.92, 1.02, min(max((fy-horizon)/(float32(h)-horizon+1), 0), 1))
		for x := 0; x < w; x++ {
			dx, dy := (float32(x)-cx)/diag, (fy-cy)/diag
			vignette := 1 - 0.2*(dx*dx+dy*dy)
			grain := float32(pal.rng.Float64()*3 - 1.5)
			o := 4 * (y*w + x)
			for c := 0; c < 3; c++ {
				v := lerp(wall[c]*wallShade, floor[c]*floorShade, t)
				out.Pix[o+c] = clamp8(v*vignette + grain)
			}
			out.Pix[o+3] = 255
		}
		if y%256 == 0 {
			if err := p.step(0.2 + 0.4*float64(y)/float64(h)); err != nil {
				return nil, err
			}
		}
	}
	addContactShadow(out, alpha, nil, 0.5)
	if err := p.step(0.8); err != nil {
		return nil, err
	}
	compositeOver(out, subject, alpha)
	return out, nil
}
