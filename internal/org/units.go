package org

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"time"
)

// UnitsFormat is the format tag of a units file.
const UnitsFormat = "motcua.units/v1"

// identifierRE is the dotted agency identifier of Quyết định 20/2020/QĐ-TTg, e.g. 000.00.00.H55.
var identifierRE = regexp.MustCompile(`^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$`)

// ValidIdentifier reports whether s has the official dotted identifier format.
func ValidIdentifier(s string) bool { return identifierRE.MatchString(s) }

// The wire types mirror motcua.units/v1 exactly; unknown fields are refused so that typos in an
// administrator's file are caught instead of silently dropped.
type unitsFile struct {
	Format         string            `json:"format"`
	Note           string            `json:"note,omitempty"`
	Province       json.RawMessage   `json:"province"`
	Agencies       []json.RawMessage `json:"agencies"`
	ServiceCenter  json.RawMessage   `json:"service_center"`
	Reorganization *Reorganization   `json:"reorganization,omitempty"`
	Communes       []json.RawMessage `json:"communes"`
}

type provinceJSON struct {
	Key        string     `json:"key"`
	Name       string     `json:"name"`
	Identifier string     `json:"identifier"`
	GSOCode    string     `json:"gso_code,omitempty"`
	AreaKm2    float64    `json:"area_km2,omitempty"`
	Population int64      `json:"population,omitempty"`
	Formed     *Formation `json:"formed,omitempty"`
	ValidFrom  string     `json:"valid_from,omitempty"`
	ValidTo    string     `json:"valid_to,omitempty"`
}

type agencyJSON struct {
	Key          string        `json:"key"`
	Name         string        `json:"name"`
	Parent       string        `json:"parent"`
	Identifier   string        `json:"identifier"`
	ValidFrom    string        `json:"valid_from,omitempty"`
	ValidTo      string        `json:"valid_to,omitempty"`
	Predecessors []Predecessor `json:"predecessors,omitempty"`
}

type serviceCenterJSON struct {
	Key   string         `json:"key"`
	Desk  string         `json:"desk"`
	Hours ReceptionHours `json:"hours,omitempty"`
}

type communeJSON struct {
	Key          string         `json:"key"`
	Kind         string         `json:"kind"`
	Name         string         `json:"name"`
	Identifier   string         `json:"identifier"`
	Parent       string         `json:"parent"`
	Predecessors []Predecessor  `json:"predecessors"`
	Unchanged    bool           `json:"unchanged,omitempty"`
	ValidFrom    string         `json:"valid_from,omitempty"`
	ValidTo      string         `json:"valid_to,omitempty"`
	Desk         string         `json:"desk,omitempty"`
	Hours        ReceptionHours `json:"hours,omitempty"`
}

// StrictDecode decodes exactly one JSON value into v, refusing unknown fields and trailing data,
// so that typos in an administrator's file are reported instead of silently dropped. Every
// import of the project (units, procedures) decodes through it.
func StrictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("unexpected data after the JSON value")
	}
	return nil
}

// communeDeskName is the default desk name of a commune (its public administration service
// center, LEGAL §1).
func communeDeskName(u Unit) string {
	return "Bộ phận Một cửa — Trung tâm Phục vụ hành chính công " + lowerFirst(u.FullName())
}

// policeName is the name of a commune's police: "Công an xã Tân Cương".
func policeName(u Unit) string { return "Công an " + lowerFirst(u.FullName()) }

func lowerFirst(s string) string {
	for i, r := range s {
		return string(bytes.ToLower([]byte(string(r)))) + s[i+len(string(r)):]
	}
	return s
}

func validDate(s string) bool {
	_, err := time.Parse("2006-01-02", s)
	return err == nil
}

// ParseUnits reads a motcua.units/v1 file strictly and builds the Directory: the province, its
// agencies (the service center's kind becomes service_center), the communes each followed by
// its implicit police unit, the provincial desk and one desk per commune. Every problem found
// is returned at once in a *ValidationError.
func ParseUnits(b []byte) (*Directory, error) {
	var f unitsFile
	if err := StrictDecode(b, &f); err != nil {
		field, msg := DecodeProblem(err)
		return nil, &ValidationError{Problems: []Problem{{Row: 0, Field: field, Message: msg}}}
	}
	var ps problems
	if f.Format != UnitsFormat {
		ps.add(0, "", "format", "định dạng phải là %q, có %q", UnitsFormat, f.Format)
	}
	meta := Meta{Note: f.Note, Reorganization: f.Reorganization}
	var units []Unit
	var desks []Desk

	var pj provinceJSON
	if len(f.Province) == 0 {
		ps.add(1, "", "province", "thiếu tỉnh")
	} else if err := StrictDecode(f.Province, &pj); err != nil {
		field, msg := DecodeProblem(err)
		ps.add(1, "", "province."+field, "%s", msg)
	}
	meta.Province = ProvinceFacts{GSOCode: pj.GSOCode, AreaKm2: pj.AreaKm2, Population: pj.Population, Formed: pj.Formed}
	prov := Unit{Key: pj.Key, Kind: KindProvince, Name: pj.Name, Identifier: pj.Identifier, ValidFrom: pj.ValidFrom, ValidTo: pj.ValidTo}
	if prov.ValidFrom == "" && pj.Formed != nil {
		prov.ValidFrom = pj.Formed.Date
	}
	checkUnit(&ps, 1, "province", prov)
	units = append(units, prov)

	var sc serviceCenterJSON
	if len(f.ServiceCenter) == 0 {
		ps.add(0, "", "service_center", "thiếu trung tâm phục vụ hành chính công")
	} else if err := StrictDecode(f.ServiceCenter, &sc); err != nil {
		field, msg := DecodeProblem(err)
		ps.add(1, "", "service_center."+field, "%s", msg)
	}
	meta.ServiceCenter = sc.Key

	for i, raw := range f.Agencies {
		path := fmt.Sprintf("agencies[%d]", i)
		var a agencyJSON
		if err := StrictDecode(raw, &a); err != nil {
			field, msg := DecodeProblem(err)
			ps.add(i+1, "", path+"."+field, "%s", msg)
			continue
		}
		u := Unit{Key: a.Key, Kind: KindAgency, Name: a.Name, Parent: a.Parent, Identifier: a.Identifier,
			ValidFrom: a.ValidFrom, ValidTo: a.ValidTo, Predecessors: nilIfEmpty(a.Predecessors)}
		if a.Key == sc.Key && sc.Key != "" {
			u.Kind = KindServiceCenter
		}
		checkUnit(&ps, i+1, path, u)
		units = append(units, u)
	}
	if sc.Key != "" {
		found := false
		for _, u := range units {
			if u.Key == sc.Key {
				found = true
			}
		}
		if !found {
			ps.add(1, sc.Key, "service_center.key", "trung tâm %q không có trong danh sách cơ quan (agencies)", sc.Key)
		}
		if sc.Desk == "" {
			ps.add(1, sc.Key, "service_center.desk", "thiếu tên bộ phận một cửa")
		}
		if err := sc.Hours.Validate(); err != nil {
			ps.add(1, sc.Key, "service_center."+err.Error(), "giờ tiếp nhận không hợp lệ")
		}
		desks = append(desks, Desk{Key: sc.Key, Unit: sc.Key, Name: sc.Desk, Hours: orDefault(sc.Hours)})
	}

	var communeFrom string
	if f.Reorganization != nil {
		communeFrom = f.Reorganization.Effective
	}
	for i, raw := range f.Communes {
		path := fmt.Sprintf("communes[%d]", i)
		var c communeJSON
		if err := StrictDecode(raw, &c); err != nil {
			field, msg := DecodeProblem(err)
			ps.add(i+1, "", path+"."+field, "%s", msg)
			continue
		}
		u := Unit{Key: c.Key, Kind: KindCommune, LocalKind: c.Kind, Name: c.Name, Identifier: c.Identifier,
			Parent: c.Parent, Predecessors: nilIfEmpty(c.Predecessors), Unchanged: c.Unchanged,
			ValidFrom: c.ValidFrom, ValidTo: c.ValidTo}
		if u.ValidFrom == "" {
			u.ValidFrom = communeFrom
		}
		checkUnit(&ps, i+1, path, u)
		if c.Kind == "" {
			ps.add(i+1, c.Key, path+".kind", "thiếu loại đơn vị (xã, phường, đặc khu)")
		}
		if err := c.Hours.Validate(); err != nil {
			ps.add(i+1, c.Key, path+"."+err.Error(), "giờ tiếp nhận không hợp lệ")
		}
		police := Unit{Key: PolicePrefix + u.Key, Kind: KindPolice, Name: policeName(u), Identifier: u.Identifier,
			Parent: u.Key, ValidFrom: u.ValidFrom, ValidTo: u.ValidTo}
		units = append(units, u, police)
		name := c.Desk
		if name == "" {
			name = communeDeskName(u)
		}
		desks = append(desks, Desk{Key: u.Key, Unit: u.Key, Name: name, Hours: orDefault(c.Hours)})
	}

	// Keys and parents are checked over the whole file so that order does not matter.
	seen := map[string]bool{}
	rowOf := func(u Unit, idx int) (int, string) { return rowPath(units, u, idx) }
	for i, u := range units {
		if u.Key == "" {
			continue
		}
		if seen[u.Key] {
			row, path := rowOf(u, i)
			ps.add(row, u.Key, path+".key", "trùng mã đơn vị %q", u.Key)
		}
		seen[u.Key] = true
	}
	for i, u := range units {
		if u.Kind == KindProvince || u.Kind == KindPolice {
			continue
		}
		row, path := rowOf(u, i)
		if u.Parent == "" {
			ps.add(row, u.Key, path+".parent", "thiếu đơn vị cấp trên")
		} else if !seen[u.Parent] {
			ps.add(row, u.Key, path+".parent", "không có đơn vị cấp trên %q", u.Parent)
		}
	}
	if err := ps.err(); err != nil {
		return nil, err
	}
	d, err := NewDirectory(meta, units, desks)
	if err != nil {
		return nil, fmt.Errorf("build directory: %w", err)
	}
	return d, nil
}

// rowPath recovers the section row and JSON path of the unit at index idx of units as built by
// ParseUnits (province, agencies, then commune+police pairs).
func rowPath(units []Unit, u Unit, idx int) (int, string) {
	agencies, communes := 0, 0
	for i := 0; i <= idx; i++ {
		switch units[i].Kind {
		case KindAgency, KindServiceCenter:
			agencies++
		case KindCommune:
			communes++
		}
	}
	switch u.Kind {
	case KindProvince:
		return 1, "province"
	case KindAgency, KindServiceCenter:
		return agencies, fmt.Sprintf("agencies[%d]", agencies-1)
	default:
		return communes, fmt.Sprintf("communes[%d]", communes-1)
	}
}

func checkUnit(ps *problems, row int, path string, u Unit) {
	if u.Key == "" {
		ps.add(row, "", path+".key", "thiếu mã đơn vị (key)")
	}
	if u.Name == "" {
		ps.add(row, u.Key, path+".name", "thiếu tên đơn vị")
	}
	if u.Identifier == "" {
		ps.add(row, u.Key, path+".identifier", "thiếu mã định danh")
	} else if !ValidIdentifier(u.Identifier) {
		ps.add(row, u.Key, path+".identifier", "mã định danh %q sai định dạng (ví dụ 000.00.00.H55)", u.Identifier)
	}
	if u.ValidFrom != "" && !validDate(u.ValidFrom) {
		ps.add(row, u.Key, path+".valid_from", "ngày %q sai định dạng YYYY-MM-DD", u.ValidFrom)
	}
	if u.ValidTo != "" && !validDate(u.ValidTo) {
		ps.add(row, u.Key, path+".valid_to", "ngày %q sai định dạng YYYY-MM-DD", u.ValidTo)
	}
	if u.ValidFrom != "" && u.ValidTo != "" && u.ValidTo <= u.ValidFrom {
		ps.add(row, u.Key, path+".valid_to", "ngày hết hiệu lực phải sau ngày có hiệu lực")
	}
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func orDefault(h ReceptionHours) ReceptionHours {
	if len(h) == 0 {
		return DefaultHours()
	}
	return h
}

func sameHours(a, b ReceptionHours) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// MarshalUnits writes the directory back as motcua.units/v1, omitting what ParseUnits derives
// (police units, default desks and hours, validity dates equal to the founding acts), so that
// ParseUnits(MarshalUnits(d)) equals d.
func MarshalUnits(d *Directory) ([]byte, error) {
	type out struct {
		Format         string            `json:"format"`
		Note           string            `json:"note,omitempty"`
		Province       provinceJSON      `json:"province"`
		Agencies       []agencyJSON      `json:"agencies"`
		ServiceCenter  serviceCenterJSON `json:"service_center"`
		Reorganization *Reorganization   `json:"reorganization,omitempty"`
		Communes       []communeJSON     `json:"communes"`
	}
	m := d.meta
	o := out{Format: UnitsFormat, Note: m.Note, Reorganization: m.Reorganization,
		Agencies: []agencyJSON{}, Communes: []communeJSON{}}
	var communeFrom string
	if m.Reorganization != nil {
		communeFrom = m.Reorganization.Effective
	}
	for _, u := range d.units {
		switch u.Kind {
		case KindProvince:
			p := provinceJSON{Key: u.Key, Name: u.Name, Identifier: u.Identifier, GSOCode: m.Province.GSOCode,
				AreaKm2: m.Province.AreaKm2, Population: m.Province.Population, Formed: m.Province.Formed,
				ValidFrom: u.ValidFrom, ValidTo: u.ValidTo}
			if m.Province.Formed != nil && p.ValidFrom == m.Province.Formed.Date {
				p.ValidFrom = ""
			}
			o.Province = p
		case KindAgency, KindServiceCenter:
			o.Agencies = append(o.Agencies, agencyJSON{Key: u.Key, Name: u.Name, Parent: u.Parent,
				Identifier: u.Identifier, ValidFrom: u.ValidFrom, ValidTo: u.ValidTo, Predecessors: u.Predecessors})
		case KindCommune:
			c := communeJSON{Key: u.Key, Kind: u.LocalKind, Name: u.Name, Identifier: u.Identifier, Parent: u.Parent,
				Predecessors: u.Predecessors, Unchanged: u.Unchanged, ValidFrom: u.ValidFrom, ValidTo: u.ValidTo}
			if c.Predecessors == nil {
				c.Predecessors = []Predecessor{}
			}
			if c.ValidFrom == communeFrom {
				c.ValidFrom = ""
			}
			if dk, ok := d.Desk(u.Key); ok {
				if dk.Name != communeDeskName(u) {
					c.Desk = dk.Name
				}
				if !sameHours(dk.Hours, DefaultHours()) {
					c.Hours = dk.Hours
				}
			}
			o.Communes = append(o.Communes, c)
		}
	}
	o.ServiceCenter.Key = m.ServiceCenter
	if dk, ok := d.Desk(m.ServiceCenter); ok {
		o.ServiceCenter.Desk = dk.Name
		if !sameHours(dk.Hours, DefaultHours()) {
			o.ServiceCenter.Hours = dk.Hours
		}
	}
	b, err := json.MarshalIndent(o, "", " ")
	if err != nil {
		return nil, fmt.Errorf("marshal units: %w", err)
	}
	return append(b, '\n'), nil
}
