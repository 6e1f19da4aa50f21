import json
fixtures = {
 "m": {"Name":"ann","Age":42,"Ratio":2.5,"Neg":-3,"Big":1234567.0,"Small":0.00001,"Pi":3.14159265,"Zero":0,"FZero":0.0,"Empty":"","Nil":None,"True":True,"False":False,
       "List":["a","b","c"],"Nums":[3,1,2],"Map":{"b":2,"a":1,"c":"x"},"Nested":{"Inner":{"Deep":"yes"}},"EmptyList":[],"EmptyMap":{},
       "Words":"hello world foo","Mixed":[1,"two",3.5,True,None],"Quote":"say \"hi\"\n\ttab","Unicode":"héllo wörld","Labels":{"app":"web","tier":"front"},
       "Rows":[{"ID":"abc","N":1},{"ID":"def","N":2}], "CSV":"a,b,,c", "Long":"abcdefghijklmnop"},
 "list": [{"ID":"abc","Names":["x","y"]},{"ID":"def","Names":["z"]}],
 "str": "hello",
 "num": 7,
 "nil": None,
}
T = []
def c(t, data="m", mk=None):
    d = {"data": data, "template": t}
    if mk: d["missingkey"] = mk
    T.append(d)
# text, fields, missing
for t in ["plain text", "", "{{.Name}}", "{{.Age}}", "{{.Ratio}}", "{{.Neg}}", "{{.Big}}", "{{.Small}}", "{{.Pi}}", "{{.FZero}}",
          "{{.Missing}}", "{{.Missing.Deeper}}", "{{.Nil}}", "{{.Nil.X}}", "{{.True}} {{.False}}", "{{.List}}", "{{.Nums}}", "{{.Map}}",
          "{{.Nested.Inner.Deep}}", "{{.Nested.Inner}}", "{{.EmptyList}} {{.EmptyMap}}", "{{.Mixed}}", "{{.Rows}}", "{{.}}",
          "{{.Name.X}}", "{{.Age.X}}", "{{.List.X}}", "{{ .Name }}", "{{.Labels.app}}"]:
    c(t)
c("{{.Missing}}", mk="error"); c("{{.Missing.Deeper}}", mk="error"); c("{{.Nested.Nope}}", mk="error")
c("{{.}}", "str"); c("{{.}}", "num"); c("{{.}}", "nil"); c("{{.X}}", "nil"); c("{{.}}", "list")
# structs
for t in ["{{.Name}} {{.Age}} {{.Tags}}", "{{join .Tags \",\"}}", "{{.Tags.X}}", "{{.Nope}}", "{{.Upper}}", "{{.}}", "{{printf \"%+v\" .}}", "{{.Name.Foo}}", "{{json .}}"]:
    c(t, "person")
for t in ["{{range .}}{{.Name}}={{.Age}};{{end}}", "{{range .}}{{.Tags}}|{{end}}", "{{(index . 1).Name}}", "{{len .}}"]:
    c(t, "people")
# trim markers, comments
for t in ["a  {{- .Name -}}  b", "a {{-.Age}}", "x\n  {{- /* comment */ -}}\n  y", "{{/* c */}}z", "a {{- 3}}", "{{- .Name}}\n\n", "a {{.Name -}}\n\n b",
          "{{ -3 }}", "{{.Name}}{{- \"\" -}}   .", "a\t\n{{- 1 -}}\t\nb"]:
    c(t)
# variables
for t in ["{{$x := .Name}}{{$x}}", "{{$x := 1}}{{$x = 2}}{{$x}}", "{{$}}", "{{$.Name}}", "{{with .Nested}}{{$.Name}} {{.Inner.Deep}}{{end}}",
          "{{$x := .Nested}}{{$x.Inner.Deep}}", "{{range $i, $v := .List}}{{$i}}={{$v}} {{end}}", "{{range $v := .List}}{{$v}}{{end}}",
          "{{range $k, $v := .Map}}{{$k}}:{{$v}} {{end}}", "{{$x := 0}}{{range .Nums}}{{$x = .}}{{end}}{{$x}}",
          "{{if true}}{{$y := 1}}{{end}}{{$y}}", "{{$x := 1}}{{if true}}{{$x := 2}}{{$x}}{{end}}{{$x}}", "{{$undefined}}"]:
    c(t)
# if / else if / else / with / range else / break / continue
for t in ["{{if .True}}yes{{end}}", "{{if .False}}yes{{else}}no{{end}}", "{{if .Missing}}y{{else if .Zero}}z{{else if .Name}}n{{else}}e{{end}}",
          "{{if .EmptyList}}a{{else}}b{{end}}", "{{if .EmptyMap}}a{{else}}b{{end}}", "{{if .Empty}}a{{else}}b{{end}}", "{{if .Nil}}a{{else}}b{{end}}",
          "{{if .FZero}}a{{else}}b{{end}}", "{{if .Nested}}a{{end}}", "{{with .Name}}[{{.}}]{{end}}", "{{with .Missing}}x{{else}}none{{end}}",
          "{{range .List}}<{{.}}>{{end}}", "{{range .EmptyList}}x{{else}}empty{{end}}", "{{range .Missing}}x{{else}}missing{{end}}",
          "{{range .Map}}{{.}},{{end}}", "{{range .Nums}}{{if eq . 1}}{{continue}}{{end}}{{.}}{{end}}", "{{range .Nums}}{{if eq . 1}}{{break}}{{end}}{{.}}{{end}}",
          "{{range .Name}}{{.}}{{end}}", "{{range .Age}}{{.}}{{end}}", "{{range .Rows}}{{.ID}}:{{.N}} {{end}}", "{{if and .True .Name}}ok{{end}}",
          "{{range $i, $e := .Rows}}{{if $i}}, {{end}}{{$e.ID}}{{end}}"]:
    c(t)
# functions: and/or/not, comparisons
for t in ["{{and 1 0 2}}", "{{and 1 2}}", "{{or 0 \"\" .Name}}", "{{or 0 false}}", "{{not .True}}", "{{not .Empty}}", "{{and .Missing .X.Y}}",
          "{{or .Name .Missing.X}}", "{{eq .Name \"ann\"}}", "{{eq .Age 42}}", "{{eq .Age 1 2 42}}", "{{ne .Age 41}}", "{{lt .Age 50}}", "{{le 2 2}}",
          "{{gt \"b\" \"a\"}}", "{{ge 1.5 2.5}}", "{{eq .Name 3}}", "{{lt .Name 3}}", "{{eq .Missing \"x\"}}", "{{lt .True .False}}", "{{eq .List .List}}",
          "{{eq .Ratio 2.5}}", "{{lt .Age 42.5}}", "{{eq}}", "{{eq 1}}"]:
    c(t)
# len, index, slice
for t in ["{{len .List}}", "{{len .Name}}", "{{len .Unicode}}", "{{len .Map}}", "{{len .Age}}", "{{index .List 1}}", "{{index .Map \"b\"}}",
          "{{index .Map \"zz\"}}", "{{index .Nested \"Inner\" \"Deep\"}}", "{{index .List 5}}", "{{index .Name 0}}", "{{index .Age 0}}",
          "{{index .List \"x\"}}", "{{index .Missing 0}}", "{{slice .List 1}}", "{{slice .List 1 2}}", "{{slice .Name 1 3}}", "{{slice .List 2 1}}",
          "{{slice .List 0 9}}", "{{index .Rows 1 \"ID\"}}"]:
    c(t)
# print family and fmt verbs
for t in ["{{print 1 2 \"a\" \"b\" 3}}", "{{print .List .Map}}", "{{println 1 \"a\"}}", "{{printf \"%s-%d\" .Name .Age}}", "{{printf \"%v\" .Mixed}}",
          "{{printf \"%q\" .Quote}}", "{{printf \"%t\" .True}}", "{{printf \"%x %X\" 255 255}}", "{{printf \"%x\" .Name}}", "{{printf \"%-10s|\" .Name}}",
          "{{printf \"%10s|\" .Name}}", "{{printf \"%5.2f\" .Pi}}", "{{printf \"%.3e\" .Pi}}", "{{printf \"%g\" .Big}}", "{{printf \"%e\" .Big}}",
          "{{printf \"%f\" .Ratio}}", "{{printf \"%05d\" .Neg}}", "{{printf \"%+d\" .Age}}", "{{printf \"%d\" .Name}}", "{{printf \"%s\" .Age}}",
          "{{printf \"%d %d\" 1}}", "{{printf \"%d\" 1 2}}", "{{printf \"%v\" .Missing}}", "{{printf \"%s\" .Nil}}", "{{printf \"%v\" .Map}}",
          "{{printf \"%s\" .List}}", "{{printf \"%d\" .Nums}}", "{{printf \"%%\"}}", "{{printf \"%c%c\" 104 105}}", "{{printf \"%o %b\" 8 5}}",
          "{{printf \"%T %T %T %T\" .Name .Age .Ratio .List}}", "{{printf \"%.2s\" .Name}}", "{{printf \"%6.1f|%-6.1f|\" .Ratio .Ratio}}",
          "{{printf \"%U\" 65}}", "{{printf \"%q\" 65}}", "{{printf \"%v %v\" 1e3 1.5e-7}}", "{{1e3}} {{0x1F}} {{'a'}} {{1_000}} {{-2.50}}",
          "{{printf \"%.0f %.1f %.2f\" 0.5 0.25 1.005}}", "{{printf \"%g %g %g\" 100000.0 1000000.0 0.0001}}", "{{printf \"%8.3g|\" .Pi}}",
          "{{printf \"%v\" .Small}}", "{{.Ratio | printf \"%.1f\"}}", "{{printf \"%s\" .Rows}}", "{{print nil}}", "{{printf \"%v\" nil}}",
          "{{printf \"%x\" -255}}", "{{printf \"%#x\" 255}}", "{{printf \"% d\" 5}}", "{{printf \"%6.2f%%\" 12.3456}}", "{{printf \"%3c|\" 65}}"]:
    c(t)
# pipelines, parens, chains
for t in ["{{.Name | printf \"%s!\"}}", "{{.Name | printf \"%s %s\" \"hi\"}}", "{{\"x\" | len}}", "{{(index .Rows 0).ID}}", "{{(.Nested).Inner.Deep}}",
          "{{len (index .Rows 0)}}", "{{printf \"%d\" (len .List)}}", "{{.Name | .Age}}", "{{. | 3}}", "{{.Age 1}}", "{{$x := .Name | len}}{{$x}}",
          "{{.List | len | printf \"%03d\"}}", "{{(print \"a\" \"b\") | len}}", "{{.Name | upper | lower}}"]:
    c(t)
# podman functions
for t in ["{{json .}}", "{{json .List}}", "{{json .Name}}", "{{json .Labels}}", "{{json .Nil}}", "{{json .Mixed}}", "{{json .Quote}}",
          "{{lower \"ABC\"}}", "{{upper .Name}}", "{{title .Words}}", "{{title \"hello-world x_y\"}}", "{{join (split .CSV \",\") \"|\"}}", "{{split .CSV \",\"}}",
          "{{truncate .Long 5}}", "{{truncate .Name 10}}", "{{pad .Name 2 3}}|", "{{pad .Empty 2 3}}|", "{{contains .Words \"world\"}}",
          "{{replace .Words \"o\" \"0\"}}", "{{upper .Age}}", "{{upper 3}}", "{{.Name | truncate 2}}", "{{lower}}", "{{lower .Missing}}"]:
    c(t)
# parse errors
for t in ["{{", "{{.Name", "{{end}}", "{{if .True}}x", "{{else}}", "{{if}}{{end}}", "{{nofunc .X}}", "{{range .List}}{{else if .X}}{{end}}",
          "{{.Name | 3}}", "{{3.Field}}", "{{\"unterminated}}", "{{(1}}", "{{1)}}", "{{break}}", "{{.Name %}}", "{{$x :=}}", "{{|}}",
          "line1\n{{.A}}\n{{.B | nofunc}}", "{{with .X}}{{else}}{{else}}{{end}}", "{{ .A = 1 }}", "{{nil}}", "{{.X nil}}"]:
    c(t)
# exec errors with positions on later lines
for t in ["ok {{.Name}}\n{{.Name.Bad}}", "{{range .Rows}}{{.ID}}{{.ID.X}}{{end}}", "{{index .List 1 2}}"]:
    c(t)
# more: whitespace, escapes, nesting, odd verbs
for t in ["{{\n.Name\n}}", "{{.Name\t|\tprintf \"%q\"}}", "{{\"\\u00e9\\x41\\101\\t|\"}}", "{{`raw\\n`}}", "{{printf \"%-6s|%6s|\" \"日本\" \"日本\"}}",
          "{{range $i, $r := .Rows}}{{range $k, $v := $r}}{{if eq $k \"N\"}}{{break}}{{end}}{{$i}}{{$k}}={{$v}} {{end}}{{end}}",
          "{{with $x := .Nested}}{{$x.Inner.Deep}}{{end}}", "{{if not .Missing}}none{{end}}", "{{print (and .Name .Age) (or .Zero .Empty)}}",
          "{{printf \"%5t|%-7v|\" true false}}", "{{printf \"%08.3f|%+.2e|%x\" .Pi .Pi .Pi}}", "{{printf \"%x %x %X %x\" 1.0 1.0625 -2.5 0.001}}", "{{printf \"%q\" .List}}", "{{println}}", "{{print}}",
          "{{slice .Name}}", "{{index .Map 1}}", "{{eq .Nil nil}}", "{{printf \"%v|%d\" .Ratio .Ratio}}",
          "{{printf \"%s\" .True}}", "{{printf \"%10.4v|\" .Pi}}", "{{printf \"%-8d|%8d|\" .Age .Neg}}", "{{printf \"%*d|%-*d|\" 5 1 4 2}}",
          "{{printf \"%.*f\" 2 .Pi}}", "{{printf \"%!\"}}", "{{printf \"%z\" 1}}", "{{printf \"%\"}}", "{{printf \"%e %g\" 0.0 0.0}}", "{{printf \"%g\" 1e21}}",
          "{{printf \"%v %v\" 1e20 123456789.0}}", "{{.Ratio}} {{.Neg}} {{-0.0}}", "{{printf \"%.3g|%.10g|%g\" 1234.5678 1234.5678 0.1}}", "{{printf \"%6.2f\" -1.005}}",
          "{{range .List}}{{.}}{{else}}never{{end}}", "{{range $x := .EmptyMap}}{{$x}}{{else}}{{len $}}{{end}}",
          "{{- range .Nums }}\n  {{ . }}\n{{- end }}", "{{ if .True -}}  \n  yes  {{- end }}", "{{/* a\nmultiline comment */}}x", "{{ /* spaced */ }}y",
          "{{$a := \"x\"}}{{$b := $a}}{{$a = \"y\"}}{{$a}}{{$b}}", "{{$}}{{with 1}}{{$}}{{end}}", "{{(len .List) | printf \"%d!\"}}", "{{.Nested.Inner | len}}",
          "{{and}}", "{{not}}", "{{not 1 2}}", "{{index}}", "{{.Name | not}}", "{{\"a\" | eq \"a\"}}", "{{1 | eq 1 2}}", "{{html \"<a href='x'>&</a>\"}}",
          "{{title \"ÉCOLE élève\"}}", "{{upper \"straße\"}}", "{{lower \"İSTANBUL\"}}", "{{split \"abc\" \"\"}}", "{{pad \"x\" 0 0}}",
          "{{range .}}", "{{if .A}}{{else}}{{end}}{{end}}", "{{with}}{{end}}", "{{range $i, $v, $w := .List}}{{end}}", "{{$x, $y := 1}}", "{{.Name.}}", "{{..}}",
          "{{$x := 1}}{{$x.Y}}", "{{$.Missing.Y}}", "{{ .Name | printf \"%s\" | printf \"[%s]\" }}", "{{printf \"%s %s\" .Name}}", "{{printf}}", "{{printf 3}}"]:
    c(t)
# sorted keys: berth keeps a map's own order where Go sorts (json), so the fixtures are written in Go's order
json.dump({"fixtures": fixtures, "cases": T}, open("../resources/berth/cli/template/cases.json", "w"), indent=1, ensure_ascii=False, sort_keys=True)
print(len(T))
