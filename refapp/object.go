package refapp

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
)

// object is a JSON object's members in order, so that a fault can change
// one member of a rendered profile and leave every other byte as it was.
type object []member

// member is one member of an object, its value still encoded.
type member struct {
	name  string
	value json.RawMessage
}

// parseObject splits a JSON object into its members.
func parseObject(body []byte) (object, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, errors.New("not a JSON object")
	}
	var o object
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		name, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		o = append(o, member{name, v})
	}
	return o, nil
}

// get decodes the member name into v, reporting whether it is there and
// decodes.
func (o object) get(name string, v any) bool {
	i := slices.IndexFunc(o, func(m member) bool { return m.name == name })
	return i >= 0 && json.Unmarshal(o[i].value, v) == nil
}

// set replaces the member name with v, or adds it at the end.
func (o *object) set(name string, v any) {
	value, err := json.Marshal(v)
	if err != nil {
		return
	}
	if i := slices.IndexFunc(*o, func(m member) bool { return m.name == name }); i >= 0 {
		(*o)[i].value = value
		return
	}
	*o = append(*o, member{name, value})
}

// remove deletes the member name.
func (o *object) remove(name string) {
	*o = slices.DeleteFunc(*o, func(m member) bool { return m.name == name })
}

// encode writes the object back as compact JSON.
func (o object) encode() []byte {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(m.name)
		b.Write(name)
		b.WriteByte(':')
		b.Write(m.value)
	}
	b.WriteByte('}')
	return b.Bytes()
}
