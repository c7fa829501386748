package app

import (
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"

	"fyne.io/fyne/v2"
)

// uriPath turns a dropped or chosen URI into a local file path.
func uriPath(u fyne.URI) (string, error) {
	if u.Scheme() != "file" {
		return "", fmt.Errorf("%s is not a file on this computer; save it to a folder first", u.Name())
	}
	p, err := filePath(u.String(), runtime.GOOS)
	if err != nil {
		return "", err
	}
	return filepath.FromSlash(p), nil
}

// filePath reads a file:// URI the way the file managers of goos write
// them: percent-encoded names (spaces, accents), Windows drive letters
// (file:///C:/… and file://C:/…) and UNC shares (file://server/share/…).
// The result uses forward slashes; filepath.FromSlash makes it native.
func filePath(raw, goos string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme != "file" {
		return "", fmt.Errorf("%q is not a file address", raw)
	}
	p := u.Path
	if goos != "windows" {
		if u.Host != "" && u.Host != "localhost" {
			return "", fmt.Errorf("%s is on another computer (%s); copy it here first", p, u.Host)
		}
		return p, nil
	}
	switch {
	case isDrive(u.Host): // file://C:/Users/…
		return u.Host + p, nil
	case u.Host != "" && u.Host != "localhost": // file://server/share/…: a UNC path
		return "//" + u.Host + p, nil
	case len(p) >= 3 && p[0] == '/' && isDrive(p[1:3]): // file:///C:/Users/…
		return p[1:], nil
	}
	return p, nil
}

// isDrive reports whether s is a drive letter and colon, like "C:".
func isDrive(s string) bool {
	return len(s) == 2 && s[1] == ':' && strings.ContainsRune("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", rune(s[0]))
}
