//! The gate every uploaded file passes before it is parsed: parsing is CPU-bound, so at most
//! one file per spare core is read at a time, a bounded number wait their turn, and the rest are
//! told the server is busy — a burst of uploads (or of hostile files) before a deadline queues
//! instead of taking every core from the people reading and saving forms.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::AppError;

/// Files parsed at once and files allowed to wait.
#[derive(Debug, Clone)]
pub struct ParseGate {
    running: Arc<Semaphore>,
    waiting: Arc<Semaphore>,
}

impl Default for ParseGate {
    /// One parse per core but one (at least one), and 32 waiting.
    fn default() -> Self {
        ParseGate::with_queue(32)
    }
}

impl ParseGate {
    /// One parse per core but one (at least one), and `waiting` more queued.
    pub fn with_queue(waiting: usize) -> ParseGate {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        ParseGate::new(cores.saturating_sub(1).max(1), waiting)
    }

    /// At most `running` parses at once and `waiting` more queued.
    pub fn new(running: usize, waiting: usize) -> ParseGate {
        ParseGate {
            running: Arc::new(Semaphore::new(running)),
            waiting: Arc::new(Semaphore::new(running + waiting)),
        }
    }

    /// Runs the CPU-bound `work` off the request threads once a slot is free; refuses at once
    /// with [`AppError::Busy`] when the queue is full.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _place = self
            .waiting
            .clone()
            .try_acquire_owned()
            .map_err(|_| AppError::Busy)?;
        let _slot = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Busy)?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| AppError::Invalid(format!("读取中断：{e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_full_queue_is_refused_and_the_rest_run_one_at_a_time() {
        let gate = ParseGate::new(1, 1);
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let rx = Arc::new(std::sync::Mutex::new(rx));
        let first = {
            let gate = gate.clone();
            let rx = Arc::clone(&rx);
            tokio::spawn(async move {
                gate.run(move || rx.lock().map(|r| r.recv().is_ok()).unwrap_or(false))
                    .await
            })
        };
        // Let the first take its slot.
        while gate.running.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let second = {
            let gate = gate.clone();
            tokio::spawn(async move { gate.run(|| 2).await })
        };
        while gate.waiting.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let third = gate.run(|| 3).await;
        assert!(matches!(third, Err(AppError::Busy)), "{third:?}");
        tx.send(()).expect("release the first");
        assert!(matches!(first.await.expect("join"), Ok(true)));
        assert!(matches!(second.await.expect("join"), Ok(2)));
        // The queue is free again.
        assert!(matches!(gate.run(|| 4).await, Ok(4)));
    }
}
