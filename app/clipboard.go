package app

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"golang.design/x/clipboard"

	"github.com/zeninpaint/studio/app/document"
	"github.com/zeninpaint/studio/client"
	"github.com/zeninpaint/studio/client/imagefile"
)

// Pictures go through the system clipboard as PNG: Ctrl+V (Edit ▸ Paste)
// takes an image, or a list of image files, exactly as a drop on the
// canvas; Ctrl+C (Edit ▸ Copy) puts the picture shown on the canvas there,
// at full resolution. Text fields keep their own Ctrl+C and Ctrl+V.

// pictureClipboard is the system clipboard as far as pictures go.
type pictureClipboard interface {
	// Picture is the PNG on the clipboard, or nil when there is none.
	Picture() ([]byte, error)
	// SetPicture puts a PNG on the clipboard.
	SetPicture(png []byte) error
}

// errNoClipboard: this system offers no way to reach the clipboard's
// pictures.
var errNoClipboard = errors.New("the clipboard's pictures cannot be reached on this system")

// systemClipboard reaches the clipboard through golang.design/x/clipboard
// (Windows and macOS natively; X11 through libX11, which it opens by its
// development name), and on Linux, when that cannot start, through the
// desktop's own tools: wl-clipboard on Wayland, xclip on X11.
type systemClipboard struct {
	once  sync.Once
	ready bool // x/clipboard started
}

func (c *systemClipboard) start() bool {
	c.once.Do(func() { c.ready = clipboard.Init() == nil })
	return c.ready
}

// Picture reads the clipboard's PNG.
func (c *systemClipboard) Picture() ([]byte, error) {
	if c.start() {
		return clipboard.Read(clipboard.FmtImage), nil
	}
	tool, args := clipboardTool(false)
	if tool == "" {
		return nil, errNoClipboard
	}
	out, err := exec.Command(tool, args...).Output()
	if err != nil {
		return nil, nil // nothing of that type on the clipboard
	}
	return out, nil
}

// SetPicture writes a PNG to the clipboard.
func (c *systemClipboard) SetPicture(png []byte) error {
	if c.start() {
		clipboard.Write(clipboard.FmtImage, png)
		return nil
	}
	tool, args := clipboardTool(true)
	if tool == "" {
		return errNoClipboard
	}
	cmd := exec.Command(tool, args...)
	cmd.Stdin = bytes.NewReader(png)
	// xclip and wl-copy stay to serve the selection: started, not waited for.
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("putting the picture on the clipboard: %w", err)
	}
	go func() { _ = cmd.Wait() }()
	return nil
}

// clipboardTool is the command (and its arguments) that reads, or writes,
// a PNG on this desktop's clipboard, or "" when there is none.
func clipboardTool(write bool) (string, []string) {
	if runtime.GOOS != "linux" {
		return "", nil
	}
	if os.Getenv("WAYLAND_DISPLAY") != "" {
		name := "wl-paste"
		args := []string{"--no-newline", "--type", "image/png"}
		if write {
			name, args = "wl-copy", []string{"--type", "image/png"}
		}
		if path, err := exec.LookPath(name); err == nil {
			return path, args
		}
	}
	if path, err := exec.LookPath("xclip"); err == nil {
		if write {
			return path, []string{"-selection", "clipboard", "-t", "image/png", "-i"}
		}
		return path, []string{"-selection", "clipboard", "-t", "image/png", "-o"}
	}
	return "", nil
}

// filesOnClipboard reads a list of image files copied in a file manager
// (as file:// URIs or paths, one a line, in the clipboard's text).
func filesOnClipboard(text string) []fyne.URI {
	var uris []fyne.URI
	for _, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		path := line
		if u, err := url.Parse(line); err == nil && u.Scheme == "file" {
			path = u.Path
		}
		if path == "" || !filepath.IsAbs(path) || !isImageName(path) {
			continue
		}
		if info, err := os.Stat(path); err == nil && info.Mode().IsRegular() {
			uris = append(uris, storage.NewFileURI(path))
		}
	}
	return uris
}

// isImageName reports whether a file's name is that of an image the app
// opens.
func isImageName(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".bmp", ".gif":
		return true
	}
	return false
}

// paste puts the clipboard's picture, or its image files, where a drop on
// the canvas would: routed by content, with the same questions and undo.
func (s *Studio) paste() {
	text := ""
	if c := s.desk.app.Clipboard(); c != nil {
		text = c.Content()
	}
	s.setStatus("Pasting…")
	go func() {
		data, err := s.desk.clip.Picture()
		var img *loadedImage
		if err == nil && len(data) > 0 {
			img, err = document.LoadBytes("Pasted picture.png", data)
		}
		s.cfg.Do(func() {
			switch {
			case img != nil:
				s.finishLoad(onCanvas, []*loadedImage{img}, nil)
			case err != nil && !errors.Is(err, errNoClipboard):
				s.finishLoad(onCanvas, nil, []string{err.Error()})
			default:
				if uris := filesOnClipboard(text); len(uris) > 0 {
					s.loadFiles(onCanvas, uris)
					return
				}
				msg := "The clipboard holds no picture. Copy an image (or image files in the file manager), then paste with Ctrl+V."
				if errors.Is(err, errNoClipboard) {
					msg = "The clipboard's pictures cannot be read here: install xclip (X11) or wl-clipboard (Wayland), or drop the file on the canvas."
				}
				s.setStatus(msg)
			}
		})
	}()
}

// copyShown puts the picture shown on the canvas on the clipboard as a
// full-resolution PNG: the result when one is shown, the mask when the
// mask alone is shown, else the picture itself.
func (s *Studio) copyShown() {
	var what string
	var picture func() ([]byte, error)
	main := s.doc.Input(s.doc.MainRole())
	switch {
	case s.frame.result.shown != nil:
		j := *s.frame.result.shown
		what = fmt.Sprintf("the result (seed %d)", j.Seed)
		picture = func() ([]byte, error) { return s.conn.manager.Result(j) }
	case s.doc.Mode() == client.ModeInpaint && s.editor.HasImage() && s.editor.Overlay().MaskAlone:
		what = "the mask"
		// Copied here, on the UI goroutine: the designer may go on
		// painting while it is encoded.
		mask := s.editor.Mask().Gray()
		picture = func() ([]byte, error) { return imagefile.PNGBytes(mask) }
	case s.doc.Mode() == client.ModeInpaint && s.editor.HasImage():
		what = "the picture"
		shown := s.editor.Shown()
		picture = func() ([]byte, error) { return imagefile.PNGBytes(shown) }
	case main != nil:
		what = "the " + s.doc.MainRole().Title()
		picture = func() ([]byte, error) { return main.Data, nil }
	default:
		s.setStatus("Nothing to copy: open a picture first.")
		return
	}
	s.setStatus("Copying " + what + "…")
	go func() {
		data, err := picture()
		if err == nil {
			data, err = asPNG(data)
		}
		if err == nil {
			err = s.desk.clip.SetPicture(data)
		}
		s.cfg.Do(func() {
			if err != nil {
				s.setStatus("Could not copy " + what + ": " + err.Error())
				return
			}
			s.setStatus(fmt.Sprintf("Copied %s to the clipboard (PNG, full size).", what))
		})
	}()
}

// asPNG is an encoded picture as PNG (the clipboard's format), with its
// colour profile.
func asPNG(data []byte) ([]byte, error) {
	info, err := imagefile.Inspect(data, 0)
	if err != nil {
		return nil, err
	}
	if info.Format == "png" && info.Orientation == 1 {
		return data, nil
	}
	img, info, err := imagefile.Decode(data, 0)
	if err != nil {
		return nil, err
	}
	out, err := imagefile.PNGBytes(img)
	return imagefile.WithICC(out, info.ICC), err
}
