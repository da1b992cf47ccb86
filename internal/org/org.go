// Package org models the province's organization as data: units (the province, its agencies,
// the service center, the communes and their police), the one-stop desks with their reception
// hours, and officers with roles per unit.
//
// The hierarchy is data, never code, because levels are abolished and units merged (the
// district level disappeared on 1 July 2025, 63 provinces became 34): a reorganization is a
// new units file, not a new release. The package does no I/O; callers hand it bytes.
package org

import (
	"fmt"
	"sort"
	"strings"
)

// Kind says what a unit is. The set is closed so that routing can rely on it.
type Kind string

// Unit kinds. A commune's People's Committee is the commune unit itself (procedures call it
// `ubnd-xa`); its police is a separate unit of kind KindPolice keyed `ca-<commune key>`.
const (
	KindProvince      Kind = "province"
	KindAgency        Kind = "agency"
	KindServiceCenter Kind = "service_center"
	KindCommune       Kind = "commune"
	KindPolice        Kind = "police"
)

// PolicePrefix prefixes a commune key to form the key of that commune's police unit.
const PolicePrefix = "ca-"

// Unit is one administrative unit or agency. ValidFrom/ValidTo are ISO dates (YYYY-MM-DD,
// empty = open) so that a merged unit keeps existing for the dossiers and statistics of its
// time while a successor takes over.
type Unit struct {
	Key        string `json:"key"`
	Kind       Kind   `json:"kind"`
	Name       string `json:"name"`
	Identifier string `json:"identifier"`
	Parent     string `json:"parent,omitempty"`
	// LocalKind is the Vietnamese level word of a commune-level unit: "xã", "phường", "đặc khu".
	LocalKind    string        `json:"local_kind,omitempty"`
	ValidFrom    string        `json:"valid_from,omitempty"`
	ValidTo      string        `json:"valid_to,omitempty"`
	Predecessors []Predecessor `json:"predecessors,omitempty"`
	// Unchanged marks a commune that kept its territory in the 2025 reorganization.
	Unchanged bool `json:"unchanged,omitempty"`
}

// Predecessor is a unit a commune was formed from; Part marks one split between two new units.
type Predecessor struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	Part bool   `json:"part,omitempty"`
}

// FullName is the name as printed on forms: "Xã Tân Cương", "Phường Phan Đình Phùng"; other
// units already carry their full name.
func (u Unit) FullName() string {
	if u.Kind == KindCommune && u.LocalKind != "" {
		return upperFirst(u.LocalKind) + " " + u.Name
	}
	return u.Name
}

// ActiveOn reports whether the unit exists on the ISO date day (YYYY-MM-DD).
func (u Unit) ActiveOn(day string) bool {
	if u.ValidFrom != "" && day < u.ValidFrom {
		return false
	}
	return u.ValidTo == "" || day < u.ValidTo
}

func upperFirst(s string) string {
	for i, r := range s {
		return strings.ToUpper(string(r)) + s[i+len(string(r)):]
	}
	return s
}

// Directory is the immutable, indexed view of all units and desks that routing and validation
// query. Build it with ParseUnits or NewDirectory; it is safe for concurrent reads.
type Directory struct {
	meta     Meta
	units    []Unit // in file order: province, agencies, communes (each followed by its police)
	byKey    map[string]int
	children map[string][]string
	desks    []Desk
	deskByK  map[string]int
}

// Meta keeps the file-level facts of a units file that no unit owns, so that MarshalUnits
// writes back what ParseUnits read.
type Meta struct {
	Note           string          `json:"note,omitempty"`
	Province       ProvinceFacts   `json:"province"`
	ServiceCenter  string          `json:"service_center"`
	Reorganization *Reorganization `json:"reorganization,omitempty"`
}

// ProvinceFacts are the statistics and founding act of the province.
type ProvinceFacts struct {
	GSOCode    string     `json:"gso_code,omitempty"`
	AreaKm2    float64    `json:"area_km2,omitempty"`
	Population int64      `json:"population,omitempty"`
	Formed     *Formation `json:"formed,omitempty"`
}

// Formation records the act that formed a unit from others.
type Formation struct {
	Date string   `json:"date"`
	By   string   `json:"by"`
	From []string `json:"from"`
}

// Reorganization names the act behind the current communes.
type Reorganization struct {
	Decision  string `json:"decision"`
	Adopted   string `json:"adopted"`
	Effective string `json:"effective"`
	Note      string `json:"note,omitempty"`
}

// NewDirectory indexes units and desks and checks that keys are unique, parents and desk units
// exist. Police units of communes are expected among units (ParseUnits adds them).
func NewDirectory(meta Meta, units []Unit, desks []Desk) (*Directory, error) {
	d := &Directory{
		meta:     meta,
		units:    append([]Unit(nil), units...),
		byKey:    make(map[string]int, len(units)),
		children: map[string][]string{},
		desks:    append([]Desk(nil), desks...),
		deskByK:  make(map[string]int, len(desks)),
	}
	for i, u := range d.units {
		if u.Key == "" {
			return nil, fmt.Errorf("unit %d: empty key", i+1)
		}
		if _, dup := d.byKey[u.Key]; dup {
			return nil, fmt.Errorf("unit %q: duplicate key", u.Key)
		}
		d.byKey[u.Key] = i
	}
	for _, u := range d.units {
		if u.Parent == "" {
			continue
		}
		if _, ok := d.byKey[u.Parent]; !ok {
			return nil, fmt.Errorf("unit %q: unknown parent %q", u.Key, u.Parent)
		}
		d.children[u.Parent] = append(d.children[u.Parent], u.Key)
	}
	for i, dk := range d.desks {
		if _, dup := d.deskByK[dk.Key]; dup {
			return nil, fmt.Errorf("desk %q: duplicate key", dk.Key)
		}
		if _, ok := d.byKey[dk.Unit]; !ok {
			return nil, fmt.Errorf("desk %q: unknown unit %q", dk.Key, dk.Unit)
		}
		d.deskByK[dk.Key] = i
	}
	return d, nil
}

// Meta returns the file-level facts.
func (d *Directory) Meta() Meta { return d.meta }

// Unit returns the unit with key.
func (d *Directory) Unit(key string) (Unit, bool) {
	i, ok := d.byKey[key]
	if !ok {
		return Unit{}, false
	}
	return d.units[i], true
}

// Units returns every unit in file order.
func (d *Directory) Units() []Unit { return append([]Unit(nil), d.units...) }

// Province returns the root unit.
func (d *Directory) Province() Unit {
	for _, u := range d.units {
		if u.Kind == KindProvince {
			return u
		}
	}
	return Unit{}
}

// ServiceCenter returns the key of the provincial service center (which is also its desk key).
func (d *Directory) ServiceCenter() string { return d.meta.ServiceCenter }

// Children returns the units whose parent is key, in file order.
func (d *Directory) Children(key string) []Unit {
	var out []Unit
	for _, k := range d.children[key] {
		out = append(out, d.units[d.byKey[k]])
	}
	return out
}

// Communes returns the commune-level units in file order.
func (d *Directory) Communes() []Unit { return d.ofKind(KindCommune) }

// Agencies returns the provincial agencies, the service center included, in file order.
func (d *Directory) Agencies() []Unit {
	var out []Unit
	for _, u := range d.units {
		if u.Kind == KindAgency || u.Kind == KindServiceCenter {
			out = append(out, u)
		}
	}
	return out
}

func (d *Directory) ofKind(k Kind) []Unit {
	var out []Unit
	for _, u := range d.units {
		if u.Kind == k {
			out = append(out, u)
		}
	}
	return out
}

// IsCommune reports whether key is a commune-level unit.
func (d *Directory) IsCommune(key string) bool {
	u, ok := d.Unit(key)
	return ok && u.Kind == KindCommune
}

// IsAgency reports whether key is a provincial agency (or the service center).
func (d *Directory) IsAgency(key string) bool {
	u, ok := d.Unit(key)
	return ok && (u.Kind == KindAgency || u.Kind == KindServiceCenter)
}

// PoliceOf returns the police unit of a commune.
func (d *Directory) PoliceOf(commune string) (Unit, bool) {
	if !d.IsCommune(commune) {
		return Unit{}, false
	}
	return d.Unit(PolicePrefix + commune)
}

// CommuneOf returns the commune a unit belongs to: the commune itself, the commune of a
// police unit, or of a commune desk. ok is false for provincial units.
func (d *Directory) CommuneOf(key string) (string, bool) {
	u, ok := d.Unit(key)
	if !ok {
		if dk, ok := d.Desk(key); ok {
			return d.CommuneOf(dk.Unit)
		}
		return "", false
	}
	switch u.Kind {
	case KindCommune:
		return u.Key, true
	case KindPolice:
		if d.IsCommune(u.Parent) {
			return u.Parent, true
		}
	}
	return "", false
}

// Identifier returns the identifier code of a unit (the prefix of dossier codes, LEGAL §4);
// empty when the unit is unknown.
func (d *Directory) Identifier(unit string) string {
	u, _ := d.Unit(unit)
	return u.Identifier
}

// Desk returns the desk with key.
func (d *Directory) Desk(key string) (Desk, bool) {
	i, ok := d.deskByK[key]
	if !ok {
		return Desk{}, false
	}
	return d.desks[i], true
}

// Desks returns every desk: the provincial desk first, then one per commune in file order.
func (d *Directory) Desks() []Desk { return append([]Desk(nil), d.desks...) }

// SortedKeys returns every unit key in lexical order (for stable listings).
func (d *Directory) SortedKeys() []string {
	out := make([]string, 0, len(d.units))
	for _, u := range d.units {
		out = append(out, u.Key)
	}
	sort.Strings(out)
	return out
}
