//! The office adapters' integration tests live in `tests/`: real documents read (`jixiao-read`),
//! recognized (`jixiao-recognize`), written (`jixiao-write`) and printed (`jixiao-pdf`).
