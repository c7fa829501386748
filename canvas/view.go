package canvas

import "math"

// Zoom limits: 10 % to 3200 %.
const (
	MinZoom = 0.1
	MaxZoom = 32
)

// View maps between device pixels of the widget and image pixels:
// image = Origin + device / Zoom. Zoom 1 shows one image pixel per device
// pixel ("100 %").
type View struct {
	Zoom    float64
	OriginX float64 // image coordinate at the widget's left edge
	OriginY float64 // image coordinate at the widget's top edge
}

// ToImage maps a device-pixel position to image coordinates.
func (v View) ToImage(dx, dy float64) (x, y float64) {
	return v.OriginX + dx/v.Zoom, v.OriginY + dy/v.Zoom
}

// ToDevice maps image coordinates to a device-pixel position.
func (v View) ToDevice(x, y float64) (dx, dy float64) {
	return (x - v.OriginX) * v.Zoom, (y - v.OriginY) * v.Zoom
}

// ZoomAt sets the zoom (clamped) keeping the image point under the device
// position (dx, dy) where it is.
func (v View) ZoomAt(zoom, dx, dy float64) View {
	zoom = min(max(zoom, MinZoom), MaxZoom)
	x, y := v.ToImage(dx, dy)
	return View{Zoom: zoom, OriginX: x - dx/zoom, OriginY: y - dy/zoom}
}

// Pan moves the view by a device-pixel delta (the image follows the
// pointer).
func (v View) Pan(ddx, ddy float64) View {
	v.OriginX -= ddx / v.Zoom
	v.OriginY -= ddy / v.Zoom
	return v
}

// FitView shows a whole imgW×imgH image centred in a devW×devH area.
func FitView(imgW, imgH int, devW, devH float64) View {
	if imgW <= 0 || imgH <= 0 || devW <= 0 || devH <= 0 {
		return View{Zoom: 1}
	}
	zoom := min(max(min(devW/float64(imgW), devH/float64(imgH)), MinZoom), MaxZoom)
	return centred(zoom, imgW, imgH, devW, devH)
}

// ActualView shows the image at 100 %, centred.
func ActualView(imgW, imgH int, devW, devH float64) View {
	return centred(1, imgW, imgH, devW, devH)
}

func centred(zoom float64, imgW, imgH int, devW, devH float64) View {
	return View{
		Zoom:    zoom,
		OriginX: float64(imgW)/2 - devW/2/zoom,
		OriginY: float64(imgH)/2 - devH/2/zoom,
	}
}

// level picks the pyramid level to sample at this zoom: the smallest copy
// that still has at least one pixel per device pixel.
func (v View) level(levels int) int {
	if v.Zoom >= 1 || levels <= 1 {
		return 0
	}
	l := int(math.Floor(math.Log2(1 / v.Zoom)))
	return min(max(l, 0), levels-1)
}
