package profile

import (
	"encoding/json"
	"fmt"
)

// Bool is a Livefyre boolean: a JSON boolean, or the string "true" or
// "false" that the docs' own example uses (spec 6.11). It encodes in the
// form it was decoded in, so a profile read from an integrator is served
// back unchanged.
type Bool struct {
	Value    bool // the boolean
	AsString bool // written as "true"/"false" rather than true/false
}

// MarshalJSON writes true or false, quoted if b.AsString.
func (b Bool) MarshalJSON() ([]byte, error) {
	switch {
	case b.AsString && b.Value:
		return []byte(`"true"`), nil
	case b.AsString:
		return []byte(`"false"`), nil
	case b.Value:
		return []byte(`true`), nil
	}
	return []byte(`false`), nil
}

// UnmarshalJSON reads true, false, "true" or "false", and leaves b alone for
// null, as encoding/json does.
func (b *Bool) UnmarshalJSON(data []byte) error {
	switch s := string(data); s {
	case "null":
		return nil
	case "true", "false":
		*b = Bool{Value: s == "true"}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err == nil && (s == "true" || s == "false") {
		*b = Bool{Value: s == "true", AsString: true}
		return nil
	}
	return fmt.Errorf("profile: %s is not a boolean: want true, false, \"true\" or \"false\" (spec 6.11)", clip(string(data), maxShown))
}
