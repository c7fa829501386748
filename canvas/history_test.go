package canvas

import (
	"bytes"
	"hash/fnv"
	"math/rand/v2"
	"testing"
)

func TestTileCodecRoundTrips(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tile := func(fill func(i int) uint8) []uint8 {
		t := make([]uint8, TileSize*TileSize)
		for i := range t {
			t[i] = fill(i)
		}
		return t
	}
	cases := []struct {
		name    string
		tile    []uint8
		maxSize int // bytes of code, 0: no limit
	}{
		{"zero", tile(func(int) uint8 { return 0 }), 0},
		{"full", tile(func(int) uint8 { return 255 }), 8},
		{"half", tile(func(i int) uint8 { return uint8(255 * ((i % TileSize) / 128)) }), 256 * 8},
		{"gradient", tile(func(i int) uint8 { return uint8(i % TileSize) }), 0},
		{"noise", tile(func(int) uint8 { return uint8(rng.IntN(256)) }), 0},
		{"short runs", tile(func(i int) uint8 { return uint8(i / 3 % 2 * 255) }), 0},
		{"runs of minRun", tile(func(i int) uint8 { return uint8(i / minRun % 2 * 200) }), 0},
		{"last pixel", tile(func(i int) uint8 { return uint8(i / (TileSize*TileSize - 1) * 7) }), 16},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := encodeTile(tc.tile)
			if tc.name == "zero" {
				if c != nil {
					t.Fatal("an all-zero tile was not encoded as nil")
				}
				return
			}
			if tc.maxSize > 0 && len(c.data) > tc.maxSize {
				t.Errorf("%d bytes of code, want ≤ %d", len(c.data), tc.maxSize)
			}
			got := decodeTile(c, make([]uint8, 5)) // a wrong-size buffer is replaced
			if !bytes.Equal(got, tc.tile) {
				t.Fatal("the tile did not survive the round trip")
			}
			if err := decodeInto(c.data[:len(c.data)-1], make([]uint8, TileSize*TileSize)); err == nil {
				t.Error("a truncated code decoded without error")
			}
		})
	}
}

func FuzzTileCodec(f *testing.F) {
	f.Add([]byte{0, 0, 0, 0, 255, 255, 255, 255, 1, 2, 3})
	f.Add([]byte{7})
	f.Fuzz(func(t *testing.T, pattern []byte) {
		if len(pattern) == 0 {
			return
		}
		tile := make([]uint8, TileSize*TileSize)
		for i := range tile {
			tile[i] = pattern[i%len(pattern)]
		}
		if got := decodeTile(encodeTile(tile), nil); got == nil && !isZeroTile(tile) || got != nil && !bytes.Equal(got, tile) {
			t.Fatal("round trip differs")
		}
		decodeInto(pattern, make([]uint8, TileSize*TileSize)) // must not panic
	})
}

func isZeroTile(t []uint8) bool { return bytes.Count(t, []byte{0}) == len(t) }

// maskHash fingerprints a mask's pixels.
func maskHash(m *Mask) uint64 {
	h := fnv.New64a()
	h.Write(m.Gray().Pix)
	return h.Sum64()
}

// distinctBytes recounts, from scratch, the bytes of the distinct tiles the
// history holds.
func distinctBytes(m *Mask) int64 {
	seen := map[*ctile]bool{}
	var n int64
	for _, steps := range [][]step{m.hist.undo, m.hist.redo} {
		for _, s := range steps {
			for _, c := range s.changes {
				for _, t := range []*ctile{c.before, c.after} {
					if t != nil && !seen[t] {
						seen[t] = true
						n += t.size()
					}
				}
			}
		}
	}
	return n
}

// TestHistoryLimits paints more steps than the history may keep, by count
// or by bytes, and checks that exactly the oldest ones were dropped (undoing
// everything gives the state after the first kept step's predecessor), that
// their slots were cleared so their memory can be freed, and that the byte
// count is right.
func TestHistoryLimits(t *testing.T) {
	cases := []struct {
		name      string
		strokes   int
		setup     func(m *Mask)
		wantSteps func(m *Mask) bool
	}{
		{"the default keeps 256 steps", 300, func(*Mask) {}, func(m *Mask) bool { return m.UndoSteps() == DefaultUndoSteps }},
		{"a step limit", 50, func(m *Mask) { m.SetUndoLimit(20) }, func(m *Mask) bool { return m.UndoSteps() == 20 }},
		{"a byte budget", 120, func(m *Mask) { m.SetHistoryBudget(200 << 10) }, func(m *Mask) bool {
			return m.UndoSteps() > 1 && m.UndoSteps() < 120 && m.HistoryBytes() <= 200<<10
		}},
		{"no byte limit", 120, func(m *Mask) { m.SetHistoryBudget(0) }, func(m *Mask) bool { return m.UndoSteps() == 120 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := NewMask(1200, 900)
			tc.setup(m)
			hashes := []uint64{maskHash(m)} // hashes[k]: after k strokes
			rng := rand.New(rand.NewPCG(3, 4))
			for range tc.strokes {
				x, y := 50+rng.Float64()*1100, 50+rng.Float64()*800
				mustPaint(t, m, Brush{Size: 40, Hardness: 0.5}, [2]float64{x, y}, [2]float64{x + 30, y + 10})
				hashes = append(hashes, maskHash(m))
			}
			if !tc.wantSteps(m) {
				t.Fatalf("%d steps kept holding %d bytes", m.UndoSteps(), m.HistoryBytes())
			}
			if got, want := m.HistoryBytes(), distinctBytes(m); got != want {
				t.Errorf("HistoryBytes %d, the steps hold %d", got, want)
			}
			for _, s := range m.hist.undo[len(m.hist.undo):cap(m.hist.undo)] {
				if s.changes != nil {
					t.Fatal("a dropped step is still reachable from the slice's spare capacity")
				}
			}
			kept := m.UndoSteps()
			for m.Undo() {
			}
			if got, want := maskHash(m), hashes[tc.strokes-kept]; got != want {
				t.Errorf("undoing all %d steps did not give the state after stroke %d", kept, tc.strokes-kept)
			}
			for m.Redo() {
			}
			if maskHash(m) != hashes[tc.strokes] {
				t.Error("redoing everything did not give the last state")
			}
		})
	}
}

func TestHistorySharesTilesBetweenSteps(t *testing.T) {
	m := NewMask(600, 600)
	mustPaint(t, m, Brush{Size: 60, Hardness: 0.5}, [2]float64{100, 100}, [2]float64{200, 120})
	one := m.HistoryBytes()
	mustPaint(t, m, Brush{Size: 20, Hardness: 1}, [2]float64{110, 100}, [2]float64{190, 130})
	first, second := m.hist.undo[0], m.hist.undo[1]
	shared := 0
	for _, a := range first.changes {
		for _, b := range second.changes {
			if a.index == b.index && a.after == b.before {
				shared++
			}
		}
	}
	if shared == 0 {
		t.Fatal("the second stroke stored its tiles' state before it again instead of sharing the first stroke's after")
	}
	// The second step adds only its own "after" tiles.
	var afters int64
	for _, c := range second.changes {
		afters += c.after.size()
	}
	if got := m.HistoryBytes(); got != one+afters {
		t.Errorf("two steps hold %d bytes, want %d + %d", got, one, afters)
	}
	// Undo, then a new stroke: the redo step's tiles are released.
	m.Undo()
	mustPaint(t, m, Brush{Size: 10, Hardness: 1}, [2]float64{400, 400})
	if got, want := m.HistoryBytes(), distinctBytes(m); got != want || m.CanRedo() {
		t.Errorf("after a new stroke: %d bytes counted, %d held, redo %v", got, want, m.CanRedo())
	}
}

func TestSetHistoryBudgetDropsAtOnce(t *testing.T) {
	m := NewMask(1000, 1000)
	for i := range 30 {
		mustPaint(t, m, Brush{Size: 50, Hardness: 0.3}, [2]float64{float64(30 * i), float64(30 * i)})
	}
	m.Undo()
	m.Undo()
	m.SetHistoryBudget(1) // below any step: only the newest undo step stays
	if m.UndoSteps() != 1 || m.CanRedo() {
		t.Fatalf("%d undo and %d redo steps under a 1-byte budget", m.UndoSteps(), m.RedoSteps())
	}
	if m.HistoryBytes() != distinctBytes(m) {
		t.Error("byte count off after trimming")
	}
	if m.HistoryBudget() != 1 {
		t.Errorf("budget %d", m.HistoryBudget())
	}
}

// TestPositionNamesAPlaceInTheHistory: an undo returns to the position
// before the step, a new step after an undo has a new one (the history
// diverged), and dropping the oldest steps changes none: undoing every
// kept step leads to the newest dropped one, not back to the start.
func TestPositionNamesAPlaceInTheHistory(t *testing.T) {
	m := NewMask(300, 300)
	m.SetUndoLimit(2)
	start := m.Position()
	mustPaint(t, m, Brush{Size: 30, Hardness: 1}, [2]float64{50, 50}, [2]float64{100, 60})
	a := m.Position()
	mustPaint(t, m, Brush{Size: 30, Hardness: 1}, [2]float64{50, 150}, [2]float64{100, 160})
	b := m.Position()
	if a == start || b == a {
		t.Fatalf("positions %d, %d, %d do not change with the steps", start, a, b)
	}
	m.Undo()
	if m.Position() != a {
		t.Errorf("undo went to %d, want %d", m.Position(), a)
	}
	mustPaint(t, m, Brush{Size: 30, Hardness: 1}, [2]float64{150, 150}, [2]float64{200, 160})
	c := m.Position()
	if c == b || c == a {
		t.Errorf("a step after an undo is at %d, like an older one (%d, %d)", c, a, b)
	}
	mustPaint(t, m, Brush{Size: 30, Hardness: 1}, [2]float64{250, 250}, [2]float64{280, 260}) // drops the oldest
	m.Undo()
	if m.Position() != c {
		t.Errorf("after the oldest step was dropped, undo went to %d, want %d", m.Position(), c)
	}
	m.Undo() // every kept step undone: the mask is as the dropped step left it
	if m.Position() != a {
		t.Errorf("with every kept step undone the position is %d, want the dropped step's %d (the start was %d)", m.Position(), a, start)
	}
	if other := NewMask(300, 300); other.Position() != 0 {
		t.Errorf("a new mask starts at %d", other.Position())
	}
}
