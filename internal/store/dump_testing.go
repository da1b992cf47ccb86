package store

import (
	"context"
	"fmt"
	"strings"
)

// DumpTextForTest returns every value of every table of the database as text, one line per
// row ("table: v1 | v2 ..."), so a test can assert what is (not) stored in plain text, for
// example that no personal ID number appears anywhere.
func (s *Store) DumpTextForTest(ctx context.Context) (string, error) {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`
	if s.engine == Postgres {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`
	}
	rows, err := s.r.QueryContext(ctx, q)
	if err != nil {
		return "", err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return "", err
		}
		tables = append(tables, t)
	}
	rows.Close()
	var b strings.Builder
	for _, t := range tables {
		rs, err := s.r.QueryContext(ctx, "SELECT * FROM "+t)
		if err != nil {
			return "", fmt.Errorf("dump %s: %w", t, err)
		}
		cols, _ := rs.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rs.Next() {
			if err := rs.Scan(ptrs...); err != nil {
				rs.Close()
				return "", err
			}
			b.WriteString(t + ":")
			for _, v := range vals {
				switch x := v.(type) {
				case []byte:
					b.WriteString(" | " + string(x))
				default:
					fmt.Fprintf(&b, " | %v", x)
				}
			}
			b.WriteByte('\n')
		}
		rs.Close()
	}
	return b.String(), nil
}
