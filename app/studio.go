package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"log/slog"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/app/jobs"
	zcanvas "github.com/zeninpaint/studio/canvas"
	"github.com/zeninpaint/studio/client"
)

// The inputs' roles, as the slots and jobs use them.
const (
	fieldSubject    = client.RoleSubject
	fieldBackground = client.RoleBackground
	fieldMask       = client.RoleMask
	fieldDepth      = client.RoleDepth
	fieldPreview    = client.RolePreview
)

// onCanvas is the drop target of the canvas itself, where dropped images
// are routed by their content (see routeByContent).
const onCanvas client.Role = "canvas"

// Studio is the main window and everything in it.
type Studio struct {
	win      fyne.Window
	cfg      Config // its Logger and Do are never nil
	ctx      context.Context
	cancel   context.CancelFunc
	settings *Settings

	conn connection         // the keyring, the credentials, the clients, the jobs
	doc  *document.Document // what the designer edits

	editor  *zcanvas.Editor
	frame   frame          // the window's layout, the canvas's overlays, the status line
	inputs  inputsPanel    // the mode buttons and the inputs' slots
	request *generatePanel // the prompt, the seed, the request's settings, the estimate and Generate
	queue   *queuePanel    // the jobs
	keys    *keyRouter     // the keyboard's one route, and the dialogs on screen
	desk    desk           // the app, questions, file pickers, the clipboard: what tests replace
	saver   workspaceSaver // the workspace's saving
}

// connection is where jobs go: the keyring and the credentials in use,
// the clients by server, and the jobs' manager.
type connection struct {
	keyring   *Keyring
	creds     Credentials // guarded by clientsMu when written (job goroutines read it)
	clientsMu sync.Mutex
	clients   map[clientKey]*client.Client
	manager   *jobs.Manager
}

// frame is the window's layout and what sits over the canvas.
type frame struct {
	preview    *canvas.Image               // the main input of the modes without a mask
	center     *fyne.Container             // the canvas and what sits over it
	emptyHint  *widget.Label               // what to drop, while there is nothing
	loading    *widget.ProgressBarInfinite // while a file opens
	tools      *fyne.Container             // the canvas bar's rows
	bar        *canvasBar
	result     *resultView // a result shown on the canvas
	split      *container.Split
	side, root *fyne.Container // laid out again when a wrapped text changes
	status     *widget.Label
	// meter shows where jobs go and, on the cloud, what they cost today
	// and this session (requests the server took).
	meter         *widget.Label
	spentSession  float64
	lastSaveAlarm time.Time // the last "could not save the job list" dialog
	focused       bool      // the window is in front (no notification needed)
}

// inputsPanel is the mode buttons and the slot of each input.
type inputsPanel struct {
	modeButtons map[client.Mode]*widget.Button
	slots       map[client.Role]*slot
	slotBox     *fyne.Container // the slots of the mode shown
}

// desk is how the app reaches the desktop: the app, questions, the file
// choosers, the clipboard, the cut-out. Tests replace the last four (the
// file choosers' system one).
type desk struct {
	app    fyne.App
	ask    func(title, message string, choices []choice)
	cutOut func(*loadedImage)
	files  *pickers // the file choosers (filepicker.go)
	clip   pictureClipboard
}

// workspaceSaver saves the workspace a moment after a change: a debounce
// timer, the saves under way, a flag set from the start until the saved
// workspace is back (nothing is saved meanwhile), and whether something
// changed meanwhile.
type workspaceSaver struct {
	timer              *time.Timer
	saves              sync.WaitGroup
	restoring, pending bool
	// mask is the canvas's mask as last written (UI goroutine): a save
	// while it is unchanged keeps its file instead of copying it again.
	mask savedMask
	// writing orders the writes: one at a time, and never one older than
	// the last written (seq, written: the snapshots' order).
	writing      sync.Mutex
	seq, written uint64
}

// savedMask is a mask written to the workspace: which (the canvas's mask
// and its history's position) and its file's name.
type savedMask struct {
	of   *zcanvas.Mask
	at   uint64
	blob string
}

// newStudio builds the window's content on w. It starts nothing that
// outlives Close.
func newStudio(a fyne.App, w fyne.Window, cfg Config) (*Studio, error) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Studio{win: w, cfg: cfg, ctx: ctx, cancel: cancel, settings: newSettings(a.Preferences(), cfg),
		conn: connection{keyring: NewKeyring(cfg.KeyringService)}, inputs: inputsPanel{slots: map[client.Role]*slot{}},
		desk: desk{app: a, clip: &systemClipboard{}}, saver: workspaceSaver{restoring: true}}
	if s.cfg.Do == nil {
		s.cfg.Do = fyne.Do
	}
	s.desk.ask = s.askDialog
	s.desk.cutOut = s.cutOutSubject
	if s.cfg.Logger == nil {
		s.cfg.Logger = slog.New(slog.DiscardHandler)
	}
	store, err := jobs.OpenStore(cfg.DataDir)
	if err != nil {
		cancel()
		return nil, err
	}
	// The saved queue is read and the store tidied on another goroutine:
	// the window's first frame never waits for them.
	s.conn.manager = jobs.OpenManager(jobs.Options{
		Store:     store,
		Clients:   s.clientFor,
		OutputDir: s.settings.OutputDir,
		OnChange:  func(j jobs.Job) { s.cfg.Do(func() { s.queue.jobChanged(j) }) },
		OnSaveError: func(err error) {
			s.cfg.Do(func() { s.saveFailed(err) })
		},
		OnCharged: func(j jobs.Job) { s.cfg.Do(func() { s.addSpend(j.Credits) }) },
		Logger:    s.cfg.Logger,

		KeepFinished: s.settings.KeepFinished,
	}, func(err error) { s.cfg.Do(func() { s.queue.queueRead(err) }) })
	s.build()
	s.doc.SetMode(client.Mode(s.settings.Mode()))
	s.showMode()
	// The content goes on the window once it shows the mode: it is laid
	// out once, not after every slot added.
	s.win.SetContent(s.frame.root)
	s.queue.reload()
	s.restoreWorkspace()
	go s.loadCredentials()
	return s, nil
}

// loadCredentials reads the keyring, then resumes the queue and wakes the
// server. The keyring is a D-Bus call that can take a while: the window
// shows first, and the queue resumes once the credentials are known.
func (s *Studio) loadCredentials() {
	creds, err := s.conn.keyring.Load()
	if err != nil {
		s.cfg.Logger.Warn("keyring", "error", err)
	}
	s.cfg.Do(func() {
		s.conn.clientsMu.Lock()
		if s.conn.creds == (Credentials{}) { // not set meanwhile in Settings
			s.conn.creds = creds
		}
		s.conn.clientsMu.Unlock()
		go s.conn.manager.Resume() // once the queue is read
		s.validate()
		go s.warmUp()
	})
}

// Close stops the runs (their states are kept for the next start).
func (s *Studio) Close() {
	if s.saver.timer != nil && s.saver.timer.Stop() {
		s.saveWorkspace() // a change still waiting to be saved
	}
	s.cancel()
	s.conn.manager.Close()
	s.saver.saves.Wait()
}

func (s *Studio) build() {
	s.editor = zcanvas.NewEditor()
	s.editor.RunOnUI(s.cfg.Do)
	s.desk.files = &pickers{win: s.win, ctx: s.ctx, prefs: s.settings.p, outputDir: s.settings.OutputDir, system: systemPicker,
		do: s.cfg.Do, log: s.cfg.Logger, say: s.setStatus, showError: s.showError, showDialog: s.showDialog}
	s.keys = newKeyRouter(s.win, s.editor, func() bool { return s.doc.Mode() == client.ModeInpaint && s.editor.Visible() },
		func(k fyne.KeyName) bool { return s.frame.result.key(k) })
	s.doc = document.New(editorMask{s.editor})
	s.doc.OnChange(s.docChanged)
	s.editor.OnMaskChanged = func() { s.doc.SetMaskName(""); s.refreshMaskSlot(); s.validate(); s.workspaceChanged() }
	s.editor.OnUndo = s.undo
	s.editor.OnRedo = s.redo
	s.editor.OnOtherRune = s.onCanvasRune
	s.editor.OnViewChanged = func(z float64) {
		s.setStatus(fmt.Sprintf("Zoom %.0f %%", z*100))
		v := s.editor.View()
		s.doc.SetView(document.View{Zoom: v.Zoom, OriginX: v.OriginX, OriginY: v.OriginY})
	}
	s.buildCanvas()
	s.buildWindow()
}

// buildCanvas makes the centre: the mask editor, the preview of the other
// modes, the hints and the result shown over them, and the canvas bar.
func (s *Studio) buildCanvas() {
	s.frame.preview = canvas.NewImageFromImage(nil)
	s.frame.preview.FillMode = canvas.ImageFillContain
	s.frame.emptyHint = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	s.frame.emptyHint.Importance = widget.LowImportance
	s.frame.loading = widget.NewProgressBarInfinite()
	s.frame.loading.Hide()
	s.frame.result = newResultView(s.doc, s.editor, s.frame.preview, s)
	s.editor.OnKey = s.frame.result.key
	s.editor.OnToolPress = s.frame.result.beforePaint
	s.editor.OnOtherShortcut = s.onCanvasShortcut
	s.editor.OnAltModifier = s.keys.keepMenuClosed
	s.frame.center = container.NewStack(s.editor, s.frame.preview, container.NewCenter(s.frame.emptyHint), container.NewCenter(s.frame.loading),
		container.NewPadded(s.frame.result.content))
	s.frame.bar = newCanvasBar(s.editor, s, s.keys)
	s.frame.tools = s.frame.bar.content
}

// buildWindow lays the window out: the mode row and Settings on top, the
// side panel, the canvas and the jobs, the status line.
func (s *Studio) buildWindow() {
	keys := s.keys.tools()
	// The panel's buttons give the keyboard back to the canvas, as menu
	// items do: a click on one must not leave it in the prompt.
	back := func(f func()) { f(); s.keys.toCanvas() }
	modeRow := s.inputs.build(inputActions{
		setMode:   func(m client.Mode) { back(func() { s.setMode(m) }) },
		choose:    func(r client.Role) { back(func() { s.chooseFile(r) }) },
		clear:     func(r client.Role) { back(func() { s.clearInput(r) }) },
		clearMask: func() { back(s.editor.ClearMask) },
		runOnUI:   s.cfg.Do,
	})

	s.request = newGeneratePanel(s.doc, s.settings, s.cfg.Do, generateHooks{changed: s.validate, generate: s.generateFromPanel, leave: s.keys.toCanvas}, keys)
	// The slots show all at once; the prompt and settings scroll between
	// them and Generate, which stays in view.
	s.frame.side = container.NewBorder(container.NewPadded(s.inputs.slotBox), container.NewPadded(s.request.send), nil, nil,
		s.request.scroll)
	side := s.frame.side
	sideWidth := canvas.NewRectangle(color.Transparent)
	sideWidth.SetMinSize(fyne.NewSize(sidePanelWidth, 0))

	s.queue = newQueuePanel(s.ctx, s.conn.manager, s, s.keys.tools())
	s.frame.status = widget.NewLabel("")
	s.frame.status.SizeName = theme.SizeNameCaptionText
	s.frame.status.Wrapping = fyne.TextWrapWord

	s.frame.meter = widget.NewLabel("")
	top := container.NewBorder(nil, nil, container.NewHBox(widget.NewLabelWithStyle("Mode", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), modeRow),
		container.NewHBox(s.frame.meter, newTipButton("Settings", theme.SettingsIcon(), "The engine, your API key, the output folder (Ctrl+,)", s.cfg.Do, s.ShowSettings)))
	middle := container.NewBorder(s.frame.tools, nil, nil, nil, s.frame.center)
	s.frame.split = container.NewHSplit(middle, s.queue.content)
	s.frame.split.SetOffset(s.settings.p.FloatWithFallback("jobs_split", 0.68))
	s.frame.root = container.NewBorder(container.NewPadded(top), container.NewPadded(s.frame.status),
		container.NewStack(sideWidth, side, newWheelCatcher(s.request.scroll)), nil, s.frame.split)
	s.win.SetOnDropped(s.dropped)
	s.editor.AddShortcuts(s.win.Canvas())
	s.addShortcuts()
	s.keys.install()
}

// sidePanelWidth is the width of the inputs and prompt panel.
const sidePanelWidth = 270

// choiceOr is v when it is one of the options (a choice saved by an older
// version may not be), else fallback.
func choiceOr(v string, options []string, fallback string) string {
	if slices.Contains(options, v) {
		return v
	}
	return fallback
}

// setMode switches to a mode; inputs of other modes are kept.
func (s *Studio) setMode(m client.Mode) { s.doc.SetMode(m) }

// docChanged shows a change of the document in the window, and saves the
// workspace a moment later.
func (s *Studio) docChanged(c document.Change) {
	switch c.Aspect {
	case document.ModeChanged:
		s.showMode()
	case document.InputChanged:
		s.showInput(c.Role)
	case document.MaskNamed:
		s.refreshMaskSlot()
	case document.TextChanged:
		if s.request != nil { // nil while it is being built
			s.request.showText(s.doc.Text())
		}
	case document.ShownChanged:
		return // not part of the saved workspace: no save for a \ pressed
	}
	s.workspaceChanged()
}

// showMode shows the document's mode: its button, its slots, its canvas.
func (s *Studio) showMode() {
	m := s.doc.Mode()
	s.settings.SetMode(string(m))
	if m == client.ModeInpaint {
		s.request.context.Enable()
	} else {
		s.request.context.Disable()
	}
	s.inputs.showMode(m)
	s.showCenter()
	s.validate()
}

// showCenter shows the mask editor (inpaint) or a preview of the mode's
// main input.
func (s *Studio) showCenter() {
	inpaint := s.doc.Mode() == client.ModeInpaint
	main := s.doc.Input(s.doc.MainRole())
	s.editor.Hidden = !inpaint || main == nil
	s.frame.tools.Hidden = !inpaint
	s.frame.preview.Hidden = inpaint || main == nil
	if !inpaint && main != nil {
		s.frame.preview.Image = displayImage(main)
	}
	s.frame.emptyHint.Hidden = main != nil
	s.frame.result.follow()
	s.frame.emptyHint.SetText(map[client.Mode]string{
		client.ModeInpaint:    "Drop a photo here to start, then paint where it may change.\nDrop a subject on the Subject slot.",
		client.ModeScene:      "Drop a depth map (grayscale, near = bright)\nor a 3D preview render here.",
		client.ModeBackground: "Drop a PNG subject with a transparent background here.",
	}[s.doc.Mode()])
	s.frame.center.Refresh()
	s.frame.tools.Refresh()
}

// displayImage is what the centre shows of an input: its preview, or its
// thumbnail when it has none.
func displayImage(l *loadedImage) image.Image {
	if l.Preview != nil {
		return l.Preview
	}
	return l.Thumb
}

// showInput shows an input the document changed: the background goes
// on the canvas (which keeps its pixels from then on); the other inputs'
// pixels are let go, decoded again when a job needs them.
func (s *Studio) showInput(field client.Role) {
	img := s.doc.Input(field)
	switch {
	case field == fieldBackground && img == nil:
		s.editor.SetImage(image.NewNRGBA(image.Rect(0, 0, 1, 1)))
		s.editor.Hide()
	case field == fieldBackground:
		full, err := img.TakePixels() // the editor holds the pixels from now on
		if err != nil {
			s.showError(err)
			return
		}
		s.editor.SetImage(full)
		s.frame.bar.fitBrush(max(img.Info.Width, img.Info.Height))
		if img.Info.Pixels() > 4_000_000 {
			// Decoding left a large transient heap (the compressed pixels,
			// the conversion): give it back to the system now rather than
			// keep it as GC headroom.
			go debug.FreeOSMemory()
		}
	case img != nil:
		img.DropPixels()
	}
	s.refreshSlot(field)
	s.refreshMaskSlot()
	s.showCenter()
	s.validate()
}

func (s *Studio) refreshSlot(field client.Role) {
	img := s.doc.Input(field)
	if img == nil {
		s.inputs.slots[field].reset()
		return
	}
	note := ""
	if field == fieldBackground && len(s.doc.Batch()) > 0 {
		note = fmt.Sprintf("+ %d more (a batch: one job each, same mask and prompt)", len(s.doc.Batch()))
	}
	s.inputs.slots[field].show(img, note)
}

func (s *Studio) refreshMaskSlot() {
	sl := s.inputs.slots[fieldMask]
	switch {
	case !s.editor.HasImage():
		sl.reset()
	case s.editor.Mask().IsEmpty():
		sl.showText("empty: paint where it may change", false)
	default:
		b := s.editor.Mask().Bounds()
		src := "painted"
		if s.doc.MaskName() != "" {
			src = "from " + s.doc.MaskName()
		}
		sl.showText(fmt.Sprintf("%s · covers %d×%d px", src, b.Dx(), b.Dy()), true)
	}
}

// clearInput takes an input out (one undo step).
func (s *Studio) clearInput(field client.Role) { s.doc.Clear(field) }

func (s *Studio) importMask(img *loadedImage) {
	if !s.editor.HasImage() || s.doc.Input(fieldBackground) == nil {
		s.showInfo("Add a background first", "A mask is painted over the background: add the background, then the mask.")
		return
	}
	full, err := img.TakePixels()
	if err != nil {
		s.showError(err)
		return
	}
	resized, err := s.editor.ImportMask(full)
	if err != nil {
		s.showError(err)
		return
	}
	s.doc.SetMaskName(img.Name)
	s.refreshMaskSlot()
	if resized {
		bg := s.doc.Input(fieldBackground).Info
		s.setStatus(fmt.Sprintf("The mask was %d×%d; it was resized to the background's %d×%d.",
			img.Info.Width, img.Info.Height, bg.Width, bg.Height))
	}
}

func (s *Studio) setStatus(text string) {
	s.frame.status.SetText(text)
	relayout(s.frame.root)
}

// relayout lays a container out again, without redrawing it: a wrapped
// label's height depends on its text, and its parent must make room.
func relayout(c *fyne.Container) {
	if c != nil && c.Layout != nil {
		c.Layout.Layout(c.Objects, c.Size())
	}
}

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
		s.loadFiles(onCanvas, uris)
	}
}

// chooseFile is the file-dialog way of filling a slot: the desktop's
// chooser, starting where the last file was opened (filepicker.go).
func (s *Studio) chooseFile(field client.Role) {
	s.desk.files.open(func(u fyne.URI) { s.loadFiles(field, []fyne.URI{u}) })
}

// dropped routes files dropped from the file manager.
func (s *Studio) dropped(pos fyne.Position, uris []fyne.URI) {
	areas := []dropArea{areaOf(onCanvas, s.frame.center)}
	for _, f := range document.ModeRoles[s.doc.Mode()] { // other modes' cards are not on screen
		areas = append(areas, areaOf(f, s.inputs.slots[f].card))
	}
	target := routeDrop(pos, areas)
	if target == "" {
		target = onCanvas
	}
	s.loadFiles(target, uris)
}

// loadFiles reads files in the background and puts them where they were
// dropped: a slot, or the canvas (the mode's main input, a mask when it is
// grayscale and the background's size, a batch when there are several).
// A file that is not a usable image is reported and changes nothing.
func (s *Studio) loadFiles(target client.Role, uris []fyne.URI) {
	s.setStatus(fmt.Sprintf("Reading %d file(s)…", len(uris)))
	s.showLoading(true)
	go func() {
		loaded, problems := readFiles(uris)
		s.cfg.Do(func() { s.finishLoad(target, loaded, problems) })
	}()
}

// readFiles loads the images behind uris, and explains those it cannot.
func readFiles(uris []fyne.URI) (loaded []*loadedImage, problems []string) {
	for _, u := range uris {
		path, err := uriPath(u)
		if err == nil {
			var img *loadedImage
			if img, err = document.LoadFile(path); err == nil {
				loaded = append(loaded, img)
				continue
			}
		}
		problems = append(problems, jobs.Explain(err))
	}
	return loaded, problems
}

// finishLoad shows what could not be read and places the rest.
func (s *Studio) finishLoad(target client.Role, loaded []*loadedImage, problems []string) {
	s.setStatus("")
	s.showLoading(false)
	if len(problems) > 0 {
		s.showError(errors.New(strings.Join(problems, "\n")))
	}
	if len(loaded) > 0 {
		s.place(target, loaded)
	}
}

// warmUp pings the server so a cold instance wakes before the first job.
func (s *Studio) warmUp() {
	c, err := s.clientFor(s.currentServer())
	if err != nil {
		s.cfg.Do(func() { s.setStatus(err.Error()) })
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	err = c.Ping(ctx)
	took := time.Since(start).Round(time.Millisecond)
	s.cfg.Do(func() {
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

// loadedImage is an input the designer gave (document.Picture).
type loadedImage = document.Picture
