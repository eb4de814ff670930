// Oracle for src/gocompat/sort.h: reads one case per line ("<= k1 k2 ..." or "< k1 k2 ...") and
// prints the original positions in the order Go 1.19's sort.Slice leaves them.
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

type item struct{ key, pos int }

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<24)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	for in.Scan() {
		fields := strings.Fields(in.Text())
		items := make([]item, 0, len(fields))
		for i, f := range fields[1:] {
			k, _ := strconv.Atoi(f)
			items = append(items, item{k, i})
		}
		if fields[0] == "<=" {
			sort.Slice(items, func(i, j int) bool { return items[i].key <= items[j].key })
		} else {
			sort.Slice(items, func(i, j int) bool { return items[i].key < items[j].key })
		}
		for i, it := range items {
			if i > 0 {
				out.WriteString(" ")
			}
			fmt.Fprint(out, it.pos)
		}
		out.WriteString("\n")
	}
}
