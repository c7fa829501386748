package framing

import (
	"encoding/base64"
	"errors"
	"image"

	"github.com/zeninpaint/studio/client"
)

// ImageInfo is what a plan knows of an input image: its header, never its
// pixels, so a plan is cheap to make after every change.
type ImageInfo struct {
	Size      image.Point
	Format    string // "png" or "jpeg"
	FileBytes int    // the file's size
}

// PlanInputs are the inputs of one press of Generate.
type PlanInputs struct {
	Mode       client.Mode
	Mains      []ImageInfo // inpaint: the backgrounds of a batch; otherwise the one main input
	MainRole   client.Role // the main input's role outside inpaint
	Subject    *ImageInfo  // inpaint's subject; nil sends a blank one, which removes what is masked
	MaskSize   image.Point // the painted mask's size (the first background's)
	MaskBox    image.Rectangle
	Variations int
}

// Part is one image of a planned request: which input, what part of it,
// at what size, and how it is encoded.
type Part struct {
	Role   client.Role
	Frame  Frame // the box of the source image sent, and the size sent
	Source Size  // the source's size
	// Untouched: the source file is sent as it is (the frame is all of it,
	// at full size). Otherwise the frame is cropped and scaled from the
	// decoded pixels and encoded as Encoding.
	Untouched bool
	// Blank: no source; a fully transparent PNG of the size sent (an
	// inpaint without a subject, which removes what is masked).
	Blank    bool
	Encoding string // "jpeg" (quality 90) or "png"
	// EstimatedBytes is the part's size in the request body (base64): exact
	// when Untouched, else estimated from the source's bytes per pixel.
	EstimatedBytes int64
}

// Size is an image's width and height.
type Size = image.Point

// PlannedJob is the request made for one main input (sent once per
// variation).
type PlannedJob struct {
	Main    int             // index into PlanInputs.Mains
	MaskBox image.Rectangle // inpaint: the mask's box in this main input's pixels
	Frame   Frame           // the main input's frame
	Parts   []Part
	Credits float64 // for one request: the tier of the largest side of any part sent
}

// Part returns the job's part for a role.
func (j PlannedJob) Part(role client.Role) (Part, bool) {
	for _, p := range j.Parts {
		if p.Role == role {
			return p, true
		}
	}
	return Part{}, false
}

// UploadBytes is the estimated size of the job's images in one request.
func (j PlannedJob) UploadBytes() int64 {
	var n int64
	for _, p := range j.Parts {
		n += p.EstimatedBytes
	}
	return n
}

// Plan is every request one press of Generate sends, and what it costs.
type Plan struct {
	Jobs       []PlannedJob
	Variations int
}

// Requests is how many requests the plan sends.
func (p Plan) Requests() int { return len(p.Jobs) * p.Variations }

// Credits is what the whole plan costs on the hosted service.
func (p Plan) Credits() float64 {
	total := 0.0
	for _, j := range p.Jobs {
		total += j.Credits * float64(p.Variations)
	}
	return total
}

// UploadBytes is the plan's estimated upload, all requests together.
func (p Plan) UploadBytes() int64 {
	var n int64
	for _, j := range p.Jobs {
		n += j.UploadBytes() * int64(p.Variations)
	}
	return n
}

// ErrNothingToSend means the plan has no main input.
var ErrNothingToSend = errors.New("there is nothing to send yet")

// MakePlan turns the inputs and settings of a press of Generate into the
// exact requests that will be sent: for each main input, each image's
// frame, size sent, encoding and the credits. It reads headers only.
// Prepare carries a plan out; nothing else decides what is sent.
func MakePlan(in PlanInputs, s Settings) (Plan, error) {
	if len(in.Mains) == 0 {
		return Plan{}, ErrNothingToSend
	}
	p := Plan{Variations: max(in.Variations, 1)}
	for i, main := range in.Mains {
		job := PlannedJob{Main: i}
		if in.Mode == client.ModeInpaint {
			job.MaskBox = ScaleBox(in.MaskBox, in.MaskSize, main.Size)
			f, err := ForMask(main.Size, job.MaskBox, s)
			if err != nil {
				return Plan{}, err
			}
			job.Frame = f
			job.Parts = append(job.Parts,
				part(client.RoleBackground, main, f),
				Part{Role: client.RoleMask, Frame: f, Source: main.Size, Encoding: "png", EstimatedBytes: maskBytes(f.Sent)})
			switch sub := in.Subject; {
			case sub == nil:
				job.Parts = append(job.Parts, Part{Role: client.RoleSubject, Frame: Frame{Box: image.Rectangle{Max: f.Sent}, Sent: f.Sent},
					Source: f.Sent, Blank: true, Encoding: "png", EstimatedBytes: maskBytes(f.Sent)})
			case sub.Size == main.Size:
				job.Parts = append(job.Parts, part(client.RoleSubject, *sub, f))
			default:
				job.Parts = append(job.Parts, part(client.RoleSubject, *sub, Whole(sub.Size, Settings{Resolution: s.Resolution})))
			}
		} else {
			job.Frame = Whole(main.Size, s)
			job.Parts = append(job.Parts, part(in.MainRole, main, job.Frame))
		}
		longest := 0
		for _, pt := range job.Parts {
			longest = max(longest, pt.Frame.Sent.X, pt.Frame.Sent.Y)
		}
		job.Credits = client.EstimateCredits(longest, 0)
		p.Jobs = append(p.Jobs, job)
	}
	return p, nil
}

// part plans one image sent with frame f.
func part(role client.Role, src ImageInfo, f Frame) Part {
	p := Part{Role: role, Frame: f, Source: src.Size, Encoding: "png"}
	if src.Format == "jpeg" {
		p.Encoding = "jpeg"
	}
	if f.Box == (image.Rectangle{Max: src.Size}) && !f.Scaled() {
		p.Untouched, p.Encoding = true, src.Format
		p.EstimatedBytes = int64(base64.StdEncoding.EncodedLen(src.FileBytes))
		return p
	}
	// A crop costs about the source's bytes per pixel; a scaled-down one a
	// little more per pixel (detail is denser), so scale by area only.
	pixels := float64(src.Size.X * src.Size.Y)
	sent := float64(f.Sent.X * f.Sent.Y)
	if pixels > 0 {
		p.EstimatedBytes = int64(float64(base64.StdEncoding.EncodedLen(src.FileBytes)) * sent / pixels)
	}
	return p
}

// maskBytes estimates a mask crop's PNG: masks are mostly runs of 0 and
// 255, which deflate to a few bytes per row.
func maskBytes(sent image.Point) int64 {
	return int64(base64.StdEncoding.EncodedLen(64 + sent.Y*16 + sent.X*sent.Y/64))
}

// ScaleBox maps a box in an image of size from to an image of size to
// (a batch photo of another size), rounding outward.
func ScaleBox(b image.Rectangle, from, to image.Point) image.Rectangle {
	if from == to || from.X == 0 || from.Y == 0 {
		return b
	}
	return image.Rect(b.Min.X*to.X/from.X, b.Min.Y*to.Y/from.Y,
		(b.Max.X*to.X+from.X-1)/from.X, (b.Max.Y*to.Y+from.Y-1)/from.Y)
}
