package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/client/clienttest"
)

// The child of TestDropPeakRSS: ZEN_PEAK_RSS_CHILD is "corpus:DIR" (load
// every file of the bad-image corpus in DIR) or "canvas:FILE" (drop FILE on
// the canvas of a studio, as a user does). It prints what became of each
// file and its peak resident memory.
func TestDropPeakRSSChild(t *testing.T) {
	arg := os.Getenv(clienttest.PeakRSSEnv)
	if arg == "" {
		t.Skip("run by TestDropPeakRSS")
	}
	kind, path, _ := strings.Cut(arg, ":")
	switch kind {
	case "corpus":
		entries, _ := os.ReadDir(path)
		for _, e := range entries {
			if _, err := document.LoadFile(filepath.Join(path, e.Name())); err != nil {
				fmt.Printf("refused: %v\n", err)
			} else {
				fmt.Printf("loaded: %s\n", e.Name())
			}
		}
	case "canvas":
		ts := newTestStudio(t, "")
		ts.load("canvas", storage.NewFileURI(path))
		ts.pump()
		if top := ts.win.Canvas().Overlays().Top(); top != nil {
			fmt.Printf("refused: %s\n", strings.Join(visibleTexts(top), " "))
		} else if ts.editor.HasImage() {
			fmt.Printf("loaded: %s\n", ts.doc.Input(fieldBackground).Describe())
		}
	}
	clienttest.ReportPeakRSS()
}

// Dropping any file, from the bad-image corpus to 100-megapixel JPEGs and
// 16-bit PNGs, on the canvas peaks at 1 GiB of resident memory at most,
// or the file is refused in plain words. Each runs in its own process, so
// its peak is its own.
func TestDropPeakRSS(t *testing.T) {
	if testing.Short() {
		t.Skip("writes and opens 100-megapixel files")
	}
	corpus := writeCorpus(t, badCorpus(t))
	out, mib := clienttest.RunChild(t, "TestDropPeakRSSChild", "corpus:"+corpus)
	t.Logf("%-24s peak RSS %4d MiB (%d files)", "bad-image corpus", mib, strings.Count(out, "loaded:")+strings.Count(out, "refused:"))
	if mib > 1024 {
		t.Errorf("the corpus peaked at %d MiB", mib)
	}
	dir := t.TempDir()
	big := []struct {
		name  string
		write func(string) error
		fits  bool
	}{
		{"progressive-420.jpg", func(p string) error { return clienttest.WriteBigJPEG(p, 10000, 10000, "2x2", true) }, true},
		{"progressive-444.jpg", func(p string) error { return clienttest.WriteBigJPEG(p, 10000, 10000, "1x1", true) }, false},
		{"baseline-420.jpg", func(p string) error { return clienttest.WriteBigJPEG(p, 10000, 10000, "2x2", false) }, true},
		{"rgba-16bit.png", func(p string) error { return clienttest.WriteBigPNG(p, 10000, 10000, 6, 16) }, true},
		{"turned-420.jpg", func(p string) error { // re-encoded upright as PNG on loading
			if err := clienttest.WriteBigJPEG(p, 10000, 10000, "2x2", false); err != nil {
				return err
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, withOrientation(data, 6), 0o600)
		}, true},
	}
	for _, f := range big {
		path := filepath.Join(dir, f.name)
		if err := f.write(path); err != nil {
			if err == clienttest.ErrNoCJPEG && os.Getenv("CI") == "" {
				t.Skip(err)
			}
			t.Fatal(err)
		}
		out, mib := clienttest.RunChild(t, "TestDropPeakRSSChild", "canvas:"+path)
		line := resultLine(out)
		t.Logf("%-24s peak RSS %4d MiB: %s", f.name, mib, line)
		if mib > 1024 {
			t.Errorf("%s: peak RSS %d MiB, over 1 GiB", f.name, mib)
		}
		if f.fits != strings.HasPrefix(line, "loaded:") {
			t.Errorf("%s: %s", f.name, line)
		}
		if !f.fits && (!strings.Contains(line, "too large to open") || goErrorText(line) != "") {
			t.Errorf("%s: not a plain refusal: %s", f.name, line)
		}
		os.Remove(path)
	}
}

func resultLine(out string) string {
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "loaded:") || strings.HasPrefix(l, "refused:") {
			return l
		}
	}
	return out
}
