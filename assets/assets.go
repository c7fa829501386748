// Package assets holds the app's bundled resources.
package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed icon.png
var iconPNG []byte

// Icon is the app icon (512×512 PNG).
var Icon = fyne.NewStaticResource("icon.png", iconPNG)

//go:embed icons/brush.svg
var brushSVG []byte

//go:embed icons/eraser.svg
var eraserSVG []byte

//go:embed icons/lasso.svg
var lassoSVG []byte

//go:embed icons/polygon.svg
var polygonSVG []byte

//go:embed icons/rect.svg
var rectSVG []byte

//go:embed icons/ellipse.svg
var ellipseSVG []byte

//go:embed icons/object.svg
var objectSVG []byte

// Tool icons for the canvas bar (black strokes on a 24×24 view box; wrap
// them in theme.NewThemedResource to follow the theme's colours).
var (
	BrushIcon   = fyne.NewStaticResource("brush.svg", brushSVG)
	EraserIcon  = fyne.NewStaticResource("eraser.svg", eraserSVG)
	LassoIcon   = fyne.NewStaticResource("lasso.svg", lassoSVG)
	PolygonIcon = fyne.NewStaticResource("polygon.svg", polygonSVG)
	RectIcon    = fyne.NewStaticResource("rect.svg", rectSVG)
	EllipseIcon = fyne.NewStaticResource("ellipse.svg", ellipseSVG)
	ObjectIcon  = fyne.NewStaticResource("object.svg", objectSVG)
)
