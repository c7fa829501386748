package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/zeninpaint/studio/client/imagefile"
)

// Every example renders through the engine to a before | after picture in
// which the after half differs from the before half.
func TestRenderWritesEveryExample(t *testing.T) {
	const w = 150
	dir := t.TempDir()
	var log bytes.Buffer
	if err := render(context.Background(), dir, w, &log); err != nil {
		t.Fatal(err)
	}
	for _, ex := range examples(w) {
		data, err := os.ReadFile(filepath.Join(dir, ex.name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		img, _, err := imagefile.Decode(data, 0)
		if err != nil {
			t.Fatalf("%s: %v", ex.name, err)
		}
		b := ex.before.Bounds()
		if img.Bounds().Dx() != 2*b.Dx()+12 || img.Bounds().Dy() != b.Dy() {
			t.Errorf("%s is %v, want two %v halves and a gap", ex.name, img.Bounds().Size(), b.Size())
		}
		pix := imagefile.ToNRGBA(img)
		before := imagefile.ToNRGBA(ex.before)
		differ := 0
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				if pix.NRGBAAt(x+b.Dx()+12, y) != before.NRGBAAt(x, y) {
					differ++
				}
			}
		}
		if differ < b.Dx()*b.Dy()/100 {
			t.Errorf("%s: the after half is almost the before half (%d pixels differ)", ex.name, differ)
		}
	}
	if !bytes.Contains(log.Bytes(), []byte("scene-generation.png")) {
		t.Errorf("the log does not list the pictures: %q", log.String())
	}
}
