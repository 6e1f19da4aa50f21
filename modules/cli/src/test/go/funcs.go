package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"text/template"
)

// podman's report functions (containers/common pkg/report DefaultFuncs, v0.50) and berth's two extras
var funcs = template.FuncMap{
	"join": strings.Join,
	"json": func(v interface{}) string {
		buf := new(bytes.Buffer)
		enc := json.NewEncoder(buf)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(v)
		return strings.TrimSpace(buf.String())
	},
	"lower": strings.ToLower,
	"pad": func(source string, prefix, suffix int) string {
		if source == "" {
			return source
		}
		return strings.Repeat(" ", prefix) + source + strings.Repeat(" ", suffix)
	},
	"split": strings.Split,
	"title": strings.Title,
	"truncate": func(source string, length int) string {
		if len(source) < length {
			return source
		}
		return source[:length]
	},
	"upper":    strings.ToUpper,
	"contains": strings.Contains,
	"replace":  strings.ReplaceAll,
}
