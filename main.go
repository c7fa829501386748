// Zen Inpaint Studio: a desktop app for the Zen-Inpaint image-generation API.
package main

import (
	"fmt"
	"os"

	"github.com/zeninpaint/studio/app"
)

func main() {
	if err := app.Run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "Zen Inpaint Studio:", err)
		os.Exit(1)
	}
}
