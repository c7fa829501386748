package main

import (
	"image"
	"image/color"
	"math"
)

// The example inputs are drawn here from code, so they are free of any
// licence and the same on every run.

// noise is smooth value noise in 0..1 at (x, y): random values on the
// integer lattice, blended with a smoothstep.
func noise(x, y float64, seed uint32) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	tx, ty := x-x0, y-y0
	tx, ty = tx*tx*(3-2*tx), ty*ty*(3-2*ty)
	at := func(dx, dy float64) float64 {
		h := uint32(int32(x0+dx))*374761393 + uint32(int32(y0+dy))*668265263 + seed*2246822519
		h = (h ^ h>>13) * 1274126177
		return float64(h^h>>16) / math.MaxUint32
	}
	top := at(0, 0) + (at(1, 0)-at(0, 0))*tx
	bottom := at(0, 1) + (at(1, 1)-at(0, 1))*tx
	return top + (bottom-top)*ty
}

// fbm is fractal noise: octaves of noise, each at twice the frequency and
// half the amplitude of the one before, in about 0..1.
func fbm(x, y float64, octaves int, seed uint32) float64 {
	sum, amp, norm := 0.0, 0.5, 0.0
	for o := range octaves {
		sum += amp * noise(x, y, seed+uint32(o))
		norm += amp
		x, y, amp = x*2.03, y*2.03, amp/2
	}
	return sum / norm
}

type rgb [3]float64

func mix(a, b rgb, t float64) rgb {
	t = min(max(t, 0), 1)
	return rgb{a[0] + (b[0]-a[0])*t, a[1] + (b[1]-a[1])*t, a[2] + (b[2]-a[2])*t}
}

func (c rgb) scale(f float64) rgb { return rgb{c[0] * f, c[1] * f, c[2] * f} }

func (c rgb) nrgba(a uint8) color.NRGBA {
	b := func(v float64) uint8 { return uint8(min(max(v, 0), 255) + 0.5) }
	return color.NRGBA{b(c[0]), b(c[1]), b(c[2]), a}
}

// meadow is a landscape: a sky with clouds, hazy hills, and a meadow with a
// wooden fence across it: texture and straight structure for a fill to
// continue.
func meadow(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	s := float64(w) / 960 // features scale with the picture
	for y := 0; y < h; y++ {
		fy := float64(y) / float64(h)
		for x := 0; x < w; x++ {
			fx := float64(x)
			ridge := 0.42 + 0.07*fbm(fx/(260*s), 0.5, 4, 1)
			near := 0.55 + 0.03*fbm(fx/(400*s), 2.5, 3, 2)
			var c rgb
			switch {
			case fy < ridge:
				c = mix(rgb{64, 118, 196}, rgb{196, 218, 236}, fy/0.5)
				cloud := fbm(fx/(220*s), float64(y)/(70*s), 5, 3)
				c = mix(c, rgb{250, 250, 252}, (cloud-0.5)*3.2)
			case fy < near:
				c = mix(rgb{108, 140, 150}, rgb{88, 128, 104}, (fy-ridge)/(near-ridge))
				c = c.scale(0.9 + 0.2*fbm(fx/(40*s), float64(y)/(20*s), 3, 4))
			default:
				depth := (fy - near) / (1 - near)
				c = mix(rgb{110, 150, 70}, rgb{62, 112, 38}, depth)
				patch := fbm(fx/(90*s), float64(y)/(40*s), 3, 5)
				blade := fbm(fx/(2.5*s), float64(y)/(9*s), 2, 6)
				c = c.scale(0.75 + 0.35*patch + 0.25*(blade-0.5)*(0.5+depth))
				if f := fence(fx/s, float64(y)/s, float64(h)/s); f.A > 0 {
					c = mix(c, rgb{float64(f.R), float64(f.G), float64(f.B)}, float64(f.A)/255)
				}
			}
			img.SetNRGBA(x, y, c.nrgba(255))
		}
	}
	return img
}

// fence is the colour of the fence at (x, y) of a 960-wide picture of
// height h, with alpha 0 where there is none: two rails and a post every
// 96 px, with a little wood grain.
func fence(x, y, h float64) color.NRGBA {
	wood := rgb{150, 112, 72}.scale(0.85 + 0.3*fbm(x/3, y/40, 2, 7))
	top := 0.63 * h
	switch {
	case math.Mod(x, 96) < 12 && y > top-14 && y < top+70:
		return wood.scale(0.9 + 0.1*math.Sin(math.Mod(x, 96)/12*math.Pi)).nrgba(255)
	case y > top && y < top+9, y > top+34 && y < top+43:
		return wood.nrgba(255)
	}
	return color.NRGBA{}
}

// stampCone paints a traffic cone standing at (cx, base), height tall, onto
// img, and returns a mask covering it with a margin: the object to remove.
func stampCone(img *image.NRGBA, cx, base, tall int) *image.Gray {
	mask := image.NewGray(img.Rect)
	half := float64(tall) * 0.32
	margin := max(6, tall/25)
	for y := base - tall - margin; y < base+margin; y++ {
		for x := cx - int(half) - margin; x < cx+int(half)+margin; x++ {
			if !image.Pt(x, y).In(img.Rect) {
				continue
			}
			t := float64(base-y) / float64(tall) // 0 at the base, 1 at the tip
			width := half * (1 - t*0.85)
			if t < 0.08 {
				width = half * 1.25 // the square foot
			}
			dx := float64(x - cx)
			inside := t >= 0 && t <= 1 && math.Abs(dx) <= width
			near := t >= -float64(margin)/float64(tall) && t <= 1+float64(margin)/float64(tall) &&
				math.Abs(dx) <= width+float64(margin)
			if near {
				mask.SetGray(x, y, color.Gray{255})
			}
			if !inside {
				continue
			}
			c := rgb{235, 92, 30}
			if (t > 0.35 && t < 0.47) || (t > 0.62 && t < 0.72) {
				c = rgb{240, 240, 236}
			}
			if t < 0.08 {
				c = rgb{60, 60, 60}
			}
			c = c.scale(1.1 - 0.45*math.Abs(dx/width+0.35)) // round, lit from the left
			img.SetNRGBA(x, y, c.nrgba(255))
		}
	}
	return mask
}

// ovalMask is a soft-edged ellipse: a mask as a brush would paint it.
func ovalMask(r image.Rectangle, size image.Point) *image.Gray {
	mask := image.NewGray(image.Rectangle{Max: size})
	cx, cy := float64(r.Min.X+r.Max.X)/2, float64(r.Min.Y+r.Max.Y)/2
	rx, ry := float64(r.Dx())/2, float64(r.Dy())/2
	for y := r.Min.Y - 4; y < r.Max.Y+4; y++ {
		for x := r.Min.X - 4; x < r.Max.X+4; x++ {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			d := (1 - math.Hypot(dx, dy)) * min(rx, ry) / 3 // ~3 px feather
			if d > 0 && image.Pt(x, y).In(mask.Rect) {
				mask.SetGray(x, y, color.Gray{uint8(min(d, 1) * 255)})
			}
		}
	}
	return mask
}

// vase is a subject on a transparent ground: a glazed, lathe-shaped vase,
// lit from the upper left, with anti-aliased edges.
func vase(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx := float64(w) / 2
	for y := 0; y < h; y++ {
		t := float64(y) / float64(h) // 0 top, 1 bottom
		var radius float64
		switch {
		case t < 0.05: // the lip
			radius = 0.2
		case t < 0.25: // the neck, widening
			radius = 0.13 + 0.04*(t-0.05)/0.2
		default: // the belly, narrowing to the foot
			u := (t - 0.25) / 0.75
			radius = 0.17 + 0.28*math.Sin(math.Pi*math.Pow(u, 0.7)) + 0.12*u*u
		}
		radius *= float64(w)
		for x := 0; x < w; x++ {
			dx := (float64(x) + 0.5 - cx) / radius
			cover := min(max((1-math.Abs(dx))*radius, 0), 1)
			if cover <= 0 {
				continue
			}
			nx := dx
			nz := math.Sqrt(max(0, 1-nx*nx))
			light := max(0, -0.55*nx+0.83*nz)
			glaze := rgb{40, 96, 150}
			if math.Mod(t*9, 1) < 0.12 && t > 0.3 && t < 0.8 {
				glaze = rgb{226, 200, 140}
			}
			c := glaze.scale(0.35 + 0.8*light)
			spec := math.Pow(max(0, -0.4*nx+0.92*nz), 40)
			c = mix(c, rgb{255, 255, 255}, spec*0.8)
			img.SetNRGBA(x, y, c.nrgba(uint8(cover*255)))
		}
	}
	return img
}

// bottle is a product shot on a transparent ground: a cosmetics bottle with
// a cap and a label, lit from the left.
func bottle(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx := float64(w) / 2
	top, bottom := float64(h)*0.2, float64(h)*0.86
	for y := 0; y < h; y++ {
		fy := float64(y)
		var radius float64
		var base rgb
		switch {
		case fy < top || fy > bottom:
			continue
		case fy < top+float64(h)*0.11: // cap
			radius, base = float64(h)*0.06, rgb{30, 30, 34}
		case fy < top+float64(h)*0.16: // neck
			radius, base = float64(h)*0.04, rgb{200, 200, 205}
		default: // body with rounded shoulders
			s := (fy - top - float64(h)*0.16) / (float64(h) * 0.07)
			radius = float64(h) * (0.04 + 0.1*math.Sqrt(min(s, 1)))
			base = rgb{214, 120, 136}
			if fy > float64(h)*0.55 && fy < float64(h)*0.74 {
				base = rgb{246, 240, 230} // label
			}
		}
		for x := 0; x < w; x++ {
			dx := (float64(x) + 0.5 - cx) / radius
			cover := min(max((1-math.Abs(dx))*radius, 0), 1)
			if cover <= 0 {
				continue
			}
			nz := math.Sqrt(max(0, 1-dx*dx))
			light := max(0, -0.6*dx+0.8*nz)
			c := base.scale(0.45 + 0.65*light)
			c = mix(c, rgb{255, 255, 255}, 0.7*math.Pow(max(0, -0.5*dx+0.87*nz), 60))
			img.SetNRGBA(x, y, c.nrgba(uint8(cover*255)))
		}
	}
	return img
}

// depthScene is a depth map (near = bright) of a simple 3D scene seen
// through a pinhole camera: a floor, a back wall, three spheres and a box.
func depthScene(w, h int) *image.Gray {
	img := image.NewGray(image.Rect(0, 0, w, h))
	type sphere struct{ x, y, z, r float64 }
	spheres := []sphere{{-1.6, -0.2, 6, 0.8}, {0.9, -0.45, 4.6, 0.55}, {2.6, 0, 8, 1}}
	const floorY, wallZ, far = -1.0, 14.0, 15.0
	aspect := float64(w) / float64(h)
	for py := 0; py < h; py++ {
		for px := 0; px < w; px++ {
			// A ray from the eye at (0, 0.4, 0), looking slightly down.
			dx := (2*(float64(px)+0.5)/float64(w) - 1) * aspect * 0.6
			dy := (1-2*(float64(py)+0.5)/float64(h))*0.6 - 0.12
			n := math.Sqrt(dx*dx + dy*dy + 1)
			dx, dy, dz := dx/n, dy/n, 1/n
			ey := 0.4
			dist := math.Inf(1)
			if dy < 0 {
				dist = min(dist, (floorY-ey)/dy)
			}
			dist = min(dist, wallZ/dz)
			for _, s := range spheres {
				ox, oy, oz := -s.x, ey-s.y, -s.z
				b := ox*dx + oy*dy + oz*dz
				c := ox*ox + oy*oy + oz*oz - s.r*s.r
				if disc := b*b - c; disc > 0 {
					if t := -b - math.Sqrt(disc); t > 0 {
						dist = min(dist, t)
					}
				}
			}
			// The box: an axis-aligned slab test.
			lo, hi := [3]float64{-0.6, -1, 9}, [3]float64{0.9, 0.6, 10.5}
			o, d := [3]float64{0, ey, 0}, [3]float64{dx, dy, dz}
			tmin, tmax := 0.0, far
			for a := range 3 {
				if math.Abs(d[a]) < 1e-9 {
					if o[a] < lo[a] || o[a] > hi[a] {
						tmin = far
					}
					continue
				}
				t1, t2 := (lo[a]-o[a])/d[a], (hi[a]-o[a])/d[a]
				tmin, tmax = max(tmin, min(t1, t2)), min(tmax, max(t1, t2))
			}
			if tmin < tmax {
				dist = min(dist, tmin)
			}
			z := min(dist*dz, far) // depth along the view, so planes stay planar
			img.SetGray(px, py, color.Gray{uint8(255 * (1 - z/far))})
		}
	}
	return img
}
