package app

import (
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/app/framing"
)

// generatePanel is the side panel's lower part: the prompts, the seed, the
// request's settings (variations, context, resolution, delivery), the
// estimate and Generate. It owns these widgets; what Generate does with
// them is in generate.go.
type generatePanel struct {
	prompt, negative, seed *escEntry
	seedLock               *keyCheck // locked: every press uses the same seed
	// rollingSeed is set while the app itself writes a new seed, so that
	// only the designer's typing locks it; showing while the document's
	// text is being shown (not an edit).
	rollingSeed, showing bool
	promptRows           int
	// pressing is set from a press of Generate until its batch is queued:
	// a second press (a double Ctrl+Enter) must not queue it again.
	pressing   bool
	doc        *document.Document
	variations *keySelect
	syncMode   *keySelect
	context    *keySelect
	resolution *keySelect
	padding    *escEntry
	marginItem *widget.FormItem
	sharedNote *widget.Label // says that the prompt is shared by all modes
	estimate   *widget.Label
	reason     *widget.Label
	generate   *widget.Button
	form       *fyne.Container // the prompt and the settings, in scroll
	scroll     *container.Scroll
	send       *fyne.Container // the estimate and Generate, always in view
}

// generateHooks are what the panel tells the window: a setting changed
// (the estimate is made again), and Generate was pressed.
type generateHooks struct {
	changed  func()
	generate func()
	leave    func() // Esc in a field: the keyboard goes back to the canvas
}

// newGeneratePanel builds the panel over the document's text; do runs a
// function on the UI goroutine (tooltips).
func newGeneratePanel(doc *document.Document, settings *Settings, do func(func()), hooks generateHooks, keys toolKeys) *generatePanel {
	g := &generatePanel{doc: doc}
	g.prompt = newEscEntry(hooks.leave)
	g.prompt.MultiLine = true
	g.prompt.SetPlaceHolder("Describe the result, e.g. “a ceramic vase on an oak table, soft daylight”")
	g.prompt.Wrapping = fyne.TextWrapWord
	g.prompt.SetMinRowsVisible(promptMinRows)
	g.promptRows = promptMinRows
	g.prompt.OnChanged = func(string) { g.fitPrompt(); g.edited() }
	g.negative = newEscEntry(hooks.leave)
	g.negative.SetPlaceHolder("What to avoid (optional)")
	g.negative.OnChanged = func(string) { g.edited() }
	g.seed = newEscEntry(hooks.leave) // a wrong seed is explained under Generate
	g.seedLock = newKeyCheck("Keep this seed", func(bool) { g.edited() }, keys)
	g.seed.OnChanged = func(string) {
		if !g.rollingSeed && !g.showing {
			g.seedLock.SetChecked(true) // a seed typed by hand is meant to be kept
		}
		g.edited()
		hooks.changed()
	}
	g.rollSeed()
	g.variations = newKeySelect([]string{"1", "2", "3", "4", "5", "6", "7", "8"}, func(string) { hooks.changed() }, keys)
	g.variations.SetSelected("1")
	g.syncMode = newKeySelect([]string{syncWait, syncQueue}, func(string) { settings.SetAsync(g.isAsync()) }, keys)
	if settings.Async() {
		g.syncMode.SetSelected(syncQueue)
	} else {
		g.syncMode.SetSelected(syncWait)
	}
	g.padding = newEscEntry(hooks.leave)
	g.padding.SetText(settings.p.StringWithFallback("padding", "128 px"))
	g.padding.Validator = func(t string) error { _, _, err := parsePadding(t); return err }
	g.padding.OnChanged = func(t string) {
		if _, _, err := parsePadding(t); err == nil {
			settings.p.SetString("padding", t)
			hooks.changed()
		}
	}
	g.context = newKeySelect([]string{contextAround, contextWhole}, func(v string) {
		settings.p.SetString("context", v)
		if v == contextAround {
			g.marginItem.Widget.Show()
		} else {
			g.marginItem.Widget.Hide()
		}
		hooks.changed()
	}, keys)
	g.resolution = newKeySelect([]string{resolutionEconomy, resolutionFull}, func(v string) {
		settings.p.SetString("resolution", v)
		hooks.changed()
	}, keys)
	g.marginItem = widget.NewFormItem("Margin", g.padding)
	g.context.SetSelected(choiceOr(settings.p.String("context"), g.context.Options, contextAround))
	g.resolution.SetSelected(choiceOr(settings.p.String("resolution"), g.resolution.Options, resolutionEconomy))
	g.layout(hooks, do)
	return g
}

// layout makes the estimate and Generate, and lays the panel out: the
// prompt first (three lines at least), the seed and its lock on one row,
// then the request's settings.
func (g *generatePanel) layout(hooks generateHooks, do func(func())) {
	g.estimate = widget.NewLabel("")
	g.estimate.Wrapping = fyne.TextWrapWord
	g.reason = widget.NewLabel("")
	g.reason.Wrapping = fyne.TextWrapWord
	g.reason.Importance = widget.WarningImportance
	g.generate = widget.NewButtonWithIcon("Generate", theme.MediaPlayIcon(), func() { hooks.generate() })
	g.generate.Importance = widget.HighImportance

	// The prompt is the document's, whatever the mode: said on the
	// heading's line.
	g.sharedNote = widget.NewLabel("shared by all modes")
	g.sharedNote.Truncation = fyne.TextTruncateEllipsis
	g.sharedNote.SizeName = theme.SizeNameCaptionText
	heading := container.NewBorder(nil, nil, widget.NewLabelWithStyle("Prompt", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, g.sharedNote)
	dice := newTipButton("", theme.ViewRefreshIcon(), "A new random seed", do, g.rollSeed)
	form := container.NewVBox(heading, g.prompt, g.negative,
		widget.NewForm(
			widget.NewFormItem("Seed", container.NewBorder(nil, nil, nil, dice, g.seed)),
			widget.NewFormItem("", g.seedLock),
			widget.NewFormItem("Variations", g.variations),
			widget.NewFormItem("Resolution", g.resolution),
			widget.NewFormItem("Delivery", g.syncMode),
			widget.NewFormItem("Context", g.context),
			g.marginItem,
		),
	)
	g.send = container.NewVBox(g.estimate, g.generate, g.reason)
	g.form = form
	g.scroll = container.NewVScroll(container.NewPadded(form))
}

// The Context and Resolution choices as the panel names them.
const (
	contextAround     = "Around the mask"
	contextWhole      = "Whole image"
	resolutionEconomy = "Economy"
	resolutionFull    = "Full size"
	syncWait          = "Wait (sync)"
	syncQueue         = "Queue (async)"
)

// framingSettings reads the Context, padding and Resolution choices.
// Context applies to Inpaint; the other modes always send the whole image.
func (g *generatePanel) framingSettings() framing.Settings {
	fs := framing.Settings{Context: framing.AroundMask, Resolution: framing.Economy}
	if g.context.Selected == contextWhole {
		fs.Context = framing.WholeImage
	}
	if g.resolution.Selected == resolutionFull {
		fs.Resolution = framing.Full
	}
	fs.Padding, fs.PaddingPercent, _ = parsePadding(g.padding.Text)
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

func (g *generatePanel) isAsync() bool { return g.syncMode.Selected == syncQueue }

// rollSeed writes a new random seed. Generate calls it after each press
// unless the seed is locked, so pressing again never pays for the same
// picture.
func (g *generatePanel) rollSeed() {
	g.rollingSeed = true
	g.seed.SetText(strconv.FormatInt(rand.Int64N(1_000_000_000), 10))
	g.rollingSeed = false
}

// text is the prompts and the seed as the panel shows them.
func (g *generatePanel) text() document.Text {
	return document.Text{Prompt: g.prompt.Text, Negative: g.negative.Text, Seed: g.seed.Text, SeedLocked: g.seedLock.Checked}
}

// edited tells the document of the designer's typing.
func (g *generatePanel) edited() {
	if !g.showing && g.doc != nil {
		g.doc.SetText(g.text())
	}
}

// showText shows the document's prompts and seed (a restored workspace):
// none of it is an edit, and showing a seed does not lock it. A document
// without a seed (an older workspace) takes the one the panel rolled.
func (g *generatePanel) showText(t document.Text) {
	if t == g.text() {
		return
	}
	g.showing = true
	setIfChanged(g.prompt, t.Prompt)
	setIfChanged(g.negative, t.Negative)
	if t.Seed != "" {
		setIfChanged(g.seed, t.Seed)
	}
	g.seedLock.SetChecked(t.SeedLocked)
	g.showing = false
	if t.Seed == "" {
		g.edited()
	}
}

func setIfChanged(e *escEntry, text string) {
	if e.Text != text {
		e.SetText(text)
	}
}

// promptMinRows is the prompt's height in rows at least; it grows with its
// text (and a row to spare, as words wrap before the edge), so the prompt
// never scrolls inside itself: the wheel scrolls the panel (wheelCatcher).
const promptMinRows = 3

// fitPrompt gives the prompt as many rows as its wrapped text needs.
func (g *generatePanel) fitPrompt() {
	width := g.prompt.Size().Width - 2*theme.InnerPadding() - 2*theme.Padding()
	rows := 0
	for _, para := range strings.Split(g.prompt.Text, "\n") {
		w := fyne.MeasureText(para, theme.TextSize(), g.prompt.TextStyle).Width
		n := 1
		if width > 0 {
			n = int(w*1.15/width) + 1 // words wrap before the edge
		}
		rows += n
	}
	if rows >= promptMinRows {
		rows++
	}
	rows = max(rows, promptMinRows)
	if rows != g.promptRows {
		g.promptRows = rows
		g.prompt.SetMinRowsVisible(rows)
		if g.scroll != nil {
			g.scroll.Refresh()
		}
	}
}
