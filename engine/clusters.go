package engine

import "image"

// holeCluster is a group of nearby holes of a mask, filled together: its
// bounding box, and which connected components of the mask it holds.
type holeCluster struct {
	box   image.Rectangle
	area  int
	parts []int32
}

// holeLabels numbers the 8-connected components of the set pixels of mask
// inside box (labels from 1, 0 where the mask is not set).
type holeLabels struct {
	box   image.Rectangle
	label []int32
}

func (l *holeLabels) at(x, y int) int32 {
	if !(image.Point{x, y}).In(l.box) {
		return 0
	}
	return l.label[(y-l.box.Min.Y)*l.box.Dx()+x-l.box.Min.X]
}

// clusterHoles labels the holes of mask (inside box, its bounding box) and
// groups those whose bounding boxes come within join pixels of each other,
// so that each group gets a pyramid and a source region of its own size
// and place. Clusters come largest first.
func clusterHoles(mask *image.Gray, box image.Rectangle, join int) (*holeLabels, []holeCluster) {
	w, h := box.Dx(), box.Dy()
	labels := &holeLabels{box: box, label: make([]int32, w*h)}
	var parts []holeCluster
	var stack []int32
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			i := y*w + x
			if labels.label[i] != 0 || mask.Pix[mask.PixOffset(box.Min.X+x, box.Min.Y+y)] == 0 {
				continue
			}
			id := int32(len(parts) + 1)
			part := holeCluster{parts: []int32{id}}
			labels.label[i] = id
			stack = append(stack[:0], int32(i))
			for len(stack) > 0 {
				j := int(stack[len(stack)-1])
				stack = stack[:len(stack)-1]
				jx, jy := j%w, j/w
				part.box = part.box.Union(image.Rect(jx, jy, jx+1, jy+1))
				part.area++
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						nx, ny := jx+dx, jy+dy
						if nx < 0 || ny < 0 || nx >= w || ny >= h {
							continue
						}
						k := ny*w + nx
						if labels.label[k] == 0 && mask.Pix[mask.PixOffset(box.Min.X+nx, box.Min.Y+ny)] != 0 {
							labels.label[k] = id
							stack = append(stack, int32(k))
						}
					}
				}
			}
			part.box = part.box.Add(box.Min)
			parts = append(parts, part)
		}
	}
	// Merge until no two clusters' grown boxes overlap.
	for merged := true; merged; {
		merged = false
		for a := 0; a < len(parts); a++ {
			for b := a + 1; b < len(parts); b++ {
				if parts[a].box.Inset(-join).Overlaps(parts[b].box) {
					parts[a].box = parts[a].box.Union(parts[b].box)
					parts[a].area += parts[b].area
					parts[a].parts = append(parts[a].parts, parts[b].parts...)
					parts = append(parts[:b], parts[b+1:]...)
					merged = true
					b--
				}
			}
		}
	}
	for a := 1; a < len(parts); a++ { // largest first, stable
		for b := a; b > 0 && parts[b].area > parts[b-1].area; b-- {
			parts[b], parts[b-1] = parts[b-1], parts[b]
		}
	}
	return labels, parts
}
