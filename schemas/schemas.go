package schemas

import (
	"bytes"
	"embed"
	"errors"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// FS holds every schema, by file name.
//
//go:embed *.json
var FS embed.FS

// PullResponse names the pull response's schema in FS.
const PullResponse = "pull-response.schema.json"

// Scenario names a load scenario file's schema in FS: the JSON tags of
// p4p/load.Scenario, no others (the network key is never written in a
// file; key_env names the environment variable that holds it), with the
// rate, duration, URL and enum fields constrained.
const Scenario = "scenario.schema.json"

// Compile reads the schema called name (PullResponse, Scenario) from FS
// and compiles it under its $id, which it must have. It compiles afresh
// on every call: a caller that validates often compiles once and keeps
// the result.
func Compile(name string) (*jsonschema.Schema, error) {
	data, err := FS.ReadFile(name)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	obj, _ := doc.(map[string]any)
	id, _ := obj["$id"].(string)
	if id == "" {
		return nil, errors.New("no $id")
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		return nil, err
	}
	return c.Compile(id)
}
