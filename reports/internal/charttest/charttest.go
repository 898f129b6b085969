// Package charttest checks the SVG of the charts that package chart
// draws, for the tests of chart and of the reports that embed its charts;
// no program links it.
package charttest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
)

// Check reports what makes svg, a chart's SVG, unfit to embed in a
// report: XML that is not well-formed, a coordinate that is not a plain
// finite number (NaN, an infinity, an exponent), or no viewBox of the
// width and height given, chart.Width and chart.Height.
func Check(svg string, width, height int) error {
	for _, bad := range []string{"NaN", "Inf", "e+", "e-"} {
		if strings.Contains(coordinates(svg), bad) {
			return fmt.Errorf("a coordinate holds %q", bad)
		}
	}
	if !strings.Contains(svg, fmt.Sprintf(`viewBox="0 0 %d %d"`, width, height)) {
		return errors.New("no viewBox of the charts' size")
	}
	dec := xml.NewDecoder(strings.NewReader(svg))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("not well-formed: %w", err)
		}
	}
}

// coordinateAttr matches an attribute holding coordinates.
var coordinateAttr = regexp.MustCompile(`\b(?:x|y|x1|y1|x2|y2|cx|cy|r|width|height|d|transform)="[^"]*"`)

// coordinates is every coordinate attribute of svg, space-separated.
func coordinates(svg string) string {
	return strings.Join(coordinateAttr.FindAllString(svg, -1), " ")
}
