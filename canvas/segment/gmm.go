package segment

import (
	"math"
	"math/rand/v2"
)

// components is the number of Gaussians in each colour model: GrabCut has
// five; eight follow a busy backdrop better (the quality benchmark gains
// most where the object and the backdrop share colours).
const components = 8

// gmm is a mixture of full-covariance Gaussians over RGB colours.
type gmm struct {
	n    int
	w    [components]float64
	mean [components][3]float64
	icov [components][9]float64
	coef [components]float64 // weight / sqrt((2π)³ det)
	// sums for learning
	cnt  [components]float64
	sum  [components][3]float64
	prod [components][9]float64
}

// component returns the most likely component for colour c.
func (m *gmm) component(c []float32) int {
	best, bestP := 0, -1.0
	for k := 0; k < m.n; k++ {
		if p := m.compProb(k, c); p > bestP {
			best, bestP = k, p
		}
	}
	return best
}

func (m *gmm) compProb(k int, c []float32) float64 {
	if m.coef[k] == 0 {
		return 0
	}
	d0, d1, d2 := float64(c[0])-m.mean[k][0], float64(c[1])-m.mean[k][1], float64(c[2])-m.mean[k][2]
	ic := &m.icov[k]
	q := d0*(d0*ic[0]+d1*ic[3]+d2*ic[6]) + d1*(d0*ic[1]+d1*ic[4]+d2*ic[7]) + d2*(d0*ic[2]+d1*ic[5]+d2*ic[8])
	return m.coef[k] * math.Exp(-0.5*q)
}

// nll is the negative log-likelihood of colour c.
func (m *gmm) nll(c []float32) float64 {
	p := 0.0
	for k := 0; k < m.n; k++ {
		p += m.compProb(k, c)
	}
	return -math.Log(max(p, 1e-300))
}

func (m *gmm) reset() {
	m.cnt, m.sum, m.prod = [components]float64{}, [components][3]float64{}, [components][9]float64{}
}

func (m *gmm) add(k int, c []float32) {
	r, g, b := float64(c[0]), float64(c[1]), float64(c[2])
	m.cnt[k]++
	s := &m.sum[k]
	s[0], s[1], s[2] = s[0]+r, s[1]+g, s[2]+b
	p := &m.prod[k]
	p[0] += r * r
	p[1] += r * g
	p[2] += r * b
	p[4] += g * g
	p[5] += g * b
	p[8] += b * b
}

// merge adds the sums another model collected with add.
func (m *gmm) merge(o *gmm) {
	for k := range components {
		m.cnt[k] += o.cnt[k]
		for i := range 3 {
			m.sum[k][i] += o.sum[k][i]
		}
		for i := range 9 {
			m.prod[k][i] += o.prod[k][i]
		}
	}
}

// learn sets the components from the sums collected with add.
func (m *gmm) learn() {
	total := 0.0
	for k := range components {
		total += m.cnt[k]
	}
	m.n = components
	for k := range components {
		m.coef[k] = 0
		n := m.cnt[k]
		if n < 1 || total == 0 {
			continue
		}
		mu := [3]float64{m.sum[k][0] / n, m.sum[k][1] / n, m.sum[k][2] / n}
		p := m.prod[k]
		c := [9]float64{
			p[0]/n - mu[0]*mu[0], p[1]/n - mu[0]*mu[1], p[2]/n - mu[0]*mu[2],
			0, p[4]/n - mu[1]*mu[1], p[5]/n - mu[1]*mu[2],
			0, 0, p[8]/n - mu[2]*mu[2],
		}
		c[3], c[6], c[7] = c[1], c[2], c[5]
		// Keep the covariance invertible (flat areas, few samples).
		const reg = 0.01
		c[0] += reg
		c[4] += reg
		c[8] += reg
		det := c[0]*(c[4]*c[8]-c[5]*c[7]) - c[1]*(c[3]*c[8]-c[5]*c[6]) + c[2]*(c[3]*c[7]-c[4]*c[6])
		if det <= 1e-9 {
			continue
		}
		m.mean[k] = mu
		m.icov[k] = [9]float64{
			(c[4]*c[8] - c[5]*c[7]) / det, (c[2]*c[7] - c[1]*c[8]) / det, (c[1]*c[5] - c[2]*c[4]) / det,
			(c[5]*c[6] - c[3]*c[8]) / det, (c[0]*c[8] - c[2]*c[6]) / det, (c[2]*c[3] - c[0]*c[5]) / det,
			(c[3]*c[7] - c[4]*c[6]) / det, (c[1]*c[6] - c[0]*c[7]) / det, (c[0]*c[4] - c[1]*c[3]) / det,
		}
		m.w[k] = n / total
		m.coef[k] = m.w[k] / math.Sqrt(math.Pow(2*math.Pi, 3)*det)
	}
}

// initKMeans fits the model to the colours of the pixels listed in idx
// (indices into pix, three floats each) with k-means on a sample.
func (m *gmm) initKMeans(pix []float32, idx []int32) {
	const maxSamples = 20000
	step := max(1, len(idx)/maxSamples)
	var s [][3]float32
	for i := 0; i < len(idx); i += step {
		o := int(idx[i]) * 3
		s = append(s, [3]float32{pix[o], pix[o+1], pix[o+2]})
	}
	m.reset()
	if len(s) == 0 {
		m.n = 0
		return
	}
	k := min(components, len(s))
	rng := rand.New(rand.NewPCG(1, 2))
	// k-means++ seeds.
	centres := [][3]float32{s[rng.IntN(len(s))]}
	d2 := make([]float64, len(s))
	for len(centres) < k {
		total := 0.0
		for i, c := range s {
			d := math.MaxFloat64
			for _, z := range centres {
				d = min(d, dist2(c, z))
			}
			d2[i] = d
			total += d
		}
		if total == 0 {
			break
		}
		r := rng.Float64() * total
		i := 0
		for ; i < len(s)-1 && r > d2[i]; i++ {
			r -= d2[i]
		}
		centres = append(centres, s[i])
	}
	assign := make([]int, len(s))
	for range 10 {
		var sum [components][3]float64
		var cnt [components]float64
		for i, c := range s {
			best, bd := 0, math.MaxFloat64
			for j, z := range centres {
				if d := dist2(c, z); d < bd {
					best, bd = j, d
				}
			}
			assign[i] = best
			cnt[best]++
			sum[best][0] += float64(c[0])
			sum[best][1] += float64(c[1])
			sum[best][2] += float64(c[2])
		}
		for j := range centres {
			if cnt[j] > 0 {
				centres[j] = [3]float32{float32(sum[j][0] / cnt[j]), float32(sum[j][1] / cnt[j]), float32(sum[j][2] / cnt[j])}
			}
		}
	}
	for i, c := range s {
		m.add(assign[i], c[:])
	}
	m.learn()
}

func dist2(a, b [3]float32) float64 {
	d0, d1, d2 := float64(a[0]-b[0]), float64(a[1]-b[1]), float64(a[2]-b[2])
	return d0*d0 + d1*d1 + d2*d2
}
