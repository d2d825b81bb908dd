"""Posts: replying, previewing, quoting, editing with history, permalinks."""
