// Computes the expected outputs of ReportTest's table cases: podman's report.Formatter steps
// (NormalizeFormat, EnforceRange, headers executed first, text/tabwriter 12,2,2,' ') done with Go's
// own text/template and text/tabwriter:
//
//	python3 table_cases.py && GO111MODULE=off GOPATH=/tmp/gopath go run table.go funcs.go ../resources/berth/cli/template/table-cases.json \
//	    > ../resources/berth/cli/template/table-expected.json
package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"regexp"
	"strings"
	"text/tabwriter"
	"text/template"
)

type Case struct {
	Format  string `json:"format"`
	Origin  string `json:"origin"`
	Headers bool   `json:"headers"`
}

type Result struct {
	Case
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

type File struct {
	Rows    []map[string]interface{} `json:"rows"`
	Headers map[string]string        `json:"headers"`
	Cases   []Case                   `json:"cases"`
}

var rangeRegex = regexp.MustCompile(`(?s){{\s*range\s*\.\s*}}.*{{\s*end\s*-?\s*}}`)

func normalize(format string) string {
	var f string
	if strings.HasPrefix(format, "table ") {
		f = strings.NewReplacer("table ", "", `\t`, "\t", " ", "\t", `\n`, "\n").Replace(format)
	} else {
		f = strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(format)
	}
	if !strings.HasSuffix(f, "\n") {
		f += "\n"
	}
	return f
}

func enforceRange(format string) string {
	if !rangeRegex.MatchString(format) {
		return "{{range .}}" + format + "{{end -}}"
	}
	return format
}

func render(f File, c Case) (string, error) {
	var normText, text string
	table := strings.HasPrefix(c.Format, "table ")
	switch {
	case table:
		normText = "{{range .}}" + normalize(c.Format) + "{{end -}}"
		text = "{{range .}}" + c.Format + "{{end -}}"
	case c.Origin == "user":
		normText = enforceRange(normalize(c.Format))
		text = enforceRange(c.Format)
	default:
		normText = normalize(c.Format)
		text = c.Format
	}
	var buf bytes.Buffer
	var w io.Writer = &buf
	var tw *tabwriter.Writer
	if table || c.Origin == "berth" {
		tw = tabwriter.NewWriter(&buf, 12, 2, 2, ' ', tabwriter.StripEscape)
		w = tw
	}
	tmpl, err := template.New("ps").Funcs(funcs).Parse(normText)
	if err != nil {
		tmpl, err = template.New("ps").Funcs(funcs).Parse(text)
		if err != nil {
			return "", err
		}
	}
	if c.Headers {
		if err := tmpl.Execute(w, []map[string]string{f.Headers}); err != nil {
			return buf.String(), err
		}
	}
	if err := tmpl.Execute(w, f.Rows); err != nil {
		return buf.String(), err
	}
	if tw != nil {
		tw.Flush()
	}
	return buf.String(), nil
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var f File
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&f); err != nil {
		panic(err)
	}
	var results []Result
	for _, c := range f.Cases {
		out, err := render(f, c)
		r := Result{Case: c, Output: out}
		if err != nil {
			r.Error = err.Error()
		}
		results = append(results, r)
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(results); err != nil {
		panic(err)
	}
}
