package app

import (
	"image"
	"strings"
	"sync"
	"testing"

	"fyne.io/fyne/v2"

	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// fakeClipboard holds one PNG, as the system's clipboard would.
type fakeClipboard struct {
	mu  sync.Mutex
	png []byte
}

func (c *fakeClipboard) Picture() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.png, nil
}
func (c *fakeClipboard) SetPicture(png []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.png = png
	return nil
}

func (c *fakeClipboard) picture(t *testing.T) *image.NRGBA {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	img, info, err := imagefile.Decode(c.png, 0)
	if err != nil || info.Format != "png" {
		t.Fatalf("the clipboard holds no PNG: %v (%s)", err, info.Format)
	}
	return imagefile.ToNRGBA(img)
}

// TestPasteAndCopyPictures: Ctrl+V with a photo on the clipboard gives the
// background and with a transparent PNG the subject, as drops on the
// canvas do; an empty clipboard is told in words; Ctrl+C copies the
// picture shown at full size, and the mask when the mask alone is shown,
// as it was at Ctrl+C even when it is edited while the copy is made.
func TestPasteAndCopyPictures(t *testing.T) {
	ts := newTestStudio(t, "")
	clip := &fakeClipboard{}
	ts.desk.clip = clip
	c := ts.win.Canvas()
	shortcut := func(sc fyne.Shortcut) {
		c.Unfocus()
		c.(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(sc)
	}
	// The start's own word first, so that it does not cover the paste's.
	ts.pumpUntil("the engine to be ready", func() bool { return strings.HasPrefix(ts.frame.status.Text, "Ready") })
	shortcut(&fyne.ShortcutPaste{})
	ts.pumpUntil("the empty clipboard's message", func() bool { return strings.Contains(ts.frame.status.Text, "holds no picture") })

	photo := clienttest.Photo(320, 240)
	clip.SetPicture(clienttest.PNG(photo))
	shortcut(&fyne.ShortcutPaste{})
	ts.pumpUntil("the pasted background", func() bool { return ts.doc.Input(fieldBackground) != nil })
	if got := ts.editor.Image(); got.Rect.Size() != photo.Rect.Size() || got.NRGBAAt(100, 100) != photo.NRGBAAt(100, 100) {
		t.Fatal("the pasted photo is not the background's pixels")
	}
	// A second photo replaces the background, and Ctrl+Z brings the first
	// back, as after a drop.
	clip.SetPicture(clienttest.JPEG(clienttest.Photo(300, 200)))
	shortcut(&fyne.ShortcutPaste{})
	ts.pumpUntil("the second photo", func() bool { return ts.doc.Input(fieldBackground).Info.Width == 300 })
	ts.editor.Undo()
	ts.pump()
	if ts.doc.Input(fieldBackground).Info.Width != 320 {
		t.Fatal("Ctrl+Z did not bring the first pasted photo back")
	}
	clip.SetPicture(clienttest.PNG(clienttest.Subject(200, 200)))
	shortcut(&fyne.ShortcutPaste{})
	ts.pumpUntil("the pasted subject", func() bool { return ts.doc.Input(fieldSubject) != nil })
	if ts.doc.Input(fieldBackground).Info.Width != 320 {
		t.Error("pasting a transparent PNG replaced the background")
	}

	// Copy: the picture shown, then the mask alone.
	clip.SetPicture(nil)
	shortcut(&fyne.ShortcutCopy{})
	ts.pumpUntil("the copied picture", func() bool { return strings.HasPrefix(ts.frame.status.Text, "Copied") })
	if got := clip.picture(t); got.Rect.Size() != photo.Rect.Size() || got.NRGBAAt(100, 100) != photo.NRGBAAt(100, 100) {
		t.Error("Ctrl+C did not copy the picture shown at full size")
	}
	ts.paint()
	o := ts.editor.Overlay()
	o.MaskAlone = true
	ts.editor.SetOverlay(o)
	ts.frame.status.SetText("")
	mask := ts.editor.Mask().Gray()
	shortcut(&fyne.ShortcutCopy{})
	// The designer goes on editing while the copy is encoded: the copy
	// holds the mask as it was at Ctrl+C (and nothing reads it meanwhile).
	ts.editor.Invert()
	ts.pumpUntil("the copied mask", func() bool { return strings.HasPrefix(ts.frame.status.Text, "Copied the mask") })
	got := clip.picture(t)
	if got.Rect.Size() != mask.Rect.Size() {
		t.Fatalf("copied %v, the mask is %v", got.Rect, mask.Rect)
	}
	for i, v := range mask.Pix {
		if got.Pix[4*i] != v {
			t.Fatalf("the copied mask differs at pixel %d", i)
		}
	}
}
