package document

import (
	"image"
	"slices"

	"github.com/zeninpaint/studio/client"
)

// Kind is what an edit of the inputs did.
type Kind int

// The edits of a document's inputs, each one undo step.
const (
	Replaced Kind = iota // an input put in a role (dropped, opened, pasted)
	Cleared              // an input taken out
	Expanded             // the background grown, its new border the mask
	CutOut               // the subject cut out of its backdrop
	Kept                 // a result kept as an input
)

// Edit is one step of the document's history: the inputs it changed, with
// what was there before, and the mask over a replaced background.
type Edit struct {
	Kind Kind
	Role client.Role // the input the designer changed (others may follow it)

	changes []roleChange
	// The batch and the mask over the background, before and after, when
	// the background changed.
	batchBefore, batchAfter []*Picture
	maskBefore, maskAfter   *image.Gray
	nameBefore, nameAfter   string
	// maskAt is the mask's position right after the edit (or its undo):
	// strokes made since are undone first, and a redo needs the mask where
	// the undo left it.
	maskAt uint64
}

type roleChange struct {
	role          client.Role
	before, after *Picture
}

// Roles are the roles the edit changed, the designer's first.
func (e Edit) Roles() []client.Role {
	out := make([]client.Role, 0, len(e.changes))
	for _, c := range e.changes {
		out = append(out, c.role)
	}
	return out
}

// Restores reports whether undoing the edit brings a picture back into its
// role (false when the role was empty before).
func (e Edit) Restores() bool {
	for _, c := range e.changes {
		if c.role == e.Role {
			return c.before != nil
		}
	}
	return false
}

// history is the undo and redo stacks, newest last.
type history struct{ undo, redo []Edit }

// maxHistory bounds the kept edits (each may hold a mask).
const maxHistory = 8

// Replace puts p in role as one undo step; for the background, batch are
// more backgrounds (one job each) and the mask painted over the old one is
// kept for the undo. A depth map and a 3D preview exclude each other.
func (d *Document) Replace(kind Kind, role client.Role, p *Picture, batch []*Picture) {
	changes := []roleChange{{role, d.inputs[role], p}}
	switch role {
	case client.RoleDepth:
		changes = append(changes, roleChange{client.RolePreview, d.inputs[client.RolePreview], nil})
	case client.RolePreview:
		changes = append(changes, roleChange{client.RoleDepth, d.inputs[client.RoleDepth], nil})
	}
	d.edit(Edit{Kind: kind, Role: role, changes: changes, batchAfter: batch})
}

// Clear takes the input out of role, as one undo step.
func (d *Document) Clear(role client.Role) {
	if d.inputs[role] == nil {
		return
	}
	d.edit(Edit{Kind: Cleared, Role: role, changes: []roleChange{{role, d.inputs[role], nil}}})
}

// Expand makes p, a grown copy of the background, the background; the
// subject is set aside (an expansion fills from the picture itself). The
// canvas's new mask (the border) is made part of the step by MarkUndoPoint.
func (d *Document) Expand(p *Picture) {
	changes := []roleChange{{client.RoleBackground, d.inputs[client.RoleBackground], p}}
	if sub := d.inputs[client.RoleSubject]; sub != nil {
		changes = append(changes, roleChange{client.RoleSubject, sub, nil})
	}
	d.edit(Edit{Kind: Expanded, Role: client.RoleBackground, changes: changes})
}

// edit applies e and keeps it for undo, unless it only filled empty
// roles (a first picture is not taken back by Ctrl+Z); a new edit ends
// what could be redone.
func (d *Document) edit(e Edit) {
	if d.touches(e, client.RoleBackground) {
		e.batchBefore, e.maskBefore, e.nameBefore = d.batch, d.mask.Copy(), d.maskName
	}
	d.history.redo = nil
	d.apply(e, false)
	e.maskAt = d.mask.Position()
	if e.maskBefore == nil && !slices.ContainsFunc(e.changes, func(c roleChange) bool { return c.before != nil }) {
		return
	}
	d.history.undo = append(d.history.undo, e)
	if len(d.history.undo) > maxHistory {
		d.history.undo = append([]Edit(nil), d.history.undo[1:]...)
	}
}

// MarkUndoPoint makes the newest edit include the mask steps made with it
// so far (an expansion's border, a result kept with its mask): one Ctrl+Z
// undoes both, and a redo brings that mask back.
func (d *Document) MarkUndoPoint() {
	if n := len(d.history.undo); n > 0 {
		e := &d.history.undo[n-1]
		e.maskAt = d.mask.Position()
		if d.touches(*e, client.RoleBackground) {
			e.maskAfter, e.nameAfter = d.mask.Copy(), d.maskName
		}
	}
}

// CanUndo reports whether Undo would undo an edit now: there is one, and
// no mask step was made since (those are the canvas's to undo first).
func (d *Document) CanUndo() bool {
	n := len(d.history.undo)
	return n > 0 && d.history.undo[n-1].maskAt == d.mask.Position()
}

// Undo takes the newest edit back and returns it; false when CanUndo is
// false.
func (d *Document) Undo() (Edit, bool) {
	if !d.CanUndo() {
		return Edit{}, false
	}
	return d.move(&d.history.undo, &d.history.redo, true), true
}

// CanRedo reports whether Redo would redo an edit: one was undone and
// nothing was painted since.
func (d *Document) CanRedo() bool {
	n := len(d.history.redo)
	return n > 0 && d.history.redo[n-1].maskAt == d.mask.Position()
}

// Redo makes the newest undone edit again and returns it.
func (d *Document) Redo() (Edit, bool) {
	if !d.CanRedo() {
		return Edit{}, false
	}
	return d.move(&d.history.redo, &d.history.undo, false), true
}

// move takes the newest edit of from, applies it (back: as before it),
// and keeps it on to with the canvas's undo depth after it.
func (d *Document) move(from, to *[]Edit, back bool) Edit {
	n := len(*from)
	e := (*from)[n-1]
	*from = (*from)[:n-1]
	d.apply(e, back)
	e.maskAt = d.mask.Position()
	*to = append(*to, e)
	return e
}

// apply sets the inputs an edit changes to what they were before it
// (back) or after it, and tells the listeners, role by role.
func (d *Document) apply(e Edit, back bool) {
	for _, c := range e.changes {
		p := c.after
		if back {
			p = c.before
		}
		if p == nil {
			delete(d.inputs, c.role)
		} else {
			d.inputs[c.role] = p
		}
		if c.role == client.RoleBackground {
			d.batch, d.view = e.batchAfter, nil
			if back {
				d.batch = e.batchBefore
			}
		}
		d.changed(Change{Aspect: InputChanged, Role: c.role})
	}
	if !d.touches(e, client.RoleBackground) {
		return
	}
	mask, name := e.maskAfter, e.nameAfter
	if back {
		mask, name = e.maskBefore, e.nameBefore
	}
	if mask != nil && d.inputs[client.RoleBackground] != nil {
		d.mask.Restore(mask)
	}
	d.SetMaskName(name)
}

func (d *Document) touches(e Edit, role client.Role) bool {
	for _, c := range e.changes {
		if c.role == role {
			return true
		}
	}
	return false
}
