// Package schemas holds p4p's JSON Schemas (draft 2020-12). They are
// embedded in the binary, so validation needs no files at run time.
//
// pull-response.schema.json describes the Pull endpoint's response (spec 1.6):
// a JSON object with a non-empty id and display_name, fully qualified URLs
// (or "", which real integrators sent), tags of 1 to 63 characters from
// [A-Za-z0-9_], at most 2 websites, booleans as JSON booleans or the strings
// "true"/"false" (spec 6.11), and the documented notification frequencies.
// Unknown fields are allowed, because Livefyre ignored them (spec 6.15).
package schemas
