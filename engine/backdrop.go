package engine

import (
	"image"
	"math"
)

// newBackground puts the subject on a generated studio backdrop (backdrop)
// with a contact shadow. The subject's alpha matte is used as it is: every
// fully opaque subject pixel is kept exactly, and its soft edges are blended
// over the backdrop by their own alpha.
func newBackground(p *tracker, subject *image.NRGBA, pal *palette) (*image.NRGBA, error) {
	alpha := alphaOf(subject)
	out, err := backdrop(p, subject, alpha, pal)
	if err != nil {
		return nil, err
	}
	addContactShadow(out, alpha, nil, 0.5)
	if err := p.step(0.8); err != nil {
		return nil, err
	}
	compositeOver(out, subject, alpha)
	return out, nil
}

// alphaOf is img's alpha channel.
func alphaOf(img *image.NRGBA) *image.Gray {
	a := image.NewGray(img.Rect)
	for i := range a.Pix {
		a.Pix[i] = img.Pix[4*i+3]
	}
	return a
}

// backdrop paints a photo studio's paper sweep for the subject: a wall that
// curves into the floor just behind the subject's base, a pool of light
// behind the subject, a floor that darkens toward the camera, a soft
// vignette and fine grain against banding. Its colours are the palette's
// (the prompt's mood or the seed's pick), tinted in Oklab toward the
// subject's own hue, and kept clear of the subject's lightness so the
// subject stands out.
func backdrop(p *tracker, subject *image.NRGBA, alpha *image.Gray, pal *palette) (*image.NRGBA, error) {
	w, h := subject.Rect.Dx(), subject.Rect.Dy()
	var subj labStats
	for i, a := range alpha.Pix {
		if a > 128 {
			subj.add(toOklab(subject.Pix[4*i : 4*i+3]))
		}
	}
	wall, floor := pal.wall, pal.floor
	if subj.n > 0 {
		mean, _ := subj.meanStd()
		wall, floor = tintToward(wall, mean), tintToward(floor, mean)
	}
	box := maskBounds(alpha, 128)
	if box.Empty() {
		box = image.Rect(w/4, h/4, w*3/4, h*4/5)
	}
	horizon := float32(box.Max.Y) - float32(box.Dy())*0.12
	band := float32(h) * 0.08
	// The light pool: an ellipse behind the subject's upper half.
	lx, ly := float32(box.Min.X+box.Max.X)/2, float32(box.Min.Y)+float32(box.Dy())*0.35
	lr := max(float32(max(box.Dx(), box.Dy())), float32(min(w, h))/3) * 0.9
	if err := p.step(0.2); err != nil {
		return nil, err
	}

	out := image.NewNRGBA(subject.Rect)
	cx, cy := float32(w)/2, float32(h)/2
	diag := float32(math.Hypot(float64(w), float64(h))) / 2
	for y := 0; y < h; y++ {
		fy := float32(y)
		t := smoothstep(horizon-band, horizon+band, fy)
		wallShade := lerp(1.04, 0.96, fy/float32(h))
		floorShade := lerp(1.0, 0.84, min(max((fy-horizon)/(float32(h)-horizon+1), 0), 1))
		for x := 0; x < w; x++ {
			dx, dy := (float32(x)-cx)/diag, (fy-cy)/diag
			vignette := 1 - 0.22*(dx*dx+dy*dy)
			px, py := (float32(x)-lx)/lr, (fy-ly)/(lr*0.8)
			pool := 1 + 0.1*max(0, 1-(px*px+py*py))
			grain := float32(pal.rng.Float64()*3 - 1.5)
			o := 4 * (y*w + x)
			for c := 0; c < 3; c++ {
				v := lerp(wall[c]*wallShade, floor[c]*floorShade, t)
				out.Pix[o+c] = clamp8(v*vignette*pool + grain)
			}
			out.Pix[o+3] = 255
		}
		if y%256 == 0 {
			if err := p.step(0.2 + 0.4*float64(y)/float64(h)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// tintToward moves an sRGB colour's Oklab hue a third of the way toward
// subject's mean colour, and its lightness 0.15 clear of the subject's when
// the two are closer (a white bottle on a white wall gets a light grey one).
func tintToward(c [3]float32, subject [3]float64) [3]float32 {
	lab := toOklab([]uint8{clamp8(c[0]), clamp8(c[1]), clamp8(c[2])})
	lab[1] += (subject[1] - lab[1]) / 3
	lab[2] += (subject[2] - lab[2]) / 3
	if d := lab[0] - subject[0]; math.Abs(d) < 0.15 {
		up, down := subject[0]+0.15, subject[0]-0.15
		if d >= 0 && up <= 0.98 || down < 0.05 {
			lab[0] = up
		} else {
			lab[0] = down
		}
	}
	var rgb [3]uint8
	fromOklab(lab, rgb[:])
	return [3]float32{float32(rgb[0]), float32(rgb[1]), float32(rgb[2])}
}
