package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
)

// The real window at the sizes of real laptops, with a photo, a subject, a
// painted mask and finished jobs, and the selection tools in use. Each
// screenshot is checked (the window has the size asked for, it is not
// blank, the mask's overlay shows); ZEN_SCREENSHOTS=folder also keeps them
// (`make screenshots` writes assets/screens and the README's picture).

// screenSizes are the laptop windows shot.
var screenSizes = []image.Point{{1024, 700}, {1280, 800}, {1400, 880}}

// workspaceFixture writes a saved workspace into a data folder, as the app
// leaves it: the background, the subject, the mask and the prompt.
func workspaceFixture(t *testing.T, data string, background, subject, mask []byte, prompt string) {
	t.Helper()
	dir := filepath.Join(data, "workspace")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	blob := func(b []byte) string {
		sum := sha256.Sum256(b)
		name := hex.EncodeToString(sum[:])
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
		return name
	}
	doc := map[string]any{"version": 1, "mode": "inpaint", "prompt": prompt, "seed": "424242",
		"inputs": map[string]any{"background": map[string]string{"name": "meadow.jpg", "blob": blob(background)}}}
	if subject != nil {
		doc["inputs"].(map[string]any)["subject"] = map[string]string{"name": "vase.png", "blob": blob(subject)}
	}
	if mask != nil {
		doc["mask"] = blob(mask)
	}
	b, _ := json.Marshal(doc)
	if err := os.WriteFile(filepath.Join(dir, "workspace.json"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// fixturePhoto is a real photograph when the repository has one (the
// engine's benchmark photos), else a drawn scene.
func fixturePhoto(t *testing.T) []byte {
	t.Helper()
	if b, err := os.ReadFile(filepath.Join("engine", "testdata", "photos", "meadow.jpg")); err == nil {
		return b
	}
	return clienttest.JPEG(clienttest.Photo(1200, 800))
}

// ellipseMask is a mask with an ellipse in the lower third.
func ellipseMask(w, h int) []byte {
	m := image.NewGray(image.Rect(0, 0, w, h))
	cx, cy, rx, ry := float64(w)/2, float64(h)*0.68, float64(w)/7, float64(h)/8
	for y := range h {
		for x := range w {
			dx, dy := (float64(x)-cx)/rx, (float64(y)-cy)/ry
			if dx*dx+dy*dy <= 1 {
				m.Pix[y*m.Stride+x] = 255
			}
		}
	}
	return clienttest.PNG(m)
}

// shootWindow starts the app on data, sizes its window, waits for the
// workspace's photo (and its mask, withMask) on screen, lets act do things
// to it, and returns the screenshot's path.
func shootWindow(t *testing.T, data string, size image.Point, name string, withMask bool, act func(wid string)) string {
	t.Helper()
	home := filepath.Join(t.TempDir(), "home")
	stamp := filepath.Join(t.TempDir(), "first-frame")
	t.Setenv("ZEN_FIRST_FRAME_FILE", stamp) // the app writes it once its window is sized and drawn
	cmd := start(t, home, "--data", data)
	wid := strings.Fields(run(t, "timeout", untilDeadline(t), "xdotool", "search", "--sync", "--name", "Zen Inpaint Studio"))[0]
	clienttest.Until(t, "the app's first frame", nil, func() bool {
		_, err := os.Stat(stamp)
		return err == nil
	})
	// Size the window, again until the window manager agrees, then wait
	// for the workspace's photo to be decoded and on screen.
	want := fmt.Sprintf("%dx%d", size.X, size.Y)
	clienttest.Until(t, "the window at "+want, func() {
		run(t, "xdotool", "windowsize", wid, fmt.Sprint(size.X), fmt.Sprint(size.Y))
	}, func() bool {
		return strings.Contains(run(t, "xdotool", "getwindowgeometry", wid), "Geometry: "+want)
	})
	probe := filepath.Join(t.TempDir(), "probe.png")
	clienttest.Until(t, "the workspace's photo (and mask) on screen", nil, func() bool {
		run(t, "import", "-window", wid, probe)
		colours, overlay := screenshotStats(t, probe)
		return colours >= 200 && (!withMask || overlay >= 100)
	})
	if act != nil {
		act(wid)
	}
	shot := filepath.Join(t.TempDir(), name+".png")
	run(t, "import", "-window", wid, shot)
	_ = cmd.Process.Kill()
	_ = cmd.Wait() // its window is gone before the next search
	if out := os.Getenv("ZEN_SCREENSHOTS"); out != "" {
		src, _ := os.ReadFile(shot)
		if err := os.MkdirAll(out, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(out, name+".png"), src, 0o644); err != nil {
			t.Error(err)
		}
	}
	return shot
}

// pngSize reads a PNG's size.
func pngSize(t *testing.T, path string) image.Point {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		t.Fatal(err)
	}
	return image.Pt(cfg.Width, cfg.Height)
}

func TestScreenshotsAtLaptopSizes(t *testing.T) {
	need(t, "xdotool", "import")
	photo := fixturePhoto(t)
	info, err := imagefile.Inspect(photo, 0)
	if err != nil {
		t.Fatal(err)
	}
	subject := clienttest.PNG(clienttest.Subject(300, 300))
	mask := ellipseMask(info.Width, info.Height)
	for _, size := range screenSizes {
		data := finishedJobs(t, filepath.Join(t.TempDir(), "data"))
		workspaceFixture(t, data, photo, subject, mask, "a red ceramic vase standing in the grass, soft evening light")
		name := fmt.Sprintf("window-%dx%d", size.X, size.Y)
		shot := shootWindow(t, data, size, name, true, nil)
		if got := pngSize(t, shot); got != size {
			t.Errorf("%s: the window is %v", name, got)
		}
		colours, overlay := screenshotStats(t, shot)
		if colours < 200 || overlay < 100 {
			t.Errorf("%s: %d colours, %d overlay pixels: the photo or its mask is not on screen", name, colours, overlay)
		}
	}
	// The selection tools in use (the outline is drawn while dragging), and
	// an expanded picture with its new border as the mask.
	size := image.Pt(1280, 800)
	for _, tool := range []struct{ name, keys string }{
		{"lasso", "l"}, {"polygonal-lasso", "shift+l"}, {"rectangle", "m"}, {"ellipse", "shift+m"},
	} {
		data := filepath.Join(t.TempDir(), "data")
		workspaceFixture(t, data, photo, nil, nil, "")
		shootWindow(t, data, size, "tool-"+tool.name, false, func(wid string) {
			run(t, "xdotool", "mousemove", "--window", wid, "700", "420", "click", "1") // the canvas has the keyboard
			run(t, "xdotool", "key", "--window", wid, tool.keys)
			points := [][2]int{{600, 330}, {820, 300}, {900, 470}, {760, 560}, {620, 500}}
			if tool.name == "polygonal-lasso" {
				for _, p := range points {
					run(t, "xdotool", "mousemove", "--window", wid, fmt.Sprint(p[0]), fmt.Sprint(p[1]), "click", "1")
					time.Sleep(150 * time.Millisecond)
				}
				run(t, "xdotool", "mousemove", "--window", wid, "640", "420")
				time.Sleep(500 * time.Millisecond)
				return
			}
			run(t, "xdotool", "mousemove", "--window", wid, "600", "330", "mousedown", "1")
			for _, p := range points[1:] {
				run(t, "xdotool", "mousemove", "--window", wid, fmt.Sprint(p[0]), fmt.Sprint(p[1]))
				time.Sleep(120 * time.Millisecond)
			}
			time.Sleep(500 * time.Millisecond) // the shot is taken with the button held
		})
	}
	img, _, err := imagefile.Decode(photo, 0)
	if err != nil {
		t.Fatal(err)
	}
	target, _ := framing.ExpandedSize(img.Bounds().Size(), 4, 5)
	e, err := framing.Expand(img, target, framing.Anchor{X: 0.5, Y: 0.5}, 16)
	if err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(t.TempDir(), "data")
	workspaceFixture(t, data, clienttest.PNG(e.Picture), nil, clienttest.PNG(e.Mask), "")
	shot := shootWindow(t, data, size, "expanded-4x5", true, nil)
	if _, overlay := screenshotStats(t, shot); overlay < 100 {
		t.Errorf("the expanded picture's border mask is not on screen (%d overlay pixels)", overlay)
	}
}
