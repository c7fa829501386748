package app

import (
	"fmt"

	"fyne.io/fyne/v2"
)

// uriPath turns a dropped or chosen URI into a local file path.
func uriPath(u fyne.URI) (string, error) {
	if u.Scheme() != "file" {
		return "", fmt.Errorf("%s is not a file on this computer; save it to a folder first", u.Name())
	}
	return u.Path(), nil
}
