package schemas

import "embed"

// FS holds every schema, by file name.
//
//go:embed *.json
var FS embed.FS

// PullResponse names the pull response's schema in FS.
const PullResponse = "pull-response.schema.json"
