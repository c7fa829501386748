package client

// Role is what an image is for in a request: the app's own name for it,
// which the queue file and the workspace store. Its name on the wire is
// Role.Wire (wire.go): a rename on the service's side changes wire.go
// alone, never a saved file.
type Role string

// The roles of a request's images.
const (
	RoleSubject    Role = "subject"    // inpaint, bg_generation
	RoleMask       Role = "mask"       // inpaint
	RoleBackground Role = "background" // inpaint
	RoleDepth      Role = "depth"      // scene_generation: near = bright
	RolePreview    Role = "preview"    // scene_generation: a 3D preview render
)

// Roles lists every role, in the order a request carries them.
var Roles = []Role{RoleSubject, RoleMask, RoleBackground, RoleDepth, RolePreview}

// Title is the role's name in a sentence ("the depth map").
func (r Role) Title() string {
	if r == RoleDepth {
		return "depth map"
	}
	return string(r)
}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r.Wire() != "" }

// Image points at the request's bytes for a role, or is nil for a name
// that is not a role.
func (req *Request) Image(r Role) *[]byte {
	switch r {
	case RoleSubject:
		return &req.Subject
	case RoleMask:
		return &req.Mask
	case RoleBackground:
		return &req.Background
	case RoleDepth:
		return &req.DepthMap
	case RolePreview:
		return &req.Preview
	}
	return nil
}
