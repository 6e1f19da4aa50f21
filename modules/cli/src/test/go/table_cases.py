# Writes ../resources/berth/cli/template/table-cases.json (run from this directory), then run table.go.
import json
rows = [
    {"ID": "3f2a1b9c8d7e", "Image": "docker.io/library/busybox:latest", "Names": "web", "Status": "Up 2 minutes", "Ports": "0.0.0.0:8080->80/tcp", "CreatedHuman": "2 minutes ago", "Labels": {"app": "web"}, "Size": 12},
    {"ID": "a1", "Image": "alpine", "Names": "a-much-longer-container-name", "Status": "Exited (0) 1 hour ago", "Ports": "", "CreatedHuman": "1 hour ago", "Labels": {}, "Size": 3456789},
    {"ID": "ffffffffffff", "Image": "x", "Names": "日本語", "Status": "Created", "Ports": "", "CreatedHuman": "3 days ago", "Labels": {"a": "1", "b": "2"}, "Size": 0},
]
headers = {"ID": "CONTAINER ID", "Image": "IMAGE", "Names": "NAMES", "Status": "STATUS", "Ports": "PORTS", "CreatedHuman": "CREATED", "Labels": "LABELS", "Size": "SIZE"}
cases = []
def c(fmt, origin="user", headers=None):
    cases.append({"format": fmt, "origin": origin, "headers": fmt.startswith("table ") if headers is None else headers})
c("table {{.ID}} {{.Names}}")
c("table {{.ID}}\\t{{.Image}}\\t{{.Status}}")
c("table {{.ID}}\t{{.Names}}\t{{.Ports}}")
c("table {{.Names}} {{.Size}}\\n")
c("table {{.ID}} {{.Names}} {{printf \"%s %s\" .Image \"x\"}}")
c("table {{.ID}} {{.Labels}}")
c("table {{.Names}}")
c("table {{.ID}}:{{.Names}} {{.Status}}")
c("table {{ .ID }} {{ .Names }}")
c("table {{.ID}} {{upper .Names}}")
c("{{.ID}} {{.Names}}")
c("{{.ID}}\\t{{.Names}}")
c("{{.ID}}\\n")
c("{{.Names}},")
c("{{range .}}{{.ID}};{{end}}")
c("{{range .}}{{.ID}}\n{{end}}")
c("{{json .Labels}}")
c("{{range .}}{{.ID}}\t{{.Image}}\t{{.Status}}\t{{.Names}}\n{{end -}}", origin="berth", headers=True)
c("{{range .}}{{.ID}}\t{{.Names}}\n{{end -}}", origin="berth", headers=False)
c("table {{.Missing}} {{.ID}}")
c("table {{.ID}} {{.Names}", origin="user")
c("{{.Names.X}}")
json.dump({"rows": rows, "headers": headers, "cases": cases}, open("../resources/berth/cli/template/table-cases.json", "w"), indent=1, ensure_ascii=False)
