package canvas

import (
	"encoding/binary"
	"errors"
)

// ctile is a tile compressed for the undo history. Masks are mostly long
// runs of 0 and 255 with a soft edge here and there, so a byte-wise
// run-length code keeps a typical tile in a few hundred bytes and is
// several times faster than flate at its fastest level (see
// BenchmarkTileCodec). A nil *ctile is an empty (all-zero) tile.
//
// One ctile may be shared by two history steps (the state after one step is
// the state before the next that touches the tile); refs counts the steps
// that hold it so the history's byte count sees it once.
type ctile struct {
	data []byte
	refs int
}

// ctileOverhead is what a ctile costs besides its data (struct, slice
// header, allocation rounding), counted in the history's bytes.
const ctileOverhead = 48

func (c *ctile) size() int64 {
	if c == nil {
		return 0
	}
	return int64(len(c.data)) + ctileOverhead
}

// minRun is the shortest repeat worth a run token (a token and its value
// cost two bytes or more).
const minRun = 4

// encodeTile compresses a TileSize×TileSize tile. It returns nil when the
// tile is all zero. The code is a sequence of tokens, each a uvarint
// n<<1|kind: kind 0 is a run of n+1 copies of the byte that follows, kind 1
// is n+1 literal bytes that follow.
func encodeTile(t []uint8) *ctile {
	if t == nil {
		return nil
	}
	out := make([]byte, 0, 256)
	lit := 0 // start of the pending literal bytes
	flushLit := func(end int) {
		if end > lit {
			out = binary.AppendUvarint(out, uint64(end-lit-1)<<1|1)
			out = append(out, t[lit:end]...)
		}
	}
	for i := 0; i < len(t); {
		v := t[i]
		j := i + 1
		// Long runs are the common case: compare eight bytes at a time.
		if w := uint64(v) * 0x0101010101010101; j+8 <= len(t) && binary.LittleEndian.Uint64(t[j:]) == w {
			for j+8 <= len(t) && binary.LittleEndian.Uint64(t[j:]) == w {
				j += 8
			}
		}
		for j < len(t) && t[j] == v {
			j++
		}
		if j-i < minRun {
			i = j
			continue
		}
		if i == 0 && j == len(t) && v == 0 {
			return nil
		}
		flushLit(i)
		out = binary.AppendUvarint(out, uint64(j-i-1)<<1)
		out = append(out, v)
		i, lit = j, j
	}
	flushLit(len(t))
	return &ctile{data: append([]byte(nil), out...)}
}

var errCorruptTile = errors.New("canvas: corrupt compressed tile")

// decodeTile expands c into dst (reused when it has the tile's size) and
// returns it; a nil c gives a nil (empty) tile.
func decodeTile(c *ctile, dst []uint8) []uint8 {
	if c == nil {
		return nil
	}
	if len(dst) != TileSize*TileSize {
		dst = make([]uint8, TileSize*TileSize)
	}
	if err := decodeInto(c.data, dst); err != nil {
		panic(err) // only this package writes the code
	}
	return dst
}

func decodeInto(src []byte, dst []uint8) error {
	o := 0
	for len(src) > 0 {
		tok, k := binary.Uvarint(src)
		if k <= 0 {
			return errCorruptTile
		}
		src = src[k:]
		n := int(tok>>1) + 1
		if n > len(dst)-o || len(src) == 0 {
			return errCorruptTile
		}
		if tok&1 == 0 {
			v := src[0]
			src = src[1:]
			run := dst[o : o+n]
			if v == 0 {
				clear(run)
			} else {
				run[0] = v
				for filled := 1; filled < n; filled *= 2 {
					copy(run[filled:], run[:filled])
				}
			}
		} else {
			if n > len(src) {
				return errCorruptTile
			}
			copy(dst[o:o+n], src[:n])
			src = src[n:]
		}
		o += n
	}
	if o != len(dst) {
		return errCorruptTile
	}
	return nil
}
