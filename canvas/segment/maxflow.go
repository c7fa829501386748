package segment

// grid is an 8-connected grid graph for a min cut, solved with the
// Boykov–Kolmogorov augmenting-path algorithm (search trees grown from both
// terminals and reused after each augmentation, "An Experimental Comparison
// of Min-Cut/Max-Flow Algorithms for Energy Minimization in Vision", PAMI
// 2004). No maintained Go module offers a max-flow fit for image grids
// (gonum's graph packages have none), and a general pointer-based graph
// would cost several times the memory: the grid's arcs are implicit, eight
// residual capacities per node.
type grid struct {
	w, h int
	rc   []float32 // rc[i*8+d]: residual capacity of the arc from node i to its neighbour in direction d
	tr   []float32 // residual terminal capacity: > 0 from the source, < 0 to the sink

	parent []int8 // direction to the parent, or noParent, terminalParent, orphanParent
	tree   []uint8
	ts     []int32
	dist   []int32
	active []int32
	queued []bool
	orphan []int32
	time   int32
}

// The eight directions, paired so that d^1 is the opposite of d.
var (
	dirX = [8]int{1, -1, 0, 0, 1, -1, 1, -1}
	dirY = [8]int{0, 0, 1, -1, 1, -1, -1, 1}
)

const (
	noParent       = -1
	terminalParent = 8
	orphanParent   = 9

	free  = 0
	inS   = 1 // the source's tree: the object
	inT   = 2 // the sink's tree: the backdrop
	cutTS = int32(1 << 30)
)

func newGrid(w, h int) *grid {
	n := w * h
	return &grid{
		w: w, h: h,
		rc: make([]float32, n*8), tr: make([]float32, n),
		parent: make([]int8, n), tree: make([]uint8, n),
		ts: make([]int32, n), dist: make([]int32, n), queued: make([]bool, n),
	}
}

// neighbour returns the node in direction d of node i, or -1 off the grid.
func (g *grid) neighbour(i, d int) int {
	x, y := i%g.w+dirX[d], i/g.w+dirY[d]
	if x < 0 || y < 0 || x >= g.w || y >= g.h {
		return -1
	}
	return y*g.w + x
}

func (g *grid) push(i int) {
	if !g.queued[i] {
		g.queued[i] = true
		g.active = append(g.active, int32(i))
	}
}

// maxflow cuts the graph; afterwards source(i) tells the side of node i.
func (g *grid) maxflow() float64 {
	flow := 0.0
	g.active = g.active[:0]
	for i := range g.tr {
		g.parent[i], g.tree[i], g.queued[i] = noParent, free, false
		g.ts[i], g.dist[i] = 0, 0
		switch {
		case g.tr[i] > 0:
			g.tree[i], g.parent[i], g.dist[i] = inS, terminalParent, 1
			g.push(i)
		case g.tr[i] < 0:
			g.tree[i], g.parent[i], g.dist[i] = inT, terminalParent, 1
			g.push(i)
		}
	}
	head := 0
	for head < len(g.active) {
		i := int(g.active[head])
		if g.tree[i] == free {
			g.queued[i] = false
			head++
			continue
		}
		u, d := g.grow(i)
		if u < 0 {
			g.queued[i] = false
			head++
			if head > 4096 && head*2 > len(g.active) {
				g.active = append(g.active[:0], g.active[head:]...)
				head = 0
			}
			continue
		}
		g.time++
		flow += g.augment(u, d)
		g.adopt()
		// i stays at the head: it may find more paths.
	}
	g.active = g.active[:0]
	return flow
}

// grow extends node i's tree to its free neighbours and returns the arc
// (u, d) from the source's tree to the sink's where they meet, or -1.
func (g *grid) grow(i int) (int, int) {
	t := g.tree[i]
	for d := range 8 {
		j := g.neighbour(i, d)
		if j < 0 {
			continue
		}
		var c float32
		if t == inS {
			c = g.rc[i*8+d]
		} else {
			c = g.rc[j*8+d^1]
		}
		if c <= 0 {
			continue
		}
		switch g.tree[j] {
		case free:
			g.tree[j], g.parent[j] = t, int8(d^1)
			g.ts[j], g.dist[j] = g.ts[i], g.dist[i]+1
			g.push(j)
		case t:
			if g.ts[j] <= g.ts[i] && g.dist[j] > g.dist[i] {
				g.parent[j], g.ts[j], g.dist[j] = int8(d^1), g.ts[i], g.dist[i]+1
			}
		default:
			if t == inS {
				return i, d
			}
			return j, d ^ 1
		}
	}
	return -1, 0
}

// augment pushes the bottleneck flow through the path that crosses the arc
// (u, d), and makes orphans of the nodes whose parent arc it saturates.
func (g *grid) augment(u, d int) float64 {
	v := g.neighbour(u, d)
	b := g.rc[u*8+d]
	for x := u; ; {
		if g.parent[x] == terminalParent {
			b = min(b, g.tr[x])
			break
		}
		pd := int(g.parent[x])
		p := g.neighbour(x, pd)
		b = min(b, g.rc[p*8+pd^1])
		x = p
	}
	for x := v; ; {
		if g.parent[x] == terminalParent {
			b = min(b, -g.tr[x])
			break
		}
		pd := int(g.parent[x])
		b = min(b, g.rc[x*8+pd])
		x = g.neighbour(x, pd)
	}
	g.rc[u*8+d] -= b
	g.rc[v*8+d^1] += b
	x := u
	for g.parent[x] != terminalParent {
		pd := int(g.parent[x])
		p := g.neighbour(x, pd)
		g.rc[p*8+pd^1] -= b
		g.rc[x*8+pd] += b
		if g.rc[p*8+pd^1] <= 0 {
			g.makeOrphan(x)
		}
		x = p
	}
	if g.tr[x] -= b; g.tr[x] <= 0 {
		g.tr[x] = 0
		g.makeOrphan(x)
	}
	x = v
	for g.parent[x] != terminalParent {
		pd := int(g.parent[x])
		p := g.neighbour(x, pd)
		g.rc[x*8+pd] -= b
		g.rc[p*8+pd^1] += b
		if g.rc[x*8+pd] <= 0 {
			g.makeOrphan(x)
		}
		x = p
	}
	if g.tr[x] += b; g.tr[x] >= 0 {
		g.tr[x] = 0
		g.makeOrphan(x)
	}
	return float64(b)
}

func (g *grid) makeOrphan(x int) {
	g.parent[x] = orphanParent
	g.orphan = append(g.orphan, int32(x))
}

// adopt finds each orphan a new parent in its tree with a path to the
// terminal, or frees it (and orphans its children).
func (g *grid) adopt() {
	for len(g.orphan) > 0 {
		x := int(g.orphan[len(g.orphan)-1])
		g.orphan = g.orphan[:len(g.orphan)-1]
		t := g.tree[x]
		best, bestDist := -1, cutTS
		for d := range 8 {
			j := g.neighbour(x, d)
			if j < 0 || g.tree[j] != t {
				continue
			}
			if (t == inS && g.rc[j*8+d^1] <= 0) || (t == inT && g.rc[x*8+d] <= 0) {
				continue
			}
			// Does j's path reach the terminal?
			k, n := j, int32(0)
			for {
				if g.ts[k] == g.time {
					n += g.dist[k]
					break
				}
				p := g.parent[k]
				n++
				if p == terminalParent {
					g.ts[k], g.dist[k] = g.time, 1
					break
				}
				if p == orphanParent || p == noParent {
					n = cutTS
					break
				}
				k = g.neighbour(k, int(p))
			}
			if n >= cutTS {
				continue
			}
			if n < bestDist {
				best, bestDist = d, n
			}
			// Mark the path with its distances for later searches.
			for k := j; g.ts[k] != g.time; k = g.neighbour(k, int(g.parent[k])) {
				g.ts[k], g.dist[k] = g.time, n
				n--
			}
		}
		if best >= 0 {
			g.parent[x], g.ts[x], g.dist[x] = int8(best), g.time, bestDist+1
			continue
		}
		// No parent: x leaves its tree.
		for d := range 8 {
			j := g.neighbour(x, d)
			if j < 0 || g.tree[j] != t {
				continue
			}
			if (t == inS && g.rc[j*8+d^1] > 0) || (t == inT && g.rc[x*8+d] > 0) {
				g.push(j)
			}
			if p := g.parent[j]; p >= 0 && p < 8 && g.neighbour(j, int(p)) == x {
				g.makeOrphan(j)
			}
		}
		g.tree[x], g.parent[x] = free, noParent
	}
}

// source reports whether node i is on the source's side of the cut.
func (g *grid) source(i int) bool { return g.tree[i] == inS }
