package app

import (
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"
	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// missing says in one line why Generate cannot run yet, or "" when it can.
func (s *Studio) missing() string {
	in := s.inputs
	switch s.mode {
	case client.ModeInpaint:
		switch {
		case in[fieldBackground] == nil:
			return "Inpaint needs a background: drop a photo on the canvas."
		case in[fieldSubject] == nil:
			return "Inpaint needs a subject: drop an image on the Subject slot."
		case s.editor.Mask().IsEmpty():
			return "Paint on the canvas where the image may change (or drop a mask)."
		}
	case client.ModeScene:
		if in[fieldDepth] == nil && in[fieldPreview] == nil {
			return "Scene needs a depth map or a 3D preview render."
		}
	case client.ModeBackground:
		sub := in[fieldSubject]
		switch {
		case sub == nil:
			return "New background needs a PNG subject with a transparent background."
		case sub.Info.Format != "png" || !sub.Transparent:
			return "New background needs a PNG with a transparent background; this subject has none."
		}
	}
	if _, err := strconv.ParseInt(strings.TrimSpace(s.seed.Text), 10, 64); err != nil {
		return "The seed must be a whole number."
	}
	if s.settings.Cloud() && s.creds.APIKey == "" && !client.IsLoopbackURL(s.settings.SyncURL()) {
		return "Add your API key in Settings, or switch to the local engine."
	}
	return ""
}

// validate enables Generate, or disables it with the reason, and updates
// the estimate: jobs, what is sent, credits, and (computed in the
// background) the upload size.
func (s *Studio) validate() {
	if s.generate == nil {
		return
	}
	token := s.estimateToken.Add(1)
	reason := s.missing()
	if reason != "" {
		s.generate.Disable()
		s.reason.SetText(reason)
		s.reason.Show()
		s.estimate.SetText("")
		return
	}
	s.generate.Enable()
	s.reason.Hide()
	fs := s.framingSettings()
	credits := 0.0
	var sent, full image.Point
	for i, main := range s.mainInputs() {
		size := image.Pt(main.Info.Width, main.Info.Height)
		f := framing.Whole(size, fs)
		if s.mode == client.ModeInpaint {
			var err error
			if f, err = framing.ForMask(size, s.maskBoundsFor(size), fs); err != nil {
				s.estimate.SetText(err.Error())
				return
			}
		}
		credits += f.Credits() * float64(s.variationCount())
		if i == 0 {
			sent, full = f.Sent, size
		}
	}
	cost := fmt.Sprintf("about %.2f credits", credits)
	if !s.settings.Cloud() {
		cost = fmt.Sprintf("free on the local engine (about %.2f credits on the cloud)", credits)
	}
	text := fmt.Sprintf("%d job(s) · sends %d×%d · result %d×%d · %s", s.jobCount(), sent.X, sent.Y, full.X, full.Y, cost)
	s.estimate.SetText(text + " · upload …")
	// The exact upload size needs the encoded images: compute it aside,
	// once the user has paused (strokes and keys call validate often).
	time.AfterFunc(400*time.Millisecond, func() {
		s.do(func() {
			if s.estimateToken.Load() != token || s.ctx.Err() != nil {
				return
			}
			g := s.collect()
			go func() {
				specs, err := buildSpecs(g)
				if err != nil || len(specs) == 0 {
					return
				}
				var bytes int64
				for _, sp := range specs {
					for _, in := range sp.Inputs {
						bytes += int64(base64.StdEncoding.EncodedLen(len(in.Data)))
					}
				}
				s.do(func() {
					if s.estimateToken.Load() == token {
						s.estimate.SetText(fmt.Sprintf("%s · upload %.1f MB", text, float64(bytes)/1e6))
					}
				})
			}()
		})
	})
}

// maskBoundsFor is the painted mask's box, scaled to a batch image's size.
func (s *Studio) maskBoundsFor(size image.Point) image.Rectangle {
	b := s.editor.Mask().Bounds()
	ms := s.editor.Mask().Size()
	if ms == size || ms.X == 0 || ms.Y == 0 {
		return b
	}
	return image.Rect(b.Min.X*size.X/ms.X, b.Min.Y*size.Y/ms.Y, (b.Max.X*size.X+ms.X-1)/ms.X, (b.Max.Y*size.Y+ms.Y-1)/ms.Y)
}

// mainInputs are the images jobs are made for: every background of a batch
// in Inpaint, the single main input otherwise.
func (s *Studio) mainInputs() []*loadedImage {
	if s.mode == client.ModeInpaint {
		return append([]*loadedImage{s.inputs[fieldBackground]}, s.batch...)
	}
	return []*loadedImage{s.inputs[s.mainField()]}
}

func (s *Studio) variationCount() int {
	n, _ := strconv.Atoi(s.variations.Selected)
	return min(max(n, 1), 8)
}

func (s *Studio) jobCount() int { return len(s.mainInputs()) * s.variationCount() }

// Generate prepares one job per background and variation (cropped and
// scaled as the Context and Resolution choices say), with distinct seeds,
// and queues them. Preparing a large photo takes a moment, so it runs
// aside.
func (s *Studio) Generate() {
	if reason := s.missing(); reason != "" {
		s.setStatus(reason)
		return
	}
	g := s.collect()
	s.generate.Disable()
	s.setStatus(fmt.Sprintf("Preparing %d job(s)…", s.jobCount()))
	go func() {
		specs, err := buildSpecs(g)
		var problems []string
		if err != nil {
			problems = append(problems, jobs.Explain(err))
		}
		for _, spec := range specs {
			if _, err := s.manager.Add(spec); err != nil {
				problems = append(problems, jobs.Explain(err))
			}
		}
		s.do(func() {
			if len(problems) > 0 {
				dialog.ShowError(errors.New(strings.Join(problems, "\n")), s.win)
			}
			s.setStatus(fmt.Sprintf("%d job(s) sent to the queue.", len(specs)-len(problems)))
			s.validate()
		})
	}()
}

// genRequest is everything Generate needs, taken on Fyne's goroutine so
// the preparation can run on another.
type genRequest struct {
	base     jobs.Spec
	seed     int64
	count    int // variations
	mode     client.Mode
	field    string // the main input's field outside Inpaint
	mains    []*loadedImage
	mainImg  image.Image // the editor's pixels of the first background
	subject  *loadedImage
	mask     *image.Gray
	settings framing.Settings
}

func (s *Studio) collect() genRequest {
	seed, _ := strconv.ParseInt(strings.TrimSpace(s.seed.Text), 10, 64)
	g := genRequest{
		base: jobs.Spec{Mode: s.mode, Prompt: strings.TrimSpace(s.prompt.Text), NegativePrompt: strings.TrimSpace(s.negative.Text),
			Async: s.isAsync(), Server: s.currentServer()},
		seed: seed, count: s.variationCount(), mode: s.mode, field: s.mainField(),
		mains: s.mainInputs(), subject: s.inputs[fieldSubject], settings: s.framingSettings(),
	}
	if s.mode == client.ModeInpaint {
		g.mainImg = s.editor.Image()
		g.mask = s.editor.Mask().Gray()
	}
	return g
}

// buildSpecs prepares the jobs of a request (no Fyne: it runs aside).
func buildSpecs(g genRequest) ([]jobs.Spec, error) {
	var out []jobs.Spec
	for i, main := range g.mains {
		img := g.mainImg
		if i > 0 || img == nil {
			var err error
			if img, err = decodeFull(main); err != nil {
				return nil, err
			}
		}
		src := framing.Source{Image: img, File: main.Data, Format: main.Info.Format}
		size := img.Bounds().Size()
		spec := g.base
		spec.Inputs = map[string]jobs.InputData{}
		switch g.mode {
		case client.ModeInpaint:
			mask := g.mask
			if mask.Rect.Size() != size {
				mask = imagefile.ToGray(imaging.Resize(mask, size.X, size.Y, imaging.Linear))
			}
			subImg, err := decodeFull(g.subject)
			if err != nil {
				return nil, err
			}
			p, err := framing.PrepareInpaint(src, mask, framing.Source{Image: subImg, File: g.subject.Data, Format: g.subject.Info.Format}, g.settings)
			if err != nil {
				return nil, err
			}
			maskPNG, err := imagefile.PNGBytes(mask)
			if err != nil {
				return nil, err
			}
			spec.Inputs[fieldBackground] = jobs.InputData{Name: main.Name, Data: p.Send[fieldBackground]}
			spec.Inputs[fieldMask] = jobs.InputData{Name: "mask.png", Data: p.Send[fieldMask]}
			spec.Inputs[fieldSubject] = jobs.InputData{Name: g.subject.Name, Data: p.Send[fieldSubject]}
			b := p.Frame.Box
			spec.Framing = &jobs.Framing{Kind: jobs.PasteInpaint, Box: [4]int{b.Min.X, b.Min.Y, b.Max.X, b.Max.Y},
				Size: [2]int{size.X, size.Y}, Feather: pasteFeather}
			spec.Originals = map[string]jobs.InputData{fieldBackground: {Name: main.Name, Data: main.Data}, fieldMask: {Name: "mask.png", Data: maskPNG}}
		default:
			p, err := framing.PrepareWhole(src, g.field, g.settings)
			if err != nil {
				return nil, err
			}
			spec.Inputs[g.field] = jobs.InputData{Name: main.Name, Data: p.Send[g.field]}
			switch {
			case g.mode == client.ModeBackground:
				spec.Framing = &jobs.Framing{Kind: jobs.PasteSubject, Size: [2]int{size.X, size.Y}}
				spec.Originals = map[string]jobs.InputData{fieldSubject: {Name: main.Name, Data: main.Data}}
			case p.Frame.Scaled():
				spec.Framing = &jobs.Framing{Kind: jobs.PasteUpsize, Size: [2]int{size.X, size.Y}}
			}
		}
		for v := range g.count {
			sp := spec
			sp.Seed = g.seed + int64(v)
			out = append(out, sp)
		}
	}
	return out, nil
}

// pasteFeather softens the seam of a pasted inpaint result, in pixels.
const pasteFeather = 3
