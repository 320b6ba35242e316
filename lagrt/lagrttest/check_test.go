package lagrttest

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/lagc/lagc/lagrt"
)

// corrupt wraps a model and perturbs one entry of one quantity.
type corrupt struct {
	lagrt.Model
	q lagrt.Quantity
}

func (c corrupt) Eval(w lagrt.Want, p *lagrt.Point, out *lagrt.Out) {
	c.Model.Eval(w, p, out)
	if v := out.Vec(c.q); len(v) > 0 && w&c.q.Want() != 0 {
		v[len(v)-1] += 0.01
	}
}

// TestCheckDerivativesFails: the check catches a wrong entry in every
// derivative quantity (table-driven from lagrt.Quantities), and passes the
// correct model.
func TestCheckDerivativesFails(t *testing.T) {
	m := NewCoupled([][]float64{{2, 0.3, 0}, {0.3, 1.5, 0.2}, {0, 0.2, 1}}, 0.4, 0.1)
	p := RandomPoint(m.Info(), rand.New(rand.NewPCG(5, 6)))
	if err := CheckDerivatives(m, p, 1e-6); err != nil {
		t.Fatalf("correct model: %v", err)
	}
	for q := range lagrt.NumQuantities {
		d := &lagrt.Quantities[q]
		if d.Order() == 0 {
			continue
		}
		err := CheckDerivatives(corrupt{m, q}, p, 1e-6)
		if err == nil || !strings.Contains(err.Error(), d.Name+"[") {
			t.Errorf("%s perturbed: error %v", d.Name, err)
		}
	}
}
