package files_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"testing"

	"github.com/motcua/motcua/internal/files"
)

// BenchmarkSave measures an accepted upload into a Local store, fsync included; each
// iteration stores new content so that nothing is deduplicated.
func BenchmarkSave(b *testing.B) {
	for _, size := range []int{64 << 10, 1 << 20, 20 << 20} {
		b.Run(fmt.Sprintf("pdf-%dKiB", size>>10), func(b *testing.B) {
			l, _ := newLocal(b)
			content := pdfOf(size)
			b.SetBytes(int64(size))
			i := uint64(0)
			for b.Loop() {
				i++
				binary.LittleEndian.PutUint64(content[len(content)-8:], i)
				if _, err := files.Save(context.Background(), l, "ban-sao.pdf", bytes.NewReader(content), files.DefaultLimits()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("docx-duplicate", func(b *testing.B) {
		l, _ := newLocal(b)
		content := docxBytes(b)
		b.SetBytes(int64(len(content)))
		for b.Loop() {
			if _, err := files.Save(context.Background(), l, "don.docx", bytes.NewReader(content), files.DefaultLimits()); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("refused-disguised", func(b *testing.B) {
		l, _ := newLocal(b)
		content := exeBytes()
		for b.Loop() {
			if _, err := files.Save(context.Background(), l, "hoa-don.pdf", bytes.NewReader(content), files.DefaultLimits()); err == nil {
				b.Fatal("accepted")
			}
		}
	})
}

func BenchmarkDetectType(b *testing.B) {
	head := htmlBytes()
	for b.Loop() {
		files.DetectType(head)
	}
}

func BenchmarkSanitizeName(b *testing.B) {
	name := `C:\fakepath\Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất.pdf`
	for b.Loop() {
		files.SanitizeName(name)
	}
}
