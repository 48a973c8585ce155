//! Progress of a long read, for whoever waits on it: a reader that works page by page (the
//! character recognition of a scan, seconds a page) reports each page to the hook installed
//! on its thread by [`reporting`]. Without a hook, reporting costs nothing.

use std::cell::RefCell;

/// A page-progress hook: told (page, pages) as each page is read.
type Hook = Box<dyn Fn(usize, usize)>;

thread_local! {
    static HOOK: RefCell<Option<Hook>> = const { RefCell::new(None) };
}

/// Runs `read` on this thread with `hook` told of every page reported while it runs.
pub fn reporting<T>(hook: impl Fn(usize, usize) + 'static, read: impl FnOnce() -> T) -> T {
    struct Reset(Option<Hook>);
    impl Drop for Reset {
        fn drop(&mut self) {
            HOOK.with(|h| *h.borrow_mut() = self.0.take());
        }
    }
    let previous = HOOK.with(|h| h.borrow_mut().replace(Box::new(hook)));
    let _reset = Reset(previous);
    read()
}

/// Reports `done` of `total` pages to the hook of this thread, if there is one.
pub fn page_done(done: usize, total: usize) {
    HOOK.with(|h| {
        if let Some(hook) = h.borrow().as_ref() {
            hook(done, total);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn pages_reach_the_hook_only_while_it_is_installed() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = seen.clone();
        let out = reporting(
            move |d, t| log.lock().unwrap().push((d, t)),
            || {
                page_done(1, 2);
                page_done(2, 2);
                7
            },
        );
        page_done(9, 9);
        assert_eq!(out, 7);
        assert_eq!(*seen.lock().unwrap(), vec![(1, 2), (2, 2)]);
    }
}
