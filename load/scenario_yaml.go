package load

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"p4p"

	"go.yaml.in/yaml/v3"
)

// yamlParser turns a YAML node tree into JSON's values, refusing what
// JSON cannot say or a scenario has no use for: aliases (and with them
// the billion laughs), merge keys, non-string keys, duplicate keys, tags
// other than YAML's own, NaN and infinities.
type yamlParser struct {
	name string
	ps   problems
}

func parseYAML(name string, data []byte) (v any, err error) {
	root, err := yamlRoot(data)
	if errors.Is(err, io.EOF) {
		return nil, at(name, "", "%s", emptyScenario)
	}
	if err != nil {
		return nil, at(name, "", "not valid YAML: %s", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	p := &yamlParser{name: name}
	v = p.value(root, "", 0)
	return v, p.ps.err()
}

// yamlRoot parses the one document in data. The parser is outside code
// fed outside input, so a panic in it is an error, not a crash.
func yamlRoot(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parser failed: %v", r)
		}
	}()
	d := yaml.NewDecoder(bytes.NewReader(data))
	var doc, next yaml.Node
	if err := d.Decode(&doc); err != nil {
		return nil, err
	}
	if err := d.Decode(&next); err != io.EOF {
		return nil, cmp.Or(err, errors.New("more than one document; a scenario file holds one"))
	}
	if len(doc.Content) != 1 {
		return nil, io.EOF
	}
	return doc.Content[0], nil
}

func (p *yamlParser) add(ptr, format string, args ...any) {
	p.ps = append(p.ps, at(p.name, ptr, format, args...))
}

func (p *yamlParser) value(n *yaml.Node, ptr string, depth int) any {
	if depth > maxScenarioDepth {
		p.add(ptr, "nests more than %d levels", maxScenarioDepth)
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		return p.mapping(n, ptr, depth+1)
	case yaml.SequenceNode:
		arr := make([]any, len(n.Content))
		for i, c := range n.Content {
			arr[i] = p.value(c, p4p.AppendPointer(ptr, strconv.Itoa(i)), depth+1)
		}
		return arr
	case yaml.ScalarNode:
		return p.scalar(n, ptr)
	case yaml.AliasNode:
		p.add(ptr, "YAML aliases (*%s) are not allowed in a scenario file; write the value out", unquoted(n.Value))
	default:
		p.add(ptr, "unexpected YAML node")
	}
	return nil
}

func (p *yamlParser) mapping(n *yaml.Node, ptr string, depth int) any {
	obj := make(map[string]any, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key, ok := p.key(k, ptr)
		if !ok {
			continue
		}
		if _, dup := obj[key]; dup {
			p.add(p4p.AppendPointer(ptr, key), "given more than once")
		}
		obj[key] = p.value(v, p4p.AppendPointer(ptr, key), depth)
	}
	return obj
}

// key is a mapping key, which must be a plain string.
func (p *yamlParser) key(k *yaml.Node, ptr string) (string, bool) {
	switch {
	case k.Kind == yaml.AliasNode:
		p.add(p4p.AppendPointer(ptr, "*"+k.Value), "YAML aliases (*%s) are not allowed in a scenario file; write the key out", unquoted(k.Value))
	case k.Kind != yaml.ScalarNode:
		p.add(p4p.AppendPointer(ptr, "?"), "a key is a %s; keys are field names such as rate", kindName(k.Kind))
	case k.ShortTag() == "!!merge":
		p.add(p4p.AppendPointer(ptr, "<<"), "YAML merge keys (<<) are not allowed in a scenario file; write the fields out")
	case k.ShortTag() != "!!str":
		p.add(p4p.AppendPointer(ptr, k.Value), "the key %s is not a string; keys are field names such as rate", clipQuote(k.Value))
	default:
		return k.Value, true
	}
	return "", false
}

func kindName(k yaml.Kind) string {
	if k == yaml.MappingNode {
		return "mapping"
	}
	return "list"
}

// scalar is a scalar as JSON would hold it; numbers are json.Number,
// as the schema validator reads JSON's.
func (p *yamlParser) scalar(n *yaml.Node, ptr string) any {
	switch tag := n.ShortTag(); tag {
	case "!!str", "!!timestamp":
		return n.Value
	case "!!null":
		return nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err == nil {
			return b
		}
	case "!!int", "!!float":
		var f float64
		if err := n.Decode(&f); err == nil && !math.IsNaN(f) && !math.IsInf(f, 0) {
			return json.Number(numberText(strconv.FormatFloat(f, 'g', -1, 64)))
		}
		if tag == "!!int" {
			p.add(ptr, "%s is too large a number", clipQuote(n.Value))
			return nil
		}
		p.add(ptr, "%s is not a number JSON can hold", clipQuote(n.Value))
		return nil
	default:
		p.add(ptr, "YAML tags (%s) are not allowed in a scenario file", unquoted(tag))
		return nil
	}
	p.add(ptr, "%s is not a %s", clipQuote(n.Value), strings.TrimPrefix(n.ShortTag(), "!!"))
	return nil
}
