package app

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/org"
	"github.com/motcua/motcua/internal/store"
)

// catalogCache is the published catalog in memory: the procedures and their search index,
// rebuilt after every import or publication. Reads never touch the database.
type catalogCache struct {
	mu    sync.RWMutex
	procs []*catalog.Procedure
	byKey map[string]*catalog.Procedure
	index *catalog.Index
}

// ImportProcedures validates a motcua.procedures/v1 file against the organization and
// publishes it in one transaction: new codes get version 1, changed procedures a new version
// (dossiers stay pinned to the version they were submitted under), identical ones nothing. Any
// problem refuses the whole file.
func (a *App) ImportProcedures(ctx context.Context, actor string, b []byte) (ImportSummary, error) {
	f, err := catalog.Parse(b)
	if err != nil {
		return ImportSummary{}, importError("invalid_procedures", err)
	}
	return a.publishProcedures(ctx, actor, f.Procedures)
}

func importError(code string, err error) error {
	if ve, ok := org.AsValidationError(err); ok {
		return invalid(code, ve)
	}
	return &Error{Kind: KindInvalid, Code: code, MessageVI: "Tệp thủ tục hành chính không hợp lệ.", MessageEN: "The procedures file is invalid.", Err: err}
}

func (a *App) publishProcedures(ctx context.Context, actor string, ps []*catalog.Procedure) (ImportSummary, error) {
	dir, err := a.Directory(ctx)
	if err != nil {
		return ImportSummary{}, err
	}
	if err := catalog.Validate(ps, dir); err != nil {
		return ImportSummary{}, importError("invalid_procedures", err)
	}
	now := a.now()
	vs := make([]store.ProcedureVersion, 0, len(ps))
	for i, p := range ps {
		spec, err := catalog.MarshalProcedure(p)
		if err != nil {
			return ImportSummary{}, fmt.Errorf("procedure %s: %w", p.Code, err)
		}
		eff := ""
		if p.Publication != nil {
			eff = p.Publication.BasisEffectiveOn
		}
		vs = append(vs, store.ProcedureVersion{Code: p.Code, Name: p.Name, Field: p.Field, Level: string(p.Level),
			EffectiveFrom: eff, Spec: string(spec), CreatedAt: now, CreatedBy: actor, Position: i})
	}
	audit := store.AuditEntry{At: now, Actor: actor, Action: "import", ObjectKind: "procedures", ObjectKey: fmt.Sprintf("%d", len(ps))}
	res, err := a.store.ImportProcedures(ctx, vs, audit)
	if err != nil {
		return ImportSummary{}, fmt.Errorf("import procedures: %w", err)
	}
	a.cat.mu.Lock()
	a.cat.index = nil // rebuilt on next read
	a.cat.mu.Unlock()
	return ImportSummary{Created: res.Created, NewVersions: res.NewVersions, Unchanged: res.Unchanged}, nil
}

// catalogView returns the published catalog, loading it on first use.
func (a *App) catalogView(ctx context.Context) (*catalogCache, error) {
	a.cat.mu.RLock()
	ok := a.cat.index != nil
	a.cat.mu.RUnlock()
	if ok {
		return &a.cat, nil
	}
	a.cat.mu.Lock()
	defer a.cat.mu.Unlock()
	if a.cat.index != nil {
		return &a.cat, nil
	}
	vs, err := a.store.PublishedProcedures(ctx)
	if err != nil {
		return nil, err
	}
	procs := make([]*catalog.Procedure, 0, len(vs))
	byKey := map[string]*catalog.Procedure{}
	for _, v := range vs {
		p, err := catalog.ParseProcedure([]byte(v.Spec))
		if err != nil {
			return nil, fmt.Errorf("stored procedure %s version %d no longer parses: %w", v.Code, v.Number, err)
		}
		procs = append(procs, p)
		byKey[p.Code] = p
	}
	a.cat.procs, a.cat.byKey, a.cat.index = procs, byKey, catalog.NewIndex(procs)
	return &a.cat, nil
}

// SearchProcedures searches the published catalog (diacritics- and case-insensitive) and
// returns one page of hits and the total count.
func (a *App) SearchProcedures(ctx context.Context, q catalog.Query) ([]*catalog.Procedure, int, error) {
	c, err := a.catalogView(ctx)
	if err != nil {
		return nil, 0, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	total := c.index.Count(q)
	hits := c.index.Search(q)
	out := make([]*catalog.Procedure, len(hits))
	for i, h := range hits {
		out[i] = h.Procedure
	}
	return out, total, nil
}

// Procedure returns the current published version of a procedure.
func (a *App) Procedure(ctx context.Context, code string) (*catalog.Procedure, error) {
	c, err := a.catalogView(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	p, ok := c.byKey[code]
	if !ok {
		return nil, Errorf(KindNotFound, "procedure_not_found", "Không tìm thấy thủ tục hành chính có mã "+code+".", "No procedure has the code "+code+".")
	}
	return p, nil
}

// ProcedureVersion returns a pinned version of a procedure, as dossiers use it.
func (a *App) ProcedureVersion(ctx context.Context, code string, number int) (*catalog.Procedure, error) {
	v, err := a.store.ProcedureVersion(ctx, code, number)
	if err != nil {
		return nil, Errorf(KindNotFound, "procedure_not_found", "Không tìm thấy phiên bản thủ tục.", "No such procedure version.")
	}
	return catalog.ParseProcedure([]byte(v.Spec))
}

// ProcedureHistory returns every version of a procedure, oldest first.
func (a *App) ProcedureHistory(ctx context.Context, code string) ([]store.ProcedureVersion, error) {
	return a.store.ProcedureVersions(ctx, code)
}

// ExportProcedures writes the published catalog as motcua.procedures/v1; importing the output
// gives the same catalog.
func (a *App) ExportProcedures(ctx context.Context) ([]byte, error) {
	c, err := a.catalogView(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return catalog.MarshalFile("", c.procs)
}

// ImportProceduresXLSX is ImportProcedures for the administrators' spreadsheet (one sheet per
// section); the same validation and all-or-nothing publication apply.
func (a *App) ImportProceduresXLSX(ctx context.Context, actor string, b []byte) (ImportSummary, error) {
	ps, err := catalog.ImportXLSX(bytes.NewReader(b))
	if err != nil {
		return ImportSummary{}, importError("invalid_procedures", err)
	}
	return a.publishProcedures(ctx, actor, ps)
}

// ExportProceduresXLSX writes the published catalog as the administrators' spreadsheet.
func (a *App) ExportProceduresXLSX(ctx context.Context, w io.Writer) error {
	c, err := a.catalogView(ctx)
	if err != nil {
		return err
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	return catalog.ExportXLSX(w, c.procs)
}
