//! What the command line shows: standard output that ends quietly when its reader goes away
//! (`jixiao audit … | head`), and file errors in Chinese with what to do about them.

use std::io::Write;
use std::path::Path;

/// Writes to standard output; a closed pipe ends the program quietly (exit 0), any other
/// failure with a message.
pub fn write(args: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(args).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(
            std::io::stderr(),
            "错误：无法写到标准输出：{}",
            io_error(&e)
        );
        std::process::exit(1);
    }
}

/// `print!` that ends quietly on a closed pipe.
#[macro_export]
macro_rules! say {
    ($($t:tt)*) => { $crate::out::write(format_args!($($t)*)) };
}

/// `println!` that ends quietly on a closed pipe.
#[macro_export]
macro_rules! sayln {
    () => { $crate::out::write(format_args!("\n")) };
    ($($t:tt)*) => { $crate::out::write(format_args!("{}\n", format_args!($($t)*))) };
}

/// An I/O error in words, with what to do.
pub fn io_error(e: &std::io::Error) -> String {
    jixiao_grid::io_reason(e)
}

/// Reads a file; the error names the file and says what is wrong in Chinese.
pub fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path)
        .map_err(|e| anyhow::anyhow!("无法读取 {}：{}", path.display(), io_error(&e)))
}

/// Reads a text file.
pub fn read_text(path: &Path) -> anyhow::Result<String> {
    String::from_utf8(read(path)?)
        .map_err(|_| anyhow::anyhow!("无法读取 {}：内容不是 UTF-8 文本", path.display()))
}

/// Writes a file; the error names the file and says what is wrong in Chinese.
pub fn save(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes)
        .map_err(|e| anyhow::anyhow!("无法写入 {}：{}", path.display(), io_error(&e)))
}

/// An error and its causes, joined as a Chinese sentence (`表单文件 a.json：第2行…`).
pub fn message(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_error(io),
            None => cause.to_string(),
        };
        // A cause whose text its context already carries adds nothing.
        if !parts.last().is_some_and(|p| p.ends_with(&text)) {
            parts.push(text);
        }
    }
    parts.join("：")
}
