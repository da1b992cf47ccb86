// Package seed embeds a copy of the province's seed data (units, procedures, official working
// calendars) so that `motcua demo` and the tests run from the binary alone, outside this
// repository. The files are loaded through the same import path an administrator uses; nothing
// here interprets them.
package seed

import (
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

// Units returns units.json (format motcua.units/v1).
func Units() []byte { return mustRead("data/units.json") }

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
