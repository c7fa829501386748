package app

import (
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client/clienttest"
)

// objectScene is a 400×300 photo-like picture: a red disc and a blue
// square on a noisy green-grey ground.
func objectScene() (img *image.NRGBA, disc, square func(x, y int) bool) {
	disc = func(x, y int) bool { dx, dy := x-120, y-150; return dx*dx+dy*dy <= 50*50 }
	square = func(x, y int) bool { return x >= 290 && x < 360 && y >= 90 && y < 160 }
	img = image.NewNRGBA(image.Rect(0, 0, 400, 300))
	rng := rand.New(rand.NewPCG(3, 4))
	for y := range 300 {
		for x := range 400 {
			n := uint8(rng.IntN(40))
			c := color.NRGBA{R: 90 + n, G: 110 + n, B: 80 + n, A: 255}
			switch {
			case disc(x, y):
				c = color.NRGBA{R: 200 + n/2, G: 30 + n/4, B: 30, A: 255}
			case square(x, y):
				c = color.NRGBA{R: 30, G: 50 + n/4, B: 200 + n/2, A: 255}
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img, disc, square
}

// TestObjectSelectionOnTheStudio: W picks the object tool; a box dragged
// around the disc selects it, Shift+box adds the square, Alt+box takes the
// disc away again, and Ctrl+Z brings it back, each step one undo.
func TestObjectSelectionOnTheStudio(t *testing.T) {
	ts := newTestStudio(t, "")
	img, disc, square := objectScene()
	ts.load(onCanvas, ts.file("objects.png", clienttest.PNG(img)))
	ts.win.Canvas().Capture() // a frame: the picture is fitted to the view
	ts.editor.TypedRune('w')
	if ts.editor.Tool() != zcanvas.ToolObject {
		t.Fatalf("W picked %v", ts.editor.Tool())
	}
	box := func(x0, y0, x1, y1 float64, mod fyne.KeyModifier) {
		v := ts.editor.View()
		fx, fy := v.ToDevice(x0, y0)
		tx, ty := v.ToDevice(x1, y1)
		from, to := fyne.NewPos(float32(fx), float32(fy)), fyne.NewPos(float32(tx), float32(ty))
		ts.editor.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: from}, Button: desktop.MouseButtonPrimary, Modifier: mod})
		for i := 1; i <= 5; i++ {
			p := fyne.NewPos(from.X+(to.X-from.X)*float32(i)/5, from.Y+(to.Y-from.Y)*float32(i)/5)
			ts.editor.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: p}})
		}
		ts.editor.DragEnd()
		ts.editor.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: to}, Button: desktop.MouseButtonPrimary, Modifier: mod})
		ts.pumpUntil("the object selection", func() bool { busy, _ := ts.editor.Busy(); return !busy })
	}
	// covered is the share of the shape's pixels in the mask, and stray
	// the share of the mask outside both shapes.
	covered := func(shape func(x, y int) bool) (share, stray float64) {
		m := ts.editor.Mask().Gray()
		in, total, out, all := 0, 0, 0, 0
		for y := range 300 {
			for x := range 400 {
				on := m.GrayAt(x, y).Y >= 128
				if shape(x, y) {
					total++
					if on {
						in++
					}
				}
				if on {
					all++
					if !disc(x, y) && !square(x, y) {
						out++
					}
				}
			}
		}
		return float64(in) / float64(total), float64(out) / float64(max(all, 1))
	}
	box(60, 90, 182, 212, 0)
	if share, stray := covered(disc); share < 0.9 || stray > 0.1 {
		t.Fatalf("the box around the disc selected %.0f %% of it, %.0f %% of the mask elsewhere", share*100, stray*100)
	}
	box(282, 82, 368, 168, fyne.KeyModifierShift)
	if share, _ := covered(square); share < 0.9 {
		t.Errorf("Shift+box selected %.0f %% of the square", share*100)
	}
	if share, _ := covered(disc); share < 0.9 {
		t.Errorf("Shift+box lost the disc: %.0f %% left", share*100)
	}
	box(60, 90, 182, 212, fyne.KeyModifierAlt)
	if share, _ := covered(disc); share > 0.1 {
		t.Errorf("Alt+box left %.0f %% of the disc", share*100)
	}
	if share, _ := covered(square); share < 0.9 {
		t.Errorf("Alt+box around the disc took the square: %.0f %% left", share*100)
	}
	ts.editor.Undo()
	if share, _ := covered(disc); share < 0.9 {
		t.Errorf("Ctrl+Z did not bring the disc back: %.0f %%", share*100)
	}
}
