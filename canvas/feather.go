package canvas

import (
	"math"
	"runtime"
	"sync"
)

// featherTiles softens the edges of a rasterised selection with three box
// blurs (close to the Gaussian of sigma n/2 that Feather uses), tile by
// tile: a tile with nothing but 0 or nothing but 255 within the blur's reach
// stays as it is, so only the tiles near the edge cost anything, and those
// are shared among the cores.
func (m *Mask) featherTiles(sel [][]uint8, n int) [][]uint8 {
	r := max(1, int(math.Round((math.Sqrt(float64(n*n)+1)-1)/2)))
	margin := 3 * r // what three passes of radius r reach; ≤ TileSize
	out := make([][]uint8, len(sel))
	var work []int
	for i, s := range sel {
		if m.uniformAround(sel, i) {
			out[i] = s
		} else {
			work = append(work, i)
		}
	}
	var wg sync.WaitGroup
	workers := min(runtime.GOMAXPROCS(0), len(work))
	for w := range workers {
		wg.Go(func() {
			b := newBlurBuf(TileSize + 2*margin)
			for k := w; k < len(work); k += workers {
				out[work[k]] = m.blurTile(sel, work[k], margin, r, b)
			}
		})
	}
	wg.Wait()
	return out
}

// uniformAround reports whether tile i and its neighbours are all empty or
// all fully selected: then no blur of at most a tile's reach changes it.
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

// blurBuf is one worker's scratch space.
type blurBuf struct {
	raw       []uint8
	buf       []float32
	line, tmp []float32
}

func newBlurBuf(side int) *blurBuf {
	return &blurBuf{raw: make([]uint8, side*side), buf: make([]float32, side*side), line: make([]float32, side), tmp: make([]float32, side)}
}

// gather copies the w×h region of the selection at (x0, y0) into dst, the
// image's edge pixels repeating outward.
func (m *Mask) gather(sel [][]uint8, x0, y0, w, h int, dst []uint8) {
	for j := range h {
		y := min(max(y0+j, 0), m.h-1)
		row := dst[j*w : (j+1)*w]
		base, oy := (y/TileSize)*m.cols, (y%TileSize)*TileSize
		for k := 0; k < w; {
			x := min(max(x0+k, 0), m.w-1)
			n := 1 // outside the image: one repeated pixel at a time
			if x == x0+k {
				n = min(TileSize-x%TileSize, w-k, m.w-x)
			}
			if t := sel[base+x/TileSize]; t == nil {
				clear(row[k : k+n])
			} else {
				copy(row[k:k+n], t[oy+x%TileSize:])
			}
			k += n
		}
	}
}

// blurTile blurs the selection around tile i and returns the tile's
// blurred values (nil when all zero).
func (m *Mask) blurTile(sel [][]uint8, i, margin, r int, b *blurBuf) []uint8 {
	tr := m.tileRect(i)
	w, h := tr.Dx()+2*margin, tr.Dy()+2*margin
	raw := b.raw[:w*h]
	m.gather(sel, tr.Min.X-margin, tr.Min.Y-margin, w, h, raw)
	if v := raw[0]; v == 0 || v == 255 {
		uniform := true
		for _, x := range raw {
			if x != v {
				uniform = false
				break
			}
		}
		if uniform && v == 0 {
			return nil
		}
		if uniform && tr.Dx() == TileSize && tr.Dy() == TileSize {
			return fullTile
		}
	}
	buf := b.buf[:w*h]
	for k, v := range raw {
		buf[k] = float32(v)
	}
	tmp := b.tmp
	for y := range h {
		row := buf[y*w : (y+1)*w]
		for range 3 {
			boxLine(row, tmp[:w], r)
			copy(row, tmp[:w])
		}
	}
	line := b.line[:h]
	for x := margin; x < margin+tr.Dx(); x++ {
		for y := range h {
			line[y] = buf[y*w+x]
		}
		for range 3 {
			boxLine(line, tmp[:h], r)
			copy(line, tmp[:h])
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
	first, last := in[0], in[n-1]
	var sum float32
	for i := -r; i <= r; i++ {
		sum += in[min(max(i, 0), n-1)]
	}
	k := 1 / float32(2*r+1)
	for i := range n {
		out[i] = sum * k
		add, sub := last, first
		if hi := i + r + 1; hi < n {
			add = in[hi]
		}
		if lo := i - r; lo > 0 {
			sub = in[lo]
		}
		sum += add - sub
	}
}
