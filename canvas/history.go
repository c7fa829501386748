package canvas

// DefaultUndoSteps is how many steps Undo can go back by default.
const DefaultUndoSteps = 256

// step is one undoable change: the tiles it changed, before and after.
type step []tileChange

type tileChange struct {
	index         int
	before, after []uint8 // nil means an empty tile
}

// history keeps undo and redo steps of a Mask.
type history struct {
	undo, redo []step
	limit      int
}

// begin starts recording the tiles the next change touches.
func (m *Mask) begin() {
	m.touched = map[int][]uint8{}
}

// commit ends the recording; it keeps a step only when a tile really
// changed, and reports whether one did.
func (m *Mask) commit() bool {
	touched := m.touched
	m.touched = nil
	var s step
	for i, before := range touched {
		after := m.tiles[i]
		if string(before) == string(after) || (before == nil && isZero(after)) {
			if before == nil && after != nil && isZero(after) {
				m.tiles[i] = nil // painting nothing allocated nothing
			}
			continue
		}
		s = append(s, tileChange{index: i, before: before, after: cloneTile(after)})
	}
	if len(s) == 0 {
		return false
	}
	h := &m.hist
	if h.limit == 0 {
		h.limit = DefaultUndoSteps
	}
	h.undo = append(h.undo, s)
	if len(h.undo) > h.limit {
		h.undo = h.undo[len(h.undo)-h.limit:]
	}
	h.redo = nil
	return true
}

func isZero(t []uint8) bool {
	for _, v := range t {
		if v != 0 {
			return false
		}
	}
	return true
}

// SetUndoLimit sets how many steps are kept (at least 1).
func (m *Mask) SetUndoLimit(n int) { m.hist.limit = max(n, 1) }

// CanUndo reports whether there is a step to undo.
func (m *Mask) CanUndo() bool { return len(m.hist.undo) > 0 }

// CanRedo reports whether there is a step to redo.
func (m *Mask) CanRedo() bool { return len(m.hist.redo) > 0 }

// Undo reverts the last step; it reports false when there was none.
func (m *Mask) Undo() bool { return m.replay(&m.hist.undo, &m.hist.redo, false) }

// Redo re-applies the last undone step; it reports false when there was none.
func (m *Mask) Redo() bool { return m.replay(&m.hist.redo, &m.hist.undo, true) }

// replay moves the last step of from to to, restoring its tiles as they
// were after the step (redo) or before it (undo).
func (m *Mask) replay(from, to *[]step, after bool) bool {
	if len(*from) == 0 {
		return false
	}
	s := (*from)[len(*from)-1]
	*from = (*from)[:len(*from)-1]
	for _, c := range s {
		if after {
			m.tiles[c.index] = cloneTile(c.after)
		} else {
			m.tiles[c.index] = cloneTile(c.before)
		}
	}
	*to = append(*to, s)
	return true
}
