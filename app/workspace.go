package app

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/zeninpaint/studio/app/jobs"
	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// The workspace is what a designer is working on: the inputs, the painted
// mask, the prompts, the seed, the mode and the view. It is saved a moment
// after each change (atomically, in the data folder's workspace/), and
// restored at the next start, after a quit or a crash.

// workspaceDoc is workspace.json.
type workspaceDoc struct {
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
	View       *zcanvas.View              `json:"view,omitempty"`
}

type savedInput struct {
	Name string `json:"name"`
	Blob string `json:"blob"`
}

// workspaceDelay is how long the app waits after a change before saving:
// a stroke or a typed word is saved once, not per dab or key.
const workspaceDelay = 700 * time.Millisecond

func (s *Studio) workspaceDir() string { return filepath.Join(s.cfg.DataDir, "workspace") }

// workspaceChanged schedules a save of the workspace.
func (s *Studio) workspaceChanged() {
	if s.restoring || s.ctx == nil || s.ctx.Err() != nil {
		return
	}
	if s.wsTimer != nil {
		s.wsTimer.Stop()
	}
	s.wsTimer = time.AfterFunc(workspaceDelay, func() { s.do(s.saveWorkspace) })
}

// saveWorkspace takes the workspace on Fyne's goroutine and writes it
// aside: image files once per content, the mask as a PNG, then the JSON.
func (s *Studio) saveWorkspace() {
	if s.ctx.Err() != nil {
		return
	}
	doc := workspaceDoc{Version: workspaceVersion, Mode: s.mode, Prompt: s.prompt.Text, Negative: s.negative.Text,
		Seed: s.seed.Text, SeedLocked: s.seedLock.Checked, Inputs: map[client.Role]savedInput{}, MaskName: s.maskName}
	blobs := map[string][]byte{}
	put := func(l *loadedImage) savedInput {
		sum := sha256.Sum256(l.Data)
		name := hex.EncodeToString(sum[:])
		blobs[name] = l.Data
		return savedInput{Name: l.Name, Blob: name}
	}
	for field, l := range s.inputs {
		doc.Inputs[field] = put(l)
	}
	for _, l := range s.batch {
		doc.Batch = append(doc.Batch, put(l))
	}
	var mask *image.Gray
	if s.editor.HasImage() && s.inputs[fieldBackground] != nil {
		if !s.editor.Mask().IsEmpty() {
			mask = s.editor.Mask().Gray()
		}
		v := s.editor.View()
		doc.View = &v
	}
	dir := s.workspaceDir()
	s.wsSaves.Add(1)
	go func() {
		defer s.wsSaves.Done()
		err := writeWorkspace(dir, doc, blobs, mask)
		if err != nil {
			s.log.Warn("saving the workspace", "error", err)
		}
	}()
}

// writeWorkspace writes the blobs that are not there yet, the mask, and
// the JSON last, so a crash at any point leaves a whole workspace (the old
// or the new), then deletes blobs nothing refers to.
func writeWorkspace(dir string, doc workspaceDoc, blobs map[string][]byte, mask *image.Gray) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	if mask != nil {
		data, err := imagefile.PNGBytes(mask)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		doc.Mask = hex.EncodeToString(sum[:])
		blobs[doc.Mask] = data
	}
	for name, data := range blobs {
		path := filepath.Join(dir, name)
		if _, err := os.Stat(path); err == nil {
			continue
		}
		if err := jobs.WriteAtomic(path, data); err != nil {
			return err
		}
	}
	data, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	if err := jobs.WriteAtomic(filepath.Join(dir, "workspace.json"), data); err != nil {
		return err
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if len(e.Name()) == 64 && blobs[e.Name()] == nil {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}

// workspaceVersion is the version of workspace.json this app writes:
// version 2 names the inputs by role, version 1 by wire field.
const workspaceVersion = 2

// savedImages are a workspace's inputs, decoded.
type savedImages struct {
	inputs map[client.Role]*loadedImage
	batch  []*loadedImage
}

// readWorkspace reads a saved workspace; a missing one is (nil, nil).
func readWorkspace(dir string) (*workspaceDoc, savedImages, []byte, error) {
	data, err := os.ReadFile(filepath.Join(dir, "workspace.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, savedImages{}, nil, nil
	}
	if err != nil {
		return nil, savedImages{}, nil, err
	}
	var doc workspaceDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, savedImages{}, nil, fmt.Errorf("the saved workspace is damaged: %w", err)
	}
	load := func(in savedInput) (*loadedImage, error) {
		if len(in.Blob) != 64 || strings.ContainsAny(in.Blob, `/\.`) {
			return nil, fmt.Errorf("bad blob name")
		}
		b, err := os.ReadFile(filepath.Join(dir, in.Blob))
		if err != nil {
			return nil, err
		}
		return loadImageBytes(in.Name, b)
	}
	images := savedImages{inputs: map[client.Role]*loadedImage{}}
	for role, in := range doc.Inputs {
		if doc.Version < 2 {
			role = client.RoleOfWire(string(role))
		}
		if !slotTitles[role] {
			continue
		}
		if l, err := load(in); err == nil {
			images.inputs[role] = l
		}
	}
	for _, in := range doc.Batch {
		if l, err := load(in); err == nil {
			l.pixels, l.Preview = nil, nil
			images.batch = append(images.batch, l)
		}
	}
	var mask []byte
	if doc.Mask != "" && len(doc.Mask) == 64 {
		mask, _ = os.ReadFile(filepath.Join(dir, doc.Mask))
	}
	return &doc, images, mask, nil
}

// slotTitles lists the inputs a workspace may hold.
var slotTitles = map[client.Role]bool{fieldBackground: true, fieldSubject: true, fieldDepth: true, fieldPreview: true}

// restoreWorkspace brings back the last workspace: read and decoded aside
// (a 24 MP photo takes a moment, shown by the loading bar), placed on
// Fyne's goroutine.
func (s *Studio) restoreWorkspace() {
	dir := s.workspaceDir()
	s.showLoading(true)
	go func() {
		doc, images, mask, err := readWorkspace(dir)
		s.do(func() {
			s.showLoading(false)
			if err != nil {
				s.log.Warn("restoring the workspace", "error", err)
				s.setStatus("The last workspace could not be restored; starting afresh.")
				return
			}
			if doc == nil {
				return
			}
			s.applyWorkspace(doc, images, mask)
		})
	}()
}

func (s *Studio) applyWorkspace(doc *workspaceDoc, images savedImages, mask []byte) {
	s.restoring = true
	defer func() { s.restoring = false }()
	for _, field := range []client.Role{fieldBackground, fieldSubject, fieldDepth, fieldPreview} {
		if l := images.inputs[field]; l != nil {
			s.setInput(field, l)
			if field != fieldBackground {
				l.pixels = nil
			}
		}
	}
	s.batch = append(s.batch, images.batch...)
	if len(s.batch) > 0 {
		s.refreshSlot(fieldBackground)
	}
	if len(mask) > 0 && s.editor.HasImage() {
		if img, _, err := imagefile.Decode(mask, 0); err == nil {
			_, _ = s.editor.ImportMask(img)
			s.maskName = doc.MaskName
		}
	}
	if doc.View != nil {
		s.editor.SetView(*doc.View)
	}
	s.prompt.SetText(doc.Prompt)
	s.negative.SetText(doc.Negative)
	if doc.Seed != "" {
		s.rollingSeed = true
		s.seed.SetText(doc.Seed)
		s.rollingSeed = false
	}
	s.seedLock.SetChecked(doc.SeedLocked)
	if _, ok := modeFields[doc.Mode]; ok {
		s.setMode(doc.Mode)
	}
	s.refreshMaskSlot()
	s.validate()
	s.setStatus("Your last workspace is back.")
}

// showLoading shows or hides the loading bar over the canvas.
func (s *Studio) showLoading(on bool) {
	s.loading.Hidden = !on
	if on {
		s.loading.Start()
		s.emptyHint.Hide()
	} else {
		s.loading.Stop()
		s.emptyHint.Hidden = s.inputs[s.mainField()] != nil
	}
	s.center.Refresh()
}
