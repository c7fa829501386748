package app

import (
	"bytes"
	"errors"
	"image"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/clienttest"
	"github.com/zeninpaint/studio/client/imagefile"
	"github.com/zeninpaint/studio/engine"
)

// A Display P3 photo, PNG or JPEG, keeps its colour profile through the
// crop sent to the server, the paste back into the original, the saved
// result (written 0644) and Save as JPEG.
func TestColourProfileSurvivesCropPasteAndSave(t *testing.T) {
	eng := httptest.NewServer(engine.NewServer(engine.Options{}))
	defer eng.Close()
	store, err := jobs.OpenStore(filepath.Join(t.TempDir(), "data"))
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	m, err := jobs.NewManager(jobs.Options{Store: store, OutputDir: func() string { return out },
		Clients: func(jobs.Server) (*client.Client, error) {
			return client.New(client.Config{SyncURL: eng.URL, AsyncURL: eng.URL})
		}})
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	p3 := clienttest.P3Profile()
	photo := clienttest.Photo(640, 480)
	for _, tc := range []struct{ name, file string }{
		{"png", "p3 photo.png"},
		{"jpeg", "p3 photo.jpg"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := clienttest.PNG(photo)
			if tc.name == "jpeg" {
				data = clienttest.JPEG(photo)
			}
			g := inpaintRequest(t, 640, 480, image.Rect(200, 150, 300, 250), framing.DefaultSettings)
			g.mains = []*loadedImage{loaded(t, tc.file, imagefile.WithICC(data, p3))}
			specs, err := buildSpecs(g)
			if err != nil {
				t.Fatal(err)
			}
			sent := specs[0].Inputs["background"].Data
			if info, _ := imagefile.Inspect(sent, 0); info.Width >= 640 {
				t.Fatalf("the background was not cropped (%d px wide)", info.Width)
			}
			if !bytes.Equal(imagefile.ICC(sent), p3) {
				t.Error("the crop sent to the server lost the profile")
			}
			job, err := m.Add(specs[0])
			if err != nil {
				t.Fatal(err)
			}
			j := waitDone(t, m, job.ID)
			if j.Status != jobs.Done || j.Error != "" {
				t.Fatalf("%s %q", j.Status, j.Error)
			}
			composite, _ := m.Result(j)
			if !bytes.Equal(imagefile.ICC(composite), p3) {
				t.Error("the composite lost the profile")
			}
			saved, err := os.ReadFile(j.ResultPath)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(imagefile.ICC(saved), p3) {
				t.Error("the saved result lost the profile")
			}
			if st, _ := os.Stat(j.ResultPath); st.Mode().Perm() != 0o644 {
				t.Errorf("the result is written %v, want 0644", st.Mode().Perm())
			}
			asJPEG, name, err := encodeForName("hero final.jpg", saved)
			if err != nil || name != "hero final.jpg" {
				t.Fatalf("Save as JPEG: %q, %v", name, err)
			}
			if info, err := imagefile.Inspect(asJPEG, 0); err != nil || info.Format != "jpeg" {
				t.Fatalf("Save as hero final.jpg wrote %s (%v)", info.Format, err)
			}
			if !bytes.Equal(imagefile.ICC(asJPEG), p3) {
				t.Error("Save as JPEG lost the profile")
			}
			if c := jpegComment(asJPEG); !strings.Contains(c, "Prompt: a vase") {
				t.Errorf("Save as JPEG lost the metadata: %q", c)
			}
		})
	}
}

// Save as writes the format the extension names, or corrects the name.
func TestSaveAsFormatFollowsTheExtension(t *testing.T) {
	result, err := jobs.WithPNGText(clienttest.PNG(clienttest.Subject(40, 30)), jobs.MetadataKeys,
		map[string]string{"Prompt": "a blue vase", "Seed": "7"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, wantName, wantFormat string
	}{
		{"hero final.png", "hero final.png", "png"},
		{"hero final.jpg", "hero final.jpg", "jpeg"},
		{"HERO.JPEG", "HERO.JPEG", "jpeg"},
		{"hero.webp", "hero.webp.png", "png"},
		{"hero", "hero.png", "png"},
		{"hero.tiff", "hero.tiff.png", "png"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, name, err := encodeForName(tc.name, result)
			if err != nil {
				t.Fatal(err)
			}
			info, err := imagefile.Inspect(data, 0)
			if name != tc.wantName || err != nil || info.Format != tc.wantFormat {
				t.Errorf("saved as %q in %s (%v), want %q in %s", name, info.Format, err, tc.wantName, tc.wantFormat)
			}
			if tc.wantFormat == "png" && jobs.PNGText(data)["Prompt"] != "a blue vase" {
				t.Error("the metadata was lost")
			}
			if tc.wantFormat == "jpeg" && !strings.Contains(jpegComment(data), "Prompt: a blue vase") {
				t.Error("the metadata was lost")
			}
		})
	}
}

// The slot caption names the file's own format, not the PNG it is sent as.
func TestCaptionNamesTheRealFormat(t *testing.T) {
	corpus := badCorpus(t)
	want := map[string]string{"old.bmp": "BMP", "scan.tiff": "TIFF", "animated.gif": "GIF", "gray.jpg": "JPEG",
		"phone-portrait.jpg": "JPEG", "opaque-subject.png": "PNG"}
	for _, c := range corpus {
		f, ok := want[c.name]
		if !ok {
			continue
		}
		l, err := document.LoadBytes(c.name, c.data)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.Describe(); !strings.HasSuffix(got, " "+f) || !strings.HasPrefix(got, c.name) {
			t.Errorf("%s: caption %q, want it to end in %s", c.name, got, f)
		}
	}
	data, _ := os.ReadFile("../client/imagefile/testdata/photo.webp")
	l, err := document.LoadBytes("photo.webp", data)
	if err != nil {
		t.Fatal(err)
	}
	if got := l.Describe(); !strings.HasSuffix(got, " WebP") {
		t.Errorf("webp caption %q, want it to end in WebP", got)
	}
}

// A folder the system cannot open is shown by its path, to copy; the
// system's error is not.
func TestFolderThatCannotBeOpenedShowsItsPath(t *testing.T) {
	ts := newTestStudio(t, "")
	dir := t.TempDir()
	ts.showFolderPath(dir, errors.New(`exec: "xdg-open": executable file not found in $PATH`))
	top := ts.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog")
	}
	shown := strings.Join(visibleTexts(top), " ")
	if !strings.Contains(shown, dir) || !strings.Contains(shown, "Copy the path") {
		t.Errorf("the dialog %q does not offer the folder's path", shown)
	}
	if strings.Contains(shown, "xdg-open") || strings.Contains(shown, "exec:") {
		t.Errorf("the dialog %q shows the system's error", shown)
	}
}
