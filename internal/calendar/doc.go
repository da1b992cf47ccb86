// Package calendar counts Vietnamese working time: the Vietnamese lunar calendar (UTC+7), the
// statutory public holidays and the government's yearly notices, and deadline arithmetic exact to
// the second over working sessions.
//
// Every deadline in MotCua (the due date on a receipt, each step's share, the on-time verdict,
// the service index) is counted here, so the package is pure (no I/O, no clock: time comes in as
// a value), deterministic and fast: a Calendar precomputes, once, which days of its year range
// are working days and the prefix counts of working days, so Due and Elapsed cost O(1) whatever
// the duration.
//
// Rules (docs/LEGAL.md §7): Monday to Friday, 8 working hours a day in sessions set per province
// and overridable per desk; public holidays 1/1, Tết (5 days), Giỗ Tổ Hùng Vương (10/3 lunar),
// 30/4, 1/5, 2/9 and one adjacent day, 24/11 from 1 July 2026; a holiday on a weekly rest day is
// made up on the next working day. A yearly notice (data, entered by an administrator) replaces
// these derived rules for its year.
//
// Instants are handled to the second: sub-second parts are dropped. Results are in VN time.
package calendar
