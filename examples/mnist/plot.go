package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"path/filepath"
	"runtime"
	"time"

	"github.com/lagc/lagc/lagrt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

func runtimeProcs() int { return runtime.GOMAXPROCS(0) }

// epochRecord is one epoch's figures.
type epochRecord struct {
	epoch               int
	trainLoss, trainAcc float64 // during the epoch (running)
	testLoss, testAcc   float64 // after it
	elapsed             time.Duration
}

// history is the record of a run, plotted after every epoch.
type history []epochRecord

var (
	trainColor = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	testColor  = color.RGBA{R: 214, G: 39, B: 40, A: 255}
)

// plot writes loss.png and accuracy.png into dir.
func (h history) plot(dir string) error {
	curve := func(p *plot.Plot, name string, c color.Color, f func(e epochRecord) float64) error {
		var xy plotter.XYs
		for _, e := range h {
			if v := f(e); !math.IsNaN(v) {
				xy = append(xy, plotter.XY{X: float64(e.epoch), Y: v})
			}
		}
		if len(xy) == 0 {
			return nil
		}
		l, pts, err := plotter.NewLinePoints(xy)
		if err != nil {
			return err
		}
		l.Color, pts.Color = c, c
		p.Add(l, pts)
		p.Legend.Add(name, l)
		return nil
	}
	for _, fig := range []struct {
		file, title, y string
		train, test    func(e epochRecord) float64
	}{
		{"loss.png", "cost (mean over images)", "loss",
			func(e epochRecord) float64 { return e.trainLoss }, func(e epochRecord) float64 { return e.testLoss }},
		{"accuracy.png", "classification accuracy", "accuracy (%)",
			func(e epochRecord) float64 { return e.trainAcc }, func(e epochRecord) float64 { return e.testAcc }},
	} {
		p := plot.New()
		p.Title.Text = fig.title
		p.X.Label.Text = "epoch"
		p.Y.Label.Text = fig.y
		p.Legend.Top = fig.file == "loss.png"
		if err := curve(p, "training (during the epoch)", trainColor, fig.train); err != nil {
			return err
		}
		if err := curve(p, "test (after the epoch)", testColor, fig.test); err != nil {
			return err
		}
		p.X.Min = 0.5
		p.X.Max = float64(len(h)) + 0.5
		if err := p.Save(5*vg.Inch, 3.5*vg.Inch, filepath.Join(dir, fig.file)); err != nil {
			return err
		}
	}
	return nil
}

// digitsPlotted is the number of test digits whose trajectories -plot draws.
const digitsPlotted = 4

// plotDigits solves the first test digits at theta and writes, for each,
// digit_I.png: the ten output oscillators' trajectories over one period,
// the labelled class drawn thick, and digit_I_image.png, the pooled image
// that drove them.
func plotDigits(dir string, n *net, data *lagrt.Dataset, labels []int, theta []float64) error {
	var s lagrt.Solver
	var sol lagrt.Solution
	for i := range min(digitsPlotted, len(data.Samples)) {
		if err := s.Solve(&sol, data.Problem(n.model, i, theta), nil); err != nil {
			return fmt.Errorf("plotting test digit %d: %w", i, err)
		}
		pred := n.classify(sol.Q)
		p := plot.New()
		p.Title.Text = fmt.Sprintf("test image %d: label %d, network says %d", i, labels[i], pred)
		p.X.Label.Text = "t (one period of the drive)"
		p.Y.Label.Text = "output oscillators y[k](t)"
		for k := range n.no {
			var xy plotter.XYs
			for r, q := range sol.Q {
				xy = append(xy, plotter.XY{X: sol.Times[r], Y: q[n.y0+k]})
			}
			l, err := plotter.NewLine(xy)
			if err != nil {
				return err
			}
			l.Color = plotColor(k)
			l.Width = vg.Points(1)
			if k == labels[i] {
				l.Width = vg.Points(3)
			}
			p.Add(l)
			p.Legend.Add(fmt.Sprintf("y[%d]", k), l)
		}
		p.Legend.Top = true
		p.X.Min, p.X.Max = 0, 1.25*sol.Times[len(sol.Times)-1] // room for the legend
		if err := writeDigit(filepath.Join(dir, fmt.Sprintf("digit_%d_image.png", i)), data.Samples[i].Input, n.ni); err != nil {
			return err
		}
		if err := p.Save(6*vg.Inch, 3.5*vg.Inch, filepath.Join(dir, fmt.Sprintf("digit_%d.png", i))); err != nil {
			return err
		}
	}
	return nil
}

func plotColor(k int) color.Color {
	palette := []color.RGBA{{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255}, {214, 39, 40, 255},
		{148, 103, 189, 255}, {140, 86, 75, 255}, {227, 119, 194, 255}, {127, 127, 127, 255}, {188, 189, 34, 255}, {23, 190, 207, 255}}
	return palette[k%len(palette)]
}

// writeDigit writes the pooled image that input drives with as a grey PNG,
// each pixel 8×8.
func writeDigit(path string, input lagrt.Signal, ni int) error {
	x := make([]float64, ni)
	input.Func(0, x)
	side := int(math.Round(math.Sqrt(float64(ni))))
	const scale = 8
	img := image.NewGray(image.Rect(0, 0, side*scale, side*scale))
	for i, v := range x {
		c := color.Gray{Y: uint8(255 - math.Round(255*math.Min(1, math.Max(0, v))))}
		for dy := range scale {
			for dx := range scale {
				img.SetGray((i%side)*scale+dx, (i/side)*scale+dy, c)
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return err
	}
	return writeAtomic(path, b.Bytes())
}
