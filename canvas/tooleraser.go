package canvas

// ToolEraser takes paint away: the brush's stroke, erasing.
const ToolEraser Tool = "eraser"

var eraserSpec = ToolSpec{
	Tool: ToolEraser, Name: "Eraser", Letter: 'e', Key: "E",
	Tip: "Eraser (E): take paint away. X swaps brush and eraser.",
	New: func() ToolHandler { return &eraserTool{paintTool{erase: true, swap: ToolBrush}} },
}

// eraserTool paints with the brush's dabs, erasing.
type eraserTool struct{ paintTool }
