// Command examples renders the before-and-after pictures of the local
// engine shown in the README, one per generation mode, from inputs it draws
// itself (so they carry no licence), through engine.Generate: the same code
// the app's local engine runs.
//
//	go run ./engine/examples -out assets/examples
package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
	"github.com/zeninpaint/studio/engine"
)

func main() {
	out := flag.String("out", filepath.Join("assets", "examples"), "folder for the pictures")
	width := flag.Int("width", 720, "width of each input picture, in pixels")
	flag.Parse()
	if err := render(context.Background(), *out, *width, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "examples:", err)
		os.Exit(1)
	}
}

// example is one before-and-after picture: the request, and what the
// "before" half shows of it.
type example struct {
	name   string
	req    *client.Request
	before image.Image
}

// render writes name.png (before | after) for every example into dir.
func render(ctx context.Context, dir string, w int, log io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, ex := range examples(w) {
		start := time.Now()
		png, err := engine.Generate(ctx, ex.req, 0, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", ex.name, err)
		}
		after, _, err := imagefile.Decode(png, 0)
		if err != nil {
			return fmt.Errorf("%s: %w", ex.name, err)
		}
		path := filepath.Join(dir, ex.name+".png")
		if err := imaging.Save(sideBySide(ex.before, after), path); err != nil {
			return err
		}
		fmt.Fprintf(log, "%s (%s)\n", path, time.Since(start).Round(time.Millisecond))
	}
	return nil
}

func examples(w int) []example {
	h := w * 2 / 3
	photo := meadow(w, h)
	cone := imaging.Clone(photo)
	coneMask := stampCone(cone, w*11/20, h*83/100, h*3/10)

	spot := image.Rect(w*3/5, h*11/20, w*4/5, h*19/20)
	spotMask := ovalMask(spot, photo.Rect.Size())

	product := bottle(w*2/3, h)
	return []example{
		// Object removal: inpaint with an empty (transparent) subject.
		{"remove-object", &client.Request{Mode: client.ModeInpaint, Seed: 1,
			Background: pngOf(cone), Mask: pngOf(coneMask), Subject: pngOf(image.NewNRGBA(image.Rect(0, 0, 1, 1)))},
			overlay(cone, coneMask)},
		{"inpaint", &client.Request{Mode: client.ModeInpaint, Prompt: "a glazed vase in the meadow", Seed: 2,
			Background: pngOf(photo), Mask: pngOf(spotMask), Subject: pngOf(vase(200, 260))},
			overlay(photo, spotMask)},
		{"bg-generation", &client.Request{Mode: client.ModeBackground, Prompt: "clean studio", Seed: 3,
			Subject: pngOf(product)},
			checkered(product)},
		{"scene-generation", &client.Request{Mode: client.ModeScene, Prompt: "sunset", Seed: 4,
			DepthMap: pngOf(depthScene(w, h))},
			depthScene(w, h)},
	}
}

func pngOf(img image.Image) []byte {
	b, err := imagefile.PNGBytes(img)
	if err != nil {
		panic(err) // encoding an in-memory image cannot fail
	}
	return b
}

// overlay shows the mask over the photo as the app's canvas does: a
// translucent red where the mask is set.
func overlay(photo *image.NRGBA, mask *image.Gray) *image.NRGBA {
	out := imaging.Clone(photo)
	for i, m := range mask.Pix {
		a := float64(m) / 255 * 0.55
		for c, v := range [3]float64{230, 40, 60} {
			p := &out.Pix[4*i+c]
			*p = uint8(float64(*p)*(1-a) + v*a)
		}
	}
	return out
}

// checkered shows a transparent picture over the usual grey checkerboard.
func checkered(img *image.NRGBA) *image.NRGBA {
	out := image.NewNRGBA(img.Rect)
	for y := 0; y < img.Rect.Dy(); y++ {
		for x := 0; x < img.Rect.Dx(); x++ {
			v := uint8(204)
			if (x/16+y/16)%2 == 0 {
				v = 245
			}
			out.SetNRGBA(x, y, color.NRGBA{v, v, v, 255})
		}
	}
	draw.Draw(out, out.Rect, img, image.Point{}, draw.Over)
	return out
}

// sideBySide puts before and after next to each other with a white gap.
func sideBySide(before, after image.Image) *image.NRGBA {
	const gap = 12
	b, a := before.Bounds(), after.Bounds()
	out := imaging.New(b.Dx()+gap+a.Dx(), max(b.Dy(), a.Dy()), color.White)
	out = imaging.Paste(out, before, image.Point{})
	return imaging.Paste(out, after, image.Pt(b.Dx()+gap, 0))
}
