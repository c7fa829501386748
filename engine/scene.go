package engine

import (
	"image"
	"math"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client/imagefile"
)

// scene renders a lit scene from a depth map (near = bright): surface
// normals from the depth gradient are lit by a directional light (Lambert),
// coloured from far to near, faded into haze with distance (atmospheric
// perspective), and the depth edges are drawn as soft lines. From a 3D
// preview, depth is estimated from the blurred luminance and the height in
// the frame, and the preview's own colours and edges are kept.
func scene(p *tracker, src image.Image, isPreview bool, pal *palette) (*image.NRGBA, error) {
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	gray := imagefile.ToGray(src)
	var colour *image.NRGBA
	if isPreview {
		colour = imagefile.ToNRGBA(src)
	}
	sigma := max(1, float64(max(w, h))/500)
	smooth := imaging.Blur(gray, sigma)
	if isPreview {
		// Luminance alone is a poor depth cue; blur it more and lean on the
		// usual layout of a scene: lower in the frame is nearer.
		smooth = imaging.Blur(gray, sigma*4)
	}
	depth := make([]float32, w*h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := float32(smooth.Pix[y*smooth.Stride+4*x]) / 255
			if isPreview {
				d = 0.4*d + 0.6*float32(y)/float32(h)
			}
			depth[y*w+x] = d
		}
	}
	if err := p.step(0.3); err != nil {
		return nil, err
	}

	out := image.NewNRGBA(image.Rect(0, 0, w, h))
	relief := float32(max(w, h)) * 0.12
	at := func(x, y int) float32 { return depth[min(max(y, 0), h-1)*w+min(max(x, 0), w-1)] }
	edgeAt := func(x, y int) float32 {
		g := func(dx, dy int) float32 {
			return float32(gray.Pix[min(max(y+dy, 0), h-1)*gray.Stride+min(max(x+dx, 0), w-1)]) / 255
		}
		gx := g(1, -1) + 2*g(1, 0) + g(1, 1) - g(-1, -1) - 2*g(-1, 0) - g(-1, 1)
		gy := g(-1, 1) + 2*g(0, 1) + g(1, 1) - g(-1, -1) - 2*g(0, -1) - g(1, -1)
		return float32(math.Sqrt(float64(gx*gx + gy*gy)))
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			d := at(x, y)
			dzdx := (at(x+1, y) - at(x-1, y)) / 2 * relief
			dzdy := (at(x, y+1) - at(x, y-1)) / 2 * relief
			n := normalize([3]float32{-dzdx, -dzdy, 1})
			diffuse := max(0, n[0]*pal.light[0]+n[1]*pal.light[1]+n[2]*pal.light[2])
			shade := 0.4 + 0.75*diffuse
			fog := float32(math.Pow(float64(1-d), 1.5)) * 0.55
			line := 1 - 0.35*min(edgeAt(x, y)*1.5, 1)
			o := 4 * (y*w + x)
			for c := 0; c < 3; c++ {
				base := lerp(pal.far[c], pal.near[c], d)
				if colour != nil {
					base = lerp(float32(colour.Pix[colour.PixOffset(x, y)+c]), base, 0.35)
				}
				v := lerp(base*shade, pal.haze[c], fog) * line
				out.Pix[o+c] = clamp8(v)
			}
			out.Pix[o+3] = 255
		}
		if y%128 == 0 {
			if err := p.step(0.3 + 0.6*float64(y)/float64(h)); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func normalize(v [3]float32) [3]float32 {
	l := float32(math.Sqrt(float64(v[0]*v[0] + v[1]*v[1] + v[2]*v[2])))
	if l == 0 {
		return v
	}
	return [3]float32{v[0] / l, v[1] / l, v[2] / l}
}
