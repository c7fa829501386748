package document

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/zeninpaint/studio/app/jobs"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// The workspace is the document saved in a folder: workspace.json, each
// input's file once per content (named by its SHA-256) and the mask as a
// PNG. It is written atomically, the JSON last, so that a crash at any
// point leaves a whole workspace, the old or the new.

// savedDoc is workspace.json.
type savedDoc struct {
	Version    int                        `json:"version"`
	Mode       client.Mode                `json:"mode"`
	Prompt     string                     `json:"prompt"`
	Negative   string                     `json:"negative_prompt,omitempty"`
	Seed       string                     `json:"seed"`
	SeedLocked bool                       `json:"seed_locked,omitempty"`
	Inputs     map[client.Role]savedInput `json:"inputs,omitempty"` // by role (version 1: by wire field)
	Batch      []savedInput               `json:"batch,omitempty"`
	Mask       string                     `json:"mask,omitempty"` // a blob: PNG, the background's size
	MaskName   string                     `json:"mask_name,omitempty"`
	View       *View                      `json:"view,omitempty"`
}

type savedInput struct {
	Name string `json:"name"`
	Blob string `json:"blob"`
}

// workspaceVersion is the version of workspace.json written: version 2
// names the inputs by role, version 1 by wire field.
const workspaceVersion = 2

// Snapshot is a document as it will be saved: taken on the UI goroutine
// (it copies references only: the inputs are hashed and the mask encoded
// by Write), written on any.
type Snapshot struct {
	doc    savedDoc
	inputs map[client.Role]*Picture
	batch  []*Picture
	mask   *image.Gray
	// keptMask names the mask's file of an earlier Write to the same
	// folder, when the mask has not changed since (KeepMask).
	keptMask string
}

// ErrKeptMaskGone is Write's error when the mask file KeepMask named is no
// longer in the folder: the next snapshot must carry the mask itself.
var ErrKeptMaskGone = errors.New("the mask saved before is gone from the workspace folder")

// Snapshot takes the document to be saved with the canvas's mask (nil
// when empty, or when KeepMask names the one saved before).
func (d *Document) Snapshot(mask *image.Gray) Snapshot {
	t := d.text
	s := Snapshot{doc: savedDoc{Version: workspaceVersion, Mode: d.mode, Prompt: t.Prompt, Negative: t.Negative,
		Seed: t.Seed, SeedLocked: t.SeedLocked, MaskName: d.maskName},
		inputs: maps.Clone(d.inputs), batch: slices.Clone(d.batch)}
	if d.inputs[client.RoleBackground] != nil {
		s.mask, s.doc.View = mask, d.view
	}
	return s
}

// KeepMask makes the snapshot's mask the file an earlier Write to the
// same folder returned (the mask has not changed since): a save after a
// typed word does not copy and encode a 24 MP mask again.
func (s *Snapshot) KeepMask(blob string) {
	if s.inputs[client.RoleBackground] != nil {
		s.keptMask, s.mask = blob, nil
	}
}

// Write saves the snapshot in dir: the files not there yet, the mask, the
// JSON last, then deletes the files nothing refers to any more. It
// returns the name of the mask's file ("" when there is none), which a
// later snapshot can keep (KeepMask).
func (s Snapshot) Write(dir string) (mask string, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("making the workspace folder: %w", err)
	}
	doc := s.doc
	blobs := map[string][]byte{}
	put := func(p *Picture) savedInput {
		sum := sha256.Sum256(p.Data)
		name := hex.EncodeToString(sum[:])
		blobs[name] = p.Data
		return savedInput{Name: p.Name, Blob: name}
	}
	doc.Inputs = map[client.Role]savedInput{}
	for role, p := range s.inputs {
		doc.Inputs[role] = put(p)
	}
	for _, p := range s.batch {
		doc.Batch = append(doc.Batch, put(p))
	}
	switch {
	case s.mask != nil:
		data, err := imagefile.PNGBytes(s.mask)
		if err != nil {
			return "", fmt.Errorf("encoding the mask: %w", err)
		}
		sum := sha256.Sum256(data)
		doc.Mask = hex.EncodeToString(sum[:])
		blobs[doc.Mask] = data
	case s.keptMask != "":
		if _, err := os.Stat(filepath.Join(dir, s.keptMask)); err != nil {
			return "", fmt.Errorf("%w: %w", ErrKeptMaskGone, err)
		}
		doc.Mask = s.keptMask
		blobs[doc.Mask] = nil // there already
	}
	for name, data := range blobs {
		if data == nil {
			continue // the kept mask, found there above
		}
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		if err := jobs.WriteAtomic(path, data); err != nil {
			return "", fmt.Errorf("saving an input: %w", err)
		}
	}
	data, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return "", fmt.Errorf("encoding the workspace: %w", err)
	}
	if err := jobs.WriteAtomic(filepath.Join(dir, "workspace.json"), data); err != nil {
		return "", fmt.Errorf("saving the workspace: %w", err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if _, used := blobs[e.Name()]; len(e.Name()) == 64 && !used {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return doc.Mask, nil
}

// Saved is a workspace read back: the document's state, its inputs
// decoded, and the mask's PNG for the canvas.
type Saved struct {
	Mode     client.Mode
	Text     Text
	Inputs   map[client.Role]*Picture
	Batch    []*Picture
	Mask     []byte // PNG; nil when there was none
	MaskName string
	View     *View
}

// savedRoles are the inputs a workspace may hold.
var savedRoles = map[client.Role]bool{client.RoleBackground: true, client.RoleSubject: true,
	client.RoleDepth: true, client.RolePreview: true}

// Read reads the workspace saved in dir; none is (nil, nil). An input
// whose file is missing or damaged is left out.
func Read(dir string) (*Saved, error) {
	data, err := os.ReadFile(filepath.Join(dir, "workspace.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the workspace: %w", err)
	}
	var doc savedDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("the saved workspace is damaged: %w", err)
	}
	blob := func(name string) ([]byte, error) {
		if len(name) != 64 || strings.ContainsAny(name, `/\.`) {
			return nil, errors.New("bad blob name")
		}
		return os.ReadFile(filepath.Join(dir, name))
	}
	load := func(in savedInput) (*Picture, error) {
		b, err := blob(in.Blob)
		if err != nil {
			return nil, err
		}
		return LoadBytes(in.Name, b)
	}
	s := &Saved{Mode: doc.Mode, MaskName: doc.MaskName, View: doc.View, Inputs: map[client.Role]*Picture{},
		Text: Text{Prompt: doc.Prompt, Negative: doc.Negative, Seed: doc.Seed, SeedLocked: doc.SeedLocked}}
	for role, in := range doc.Inputs {
		if doc.Version < 2 {
			role = client.RoleOfWire(string(role))
		}
		if !savedRoles[role] {
			continue
		}
		if p, err := load(in); err == nil {
			s.Inputs[role] = p
		}
	}
	for _, in := range doc.Batch {
		if p, err := load(in); err == nil {
			p.DropPreview()
			s.Batch = append(s.Batch, p)
		}
	}
	if doc.Mask != "" {
		s.Mask, _ = blob(doc.Mask)
	}
	return s, nil
}

// Restore puts a saved workspace back, without history: the inputs (the
// background first), the batch, the text, the mask's name, the view and
// the mode. The canvas takes the mask from s.Mask.
func (d *Document) Restore(s *Saved) {
	for _, role := range []client.Role{client.RoleBackground, client.RoleSubject, client.RoleDepth, client.RolePreview} {
		if p := s.Inputs[role]; p != nil {
			d.inputs[role] = p
			if role == client.RoleBackground {
				d.batch = append(d.batch[:0:0], s.Batch...)
			}
			d.changed(Change{Aspect: InputChanged, Role: role})
		}
	}
	d.SetMaskName(s.MaskName)
	if s.View != nil {
		d.SetView(*s.View)
	}
	d.SetText(s.Text)
	if _, ok := ModeRoles[s.Mode]; ok {
		d.SetMode(s.Mode)
	}
}
