package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/disintegration/imaging"

	"github.com/zeninpaint/studio/app/framing"
	"github.com/zeninpaint/studio/app/jobs"
	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client"
)

// Input fields by wire name, as the slots and jobs use them.
const (
	fieldSubject    = "subject"
	fieldBackground = "background"
	fieldMask       = "mask"
	fieldDepth      = "depth_map"
	fieldPreview    = "preview"
)

// modeFields lists each mode's slots, in the order the panel shows them.
var modeFields = map[client.Mode][]string{
	client.ModeInpaint:    {fieldBackground, fieldSubject, fieldMask},
	client.ModeScene:      {fieldDepth, fieldPreview},
	client.ModeBackground: {fieldSubject},
}

// Studio is the main window and everything in it.
type Studio struct {
	app    fyne.App
	win    fyne.Window
	cfg    Config
	log    *slog.Logger
	ctx    context.Context
	cancel context.CancelFunc

	settings *Settings
	keyring  *Keyring
	creds    Credentials // guarded by clientsMu when written (job goroutines read it)

	clientsMu sync.Mutex
	clients   map[clientKey]*client.Client
	manager   *jobs.Manager

	mode     client.Mode
	inputs   map[string]*loadedImage
	batch    []*loadedImage // more backgrounds, one job each
	maskName string         // the file a mask came from, "" when painted

	editor    *zcanvas.Editor
	preview   *canvas.Image
	center    *fyne.Container
	emptyHint *widget.Label
	tools     *fyne.Container

	modeSelect *widget.RadioGroup
	slots      map[string]*slot
	slotBox    *fyne.Container
	prompt     *widget.Entry
	negative   *widget.Entry
	seed       *widget.Entry
	variations *widget.Select
	syncMode   *widget.RadioGroup
	context    *widget.Select
	padding    *widget.Entry
	resolution *widget.Select
	estimate   *widget.Label
	// estimateToken drops stale upload-size answers.
	estimateToken atomic.Int64
	reason        *widget.Label
	generate      *widget.Button
	status        *widget.Label

	queue   *queuePanel
	focused bool // the window is in front (no notification needed)

	// do runs a function on Fyne's goroutine (fyne.Do; tests serialise).
	do func(func())
}

// newStudio builds the window's content on w. It starts nothing that
// outlives Close.
func newStudio(a fyne.App, w fyne.Window, cfg Config) (*Studio, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Studio{app: a, win: w, cfg: cfg, log: cfg.Logger, ctx: ctx, cancel: cancel,
		settings: newSettings(a.Preferences(), cfg), keyring: NewKeyring(cfg.KeyringService),
		inputs: map[string]*loadedImage{}, slots: map[string]*slot{}, do: cfg.Do}
	if s.do == nil {
		s.do = fyne.Do
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	creds, err := s.keyring.Load()
	if err != nil {
		s.log.Warn("keyring", "error", err)
	}
	s.creds = creds

	store, err := jobs.OpenStore(cfg.DataDir)
	if err != nil {
		cancel()
		return nil, err
	}
	s.manager, err = jobs.NewManager(jobs.Options{
		Store:     store,
		Clients:   s.clientFor,
		OutputDir: s.settings.OutputDir,
		OnChange:  func(j jobs.Job) { s.do(func() { s.jobChanged(j) }) },
		Logger:    s.log,

		KeepFinished: s.settings.KeepFinished,
	})
	if err != nil {
		// A damaged queue was set aside; start with an empty one and say so.
		defer s.do(func() { dialog.ShowError(err, w) })
	}
	s.build()
	s.setMode(client.Mode(s.settings.Mode()))
	s.queue.reload()
	s.manager.Resume()
	go s.warmUp()
	return s, nil
}

// Close stops the runs (their states are kept for the next start).
func (s *Studio) Close() {
	s.cancel()
	s.manager.Close()
}

func (s *Studio) build() {
	s.editor = zcanvas.NewEditor()
	s.editor.OnMaskChanged = func() { s.maskName = ""; s.refreshMaskSlot(); s.validate() }
	s.editor.OnViewChanged = func(z float64) { s.setStatus(fmt.Sprintf("Zoom %.0f %%", z*100)) }
	s.preview = canvas.NewImageFromImage(nil)
	s.preview.FillMode = canvas.ImageFillContain
	s.emptyHint = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	s.center = container.NewStack(s.editor, s.preview, container.NewCenter(s.emptyHint))
	s.tools = s.buildTools()

	titles := []string{}
	for _, m := range client.Modes {
		titles = append(titles, m.Title())
	}
	s.modeSelect = widget.NewRadioGroup(titles, func(title string) {
		for _, m := range client.Modes {
			if m.Title() == title && m != s.mode {
				s.setMode(m)
			}
		}
	})
	s.modeSelect.Horizontal = true
	s.modeSelect.Required = true

	s.slots[fieldBackground] = newSlot(fieldBackground, "Background", "The photo to change; paint the mask over it on the canvas.",
		func() { s.chooseFile(fieldBackground) }, func() { s.clearInput(fieldBackground) })
	s.slots[fieldSubject] = newSlot(fieldSubject, "Subject", "What to place (a PNG with transparency works best).",
		func() { s.chooseFile(fieldSubject) }, func() { s.clearInput(fieldSubject) })
	s.slots[fieldMask] = newSlot(fieldMask, "Mask", "White = may change. Paint it on the canvas or drop a grayscale PNG.",
		func() { s.chooseFile(fieldMask) }, func() { s.editor.ClearMask() })
	s.slots[fieldDepth] = newSlot(fieldDepth, "Depth map", "Grayscale, near = bright.",
		func() { s.chooseFile(fieldDepth) }, func() { s.clearInput(fieldDepth) })
	s.slots[fieldPreview] = newSlot(fieldPreview, "3D preview", "A render from your 3D tool (instead of a depth map).",
		func() { s.chooseFile(fieldPreview) }, func() { s.clearInput(fieldPreview) })
	s.slotBox = container.NewVBox()

	s.prompt = widget.NewMultiLineEntry()
	s.prompt.SetPlaceHolder("Describe the result, e.g. “a ceramic vase on an oak table, soft daylight”")
	s.prompt.Wrapping = fyne.TextWrapWord
	s.prompt.SetMinRowsVisible(2)
	s.negative = widget.NewEntry()
	s.negative.SetPlaceHolder("What to avoid (optional)")
	s.seed = widget.NewEntry()
	s.seed.SetText(strconv.FormatInt(rand.Int64N(1_000_000), 10))
	s.seed.Validator = func(t string) error {
		if _, err := strconv.ParseInt(strings.TrimSpace(t), 10, 64); err != nil {
			return errors.New("the seed is a whole number")
		}
		return nil
	}
	s.seed.OnChanged = func(string) { s.validate() }
	dice := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() {
		s.seed.SetText(strconv.FormatInt(rand.Int64N(1_000_000), 10))
	})
	s.variations = widget.NewSelect([]string{"1", "2", "3", "4", "5", "6", "7", "8"}, func(string) { s.validate() })
	s.variations.SetSelected("1")
	s.syncMode = widget.NewRadioGroup([]string{"Wait for the result (sync)", "Queue it (async)"}, func(string) {
		s.settings.SetAsync(s.isAsync())
	})
	s.syncMode.Required = true
	if s.settings.Async() {
		s.syncMode.SetSelected("Queue it (async)")
	} else {
		s.syncMode.SetSelected("Wait for the result (sync)")
	}
	s.context = widget.NewSelect([]string{contextAround, contextWhole}, func(v string) {
		s.settings.p.SetString("context", v)
		s.padding.Hidden = v != contextAround
		s.validate()
	})
	s.padding = widget.NewEntry()
	s.padding.SetText(s.settings.p.StringWithFallback("padding", "128 px"))
	s.padding.Validator = func(t string) error { _, _, err := parsePadding(t); return err }
	s.padding.OnChanged = func(t string) {
		if _, _, err := parsePadding(t); err == nil {
			s.settings.p.SetString("padding", t)
			s.validate()
		}
	}
	s.resolution = widget.NewSelect([]string{resolutionEconomy, resolutionFull}, func(v string) {
		s.settings.p.SetString("resolution", v)
		s.validate()
	})
	s.context.SetSelected(s.settings.p.StringWithFallback("context", contextAround))
	s.resolution.SetSelected(s.settings.p.StringWithFallback("resolution", resolutionEconomy))
	s.estimate = widget.NewLabel("")
	s.estimate.Wrapping = fyne.TextWrapWord
	s.reason = widget.NewLabel("")
	s.reason.Wrapping = fyne.TextWrapWord
	s.reason.Importance = widget.WarningImportance
	s.generate = widget.NewButtonWithIcon("Generate", theme.MediaPlayIcon(), s.Generate)
	s.generate.Importance = widget.HighImportance

	form := container.NewVBox(
		widget.NewLabelWithStyle("Prompt", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.prompt,
		s.negative,
		widget.NewForm(
			widget.NewFormItem("Seed", container.NewBorder(nil, nil, nil, dice, s.seed)),
			widget.NewFormItem("Variations", s.variations),
			widget.NewFormItem("Context", container.NewBorder(nil, nil, nil, container.NewGridWrap(fyne.NewSize(80, 36), s.padding), s.context)),
			widget.NewFormItem("Resolution", s.resolution),
		),
		s.syncMode,
		s.estimate,
		s.generate,
		s.reason,
	)
	// The slots scroll; the prompt and Generate stay in view.
	slots := container.NewVScroll(container.NewPadded(s.slotBox))
	slots.SetMinSize(fyne.NewSize(330, 120))
	side := container.NewBorder(nil, container.NewPadded(form), nil, nil, slots)

	s.queue = newQueuePanel(s)
	s.status = widget.NewLabel("")
	s.status.SizeName = theme.SizeNameCaptionText

	top := container.NewBorder(nil, nil, widget.NewLabelWithStyle("Mode", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewButtonWithIcon("Settings", theme.SettingsIcon(), s.ShowSettings), s.modeSelect)
	middle := container.NewBorder(s.tools, nil, nil, nil, s.center)
	right := container.NewHSplit(middle, s.queue.content)
	right.SetOffset(0.72)
	s.win.SetContent(container.NewBorder(container.NewPadded(top), container.NewPadded(s.status), side, nil, right))
	s.win.SetOnDropped(s.dropped)
	s.editor.AddShortcuts(s.win.Canvas())
	s.addShortcuts()
}

// buildTools is the bar above the canvas: tools, brush, overlay and mask
// operations.
func (s *Studio) buildTools() *fyne.Container {
	tool := widget.NewRadioGroup([]string{"Brush (B)", "Eraser (E)"}, nil)
	tool.Horizontal, tool.Required = true, true
	tool.SetSelected("Brush (B)")
	tool.OnChanged = func(v string) {
		if v == "Eraser (E)" {
			s.editor.SetTool(zcanvas.ToolEraser)
		} else {
			s.editor.SetTool(zcanvas.ToolBrush)
		}
	}
	size := widget.NewSlider(zcanvas.MinBrushSize, 400)
	size.SetValue(s.editor.Brush().Size)
	sizeLabel := widget.NewLabel("")
	hard := widget.NewSlider(0, 100)
	hard.SetValue(s.editor.Brush().Hardness * 100)
	updateBrush := func(float64) {
		s.editor.SetBrush(zcanvas.Brush{Size: size.Value, Hardness: hard.Value / 100})
		sizeLabel.SetText(fmt.Sprintf("%.0f px · %.0f %%", size.Value, hard.Value))
	}
	size.OnChanged, hard.OnChanged = updateBrush, updateBrush
	updateBrush(0)
	s.editor.OnToolChanged = func(t zcanvas.Tool, b zcanvas.Brush) {
		tool.SetSelected(map[zcanvas.Tool]string{zcanvas.ToolBrush: "Brush (B)", zcanvas.ToolEraser: "Eraser (E)"}[t])
		if b.Size > size.Max {
			size.Max = b.Size
		}
		size.SetValue(b.Size)
	}
	opacity := widget.NewSlider(10, 100)
	opacity.SetValue(s.editor.Overlay().Opacity * 100)
	opacity.OnChanged = func(v float64) {
		o := s.editor.Overlay()
		o.Opacity = v / 100
		s.editor.SetOverlay(o)
	}
	alone := widget.NewCheck("Mask only", func(on bool) {
		o := s.editor.Overlay()
		o.MaskAlone = on
		s.editor.SetOverlay(o)
	})
	amount := func(title string, apply func(n int)) *widget.Button {
		return widget.NewButton(title, func() {
			e := widget.NewEntry()
			e.SetText("8")
			dialog.ShowForm(title, "Apply", "Cancel", []*widget.FormItem{widget.NewFormItem("Pixels", e)}, func(ok bool) {
				if n, err := strconv.Atoi(strings.TrimSpace(e.Text)); ok && err == nil && n > 0 {
					apply(n)
				}
			}, s.win)
		})
	}
	fromSubject := widget.NewButton("From subject", func() {
		sub := s.inputs[fieldSubject]
		if sub == nil || !s.editor.HasImage() {
			s.setStatus("Add a background and a subject with transparency first.")
			return
		}
		img, err := decodeFull(sub)
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		s.editor.MaskFromAlpha(img, false)
	})
	bar := container.NewHBox(
		tool,
		widget.NewLabel("Size"), container.NewGridWrap(fyne.NewSize(110, 36), size),
		widget.NewLabel("Hardness"), container.NewGridWrap(fyne.NewSize(90, 36), hard), sizeLabel,
		widget.NewSeparator(),
		widget.NewButtonWithIcon("", theme.ContentUndoIcon(), s.editor.Undo),
		widget.NewButtonWithIcon("", theme.ContentRedoIcon(), s.editor.Redo),
		widget.NewButton("Invert", s.editor.Invert),
		widget.NewButton("Clear", s.editor.ClearMask),
		widget.NewButton("Fill", s.editor.FillMask),
		fromSubject,
		amount("Grow", s.editor.Grow), amount("Shrink", s.editor.Shrink), amount("Feather", s.editor.Feather),
		widget.NewSeparator(),
		widget.NewLabel("Overlay"), container.NewGridWrap(fyne.NewSize(80, 36), opacity), alone,
		widget.NewButtonWithIcon("", theme.ZoomFitIcon(), s.editor.ZoomFit),
		widget.NewButton("100 %", s.editor.ZoomActual),
	)
	return container.NewStack(container.NewHScroll(bar))
}

// setMode switches the panels to a mode; inputs of other modes are kept.
func (s *Studio) setMode(m client.Mode) {
	if _, ok := modeFields[m]; !ok {
		m = client.ModeInpaint
	}
	s.mode = m
	s.settings.SetMode(string(m))
	if s.modeSelect.Selected != m.Title() {
		s.modeSelect.SetSelected(m.Title())
	}
	if m == client.ModeInpaint {
		s.context.Enable()
	} else {
		s.context.Disable()
	}
	s.slotBox.RemoveAll()
	for _, f := range modeFields[m] {
		s.slotBox.Add(s.slots[f].card)
	}
	s.slotBox.Refresh()
	s.showCenter()
	s.validate()
}

// mainField is the input the centre of the window shows in a mode.
func (s *Studio) mainField() string {
	switch s.mode {
	case client.ModeScene:
		if s.inputs[fieldDepth] == nil && s.inputs[fieldPreview] != nil {
			return fieldPreview
		}
		return fieldDepth
	case client.ModeBackground:
		return fieldSubject
	}
	return fieldBackground
}

// showCenter shows the mask editor (inpaint) or a preview of the mode's
// main input.
func (s *Studio) showCenter() {
	inpaint := s.mode == client.ModeInpaint
	main := s.inputs[s.mainField()]
	s.editor.Hidden = !inpaint || main == nil
	s.tools.Hidden = !inpaint
	s.preview.Hidden = inpaint || main == nil
	if !inpaint && main != nil {
		s.preview.Image = displayImage(main)
	}
	s.emptyHint.Hidden = main != nil
	s.emptyHint.SetText(map[client.Mode]string{
		client.ModeInpaint:    "Drop a photo here to start, then paint where it may change.\nDrop a subject on the Subject slot.",
		client.ModeScene:      "Drop a depth map (grayscale, near = bright)\nor a 3D preview render here.",
		client.ModeBackground: "Drop a PNG subject with a transparent background here.",
	}[s.mode])
	s.center.Refresh()
	s.tools.Refresh()
}

// displayImage is an input scaled for the preview (at most 2048 px).
func displayImage(l *loadedImage) image.Image {
	if l.full == nil {
		img, err := decodeFull(l)
		if err != nil {
			return l.Thumb
		}
		l.full = img
	}
	if max(l.Info.Width, l.Info.Height) > 2048 {
		l.full = imaging.Fit(l.full, 2048, 2048, imaging.Linear)
	}
	return l.full
}

// setInput puts a loaded image in a slot and updates what depends on it.
func (s *Studio) setInput(field string, img *loadedImage) {
	if field == fieldMask {
		s.importMask(img)
		return
	}
	s.inputs[field] = img
	if field == fieldBackground {
		s.batch = nil
		full, err := decodeFull(img)
		if err != nil {
			dialog.ShowError(err, s.win)
			return
		}
		s.editor.SetImage(full)
		img.full = nil // the editor holds the pixels now
		if img.Info.Pixels() > 4_000_000 {
			// Decoding left a large transient heap (the compressed pixels,
			// the conversion): give it back to the system now rather than
			// keep it as GC headroom.
			go debug.FreeOSMemory()
		}
	}
	s.refreshSlot(field)
	s.refreshMaskSlot()
	s.showCenter()
	s.validate()
}

func (s *Studio) refreshSlot(field string) {
	img := s.inputs[field]
	if img == nil {
		s.slots[field].reset()
		return
	}
	note := ""
	if field == fieldBackground && len(s.batch) > 0 {
		note = fmt.Sprintf("+ %d more (a batch: one job each, same mask and prompt)", len(s.batch))
	}
	s.slots[field].show(img, note)
}

func (s *Studio) refreshMaskSlot() {
	sl := s.slots[fieldMask]
	switch {
	case !s.editor.HasImage():
		sl.reset()
	case s.editor.Mask().IsEmpty():
		sl.showText("Empty: paint on the canvas where the image may change, or drop a mask file.", false)
	default:
		b := s.editor.Mask().Bounds()
		src := "painted on the canvas"
		if s.maskName != "" {
			src = "from " + s.maskName
		}
		sl.showText(fmt.Sprintf("Mask %s · covers %d×%d px", src, b.Dx(), b.Dy()), true)
	}
}

func (s *Studio) clearInput(field string) {
	delete(s.inputs, field)
	if field == fieldBackground {
		s.batch = nil
		s.editor.SetImage(image.NewNRGBA(image.Rect(0, 0, 1, 1)))
		s.editor.Hide()
	}
	s.refreshSlot(field)
	s.refreshMaskSlot()
	s.showCenter()
	s.validate()
}

func (s *Studio) importMask(img *loadedImage) {
	if !s.editor.HasImage() || s.inputs[fieldBackground] == nil {
		dialog.ShowInformation("Add a background first", "A mask is painted over the background: add the background, then the mask.", s.win)
		return
	}
	full, err := decodeFull(img)
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	resized, err := s.editor.ImportMask(full)
	if err != nil {
		dialog.ShowError(err, s.win)
		return
	}
	s.maskName = img.Name
	s.refreshMaskSlot()
	if resized {
		bg := s.inputs[fieldBackground].Info
		s.setStatus(fmt.Sprintf("The mask was %d×%d; it was resized to the background's %d×%d.",
			img.Info.Width, img.Info.Height, bg.Width, bg.Height))
	}
}

// decodeFull returns the decoded pixels of an input.
func decodeFull(l *loadedImage) (image.Image, error) {
	if l.full != nil {
		return l.full, nil
	}
	again, err := loadImageBytes(l.Name, l.Data)
	if err != nil {
		return nil, err
	}
	return again.full, nil
}

func (s *Studio) setStatus(text string) { s.status.SetText(text) }

// OpenPaths loads files given on the command line as if dropped on the
// canvas.
func (s *Studio) OpenPaths(paths []string) {
	var uris []fyne.URI
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			uris = append(uris, storage.NewFileURI(abs))
		}
	}
	if len(uris) > 0 {
		s.loadFiles("canvas", uris)
	}
}

// chooseFile is the file-dialog way of filling a slot.
func (s *Studio) chooseFile(field string) {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		r.Close()
		s.loadFiles(field, []fyne.URI{r.URI()})
	}, s.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif",
		".PNG", ".JPG", ".JPEG", ".WEBP", ".TIF", ".TIFF", ".BMP", ".GIF"}))
	d.Show()
}

// dropped routes files dropped from the file manager.
func (s *Studio) dropped(pos fyne.Position, uris []fyne.URI) {
	areas := []dropArea{areaOf("canvas", s.center)}
	for _, f := range modeFields[s.mode] { // other modes' cards are not on screen
		areas = append(areas, areaOf(f, s.slots[f].card))
	}
	target := routeDrop(pos, areas)
	if target == "" {
		target = "canvas"
	}
	s.loadFiles(target, uris)
}

// loadFiles reads files in the background and puts them where they were
// dropped: a slot, or the canvas (the mode's main input, a mask when it is
// grayscale and the background's size, a batch when there are several).
// A file that is not a usable image is reported and changes nothing.
func (s *Studio) loadFiles(target string, uris []fyne.URI) {
	s.setStatus(fmt.Sprintf("Reading %d file(s)…", len(uris)))
	go func() {
		loaded, problems := readFiles(uris)
		s.do(func() { s.finishLoad(target, loaded, problems) })
	}()
}

// readFiles loads the images behind uris, and explains those it cannot.
func readFiles(uris []fyne.URI) (loaded []*loadedImage, problems []string) {
	for _, u := range uris {
		path, err := uriPath(u)
		if err == nil {
			var img *loadedImage
			if img, err = loadImageFile(path); err == nil {
				loaded = append(loaded, img)
				continue
			}
		}
		problems = append(problems, jobs.Explain(err))
	}
	return loaded, problems
}

// finishLoad shows what could not be read and places the rest.
func (s *Studio) finishLoad(target string, loaded []*loadedImage, problems []string) {
	s.setStatus("")
	if len(problems) > 0 {
		dialog.ShowError(errors.New(strings.Join(problems, "\n")), s.win)
	}
	if len(loaded) > 0 {
		s.place(target, loaded)
	}
}

// place puts loaded images where target says.
func (s *Studio) place(target string, imgs []*loadedImage) {
	if target == "canvas" {
		first := imgs[0]
		bg := s.inputs[fieldBackground]
		switch {
		case s.mode == client.ModeInpaint && len(imgs) == 1 && first.Gray && bg != nil &&
			first.Info.Width == bg.Info.Width && first.Info.Height == bg.Info.Height:
			target = fieldMask
		case s.mode == client.ModeInpaint:
			target = fieldBackground
		case s.mode == client.ModeScene && first.Gray:
			target = fieldDepth
		case s.mode == client.ModeScene:
			target = fieldPreview
		default:
			target = fieldSubject
		}
	}
	if target == fieldDepth && s.inputs[fieldPreview] != nil {
		s.clearInput(fieldPreview) // a scene takes one or the other
	}
	if target == fieldPreview && s.inputs[fieldDepth] != nil {
		s.clearInput(fieldDepth)
	}
	s.setInput(target, imgs[0])
	if target == fieldBackground && len(imgs) > 1 {
		s.batch = imgs[1:]
		s.refreshSlot(fieldBackground)
		s.validate()
	}
}

// The Context and Resolution choices as the panel names them.
const (
	contextAround     = "Around the mask"
	contextWhole      = "Whole image"
	resolutionEconomy = "Economy (≤ 2048 px, 0.04 credits)"
	resolutionFull    = "Full (0.05 credits above 2048 px)"
)

// framingSettings reads the Context, padding and Resolution choices.
// Context applies to Inpaint; the other modes always send the whole image.
func (s *Studio) framingSettings() framing.Settings {
	fs := framing.Settings{Context: framing.AroundMask, Resolution: framing.Economy}
	if s.context.Selected == contextWhole {
		fs.Context = framing.WholeImage
	}
	if s.resolution.Selected == resolutionFull {
		fs.Resolution = framing.Full
	}
	fs.Padding, fs.PaddingPercent, _ = parsePadding(s.padding.Text)
	return fs
}

// parsePadding reads "64", "64 px" or "25 %".
func parsePadding(t string) (px int, pct float64, err error) {
	t = strings.TrimSpace(strings.ToLower(t))
	if v, ok := strings.CutSuffix(t, "%"); ok {
		pct, err = strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || pct < 0 || pct > 400 {
			return 0, 0, errors.New("padding: a percentage from 0 to 400")
		}
		return 0, pct, nil
	}
	px, err = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(t, "px")))
	if err != nil || px < 0 {
		return 0, 0, errors.New("padding: pixels (e.g. 64) or a percentage (e.g. 25 %)")
	}
	return px, 0, nil
}

func (s *Studio) isAsync() bool { return s.syncMode.Selected == "Queue it (async)" }

// warmUp pings the server so a cold instance wakes before the first job.
func (s *Studio) warmUp() {
	c, err := s.clientFor(s.currentServer())
	if err != nil {
		s.do(func() { s.setStatus(err.Error()) })
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	err = c.Ping(ctx)
	took := time.Since(start).Round(time.Millisecond)
	s.do(func() {
		switch {
		case err != nil:
			s.setStatus("The server did not answer: " + jobs.Explain(err))
		case s.settings.Cloud():
			s.setStatus(fmt.Sprintf("Connected to Zen-Inpaint cloud (%s).", took))
		default:
			s.setStatus("Ready on the local engine (offline, classical image processing, no AI).")
		}
	})
}
