package load

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"p4p"
)

// jsonParser walks a JSON document token by token, refusing duplicate
// keys (encoding/json keeps the last) and deep nesting.
type jsonParser struct {
	name string
	d    *json.Decoder
	ps   problems
}

func parseJSON(name string, data []byte) (any, error) {
	p := &jsonParser{name: name, d: json.NewDecoder(bytes.NewReader(data))}
	p.d.UseNumber()
	v, err := p.value("", 0)
	if err == nil {
		if _, extra := p.d.Token(); extra != io.EOF {
			err = errors.New("data after the JSON value")
		}
	}
	if err != nil {
		return nil, at(name, "", "not valid JSON: %s", jsonProblem(data, err))
	}
	return v, p.ps.err()
}

// jsonProblem says where a JSON document went wrong.
func jsonProblem(data []byte, err error) string {
	var se *json.SyntaxError
	switch {
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends too soon"
	case errors.As(err, &se) && se.Offset <= int64(len(data)):
		return fmt.Sprintf("line %d: %v", 1+bytes.Count(data[:se.Offset], []byte("\n")), err)
	}
	return err.Error()
}

func (p *jsonParser) value(ptr string, depth int) (any, error) {
	t, err := p.d.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := t.(json.Delim); ok {
		if depth >= maxScenarioDepth {
			return nil, fmt.Errorf("%s nests more than %d levels", shownPointer(ptr), maxScenarioDepth)
		}
		if d == '{' {
			return p.object(ptr, depth+1)
		}
		return p.array(ptr, depth+1)
	}
	return t, nil
}

func (p *jsonParser) object(ptr string, depth int) (any, error) {
	obj := map[string]any{}
	for p.d.More() {
		t, err := p.d.Token()
		if err != nil {
			return nil, err
		}
		key := t.(string) // the decoder insists on string keys
		if _, dup := obj[key]; dup {
			p.ps = append(p.ps, at(p.name, p4p.AppendPointer(ptr, key), "given more than once"))
		}
		if obj[key], err = p.value(p4p.AppendPointer(ptr, key), depth); err != nil {
			return nil, err
		}
	}
	_, err := p.d.Token() // }
	return obj, err
}

func (p *jsonParser) array(ptr string, depth int) (any, error) {
	arr := []any{}
	for p.d.More() {
		v, err := p.value(p4p.AppendPointer(ptr, strconv.Itoa(len(arr))), depth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, v)
	}
	_, err := p.d.Token() // ]
	return arr, err
}

// shownPointer names the document's root as "the document".
func shownPointer(ptr string) string {
	if ptr == "" {
		return "the document"
	}
	return ptr
}
