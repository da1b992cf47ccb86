// Package seed embeds a copy of the province's seed data (units, procedures, official working
// calendars) so that `motcua demo` and the tests run from the binary alone, outside this
// repository. The files are loaded through the same import path an administrator uses; nothing
// here interprets them.
package seed

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed data
var files embed.FS

// Units returns units.json (format motcua.units/v1) with the Errata applied.
func Units() []byte { return applyErrata("units.json", mustRead("data/units.json")) }

// Erratum is one correction to the shared seed data, applied when the embedded copy is loaded,
// so the embedded files stay byte-identical to the shared ones (the drift test) while the
// import path, which rightly refuses the defect, still receives valid data. An erratum whose
// text is no longer found (the shared file was fixed) does nothing.
type Erratum struct {
	File, Find, Replace, Why string
}

// Errata lists the corrections in force.
var Errata = []Erratum{{
	File: "units.json",
	Find: `"key": "xa-van-lang",
   "kind": "xã",
   "name": "Văn Lang",`,
	Replace: `"key": "xa-van-lang-2",
   "kind": "xã",
   "name": "Văn Lang",`,
	Why: "two communes, Văn Lăng (027.00.50.H55) and Văn Lang (065.00.50.H55), both have the key xa-van-lang; the second becomes xa-van-lang-2",
}}

func applyErrata(file string, b []byte) []byte {
	for _, e := range Errata {
		if e.File == file && bytes.Count(b, []byte(e.Find)) == 1 {
			b = bytes.Replace(b, []byte(e.Find), []byte(e.Replace), 1)
		}
	}
	return b
}

// Procedures returns procedures.json (format motcua.procedures/v1).
func Procedures() []byte { return mustRead("data/procedures.json") }

// CalendarNotices returns the official yearly working-calendar notices keyed by year.
func CalendarNotices() map[int][]byte {
	out := map[int][]byte{}
	entries, err := fs.ReadDir(files, "data/calendar")
	if err != nil {
		panic(fmt.Sprintf("seed: embedded calendar folder missing: %v", err))
	}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") {
			continue
		}
		year, err := strconv.Atoi(strings.TrimSuffix(name, ".json"))
		if err != nil {
			continue
		}
		out[year] = mustRead(path.Join("data/calendar", name))
	}
	return out
}

// NoticeYears returns the years that have an embedded notice, ascending.
func NoticeYears() []int {
	var ys []int
	for y := range CalendarNotices() {
		ys = append(ys, y)
	}
	sort.Ints(ys)
	return ys
}

// Files lists every embedded file path relative to the data folder (for the drift test).
func Files() []string {
	var out []string
	_ = fs.WalkDir(files, "data", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			out = append(out, strings.TrimPrefix(p, "data/"))
		}
		return nil
	})
	return out
}

// File returns one embedded file by its path relative to the data folder.
func File(rel string) ([]byte, error) { return files.ReadFile(path.Join("data", rel)) }

func mustRead(p string) []byte {
	b, err := files.ReadFile(p)
	if err != nil {
		panic(fmt.Sprintf("seed: embedded file %s missing: %v", p, err))
	}
	return b
}
