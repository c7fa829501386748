package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"github.com/disintegration/imaging"

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
// the credit estimate.
func (s *Studio) validate() {
	if s.generate == nil {
		return
	}
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
	n, credits := s.jobCount(), 0.0
	for _, bg := range s.mainInputs() {
		credits += client.EstimateCredits(bg.Info.Width, bg.Info.Height) * float64(s.variationCount())
	}
	text := fmt.Sprintf("%d job(s) · about %.2f credits", n, credits)
	if !s.settings.Cloud() {
		text = fmt.Sprintf("%d job(s) · free on the local engine (about %.2f credits on the cloud)", n, credits)
	}
	s.estimate.SetText(text)
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

// Generate queues one job per background and variation, with distinct
// seeds, and starts them.
func (s *Studio) Generate() {
	if reason := s.missing(); reason != "" {
		s.setStatus(reason)
		return
	}
	specs, err := s.specs()
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	var problems []string
	for _, spec := range specs {
		if _, err := s.manager.Add(spec); err != nil {
			problems = append(problems, jobs.Explain(err))
		}
	}
	if len(problems) > 0 {
		dialog.ShowError(errors.New(strings.Join(problems, "\n")), s.win)
	}
	s.setStatus(fmt.Sprintf("%d job(s) sent to the queue.", len(specs)-len(problems)))
}

// specs builds the jobs Generate sends.
func (s *Studio) specs() ([]jobs.Spec, error) {
	seed, _ := strconv.ParseInt(strings.TrimSpace(s.seed.Text), 10, 64)
	base := jobs.Spec{Mode: s.mode, Prompt: strings.TrimSpace(s.prompt.Text), NegativePrompt: strings.TrimSpace(s.negative.Text),
		Async: s.isAsync(), Server: s.currentServer()}
	var mask []byte
	if s.mode == client.ModeInpaint {
		var err error
		if mask, err = s.editor.MaskPNG(); err != nil {
			return nil, err
		}
	}
	var out []jobs.Spec
	for _, main := range s.mainInputs() {
		inputs := map[string]jobs.InputData{}
		switch s.mode {
		case client.ModeInpaint:
			m, err := maskFor(mask, main)
			if err != nil {
				return nil, err
			}
			sub := s.inputs[fieldSubject]
			inputs[fieldBackground] = jobs.InputData{Name: main.Name, Data: main.Data}
			inputs[fieldSubject] = jobs.InputData{Name: sub.Name, Data: sub.Data}
			inputs[fieldMask] = jobs.InputData{Name: "mask.png", Data: m}
		default:
			inputs[s.mainField()] = jobs.InputData{Name: main.Name, Data: main.Data}
		}
		for v := range s.variationCount() {
			spec := base
			spec.Seed = seed + int64(v)
			spec.Inputs = inputs
			out = append(out, spec)
		}
	}
	return out, nil
}

// maskFor is the mask for one background of a batch: the painted mask,
// resized when that background has another size.
func maskFor(mask []byte, bg *loadedImage) ([]byte, error) {
	m, info, err := imagefile.Decode(mask, 0)
	if err != nil {
		return nil, err
	}
	if info.Width == bg.Info.Width && info.Height == bg.Info.Height {
		return mask, nil
	}
	resized := imaging.Resize(m, bg.Info.Width, bg.Info.Height, imaging.Linear)
	return imagefile.PNGBytes(imagefile.ToGray(resized))
}
