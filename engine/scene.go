package engine

import (
	"image"
	"math"
	"slices"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client/imagefile"
)

// sceneWorkPixels bounds the size at which the scene's lighting is worked
// out (normals and occlusion are smooth, so a 24 MP render loses nothing),
// which also bounds its memory whatever the input's size.
const sceneWorkPixels = 2_000_000

// scene renders a preview of a scene from a depth map (near = bright) or a
// 3D preview render. Surface normals come from the depth's slopes, taken
// with the silhouettes' steps left out and then smoothed, so 8-bit depth
// steps do not show as contour rings and edges get no false bevel; they are
// lit Blinn–Phong style by a warm key light and a cool ambient from the
// palette. Creases where the surroundings are nearer are darkened (a
// screen-space ambient occlusion from the difference with a wide blur of
// the depth); distance fades into haze (atmospheric perspective), and the
// farthest plane becomes a sky gradient. From a preview, depth is estimated
// from its blurred luminance and its height in the frame (lower is nearer),
// and its own colours and edges (the structure the hosted service extracts)
// are overlaid. It is a classical render, labelled a preview render in the
// app.
func scene(p *tracker, src image.Image, isPreview bool, pal *palette) (*image.NRGBA, error) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	gray := imagefile.ToGray(src)
	var colour *image.NRGBA
	if isPreview {
		colour = imagefile.ToNRGBA(src)
	}

	// The lighting's working copy, at most sceneWorkPixels.
	work, ws, hs := gray, w, h
	if w*h > sceneWorkPixels {
		f := math.Sqrt(sceneWorkPixels / float64(w*h))
		ws, hs = max(1, int(float64(w)*f)), max(1, int(float64(h)*f))
		work = imagefile.ToGray(imaging.Resize(gray, ws, hs, imaging.Box))
	}
	size := float64(max(ws, hs))
	depth := grayFloats(work)
	if isPreview {
		// Luminance alone is a poor depth cue: blur it a lot, and lean on
		// the usual layout of a scene.
		gaussBlur(depth, ws, hs, max(4, size/100))
		for y := 0; y < hs; y++ {
			for x := 0; x < ws; x++ {
				depth[y*ws+x] = 0.4*depth[y*ws+x] + 0.6*float32(y)/float32(hs)
			}
		}
	}
	gx, gy := surfaceSlopes(depth, ws, hs, max(2, size/120))
	if err := p.step(0.2); err != nil {
		return nil, err
	}
	wide := slices.Clone(depth)
	gaussBlur(wide, ws, hs, size/40)
	if err := p.step(0.35); err != nil {
		return nil, err
	}

	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	// Depth maps span near to far in 0..1, so a surface's own slope is a
	// small fraction of it: exaggerate it.
	relief := float32(size) * 0.25
	half := normalize([3]float32{pal.light[0], pal.light[1], pal.light[2] + 1})
	edgeInk := float32(0.15)
	if isPreview {
		// A guessed depth has no true relief: light it gently, and let
		// the preview's own edges carry the structure.
		edgeInk, relief = 0.3, relief/3
	}
	key := [3]float32{1.08, 1.0, 0.9}  // warm
	fill := [3]float32{0.8, 0.86, 1.0} // cool
	sx, sy := float32(ws)/float32(w), float32(hs)/float32(h)
	for y := 0; y < h; y++ {
		wy := (float32(y)+0.5)*sy - 0.5
		for x := 0; x < w; x++ {
			wx := (float32(x)+0.5)*sx - 0.5
			d := float32(gray.Pix[y*gray.Stride+x]) / 255
			if isPreview {
				d = bilinear(depth, ws, hs, wx, wy)
			}
			n := normalize([3]float32{-bilinear(gx, ws, hs, wx, wy) * relief, -bilinear(gy, ws, hs, wx, wy) * relief, 1})
			diffuse := max(0, n[0]*pal.light[0]+n[1]*pal.light[1]+n[2]*pal.light[2])
			spec := float32(math.Pow(float64(max(0, n[0]*half[0]+n[1]*half[1]+n[2]*half[2])), 40)) * 0.3
			occlusion := 1 - min(max((bilinear(wide, ws, hs, wx, wy)-d)*4, 0), 0.45)
			fog := float32(math.Pow(float64(1-d), 1.6)) * 0.6
			sky := 1 - smoothstep(0.01, 0.05, d)
			edge := 1 - edgeInk*min(sobel(gray, x, y)*1.2, 1)
			o := 4 * (y*w + x)
			for c := 0; c < 3; c++ {
				base := lerp(pal.far[c], pal.near[c], d)
				if colour != nil {
					base = lerp(float32(colour.Pix[colour.PixOffset(x, y)+c]), base, 0.35)
				}
				lit := base*(0.35*fill[c]+0.8*diffuse*key[c])*occlusion + 255*spec
				v := lerp(lit, pal.haze[c], fog)
				v = lerp(v, lerp(pal.haze[c], pal.far[c]*0.8, 1-float32(y)/float32(h)), sky)
				out.Pix[o+c] = clamp8(v * edge)
			}
			out.Pix[o+3] = 255
		}
		if y%128 == 0 {
			if err := p.step(0.35 + 0.55*float64(y)/float64(h)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// surfaceSlopes is the slope of depth along x and along y, per pixel. A
// step of more than a few grey levels between neighbours is a silhouette
// (one thing in front of another), not a surface, so it is left out; then
// the slopes are blurred by sigma, which also turns the one-level stairs of
// an 8-bit slope back into the slope itself.
func surfaceSlopes(depth []float32, w, h int, sigma float64) (gx, gy []float32) {
	const silhouette = 6.0 / 255
	gx, gy = make([]float32, w*h), make([]float32, w*h)
	at := func(x, y int) float32 { return depth[min(max(y, 0), h-1)*w+min(max(x, 0), w-1)] }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if dx := at(x+1, y) - at(x-1, y); dx < silhouette && dx > -silhouette {
				gx[y*w+x] = dx / 2
			}
			if dy := at(x, y+1) - at(x, y-1); dy < silhouette && dy > -silhouette {
				gy[y*w+x] = dy / 2
			}
		}
	}
	gaussBlur(gx, w, h, sigma)
	gaussBlur(gy, w, h, sigma)
	return gx, gy
}

// bilinear samples v (w×h) at (x, y), clamped to its edges.
func bilinear(v []float32, w, h int, x, y float32) float32 {
	x, y = min(max(x, 0), float32(w-1)), min(max(y, 0), float32(h-1))
	x0, y0 := int(x), int(y)
	x1, y1 := min(x0+1, w-1), min(y0+1, h-1)
	tx, ty := x-float32(x0), y-float32(y0)
	top := lerp(v[y0*w+x0], v[y0*w+x1], tx)
	return lerp(top, lerp(v[y1*w+x0], v[y1*w+x1], tx), ty)
}

// grayFloats is gray as 0..1 floats.
func grayFloats(gray *image.Gray) []float32 {
	w, h := gray.Rect.Dx(), gray.Rect.Dy()
	v := make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x, g := range gray.Pix[y*gray.Stride : y*gray.Stride+w] {
			v[y*w+x] = float32(g) / 255
		}
	}
	return v
}

// gaussBlur blurs v (w×h) in place by a Gaussian of sigma, approximated by
// three box blurs (Wells, "Efficient Synthesis of Gaussian Filters by
// Cascaded Uniform Filters", PAMI 1986). It stays in floats, where imaging's
// blur would round to 8 bits again.
func gaussBlur(v []float32, w, h int, sigma float64) {
	// Three boxes of radius r have the variance 3·(r²+r)/3 = σ².
	r := int(math.Round((math.Sqrt(1+4*sigma*sigma) - 1) / 2))
	if r < 1 {
		return
	}
	line := make([]float32, max(w, h))
	for range 3 {
		for y := 0; y < h; y++ {
			boxLine(v[y*w:], line, w, 1, r)
		}
		for x := 0; x < w; x++ {
			boxLine(v[x:], line, h, w, r)
		}
	}
}

// boxLine replaces n values of v, step apart, by their mean over ±r,
// repeating the end values beyond the ends; tmp holds n values.
func boxLine(v, tmp []float32, n, step, r int) {
	for i := range n {
		tmp[i] = v[i*step]
	}
	at := func(i int) float32 { return tmp[min(max(i, 0), n-1)] }
	var sum float32
	for i := -r; i <= r; i++ {
		sum += at(i)
	}
	scale := 1 / float32(2*r+1)
	for i := range n {
		v[i*step] = sum * scale
		sum += at(i+r+1) - at(i-r)
	}
}

// sobel is the gradient magnitude of gray at (x, y), in 0..~4.
func sobel(gray *image.Gray, x, y int) float32 {
	w, h := gray.Rect.Dx(), gray.Rect.Dy()
	g := func(dx, dy int) float32 {
		return float32(gray.Pix[min(max(y+dy, 0), h-1)*gray.Stride+min(max(x+dx, 0), w-1)]) / 255
	}
	gx := g(1, -1) + 2*g(1, 0) + g(1, 1) - g(-1, -1) - 2*g(-1, 0) - g(-1, 1)
	gy := g(-1, 1) + 2*g(0, 1) + g(1, 1) - g(-1, -1) - 2*g(0, -1) - g(1, -1)
	return float32(math.Sqrt(float64(gx*gx + gy*gy)))
}

func normalize(v [3]float32) [3]float32 {
	l := float32(math.Sqrt(float64(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])))
	if l == 0 {
		return v
	}
	return [3]float32{v[0] / l, v[1] / l, v[2] / l}
}
