package canvas

import "sync/atomic"

// DefaultUndoSteps is how many steps Undo can go back by default.
const DefaultUndoSteps = 256

// DefaultHistoryBudget is how many bytes the undo history may hold by
// default (64 MiB): past it, the oldest steps are dropped.
const DefaultHistoryBudget = 64 << 20

// step is one change of the mask: the tiles it changed, and its identity
// (see Position).
type step struct {
	id      uint64
	changes []tileChange
}

// stepIDs numbers the steps of every mask, so that no two steps, of any
// mask, share an identity.
var stepIDs atomic.Uint64

type tileChange struct {
	index         int
	before, after *ctile // nil means an empty tile
}

// history keeps undo and redo steps of a Mask. Its tiles are compressed,
// and a tile's state after one step is the same *ctile as its state before
// the next step that touches it, so consecutive strokes over the same area
// store that area once.
type history struct {
	undo, redo []step
	limit      int   // steps; 0 means DefaultUndoSteps
	budget     int64 // bytes; 0 means DefaultHistoryBudget, < 0 no limit
	used       int64 // bytes of the distinct tiles the steps hold
	// dropped is the identity of the newest undo step dropped as too old:
	// the position the mask is at once every kept step is undone.
	dropped uint64
}

func (h *history) stepLimit() int {
	if h.limit == 0 {
		return DefaultUndoSteps
	}
	return h.limit
}

func (h *history) byteBudget() int64 {
	switch {
	case h.budget == 0:
		return DefaultHistoryBudget
	case h.budget < 0:
		return -1
	}
	return h.budget
}

func (h *history) hold(c *ctile) {
	if c == nil {
		return
	}
	if c.refs == 0 {
		h.used += c.size()
	}
	c.refs++
}

func (h *history) release(c *ctile) {
	if c == nil {
		return
	}
	c.refs--
	if c.refs == 0 {
		h.used -= c.size()
	}
}

func (h *history) releaseStep(s step) {
	for _, c := range s.changes {
		h.release(c.before)
		h.release(c.after)
	}
}

// dropFront removes the k oldest steps of *steps, clearing the slots they
// leave so that their tiles can really be freed.
func (h *history) dropFront(steps *[]step, k int) {
	s := *steps
	for _, st := range s[:k] {
		h.releaseStep(st)
	}
	n := copy(s, s[k:])
	clear(s[n:])
	*steps = s[:n]
}

// clearRedo forgets every redo step.
func (h *history) clearRedo() {
	for _, st := range h.redo {
		h.releaseStep(st)
	}
	clear(h.redo)
	h.redo = h.redo[:0]
}

// trim drops the oldest undo steps past the step limit or the byte budget,
// then, if still over budget, the redo steps farthest away. The newest
// undo step is kept even when it alone is over budget.
func (h *history) trim() {
	if over := len(h.undo) - h.stepLimit(); over > 0 {
		h.dropOldest(over)
	}
	budget := h.byteBudget()
	if budget < 0 {
		return
	}
	for h.used > budget && len(h.redo) > 0 {
		h.dropFront(&h.redo, 1) // redo[0] is the farthest step
	}
	for h.used > budget && len(h.undo) > 1 {
		h.dropOldest(1)
	}
}

// dropOldest drops the k oldest undo steps, remembering the newest of
// them as the position that undoing every kept step leads to.
func (h *history) dropOldest(k int) {
	h.dropped = h.undo[k-1].id
	h.dropFront(&h.undo, k)
}

// begin starts recording the tiles the next change touches.
func (m *Mask) begin() {
	m.touched = map[int]*ctile{}
}

// touch records tile i's state before the open change, the first time the
// change writes it. A tile whose compressed state is already known (from
// the last step that changed it) is shared rather than compressed again.
func (m *Mask) touch(i int) {
	if m.touched == nil {
		m.saved[i] = nil
		return
	}
	if _, seen := m.touched[i]; seen {
		return
	}
	before := m.saved[i]
	if before == nil && m.tiles[i] != nil {
		before = encodeTile(m.tiles[i])
	}
	m.touched[i] = before
	m.saved[i] = nil // the tile is about to change
}

// commit ends the recording; it keeps a step only when a tile really
// changed, and reports whether one did.
func (m *Mask) commit() bool {
	touched := m.touched
	m.touched = nil
	var s []tileChange
	for i, before := range touched {
		after := encodeTile(m.tiles[i])
		if after == nil {
			m.tiles[i] = nil // an all-zero tile holds no memory
		}
		m.saved[i] = after
		if after == nil && before == nil {
			continue
		}
		if after != nil && before != nil && string(after.data) == string(before.data) {
			m.saved[i] = before
			continue
		}
		s = append(s, tileChange{index: i, before: before, after: after})
	}
	if len(s) == 0 {
		return false
	}
	h := &m.hist
	h.clearRedo()
	for _, c := range s {
		h.hold(c.before)
		h.hold(c.after)
	}
	h.undo = append(h.undo, step{id: stepIDs.Add(1), changes: s})
	h.trim()
	return true
}

// SetUndoLimit sets how many steps are kept (at least 1).
func (m *Mask) SetUndoLimit(n int) {
	m.hist.limit = max(n, 1)
	m.hist.trim()
}

// SetHistoryBudget sets how many bytes the undo and redo steps may hold
// (DefaultHistoryBudget to start with); the oldest steps are dropped, and
// their memory freed, to stay within it. The last step is always kept. A
// budget ≤ 0 removes the byte limit (the step limit still applies).
func (m *Mask) SetHistoryBudget(bytes int64) {
	m.hist.budget = bytes
	if bytes <= 0 {
		m.hist.budget = -1
	}
	m.hist.trim()
}

// HistoryBudget returns the byte budget of the history (≤ 0: no limit).
func (m *Mask) HistoryBudget() int64 { return m.hist.byteBudget() }

// HistoryBytes returns the bytes the undo and redo steps hold (compressed
// tiles, each counted once however many steps share it).
func (m *Mask) HistoryBytes() int64 { return m.hist.used }

// Position is where the mask is in its history: the identity of the last
// step it went through (0 at the start of its history; once the oldest
// steps are dropped, the newest of those when every kept step is undone).
// It is the same after an undo as before the step undone, and a new step
// made after an undo has a new one; no two steps of any mask share one.
func (m *Mask) Position() uint64 {
	if n := len(m.hist.undo); n > 0 {
		return m.hist.undo[n-1].id
	}
	return m.hist.dropped
}

// UndoSteps returns how many steps Undo can go back.
func (m *Mask) UndoSteps() int { return len(m.hist.undo) }

// RedoSteps returns how many undone steps Redo can re-apply.
func (m *Mask) RedoSteps() int { return len(m.hist.redo) }

// CanUndo reports whether there is a step to undo.
func (m *Mask) CanUndo() bool { return len(m.hist.undo) > 0 }

// CanRedo reports whether there is a step to redo.
func (m *Mask) CanRedo() bool { return len(m.hist.redo) > 0 }

// Undo reverts the last step; it reports false when there was none.
func (m *Mask) Undo() bool { return m.replay(&m.hist.undo, &m.hist.redo, false) }

// Redo re-applies the last undone step; it reports false when there was none.
func (m *Mask) Redo() bool { return m.replay(&m.hist.redo, &m.hist.undo, true) }

// replay moves the last step of from to to, restoring its tiles as they
// were after the step (redo) or before it (undo). An open stroke is ended
// first, so it is the step undone.
func (m *Mask) replay(from, to *[]step, after bool) bool {
	if m.stroke != nil {
		m.EndStroke()
	}
	if len(*from) == 0 {
		return false
	}
	s := (*from)[len(*from)-1]
	(*from)[len(*from)-1] = step{}
	*from = (*from)[:len(*from)-1]
	for _, c := range s.changes {
		state := c.before
		if after {
			state = c.after
		}
		m.tiles[c.index] = decodeTile(state, m.tiles[c.index])
		m.saved[c.index] = state
	}
	*to = append(*to, s)
	return true
}
