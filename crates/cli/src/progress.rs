//! Progress of a batch on stderr: an indicatif bar when stderr is a terminal and the batch has
//! more than a few files; nothing at all otherwise (a pipe, a log file, a CI run), so output
//! that programs read is never mixed with it.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Batches of at least this many files show their progress.
pub const SHOWN_FROM: usize = 4;

/// A batch's progress: a bar, or nothing.
pub struct Progress(Option<ProgressBar>);

impl Progress {
    /// Progress over `total` files, saying `what` is being done (`审核中`).
    pub fn new(total: usize, what: &'static str) -> Progress {
        if total < SHOWN_FROM || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(total).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr(),
        );
        if let Ok(style) = ProgressStyle::with_template(
            "{msg} [{bar:30}] {percent:>3}% {pos}/{len} 个文件 · 剩余约 {eta}",
        ) {
            bar.set_style(style.progress_chars("#>·"));
        }
        bar.set_message(what);
        Progress(Some(bar))
    }

    /// `done` files are done (called from any thread).
    pub fn tell(&self, done: usize) {
        if let Some(bar) = &self.0 {
            bar.set_position(u64::try_from(done).unwrap_or(u64::MAX));
        }
    }

    /// The batch is over: the bar leaves its last line on the terminal.
    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish();
        }
    }
}
