package app

import (
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/app/jobs"
	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client"
)

// resultView shows a finished job's result on the canvas in place of the
// mode's picture (the mask editor's in Inpaint, the centre preview in the
// other modes), without the mask's overlay, with a badge that says which
// result it is and how to go back. The variations of one press can be
// stepped through (← and →) and the one shown kept as the new main input
// (Enter, one undo step): staging, as in Krita and InvokeAI.
type resultView struct {
	doc     *document.Document
	editor  *zcanvas.Editor
	preview *canvas.Image // the centre's picture in the other modes
	host    resultHost
	badge   *widget.Label
	// content is the badge in the centre's top-left corner.
	content fyne.CanvasObject
	shown   *jobs.Job // the job shown, nil when the original is
	opening string    // the job being read and decoded, "" when none
}

// resultHost is what the result view asks of the window: to say what it
// shows, the jobs (newest first) and a press's variations, a job's result
// decoded aside, and to keep a result as an input.
type resultHost interface {
	setStatus(text string)
	allJobs() []jobs.Job
	variations(j jobs.Job) []jobs.Job
	openResult(j jobs.Job, done func(image.Image), failed func(error))
	useResult(j jobs.Job, role client.Role)
}

func newResultView(doc *document.Document, editor *zcanvas.Editor, preview *canvas.Image, host resultHost) *resultView {
	v := &resultView{doc: doc, editor: editor, preview: preview, host: host, badge: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})}
	v.badge.Importance = widget.HighImportance
	v.content = container.NewVBox(container.NewHBox(v.badge))
	v.content.Hide()
	return v
}

// fits reports whether j's result belongs on the canvas now: a finished
// job of the mode shown, made from the main input on the canvas.
func (v *resultView) fits(j jobs.Job) bool {
	if j.Status != jobs.Done || j.Final() == "" || j.Mode != v.doc.Mode() {
		return false
	}
	if v.doc.Mode() == client.ModeInpaint {
		return j.Framing != nil && v.editor.HasImage() &&
			v.editor.Image().Rect.Size() == image.Pt(j.Framing.Size[0], j.Framing.Size[1])
	}
	role := v.doc.MainRole()
	main, in := v.doc.Input(role), j.Inputs[role]
	if main == nil || in.Blob == "" {
		return false
	}
	if j.Originals != nil && j.Originals[role].Name != "" { // sent scaled: compare with the original
		in = j.Originals[role]
		return in.Name == main.Name
	}
	return in.Name == main.Name && in.Width == main.Info.Width && in.Height == main.Info.Height
}

// candidates are the results that fit, newest first.
func (v *resultView) candidates() []jobs.Job {
	var out []jobs.Job
	for _, j := range v.host.allJobs() { // newest first
		if v.fits(j) {
			out = append(out, j)
		}
	}
	return out
}

// toggle shows the newest result that fits, or the original again.
func (v *resultView) toggle() {
	if v.shown != nil {
		v.hide()
		v.host.setStatus("Showing the original (\\ shows the result).")
		return
	}
	if c := v.candidates(); len(c) > 0 {
		v.show(c[0])
		return
	}
	v.host.setStatus(fmt.Sprintf("No finished %s result of this picture to show yet.", v.doc.Mode().Title()))
}

// show reads and decodes j's result aside, then shows it.
func (v *resultView) show(j jobs.Job) {
	v.opening = j.ID
	v.host.setStatus("Opening the result…")
	v.host.openResult(j, func(img image.Image) {
		if v.opening != j.ID || !v.fits(j) { // another was asked for, or the canvas changed meanwhile
			return
		}
		v.opening = ""
		if v.doc.Mode() == client.ModeInpaint {
			v.editor.ShowPicture(img)
		} else {
			v.preview.Image = document.PreviewOf(img)
			v.preview.Refresh()
		}
		v.shown = &j
		v.doc.Show(j.Mode, j.ID)
		v.badge.SetText(v.describe(j))
		v.content.Show()
		without := " without the mask"
		if v.doc.Mode() != client.ModeInpaint {
			without = ""
		}
		v.host.setStatus(fmt.Sprintf("Showing the result (seed %d)%s: \\ shows the original again.", j.Seed, without))
	}, func(err error) { v.opening = ""; v.host.setStatus("The result could not be opened: " + err.Error()) })
}

// describe is the badge's text for j.
func (v *resultView) describe(j jobs.Job) string {
	text := fmt.Sprintf("Result · seed %d", j.Seed)
	if vars := v.stage(j); len(vars) > 1 {
		for i, o := range vars {
			if o.ID == j.ID {
				text = fmt.Sprintf("Result %d of %d · seed %d · ← → the others · Enter keeps it", i+1, len(vars), j.Seed)
			}
		}
	}
	return text + " · \\ the original"
}

// stage is the press's variations that fit, oldest first.
func (v *resultView) stage(j jobs.Job) []jobs.Job {
	var out []jobs.Job
	for _, o := range v.host.variations(j) {
		if v.fits(o) {
			out = append(out, o)
		}
	}
	return out
}

// follow hides a result that no longer belongs on the canvas (the mode
// or the main input changed).
func (v *resultView) follow() {
	if v.shown != nil && !v.fits(*v.shown) {
		v.hide()
	}
}

// beforePaint shows the original again when the designer starts painting
// or selecting over a result: the mask they change is seen as it changes.
func (v *resultView) beforePaint() {
	if v.shown == nil {
		return
	}
	v.hide()
	v.host.setStatus("Back to the original, with the mask you are changing (\\ shows the result again).")
}

// hide shows the original again (at once; nothing to read).
func (v *resultView) hide() {
	v.opening = ""
	if v.shown == nil {
		return
	}
	v.doc.Show(v.shown.Mode, "")
	v.shown = nil
	v.content.Hide()
	v.editor.ShowPicture(nil)
	if main := v.doc.Input(v.doc.MainRole()); main != nil && v.doc.Mode() != client.ModeInpaint {
		v.preview.Image = displayImage(main)
		v.preview.Refresh()
	}
}

// key takes the staging keys while a result is shown: ← and → step
// through the press's variations, Enter keeps the one shown, Esc goes
// back to the original. It reports whether it used the key.
func (v *resultView) key(name fyne.KeyName) bool {
	if v.shown == nil {
		return false
	}
	j := *v.shown
	switch name {
	case fyne.KeyLeft, fyne.KeyRight:
		vars := v.stage(j)
		for i, o := range vars {
			if o.ID == j.ID && len(vars) > 1 {
				step := 1
				if name == fyne.KeyLeft {
					step = len(vars) - 1
				}
				v.show(vars[(i+step)%len(vars)])
				return true
			}
		}
		return false
	case fyne.KeyReturn, fyne.KeyEnter:
		v.hide()
		v.host.useResult(j, fieldBackground)
		return true
	case fyne.KeyEscape:
		v.hide()
		v.host.setStatus("Showing the original (\\ shows the result).")
		return true
	}
	return false
}
