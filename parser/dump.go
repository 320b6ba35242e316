package parser

import "strings"

// Dump returns a compact S-expression for a node, for tests and debugging:
//
//	1.5  x  (index x i (- j 1))  (- x)  (+ a b)  (^ a b)  (sin x)
//	(sum i 0 (- N 1) body)  (paren x)
//	(system Foo)  (param (m 1.0) (k [N] 1.0))  (coord q (x [3]))
//	(let x1 e)  (lagrangian e)  (cost e)
//
// A *File dumps as its statements, one per line.
func Dump(n Node) string {
	var sb strings.Builder
	dump(&sb, n)
	return sb.String()
}

func dump(sb *strings.Builder, n Node) {
	list := func(head string, xs ...Node) {
		sb.WriteString("(" + head)
		for _, x := range xs {
			sb.WriteByte(' ')
			dump(sb, x)
		}
		sb.WriteByte(')')
	}
	switch n := n.(type) {
	case *Num:
		sb.WriteString(numText(n))
	case *Ident:
		sb.WriteString(n.Name)
	case *Index:
		xs := []Node{n.Name}
		for _, x := range n.Indices {
			xs = append(xs, x)
		}
		list("index", xs...)
	case *Unary:
		list(n.Op.String(), n.X)
	case *Binary:
		list(n.Op.String(), n.X, n.Y)
	case *Call:
		xs := []Node{}
		for _, x := range n.Args {
			xs = append(xs, x)
		}
		list(n.Name.Name, xs...)
	case *Sum:
		list("sum", n.Var, n.Lo, n.Hi, n.Body)
	case *Paren:
		list("paren", n.X)
	case *SystemStmt:
		list("system", n.Name)
	case *DeclStmt:
		sb.WriteString("(" + n.Kind.String())
		for _, it := range n.Items {
			sb.WriteByte(' ')
			if len(it.Dims) == 0 && it.Value == nil {
				sb.WriteString(it.Name.Name)
				continue
			}
			sb.WriteString("(" + it.Name.Name)
			if len(it.Dims) > 0 {
				sb.WriteString(" [")
				for i, d := range it.Dims {
					if i > 0 {
						sb.WriteByte(' ')
					}
					dump(sb, d)
				}
				sb.WriteByte(']')
			}
			if it.Value != nil {
				sb.WriteByte(' ')
				dump(sb, it.Value)
			}
			sb.WriteByte(')')
		}
		sb.WriteByte(')')
	case *LetStmt:
		list("let", n.Name, n.Value)
	case *LagrangianStmt:
		list("lagrangian", n.Value)
	case *CostStmt:
		list("cost", n.Value)
	case *DissipationStmt:
		list("dissipation", n.Value)
	case *File:
		for i, s := range n.Stmts {
			if i > 0 {
				sb.WriteByte('\n')
			}
			dump(sb, s)
		}
	default:
		sb.WriteString("(?)")
	}
}
