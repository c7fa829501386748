package canvas

import (
	"image"
	"image/color"
	"testing"
)

// referencePixel is the composite of one device pixel, written out pixel
// by pixel as the renderer's first version did.
func referencePixel(r *renderer, x, y int) color.RGBA {
	iy, ix := r.rows[y], r.cols[x]
	if iy < 0 || ix < 0 {
		return checker[((x>>3)+(y>>3))&1]
	}
	m := uint32(r.mask.At(ix, iy))
	ov := r.overlay
	if ov.MaskAlone {
		return color.RGBA{uint8(m), uint8(m), uint8(m), 255}
	}
	px := r.pyr[r.level].NRGBAAt(r.lvlCols[x], r.lvlRows[y])
	cr, cg, cb := uint32(px.R), uint32(px.G), uint32(px.B)
	if pa := uint32(px.A); pa < 255 {
		c := checker[((x>>3)+(y>>3))&1]
		cr = (cr*pa + uint32(c.R)*(255-pa)) / 255
		cg = (cg*pa + uint32(c.G)*(255-pa)) / 255
		cb = (cb*pa + uint32(c.B)*(255-pa)) / 255
	}
	if m != 0 {
		a := uint32(min(max(ov.Opacity, 0), 1) * 256)
		t := a * m / 255
		cr = (cr*(256-t) + uint32(ov.Color.R)*a*m/255) >> 8
		cg = (cg*(256-t) + uint32(ov.Color.G)*a*m/255) >> 8
		cb = (cb*(256-t) + uint32(ov.Color.B)*a*m/255) >> 8
	}
	return color.RGBA{uint8(cr), uint8(cg), uint8(cb), 255}
}

// TestRenderMatchesThePixelReference renders views of a painted mask over
// an opaque and a partly transparent picture (runs copied, runs blended
// at 100 %, sampled runs) and compares every pixel with the reference.
func TestRenderMatchesThePixelReference(t *testing.T) {
	opaque := image.NewNRGBA(image.Rect(0, 0, 1100, 700))
	for i := range opaque.Pix {
		opaque.Pix[i] = uint8(i*7 + i/4096)
		if i%4 == 3 {
			opaque.Pix[i] = 255
		}
	}
	seeThrough := image.NewNRGBA(opaque.Rect)
	copy(seeThrough.Pix, opaque.Pix)
	for i := 3; i < len(seeThrough.Pix); i += 64 {
		seeThrough.Pix[i] = 100
	}
	mask := NewMask(1100, 700)
	mustPaint(t, mask, Brush{Size: 300, Hardness: 0.4}, [2]float64{300, 300}, [2]float64{800, 400})
	mask.SelectRect(Point{600, 0}, Point{1100, 256}, SelectAdd, 0) // a full tile or two
	po, pt := newPyramid(opaque), newPyramid(seeThrough)
	for _, tc := range []struct {
		name string
		pyr  pyramid
		v    View
		ov   Overlay
	}{
		{"100 % opaque", po, View{Zoom: 1, OriginX: 450, OriginY: 100}, DefaultOverlay},
		{"100 % off the edge", po, View{Zoom: 1, OriginX: -40, OriginY: 500}, DefaultOverlay},
		{"100 % transparent", pt, View{Zoom: 1, OriginX: 450, OriginY: 100}, DefaultOverlay},
		{"zoom 2.5", po, View{Zoom: 2.5, OriginX: 500, OriginY: 250}, DefaultOverlay},
		{"zoom 0.37", po, View{Zoom: 0.37, OriginX: -100, OriginY: -50}, DefaultOverlay},
		{"mask alone", po, View{Zoom: 1, OriginX: 450, OriginY: 100}, Overlay{MaskAlone: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &renderer{pyr: tc.pyr, mask: mask, overlay: tc.ov}
			got := r.render(tc.v, 320, 240)
			for y := range 240 {
				for x := range 320 {
					if want := referencePixel(r, x, y); got.RGBAAt(x, y) != want {
						t.Fatalf("pixel (%d, %d) = %v, want %v", x, y, got.RGBAAt(x, y), want)
					}
				}
			}
		})
	}
}
