// Package index computes the service index of Quyết định 766/QĐ-TTg (LEGAL.md §8) for a unit
// and a period, from counters the dossier engine keeps per (unit, procedure, day).
//
// The package is pure: it reads no files, databases or clocks. Three parts work together:
//
//   - Config (indicators.json, embedded): every indicator's points, scoring rule and formula as
//     data, so that an amended decision is a data change, not a code change.
//   - Counters and Delta: the rollup row kept per (unit, procedure, day) in the same transaction
//     as dossier events. Every indicator for any period is a sum of rows over days; stocks such
//     as "open and overdue at the period end" are derived from flow counters (see Counters).
//   - Compute: turns summed counters, per-procedure facts and feedback counts into a Report with
//     each indicator's numerator, denominator, rate and points, applying the special cases of §8
//     and the on-time rules of §6.
package index
