package engine

import (
	"math/rand/v2"
	"strings"

	"github.com/zeninpaint/studio/client"
)

// palette is the set of colours a request's seed and prompt choose.
type palette struct {
	rng         *rand.Rand
	wall, floor [3]float32 // backdrop colours, 0..255
	far, near   [3]float32 // scene colours by depth
	haze        [3]float32
	light       [3]float32 // direction toward the light, normalised
}

// moods are prompt words that steer the colours; without one the seed picks.
var moods = []struct {
	words           []string
	wall, floor     [3]float32
	far, near, haze [3]float32
}{
	{[]string{"sunset", "warm", "golden", "autumn"}, rgb(236, 196, 160), rgb(196, 150, 118), rgb(250, 170, 110), rgb(120, 70, 50), rgb(255, 200, 160)},
	{[]string{"night", "dark", "moody", "noir"}, rgb(52, 56, 70), rgb(32, 34, 44), rgb(40, 50, 90), rgb(20, 22, 30), rgb(60, 70, 110)},
	{[]string{"forest", "green", "garden", "nature"}, rgb(200, 218, 190), rgb(150, 170, 130), rgb(170, 200, 170), rgb(60, 90, 50), rgb(210, 230, 210)},
	{[]string{"beach", "sea", "ocean", "summer", "sky"}, rgb(214, 232, 244), rgb(226, 208, 170), rgb(150, 200, 240), rgb(200, 180, 140), rgb(220, 236, 250)},
	{[]string{"studio", "white", "clean", "minimal", "product"}, rgb(242, 242, 240), rgb(222, 222, 220), rgb(230, 232, 236), rgb(150, 150, 155), rgb(245, 245, 245)},
}

func rgb(r, g, b float32) [3]float32 { return [3]float32{r, g, b} }

func newPalette(req *client.Request) *palette {
	seed := seedOf(req)
	p := &palette{rng: rand.New(rand.NewPCG(seed, seed>>7|1))}
	prompt := strings.ToLower(req.Prompt)
	pick := -1
	for i, m := range moods {
		for _, w := range m.words {
			if strings.Contains(prompt, w) {
				pick = i
				break
			}
		}
		if pick >= 0 {
			break
		}
	}
	if pick < 0 {
		pick = p.rng.IntN(len(moods))
	}
	m := moods[pick]
	vary := func(c [3]float32) [3]float32 {
		for i := range c {
			c[i] = min(max(c[i]+float32(p.rng.NormFloat64()*8), 0), 255)
		}
		return c
	}
	p.wall, p.floor, p.far, p.near, p.haze = vary(m.wall), vary(m.floor), vary(m.far), vary(m.near), vary(m.haze)
	// A light from the upper left or right, 35–60° above the horizon.
	x := float32(0.4 + 0.4*p.rng.Float64())
	if p.rng.IntN(2) == 0 {
		x = -x
	}
	p.light = normalize([3]float32{x, -0.6, 0.7})
	return p
}
