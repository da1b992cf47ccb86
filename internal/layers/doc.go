// Package layers has no code: its test enforces the import rules of docs/ARCHITECTURE.md —
// domain packages (calendar, catalog, org, dossier, index, audit) do no I/O and import neither
// storage, web, application code nor database drivers.
package layers
