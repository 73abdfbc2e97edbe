"""`gongkai lsp`: `gongkai check`'s diagnostics, completion and hover in any LSP editor."""
