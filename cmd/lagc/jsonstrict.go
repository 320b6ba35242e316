package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A strict JSON reader for the files lagc reads (training data and
// parameter files). Unlike encoding/json it keeps the position of every
// value, so that every error says FILE:LINE:COL, and it refuses what
// encoding/json lets through silently: duplicate keys, trailing data after
// the value, and (in the schema code) keys that match a field only up to
// letter case, and nulls.

// jsonKind is the type of a JSON value.
type jsonKind int

const (
	jsonNull jsonKind = iota
	jsonBool
	jsonNumber
	jsonString
	jsonArray
	jsonObject
)

func (k jsonKind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}[k]
}

// jsonValue is a parsed JSON value and where it starts.
type jsonValue struct {
	doc    *jsonDoc
	off    int
	kind   jsonKind
	bool   bool
	num    float64
	str    string
	elems  []*jsonValue
	fields []jsonField // in file order
}

type jsonField struct {
	key    string
	keyOff int
	val    *jsonValue
}

// jsonDoc is a file being parsed.
type jsonDoc struct {
	path string
	src  []byte
}

// maxJSONDepth bounds the nesting of arrays and objects.
const maxJSONDepth = 64

// parseJSON parses src, the contents of path, as exactly one JSON value.
func parseJSON(path string, src []byte) (*jsonValue, error) {
	d := &jsonDoc{path: path, src: src}
	p := &jsonParser{doc: d, src: src}
	p.space()
	if p.pos == len(src) {
		return nil, d.errorf(p.pos, "empty file: want a JSON object")
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(src) {
		return nil, d.errorf(p.pos, "unexpected %s after the JSON value", p.describe())
	}
	return v, nil
}

// position returns the 1-based line and column (in bytes) of offset off.
func (d *jsonDoc) position(off int) (int, int) {
	off = min(off, len(d.src))
	line := 1 + bytes.Count(d.src[:off], []byte("\n"))
	col := off + 1
	if i := bytes.LastIndexByte(d.src[:off], '\n'); i >= 0 {
		col = off - i
	}
	return line, col
}

func (d *jsonDoc) errorf(off int, format string, args ...any) error {
	line, col := d.position(off)
	return fmt.Errorf("%s:%d:%d: %s", d.path, line, col, fmt.Sprintf(format, args...))
}

// errorf reports an error at the value.
func (v *jsonValue) errorf(format string, args ...any) error {
	return v.doc.errorf(v.off, format, args...)
}

type jsonParser struct {
	doc *jsonDoc
	src []byte
	pos int
}

func (p *jsonParser) space() {
	for p.pos < len(p.src) {
		switch p.src[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

// describe names what is at the current position, for errors.
func (p *jsonParser) describe() string {
	if p.pos >= len(p.src) {
		return "end of file"
	}
	r, _ := utf8.DecodeRune(p.src[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *jsonParser) value(depth int) (*jsonValue, error) {
	v := &jsonValue{doc: p.doc, off: p.pos}
	if p.pos >= len(p.src) {
		return nil, p.doc.errorf(p.pos, "unexpected end of file: want a value")
	}
	switch c := p.src[p.pos]; {
	case c == '{' || c == '[':
		if depth >= maxJSONDepth {
			return nil, p.doc.errorf(p.pos, "nested more than %d levels deep", maxJSONDepth)
		}
		if c == '{' {
			return v, p.object(v, depth)
		}
		return v, p.array(v, depth)
	case c == '"':
		s, err := p.string()
		v.kind, v.str = jsonString, s
		return v, err
	case c == '-' || c >= '0' && c <= '9':
		return v, p.number(v)
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range []string{"true", "false", "null"} {
			if bytes.HasPrefix(p.src[p.pos:], []byte(lit)) {
				p.pos += len(lit)
				switch lit {
				case "true":
					v.kind, v.bool = jsonBool, true
				case "false":
					v.kind = jsonBool
				}
				return v, nil
			}
		}
	}
	return nil, p.doc.errorf(p.pos, "unexpected %s: want a value", p.describe())
}

func (p *jsonParser) object(v *jsonValue, depth int) error {
	v.kind = jsonObject
	p.pos++ // {
	seen := map[string]bool{}
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == '}' {
		p.pos++
		return nil
	}
	for {
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != '"' {
			return p.doc.errorf(p.pos, "unexpected %s: want a key (a string in double quotes)", p.describe())
		}
		keyOff := p.pos
		key, err := p.string()
		if err != nil {
			return err
		}
		if seen[key] {
			return p.doc.errorf(keyOff, "duplicate key %q", key)
		}
		seen[key] = true
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ':' {
			return p.doc.errorf(p.pos, "unexpected %s after key %q: want ':'", p.describe(), key)
		}
		p.pos++
		p.space()
		val, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		v.fields = append(v.fields, jsonField{key, keyOff, val})
		p.space()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == '}' {
			p.pos++
			return nil
		}
		return p.doc.errorf(p.pos, "unexpected %s in object: want ',' or '}'", p.describe())
	}
}

func (p *jsonParser) array(v *jsonValue, depth int) error {
	v.kind = jsonArray
	p.pos++ // [
	p.space()
	if p.pos < len(p.src) && p.src[p.pos] == ']' {
		p.pos++
		return nil
	}
	for {
		p.space()
		e, err := p.value(depth + 1)
		if err != nil {
			return err
		}
		v.elems = append(v.elems, e)
		p.space()
		if p.pos < len(p.src) && p.src[p.pos] == ',' {
			p.pos++
			continue
		}
		if p.pos < len(p.src) && p.src[p.pos] == ']' {
			p.pos++
			return nil
		}
		return p.doc.errorf(p.pos, "unexpected %s in array: want ',' or ']'", p.describe())
	}
}

// string scans a JSON string and decodes it with encoding/json, which
// checks the escapes.
func (p *jsonParser) string() (string, error) {
	start := p.pos
	i := p.pos + 1
	for {
		if i >= len(p.src) {
			return "", p.doc.errorf(start, "unterminated string")
		}
		c := p.src[i]
		if c == '"' {
			break
		}
		if c < 0x20 {
			return "", p.doc.errorf(i, "control character %q in string", rune(c))
		}
		if c == '\\' {
			i++
		}
		i++
	}
	p.pos = i + 1
	var s string
	if err := json.Unmarshal(p.src[start:p.pos], &s); err != nil {
		return "", p.doc.errorf(start, "invalid string: %v", err)
	}
	return s, nil
}

func (p *jsonParser) number(v *jsonValue) error {
	start := p.pos
	i := p.pos
	digits := func() int {
		n := 0
		for i < len(p.src) && p.src[i] >= '0' && p.src[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if p.src[i] == '-' {
		i++
	}
	if i < len(p.src) && p.src[i] == '0' {
		i++
	} else if digits() == 0 {
		return p.doc.errorf(start, "invalid number")
	}
	if i < len(p.src) && p.src[i] == '.' {
		i++
		if digits() == 0 {
			return p.doc.errorf(start, "invalid number %q", p.src[start:i])
		}
	}
	if i < len(p.src) && (p.src[i] == 'e' || p.src[i] == 'E') {
		i++
		if i < len(p.src) && (p.src[i] == '+' || p.src[i] == '-') {
			i++
		}
		if digits() == 0 {
			return p.doc.errorf(start, "invalid number %q", p.src[start:i])
		}
	}
	p.pos = i
	x, err := strconv.ParseFloat(string(p.src[start:i]), 64)
	if err != nil || math.IsInf(x, 0) {
		return p.doc.errorf(start, "number %s is out of range", p.src[start:i])
	}
	v.kind, v.num = jsonNumber, x
	return nil
}

// Schema helpers.

// fields checks that v is an object whose keys are all among allowed,
// with exactly that spelling, and that none is null. It returns the
// fields by key.
func (v *jsonValue) fieldMap(what string, allowed ...string) (map[string]*jsonValue, error) {
	if v.kind != jsonObject {
		return nil, v.errorf("%s must be an object, not %s", what, v.kind)
	}
	m := map[string]*jsonValue{}
	for _, f := range v.fields {
		ok := false
		for _, a := range allowed {
			if f.key == a {
				ok = true
			}
		}
		if !ok {
			hint := ""
			for _, a := range allowed {
				if strings.EqualFold(f.key, a) {
					hint = fmt.Sprintf(" (did you mean %q? keys are case-sensitive)", a)
				}
			}
			if hint == "" {
				hint = fmt.Sprintf(" (want %s)", strings.Join(allowed, ", "))
			}
			return nil, v.doc.errorf(f.keyOff, "unknown field %q in %s%s", f.key, what, hint)
		}
		if f.val.kind == jsonNull {
			return nil, f.val.errorf("%s: %q is null", what, f.key)
		}
		m[f.key] = f.val
	}
	return m, nil
}

// number returns v as a finite number.
func (v *jsonValue) number(what string) (float64, error) {
	if v.kind != jsonNumber {
		return 0, v.errorf("%s must be a number, not %s", what, v.kind)
	}
	return v.num, nil
}

// integer returns v as an integer.
func (v *jsonValue) integer(what string) (int, error) {
	x, err := v.number(what)
	if err != nil {
		return 0, err
	}
	if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
		return 0, v.errorf("%s must be an integer, not %g", what, x)
	}
	return int(x), nil
}

// stringValue returns v as a string.
func (v *jsonValue) stringValue(what string) (string, error) {
	if v.kind != jsonString {
		return "", v.errorf("%s must be a string, not %s", what, v.kind)
	}
	return v.str, nil
}

// numbers returns v as an array of numbers.
func (v *jsonValue) numbers(what string) ([]float64, error) {
	if v.kind != jsonArray {
		return nil, v.errorf("%s must be an array of numbers, not %s", what, v.kind)
	}
	x := make([]float64, len(v.elems))
	for i, e := range v.elems {
		if e.kind != jsonNumber {
			return nil, e.errorf("%s: element %d must be a number, not %s", what, i, e.kind)
		}
		x[i] = e.num
	}
	return x, nil
}
