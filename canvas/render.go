package canvas

import (
	"encoding/binary"
	"image"
	"image/color"
	"runtime"
	"sync"

	"github.com/disintegration/imaging"
)

// Overlay is how the mask is shown over the image.
type Overlay struct {
	Color     color.NRGBA // the colour of painted areas
	Opacity   float64     // 0..1
	MaskAlone bool        // show the mask alone in black and white
}

// DefaultOverlay is a magenta at 50 %, visible on most photos.
var DefaultOverlay = Overlay{Color: color.NRGBA{R: 255, G: 40, B: 160, A: 255}, Opacity: 0.5}

// pyramid holds the image and halved copies of it down to ~256 px, so a
// zoomed-out view samples a small copy instead of 24 MP.
type pyramid []*image.NRGBA

func newPyramid(img *image.NRGBA) pyramid {
	p := pyramid{img}
	for l := img; max(l.Rect.Dx(), l.Rect.Dy()) > 512; {
		l = imaging.Resize(l, max(1, l.Rect.Dx()/2), max(1, l.Rect.Dy()/2), imaging.Box)
		p = append(p, l)
	}
	return p
}

// renderer draws the visible part of the image with the mask overlay into a
// reused device-sized buffer.
type renderer struct {
	pyr     pyramid
	mask    *Mask
	overlay Overlay
	// hideMask draws the picture alone, without the overlay (a result is
	// shown: it is judged as it is).
	hideMask bool
	buf      *image.RGBA
	// cols and rows map each device column/row to an image x/y (or -1
	// outside the image), at full resolution and at the sampled level.
	cols, rows       []int
	lvlCols, lvlRows []int
	level            int
	// tileCols and tileXs split each device column's image x into its tile
	// column and the offset inside the tile, so a frame does no division.
	tileCols, tileXs []int
	// runEnds[x] ends the run of device columns from x that show one
	// mask tile (a column off the image is a run of its own).
	runEnds []int
	// opaque[l] tells whether pyramid level l has no transparency, for the
	// level image opaqueOf[l] (checked again when the pyramid changes).
	opaque   []bool
	opaqueOf []*image.NRGBA
	// blend[m] is the overlay's blend at mask value m: the picture's
	// weight and the overlay colour's share, both ×256, for the overlay
	// blendFor.
	blend    [256][4]uint32
	blendFor Overlay
	blendSet bool
}

// blendTable fills r.blend for the overlay, when it changed.
func (r *renderer) blendTable() {
	ov := r.overlay
	if r.blendSet && ov == r.blendFor {
		return
	}
	r.blendFor, r.blendSet = ov, true
	a := uint32(min(max(ov.Opacity, 0), 1) * 256)
	oc := [3]uint32{uint32(ov.Color.R) * a, uint32(ov.Color.G) * a, uint32(ov.Color.B) * a}
	for m := range uint32(256) {
		t := a * m / 255 // 0..256
		r.blend[m] = [4]uint32{oc[0] * m / 255, oc[1] * m / 255, oc[2] * m / 255, 256 - t}
	}
}

// levelOpaque reports whether the sampled level has no transparent pixel,
// scanning it the first time.
func (r *renderer) levelOpaque() bool {
	l := r.level
	if len(r.opaque) != len(r.pyr) {
		r.opaque, r.opaqueOf = make([]bool, len(r.pyr)), make([]*image.NRGBA, len(r.pyr))
	}
	if img := r.pyr[l]; r.opaqueOf[l] != img {
		r.opaqueOf[l], r.opaque[l] = img, true
		for i := 3; i < len(img.Pix); i += 4 {
			if img.Pix[i] != 255 {
				r.opaque[l] = false
				break
			}
		}
	}
	return r.opaque[l]
}

var checker = [2]color.RGBA{{R: 58, G: 58, B: 62, A: 255}, {R: 72, G: 72, B: 78, A: 255}}

// render draws the whole w×h view.
func (r *renderer) render(v View, w, h int) *image.RGBA {
	if r.buf == nil || r.buf.Rect.Dx() != w || r.buf.Rect.Dy() != h {
		r.buf = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	r.mapAxes(v, w, h)
	r.draw(image.Rect(0, 0, w, h))
	return r.buf
}

// redraw draws only the device rectangle dirty of the last view rendered.
func (r *renderer) redraw(dirty image.Rectangle) *image.RGBA {
	r.draw(dirty.Intersect(r.buf.Rect))
	return r.buf
}

// mapAxes computes, once per view change, which image column and row each
// device pixel shows.
func (r *renderer) mapAxes(v View, w, h int) {
	full := r.pyr[0].Rect.Size()
	lvl := v.level(len(r.pyr))
	lsize := r.pyr[lvl].Rect.Size()
	axis := func(n, size, lsize int, origin float64, dst, ldst []int) ([]int, []int) {
		dst, ldst = resize(dst, n), resize(ldst, n)
		for i := range n {
			p := int(floor(origin + (float64(i)+0.5)/v.Zoom))
			if p < 0 || p >= size {
				dst[i], ldst[i] = -1, -1
				continue
			}
			dst[i] = p
			ldst[i] = min(p*lsize/size, lsize-1)
		}
		return dst, ldst
	}
	r.cols, r.lvlCols = axis(w, full.X, lsize.X, v.OriginX, r.cols, r.lvlCols)
	r.rows, r.lvlRows = axis(h, full.Y, lsize.Y, v.OriginY, r.rows, r.lvlRows)
	r.level = lvl
	r.tileCols, r.tileXs = resize(r.tileCols, w), resize(r.tileXs, w)
	for i, x := range r.cols {
		r.tileCols[i], r.tileXs[i] = x/TileSize, x%TileSize
	}
	r.runEnds = resize(r.runEnds, w)
	for i := w - 1; i >= 0; i-- {
		r.runEnds[i] = i + 1
		if i+1 < w && r.cols[i] >= 0 && r.cols[i+1] >= 0 && r.tileCols[i+1] == r.tileCols[i] {
			r.runEnds[i] = r.runEnds[i+1]
		}
	}
}

func resize(s []int, n int) []int {
	if cap(s) < n {
		return make([]int, n)
	}
	return s[:n]
}

func floor(f float64) float64 {
	i := float64(int64(f))
	if f < i {
		return i - 1
	}
	return i
}

// draw fills rect of the buffer, in horizontal bands on every core when
// the area is large (a full frame); rows are independent.
func (r *renderer) draw(rect image.Rectangle) {
	opaque := r.levelOpaque()
	r.blendTable()
	cores := runtime.GOMAXPROCS(0)
	if rect.Dx()*rect.Dy() < 1<<17 || cores == 1 {
		r.drawBand(rect, opaque)
		return
	}
	bands := cores
	var wg sync.WaitGroup
	for i := range bands {
		band := rect
		band.Min.Y = rect.Min.Y + rect.Dy()*i/bands
		band.Max.Y = rect.Min.Y + rect.Dy()*(i+1)/bands
		wg.Go(func() { r.drawBand(band, opaque) })
	}
	wg.Wait()
}

// drawBand fills rect of the buffer from the mapped axes, a run of device
// columns over one mask tile at a time: where the tile is unpainted and
// the picture opaque, the run is a copy of the picture's pixels.
func (r *renderer) drawBand(rect image.Rectangle, opaque bool) {
	src := r.pyr[r.level]
	for y := rect.Min.Y; y < rect.Max.Y; y++ {
		row := r.buf.Pix[y*r.buf.Stride : (y+1)*r.buf.Stride]
		iy, ly := r.rows[y], r.lvlRows[y]
		if iy < 0 {
			for x := rect.Min.X; x < rect.Max.X; x++ {
				c := checker[((x>>3)+(y>>3))&1]
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, 255
			}
			continue
		}
		tileRow := r.mask.tiles[(iy/TileSize)*r.mask.cols : (iy/TileSize+1)*r.mask.cols]
		inTileY := (iy % TileSize) * TileSize
		srow := src.Pix[ly*src.Stride : (ly+1)*src.Stride]
		for x := rect.Min.X; x < rect.Max.X; {
			if r.cols[x] < 0 {
				c := checker[((x>>3)+(y>>3))&1]
				row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, 255
				x++
				continue
			}
			end := min(r.runEnds[x], rect.Max.X)
			t := tileRow[r.tileCols[x]]
			switch {
			case r.hideMask && opaque:
				r.copyRun(row, srow, x, end)
			case r.hideMask:
				r.blendRun(row, srow, nil, inTileY, x, end, y, opaque) // over the checkerboard
			case t == nil && opaque && !r.overlay.MaskAlone:
				r.copyRun(row, srow, x, end)
			default:
				r.blendRun(row, srow, t, inTileY, x, end, y, opaque)
			}
			x = end
		}
	}
}

// copyRun copies the picture's pixels into device columns [x0, x1) of row.
func (r *renderer) copyRun(row, srow []uint8, x0, x1 int) {
	cols := r.lvlCols
	if c0 := cols[x0]; cols[x1-1]-c0 == x1-1-x0 {
		copy(row[4*x0:4*x1], srow[4*c0:4*(c0+x1-x0)])
		return
	}
	for x := x0; x < x1; x++ {
		so := 4 * cols[x]
		binary.LittleEndian.PutUint32(row[4*x:], binary.LittleEndian.Uint32(srow[so:so+4]))
	}
}

// blendRun draws device columns [x0, x1) of row from the picture and the
// mask tile t (nil: unpainted): the overlay, the mask alone, or the
// picture over the checkerboard where it is transparent.
func (r *renderer) blendRun(row, srow, t []uint8, inTileY, x0, x1, y int, opaque bool) {
	ov := r.overlay
	lut := &r.blend
	if c0, n := r.lvlCols[x0], x1-x0; opaque && t != nil && !ov.MaskAlone && r.lvlCols[x1-1]-c0 == n-1 && r.tileXs[x1-1]-r.tileXs[x0] == n-1 {
		// 100 %: the picture's and the tile's pixels are consecutive.
		mt := t[inTileY+r.tileXs[x0]:][:n]
		sp := srow[4*c0:][:4*n]
		d := row[4*x0:][:4*n]
		for i, mv := range mt {
			s, o := sp[4*i:4*i+4:4*i+4], d[4*i:4*i+4:4*i+4]
			if mv == 0 {
				copy(o, s)
				continue
			}
			b := &lut[mv]
			o[0] = uint8((uint32(s[0])*b[3] + b[0]) >> 8)
			o[1] = uint8((uint32(s[1])*b[3] + b[1]) >> 8)
			o[2] = uint8((uint32(s[2])*b[3] + b[2]) >> 8)
			o[3] = 255
		}
		return
	}
	for x := x0; x < x1; x++ {
		o := 4 * x
		var m uint32
		if t != nil {
			m = uint32(t[inTileY+r.tileXs[x]])
		}
		if ov.MaskAlone && !r.hideMask {
			row[o], row[o+1], row[o+2], row[o+3] = uint8(m), uint8(m), uint8(m), 255
			continue
		}
		so := 4 * r.lvlCols[x]
		px := srow[so : so+4 : so+4]
		if m == 0 && px[3] == 255 {
			binary.LittleEndian.PutUint32(row[o:], binary.LittleEndian.Uint32(px))
			continue
		}
		// Photos with transparency show over the checkerboard.
		cr, cg, cb := uint32(px[0]), uint32(px[1]), uint32(px[2])
		if pa := uint32(px[3]); pa < 255 {
			c := checker[((x>>3)+(y>>3))&1]
			cr = (cr*pa + uint32(c.R)*(255-pa)) / 255
			cg = (cg*pa + uint32(c.G)*(255-pa)) / 255
			cb = (cb*pa + uint32(c.B)*(255-pa)) / 255
		}
		if m != 0 {
			// Blend toward the overlay colour by opacity × mask value.
			b := &lut[m]
			cr = (cr*b[3] + b[0]) >> 8
			cg = (cg*b[3] + b[1]) >> 8
			cb = (cb*b[3] + b[2]) >> 8
		}
		row[o], row[o+1], row[o+2], row[o+3] = uint8(cr), uint8(cg), uint8(cb), 255
	}
}
