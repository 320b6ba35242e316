package main

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/lagc/lagc/lagrt"
)

// plotSamples is how many samples get a trajectory picture.
const plotSamples = 3

// writePlots writes loss.png (the loss per epoch, log scale) and
// sample<i>.png for the first samples: the trained free trajectory of every
// coordinate (solid), the untrained one (thin), and the targets (dots),
// against time.
func writePlots(dir string, m lagrt.Model, data *lagrt.Dataset, initial []float64, res *lagrt.TrainResult) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := plotLoss(filepath.Join(dir, "loss.png"), res); err != nil {
		return err
	}
	for i := 0; i < min(plotSamples, len(data.Samples)); i++ {
		if err := plotSample(filepath.Join(dir, fmt.Sprintf("sample%d.png", i)), m, data, i, initial, res.Theta); err != nil {
			return err
		}
	}
	return nil
}

func plotLoss(path string, res *lagrt.TrainResult) error {
	p := plot.New()
	p.Title.Text = "Training loss"
	p.X.Label.Text = "epoch"
	p.Y.Label.Text = "mean cost"
	p.Y.Scale = plot.LogScale{}
	p.Y.Tick.Marker = plot.LogTicks{Prec: 1}
	var pts plotter.XYs
	for _, h := range res.History {
		if h.Loss > 0 && !math.IsInf(h.Loss, 0) {
			pts = append(pts, plotter.XY{X: float64(h.Epoch), Y: h.Loss})
		}
	}
	if len(pts) == 0 {
		return nil
	}
	line, err := plotter.NewLine(pts)
	if err != nil {
		return err
	}
	line.Color = palette[0]
	line.Width = vg.Points(1.5)
	p.Add(line, plotter.NewGrid())
	return savePlot(p, 16*vg.Centimeter, 10*vg.Centimeter, path)
}

var palette = []color.Color{
	color.RGBA{0x1f, 0x77, 0xb4, 0xff}, color.RGBA{0xd6, 0x27, 0x28, 0xff},
	color.RGBA{0x2c, 0xa0, 0x2c, 0xff}, color.RGBA{0xff, 0x7f, 0x0e, 0xff},
	color.RGBA{0x94, 0x67, 0xbd, 0xff}, color.RGBA{0x8c, 0x56, 0x4b, 0xff},
}

func plotSample(path string, m lagrt.Model, data *lagrt.Dataset, i int, initial, trained []float64) error {
	info := m.Info()
	solve := func(theta []float64) (*lagrt.Solution, error) {
		return lagrt.Solve(data.Problem(m, i, theta), nil)
	}
	after, err := solve(trained)
	if err != nil {
		return fmt.Errorf("plot: sample %d: %w", i, err)
	}
	before, _ := solve(initial) // best effort: the untrained model may not solve
	pr := data.Problem(m, i, trained)
	p := plot.New()
	p.Title.Text = fmt.Sprintf("Sample %d: trained trajectory (solid), untrained (thin), targets (dots)", i)
	p.Title.TextStyle.Font.Size = vg.Points(10)
	p.X.Label.Text = "t"
	p.Legend.Top = true
	p.Legend.XOffs = vg.Points(-4)
	p.Add(plotter.NewGrid())
	traj := func(sol *lagrt.Solution, j int) plotter.XYs {
		pts := make(plotter.XYs, len(sol.Times))
		for k, t := range sol.Times {
			pts[k] = plotter.XY{X: t, Y: sol.Q[k][j]}
		}
		return pts
	}
	for j, name := range info.PhysCoords() {
		col := palette[j%len(palette)]
		if before != nil {
			l, err := plotter.NewLine(traj(before, j))
			if err != nil {
				return err
			}
			l.Color = col
			l.Width = vg.Points(0.5)
			p.Add(l)
		}
		l, err := plotter.NewLine(traj(after, j))
		if err != nil {
			return err
		}
		l.Color = col
		l.Width = vg.Points(1.5)
		p.Add(l)
		p.Legend.Add(name, l)
	}
	// Targets, evaluated at the midpoints where the cost sees them.
	ny := len(info.Targets)
	if ny > 0 && !pr.Target.IsZero() {
		N := len(after.Times) - 1
		h := pr.T / float64(N)
		y := make([]float64, ny)
		series := make([]plotter.XYs, ny)
		for k := 0; k < N; k++ {
			t := (float64(k) + 0.5) * h
			if pr.Target.Func != nil {
				pr.Target.Func(t, y)
			} else {
				for c := range y {
					y[c] = (pr.Target.Samples[k][c] + pr.Target.Samples[k+1][c]) / 2
				}
			}
			for c := range y {
				series[c] = append(series[c], plotter.XY{X: t, Y: y[c]})
			}
		}
		for c, name := range info.Targets {
			// Every few midpoints, as markers over the solid lines.
			var pts plotter.XYs
			step := max(1, len(series[c])/32)
			for k := 0; k < len(series[c]); k += step {
				pts = append(pts, series[c][k])
			}
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return err
			}
			sc.GlyphStyle.Color = color.Black
			if ny == len(info.Coords) {
				sc.GlyphStyle.Color = palette[c%len(palette)]
			}
			sc.GlyphStyle.Shape = draw.CircleGlyph{}
			sc.GlyphStyle.Radius = vg.Points(2)
			p.Add(sc)
			p.Legend.Add(name, sc)
		}
	}
	p.Legend.ThumbnailWidth = vg.Points(20)
	return savePlot(p, 18*vg.Centimeter, 11*vg.Centimeter, path)
}

// savePlot renders p as a PNG and writes it atomically to path, which,
// like every output of lagc, must be a regular file or not exist.
func savePlot(p *plot.Plot, w, h vg.Length, path string) error {
	wt, err := p.WriterTo(w, h, "png")
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := wt.WriteTo(&buf); err != nil {
		return err
	}
	return writeAtomic(path, buf.Bytes())
}
