package app

import (
	"errors"
	"image"
	"path/filepath"
	"time"

	"github.com/zeninpaint/studio/app/document"
	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client/imagefile"
)

// The workspace is the document (app/document): it is saved a moment after
// each change (atomically, in the data folder's workspace/), and restored
// at the next start, after a quit or a crash.

// workspaceDelay is how long the app waits after a change before saving:
// a stroke or a typed word is saved once, not per dab or key.
const workspaceDelay = 700 * time.Millisecond

func (s *Studio) workspaceDir() string { return filepath.Join(s.cfg.DataDir, "workspace") }

// workspaceChanged schedules a save of the workspace. While the saved
// one is being read and put back, nothing is saved (an empty start must
// never be written over it): a change then is saved once it is back.
func (s *Studio) workspaceChanged() {
	if s.ctx == nil || s.ctx.Err() != nil {
		return
	}
	if s.saver.restoring {
		s.saver.pending = true
		return
	}
	if s.saver.timer != nil {
		s.saver.timer.Stop()
	}
	s.saver.timer = time.AfterFunc(workspaceDelay, func() { s.cfg.Do(s.saveWorkspace) })
}

// saveWorkspace takes the document and the canvas's mask on Fyne's
// goroutine and writes them aside. The mask is scanned and copied only
// when it changed since it was last written (a 24 MP mask takes some
// 13 ms to copy, 5 ms to find empty or not): a save after a typed word
// keeps the mask's file.
func (s *Studio) saveWorkspace() {
	if s.ctx.Err() != nil {
		return
	}
	m := s.editor.Mask()
	// A mask written at this position of its history is unchanged (and
	// not empty: an empty one is not written); a new picture has a new
	// mask. Neither scanning nor copying it is then needed. But a stroke
	// being drawn changes the mask before it moves the position (its copy
	// is not remembered).
	at, drawing := m.Position(), m.InStroke()
	same := !drawing && s.saver.mask.blob != "" && s.saver.mask.of == m && s.saver.mask.at == at
	var mask *image.Gray
	if !same && s.editor.HasImage() && !m.IsEmpty() {
		mask = m.Gray()
	}
	snap := s.doc.Snapshot(mask)
	if same {
		snap.KeepMask(s.saver.mask.blob)
	}
	s.saver.seq++
	seq, dir := s.saver.seq, s.workspaceDir()
	s.saver.saves.Add(1)
	go func() {
		defer s.saver.saves.Done()
		s.saver.writing.Lock()
		defer s.saver.writing.Unlock()
		if seq < s.saver.written {
			return // a newer snapshot is already written
		}
		s.saver.written = seq
		blob, err := snap.Write(dir)
		if err != nil {
			s.cfg.Logger.Warn("saving the workspace", "error", err)
		}
		s.cfg.Do(func() {
			switch {
			case err == nil && !drawing:
				s.saver.mask = savedMask{of: m, at: at, blob: blob}
			case errors.Is(err, document.ErrKeptMaskGone):
				s.saver.mask = savedMask{}
				s.workspaceChanged() // again, with the mask itself
			default:
				s.saver.mask = savedMask{}
			}
		})
	}()
}

// restoreWorkspace brings back the last workspace: read and decoded aside
// (a 24 MP photo takes a moment, shown by the loading bar), placed on
// Fyne's goroutine.
func (s *Studio) restoreWorkspace() {
	dir := s.workspaceDir()
	s.saver.restoring, s.saver.pending = true, false // the start's own changes are not the designer's
	s.showLoading(true)
	go func() {
		saved, err := document.Read(dir)
		s.cfg.Do(func() {
			s.showLoading(false)
			defer s.restored()
			if err != nil {
				s.cfg.Logger.Warn("restoring the workspace", "error", err)
				s.setStatus("The last workspace could not be restored; starting afresh.")
				return
			}
			if saved != nil {
				s.applyWorkspace(saved)
			}
		})
	}()
}

// restored ends the restore: from now on changes are saved, and one made
// while the workspace was being read is saved now.
func (s *Studio) restored() {
	s.saver.restoring = false
	if s.saver.pending {
		s.saver.pending = false
		s.workspaceChanged()
	}
}

// applyWorkspace puts a saved workspace back: the document, then the
// canvas's mask and view.
func (s *Studio) applyWorkspace(saved *document.Saved) {
	s.doc.Restore(saved)
	if len(saved.Mask) > 0 && s.editor.HasImage() {
		if img, _, err := imagefile.Decode(saved.Mask, 0); err == nil {
			_, _ = s.editor.ImportMask(img)
			s.doc.SetMaskName(saved.MaskName)
		}
	}
	if v := saved.View; v != nil {
		s.editor.SetView(zcanvas.View{Zoom: v.Zoom, OriginX: v.OriginX, OriginY: v.OriginY})
	}
	s.refreshMaskSlot()
	s.validate()
	s.setStatus("Your last workspace is back.")
}

// showLoading shows or hides the loading bar over the canvas.
func (s *Studio) showLoading(on bool) {
	s.frame.loading.Hidden = !on
	if on {
		s.frame.loading.Start()
		s.frame.emptyHint.Hide()
	} else {
		s.frame.loading.Stop()
		s.frame.emptyHint.Hidden = s.doc.Main() != nil
	}
	s.frame.center.Refresh()
}

// editorMask is the canvas's mask as the document sees it.
type editorMask struct{ e *zcanvas.Editor }

func (m editorMask) Position() uint64 { return m.e.Mask().Position() }

func (m editorMask) Copy() *image.Gray {
	if !m.e.HasImage() || m.e.Mask().IsEmpty() {
		return nil
	}
	return m.e.Mask().Gray()
}

func (m editorMask) Restore(g *image.Gray) {
	if m.e.HasImage() {
		_, _ = m.e.ImportMask(g)
	}
}
