package client

import (
	"errors"
	"fmt"
	"image"
	"strings"

	"github.com/zeninpaint/studio/client/imagefile"
)

// Mode is one of the API's three generation modes.
type Mode string

// The generation modes.
const (
	ModeInpaint      Mode = "inpaint"          // subject + mask + background
	ModeScene        Mode = "scene_generation" // from a depth map or a 3D preview
	ModeBackground   Mode = "bg_generation"    // new background around a PNG subject
	creditsPerJob         = 0.04
	creditsPerBigJob      = 0.05
	bigSide               = 2048
)

// Modes lists the modes in the order the app shows them.
var Modes = []Mode{ModeInpaint, ModeScene, ModeBackground}

// Title is the mode's name for people.
func (m Mode) Title() string {
	switch m {
	case ModeInpaint:
		return "Inpaint"
	case ModeScene:
		return "Scene from depth/preview"
	case ModeBackground:
		return "New background"
	}
	return string(m)
}

// Request is one generation job. Images are the encoded bytes of PNG or
// JPEG files; they are sent as they are, never re-encoded.
type Request struct {
	Mode           Mode
	Prompt         string
	NegativePrompt string
	Seed           int64

	Subject    []byte // inpaint, bg_generation (PNG with transparency)
	Mask       []byte // inpaint: grayscale, white = paint, same size as Background
	Background []byte // inpaint
	DepthMap   []byte // scene_generation: near = bright
	Preview    []byte // scene_generation: a 3D preview render
}

// Input is one image of a request, decoded for checking.
type Input struct {
	Role Role
	Info imagefile.Info
}

// ErrInvalidRequest is wrapped by every validation error, which names the
// problem in plain words.
var ErrInvalidRequest = errors.New("the request cannot be sent")

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidRequest, fmt.Sprintf(format, args...))
}

// Validate checks the request before anything is sent: the mode's images are
// all there (and no others), each is an image whose header fits under
// maxPixels (imagefile.DefaultMaxPixels when <= 0), the mask matches the
// background, and a New background subject is a PNG with transparent pixels
// (found from its header and a row-by-row scan, never a whole decode).
// It returns the images' header information, with the upright sizes (an
// EXIF-turned photo has its width and height as the engine decodes it).
func (r *Request) Validate(maxPixels int64) ([]Input, error) {
	switch r.Mode {
	case ModeInpaint:
		for _, role := range []Role{RoleSubject, RoleMask, RoleBackground} {
			if len(*r.Image(role)) == 0 {
				return nil, invalid("Inpaint needs a %s image", role.Title())
			}
		}
		if len(r.DepthMap) > 0 || len(r.Preview) > 0 {
			return nil, invalid("Inpaint does not take a depth map or a preview")
		}
	case ModeScene:
		if (len(r.DepthMap) > 0) == (len(r.Preview) > 0) {
			return nil, invalid("Scene generation needs exactly one of a depth map or a 3D preview")
		}
		if len(r.Subject) > 0 || len(r.Mask) > 0 || len(r.Background) > 0 {
			return nil, invalid("Scene generation takes only a depth map or a preview")
		}
	case ModeBackground:
		if len(r.Subject) == 0 {
			return nil, invalid("New background needs a subject PNG with a transparent background")
		}
		if len(r.Mask) > 0 || len(r.Background) > 0 || len(r.DepthMap) > 0 || len(r.Preview) > 0 {
			return nil, invalid("New background takes only the subject")
		}
	default:
		return nil, invalid("unknown mode %q (use %s)", r.Mode, joinModes())
	}
	var inputs []Input
	for _, f := range requestFields(r) {
		if f.image == nil {
			continue
		}
		info, err := imagefile.Inspect(f.image, maxPixels)
		if err == nil {
			err = imagefile.CheckComplete(f.image, info)
		}
		if err != nil {
			return nil, fmt.Errorf("%w: the %s: %w", ErrInvalidRequest, f.role.Title(), err)
		}
		inputs = append(inputs, Input{Role: f.role, Info: info})
	}
	byField := func(role Role) imagefile.Info {
		for _, in := range inputs {
			if in.Role == role {
				return in.Info
			}
		}
		return imagefile.Info{}
	}
	switch r.Mode {
	case ModeInpaint:
		m, bg := byField(RoleMask), byField(RoleBackground)
		if m.Width != bg.Width || m.Height != bg.Height {
			return nil, invalid("the mask is %d×%d but the background is %d×%d; they must be the same size",
				m.Width, m.Height, bg.Width, bg.Height)
		}
	case ModeBackground:
		if byField(RoleSubject).Format != "png" {
			return nil, invalid("New background needs a PNG subject (with a transparent background), not %s",
				strings.ToUpper(byField(RoleSubject).Format))
		}
		transparent, err := imagefile.HasTransparentPixel(r.Subject, maxPixels)
		if err != nil {
			return nil, fmt.Errorf("%w: the subject: %w", ErrInvalidRequest, err)
		}
		if !transparent {
			return nil, invalid("New background needs a PNG with a transparent background; this subject has no transparent pixel")
		}
	}
	return inputs, nil
}

func joinModes() string {
	s := make([]string, len(Modes))
	for i, m := range Modes {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}

// OutputSize is the size of the image the server will return: the
// background's for inpaint, the subject's for a new background, the depth
// map's or preview's for a scene.
func OutputSize(inputs []Input) image.Point {
	for _, role := range []Role{RoleBackground, RoleDepth, RolePreview, RoleSubject} {
		for _, in := range inputs {
			if in.Role == role {
				return image.Pt(in.Info.Width, in.Info.Height)
			}
		}
	}
	return image.Point{}
}

// EstimateCredits is what one request for an output of w×h pixels costs:
// 0.04 credits, or 0.05 when its longest side is over 2048 pixels.
func EstimateCredits(w, h int) float64 {
	if max(w, h) > bigSide {
		return creditsPerBigJob
	}
	return creditsPerJob
}

// EstimateCredits validates r and returns its cost in credits, counting the
// larger tier when any of its images is over 2048 pixels on a side (an
// estimate should never be below the bill).
func (r *Request) EstimateCredits(maxPixels int64) (float64, error) {
	inputs, err := r.Validate(maxPixels)
	if err != nil {
		return 0, err
	}
	longest := 0
	for _, in := range inputs {
		longest = max(longest, in.Info.LongestSide())
	}
	return EstimateCredits(longest, 0), nil
}
