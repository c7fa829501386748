package canvas

import "math"

// featherTiles softens the edges of a rasterised selection with three box
// blurs (close to the Gaussian of sigma n/2 that Feather uses), tile by
// tile: a tile whose neighbours are all empty or all full stays as it is,
// so only the tiles near the edge cost anything.
func (m *Mask) featherTiles(sel [][]uint8, n int) [][]uint8 {
	r := max(1, int(math.Round((math.Sqrt(float64(n*n)+1)-1)/2)))
	margin := 3 * r // what three passes of radius r reach; ≤ TileSize
	out := make([][]uint8, len(sel))
	side := TileSize + 2*margin
	buf, line, tmp := make([]float32, side*side), make([]float32, side), make([]float32, side)
	for i, s := range sel {
		if m.uniformAround(sel, i) {
			out[i] = s
			continue
		}
		out[i] = m.blurTile(sel, i, margin, r, buf, line, tmp)
	}
	return out
}

// uniformAround reports whether tile i and its neighbours are all empty or
// all fully selected.
func (m *Mask) uniformAround(sel [][]uint8, i int) bool {
	tx, ty := i%m.cols, i/m.cols
	full := isFullTile(sel[i])
	if sel[i] != nil && !full {
		return false
	}
	for y := max(ty-1, 0); y <= min(ty+1, m.rows-1); y++ {
		for x := max(tx-1, 0); x <= min(tx+1, m.cols-1); x++ {
			if s := sel[y*m.cols+x]; isFullTile(s) != full || (!full && s != nil) {
				return false
			}
		}
	}
	return true
}

// blurTile blurs the selection around tile i (edge pixels of the image
// repeat outward) and returns the tile's blurred values.
func (m *Mask) blurTile(sel [][]uint8, i, margin, r int, buf, line, tmp []float32) []uint8 {
	tr := m.tileRect(i)
	x0, y0 := tr.Min.X-margin, tr.Min.Y-margin
	w, h := tr.Dx()+2*margin, tr.Dy()+2*margin
	at := func(x, y int) float32 {
		x, y = min(max(x, 0), m.w-1), min(max(y, 0), m.h-1)
		t := sel[(y/TileSize)*m.cols+x/TileSize]
		if t == nil {
			return 0
		}
		return float32(t[(y%TileSize)*TileSize+x%TileSize])
	}
	for y := range h {
		for x := range w {
			buf[y*w+x] = at(x0+x, y0+y)
		}
	}
	for y := range h {
		row := buf[y*w : (y+1)*w]
		for range 3 {
			boxLine(row, tmp[:w], r)
			copy(row, tmp[:w])
		}
	}
	for x := margin; x < margin+tr.Dx(); x++ {
		for y := range h {
			line[y] = buf[y*w+x]
		}
		for range 3 {
			boxLine(line[:h], tmp[:h], r)
			copy(line[:h], tmp[:h])
		}
		for y := range h {
			buf[y*w+x] = line[y]
		}
	}
	out := make([]uint8, TileSize*TileSize)
	nonZero := false
	for y := range tr.Dy() {
		src := buf[(y+margin)*w+margin:]
		for x := range tr.Dx() {
			v := uint8(min(max(src[x]+0.5, 0), 255))
			out[y*TileSize+x] = v
			nonZero = nonZero || v != 0
		}
	}
	if !nonZero {
		return nil
	}
	return out
}

// boxLine writes to out the mean of in over a window of radius r around
// each sample, the ends repeating outward.
func boxLine(in, out []float32, r int) {
	n := len(in)
	at := func(i int) float32 { return in[min(max(i, 0), n-1)] }
	var sum float32
	for i := -r; i <= r; i++ {
		sum += at(i)
	}
	k := 1 / float32(2*r+1)
	for i := range n {
		out[i] = sum * k
		sum += at(i+r+1) - at(i-r)
	}
}
