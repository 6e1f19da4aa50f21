// Computes the expected outputs of TemplateConformanceTest's cases with Go's own text/template:
//
//	cd modules/cli/src/test/go && python3 cases.py && GO111MODULE=off GOPATH=/tmp/gopath go run expected.go funcs.go \
//	    ../resources/berth/cli/template/cases.json > ../resources/berth/cli/template/expected.json
//
// The fixtures are the JSON in cases.json (integers decoded as int, others as float64) and two
// structs that the Java test mirrors with records.
package main

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"text/template"
)

type Person struct {
	Name string
	Age  int
	Tags []string
}

func (p Person) Upper() string { return strings.ToUpper(p.Name) }

type Case struct {
	Data       string `json:"data"`
	Template   string `json:"template"`
	MissingKey string `json:"missingkey,omitempty"`
}

type Result struct {
	Case
	Output string `json:"output"`
	Error  string `json:"error,omitempty"`
}

type File struct {
	Fixtures map[string]json.RawMessage `json:"fixtures"`
	Cases    []Case                     `json:"cases"`
}

func plain(v interface{}) interface{} {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return int(i)
		}
		f, _ := x.Float64()
		return f
	case map[string]interface{}:
		for k, e := range x {
			x[k] = plain(e)
		}
	case []interface{}:
		for i, e := range x {
			x[i] = plain(e)
		}
	}
	return v
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var f File
	if err := json.Unmarshal(raw, &f); err != nil {
		panic(err)
	}
	fixtures := map[string]interface{}{
		"person": Person{Name: "ann", Age: 42, Tags: []string{"a", "b"}},
		"people": []Person{{Name: "ann", Age: 42, Tags: []string{"a"}}, {Name: "bob", Age: 7, Tags: nil}},
	}
	for name, text := range f.Fixtures {
		d := json.NewDecoder(bytes.NewReader(text))
		d.UseNumber()
		var v interface{}
		if err := d.Decode(&v); err != nil {
			panic(err)
		}
		fixtures[name] = plain(v)
	}
	var results []Result
	for _, c := range f.Cases {
		data, ok := fixtures[c.Data]
		if !ok {
			panic("no fixture " + c.Data)
		}
		r := Result{Case: c}
		t := template.New("t").Funcs(funcs)
		if c.MissingKey != "" {
			t = t.Option("missingkey=" + c.MissingKey)
		}
		t, err := t.Parse(c.Template)
		if err != nil {
			r.Error = err.Error()
		} else {
			var out bytes.Buffer
			if err := t.Execute(&out, data); err != nil {
				r.Error = err.Error()
			}
			r.Output = out.String()
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
