package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/app"
	"github.com/motcua/motcua/internal/calendar"
)

func init() {
	register("calendar", "working-time calendar: holidays --year Y | due --from T --duration D | elapsed --from A --to B | notice FILE", runCalendar)
}

func runCalendar(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usageError{msg: "usage: motcua calendar holidays|due|elapsed|notice ... (motcua calendar holidays -h for flags)"}
	}
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("calendar "+sub, flag.ContinueOnError)
	// --db is optional here: without it the defaults and the embedded notices are used.
	db := fs.String("db", e.getenv("MOTCUA_DB"), "database with administrator-stored notices (default: embedded notices only)")
	data := fs.String("data", "", "data folder of an installation whose SQLite database holds stored notices")
	asJSON := fs.Bool("json", false, "print JSON")
	var year int
	var from, to, dur string
	var file string
	switch sub {
	case "holidays":
		fs.IntVar(&year, "year", time.Now().In(calendar.VN).Year(), "year")
	case "due":
		fs.StringVar(&from, "from", "", "start time, ISO 8601 with offset (2026-02-13T10:15:00+07:00)")
		fs.StringVar(&dur, "duration", "", "duration: 3d (working days), 4h, 90m (working time), 10cd (calendar days), 2mo, sameday@15:00")
	case "elapsed":
		fs.StringVar(&from, "from", "", "start time, ISO 8601 with offset")
		fs.StringVar(&to, "to", "", "end time, ISO 8601 with offset")
	case "notice":
		if len(args) == 0 || args[0] == "" || args[0][0] == '-' {
			return usageError{msg: "usage: motcua calendar notice FILE --db URL | --data DIR"}
		}
		file, args = args[0], args[1:]
	default:
		return usageError{msg: fmt.Sprintf("unknown calendar command %q: use holidays, due, elapsed or notice", sub)}
	}
	if err := parse(fs, args, e); err != nil {
		return err
	}
	cfg := &config{DB: *db, Data: *data, LogLevel: "info", LogFormat: "text"}
	cal, done, err := loadCalendar(ctx, cfg, sub == "notice")
	if err != nil {
		return err
	}
	defer done()
	switch sub {
	case "holidays":
		days, err := cal.cal.Holidays(year)
		if err != nil {
			return usageError{msg: err.Error()}
		}
		if days == nil {
			days = []calendar.Day{}
		}
		if *asJSON {
			return writeJSONOut(e.stdout, days)
		}
		for _, d := range days {
			fmt.Fprintf(e.stdout, "%s  %-12s %s\n", d.Date, d.Kind, d.Name)
		}
	case "due":
		start, err := calendar.ParseTime(from)
		if err != nil {
			return usageError{msg: fmt.Sprintf("--from: %v", err)}
		}
		d, err := calendar.ParseDuration(dur)
		if err != nil {
			return usageError{msg: fmt.Sprintf("--duration: %v", err)}
		}
		due, err := cal.cal.Due(start, d)
		if err != nil {
			return usageError{msg: err.Error()}
		}
		if *asJSON {
			return writeJSONOut(e.stdout, map[string]string{"due": due.Format(time.RFC3339)})
		}
		fmt.Fprintln(e.stdout, due.Format(time.RFC3339))
	case "elapsed":
		a, err := calendar.ParseTime(from)
		if err != nil {
			return usageError{msg: fmt.Sprintf("--from: %v", err)}
		}
		b, err := calendar.ParseTime(to)
		if err != nil {
			return usageError{msg: fmt.Sprintf("--to: %v", err)}
		}
		if _, err := cal.cal.Due(a, calendar.Duration{Unit: calendar.WorkingMinute}); err != nil {
			return usageError{msg: err.Error()}
		}
		if _, err := cal.cal.Due(b, calendar.Duration{Unit: calendar.WorkingMinute}); err != nil {
			return usageError{msg: err.Error()}
		}
		m := cal.cal.Elapsed(a, b)
		if *asJSON {
			return writeJSONOut(e.stdout, map[string]int64{"minutes": m})
		}
		fmt.Fprintln(e.stdout, strconv.FormatInt(m, 10))
	case "notice":
		body, err := os.ReadFile(file)
		if err != nil {
			return usageError{msg: fmt.Sprintf("cannot read %s: %v", file, rootCause(err))}
		}
		n, err := cal.app.PutCalendarNotice(ctx, "cli", body)
		if err != nil {
			return usageError{msg: err.Error()}
		}
		fmt.Fprintf(e.stdout, "stored the %d notice (%d days off, %d working days); it replaces the derived rules for %d\n", n.Year, len(n.DaysOff), len(n.WorkingDays), n.Year)
	}
	return nil
}

type loadedCalendar struct {
	cal *calendar.Calendar
	app *app.App
}

// loadCalendar returns the embedded calendar, or the installation's when a database is named
// (always for `notice`, which writes).
func loadCalendar(ctx context.Context, c *config, needDB bool) (loadedCalendar, func(), error) {
	if c.DB == "" && c.Data == "" {
		if needDB {
			return loadedCalendar{}, nil, usageError{msg: "storing a notice needs --db URL or --data DIR"}
		}
		cal, err := app.EmbeddedCalendar()
		return loadedCalendar{cal: cal}, func() {}, err
	}
	a, done, err := openApp(ctx, c)
	if err != nil {
		return loadedCalendar{}, nil, err
	}
	cal, err := a.Calendar(ctx)
	if err != nil {
		done()
		return loadedCalendar{}, nil, err
	}
	return loadedCalendar{cal: cal, app: a}, done, nil
}

func writeJSONOut(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
