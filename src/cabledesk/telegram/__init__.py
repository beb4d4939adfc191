"""The telegram format layer: parse, render and validate one cable. Pure code, no I/O."""
