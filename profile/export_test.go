package profile

// CheckLibrary is Check through the JSON Schema library alone, for the
// benchmark that compares it with the fast path.
func (v *Validator) CheckLibrary(body []byte, wantID string) (*Document, error) {
	if err := v.precheck(body); err != nil {
		return nil, err
	}
	return v.check(body, wantID)
}
