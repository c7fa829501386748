package jobs

import (
	"fmt"
	"image"

	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// compose puts a framed job's raw result back into its full-resolution
// originals and returns the composite as PNG, with the colour profile of
// the original it was put into (or else the result's).
func (m *Manager) compose(j Job, raw []byte) ([]byte, error) {
	result, _, err := imagefile.Decode(raw, 0)
	if err != nil {
		return nil, err
	}
	icc := imagefile.ICC(raw)
	original := func(role client.Role) (image.Image, error) {
		in, ok := j.Originals[role]
		if !ok {
			return nil, fmt.Errorf("the original %s is missing", role.Title())
		}
		data, err := m.opts.Store.Blob(in.Blob)
		if err != nil {
			return nil, err
		}
		img, info, err := imagefile.Decode(data, 0)
		if info.ICC != nil {
			icc = info.ICC
		}
		return img, err
	}
	f := j.Framing
	var out image.Image
	switch f.Kind {
	case PasteInpaint:
		bg, err := original(client.RoleBackground)
		if err != nil {
			return nil, err
		}
		mask, err := original(client.RoleMask)
		if err != nil {
			return nil, err
		}
		frame := framing.Frame{Box: image.Rect(f.Box[0], f.Box[1], f.Box[2], f.Box[3])}
		if out, err = framing.PasteInpaint(bg, imagefile.ToGray(mask), frame, result, f.Feather); err != nil {
			return nil, err
		}
	case PasteSubject:
		subject, err := original(client.RoleSubject)
		if err != nil {
			return nil, err
		}
		out = framing.PasteSubject(subject, result)
	case PasteUpsize:
		out = framing.Upsize(result, image.Pt(f.Size[0], f.Size[1]))
	default:
		return nil, fmt.Errorf("unknown framing %q", f.Kind)
	}
	data, err := imagefile.PNGBytes(out)
	return imagefile.WithICC(data, icc), err
}
