//! Running a request's dataloader batches one query level at a time, with no time window.
//!
//! async-graphql's `DataLoader` hands each batch to a spawner and lets it wait `delay` for more
//! keys. With a time window, a level's keys share a statement only if every parent row of the
//! level is resolved within the window: on a busy machine a level splits into several
//! statements, and the count of statements per request depends on load.
//!
//! Here the spawner only queues the batch, and [`drive`] runs it when the request can make no
//! more progress on its own: every field of the level has been polled and is waiting for data,
//! so every key of the level is in the batch. The loaders' delay is zero, so a batch takes its
//! keys as soon as it is first polled. Batches run inside the request's own task (concurrently
//! with each other), which also keeps them in the request's statement counter.

use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::task::AtomicWaker;
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

/// How often the request may wake itself within one poll before it yields to the scheduler.
const SELF_WAKES_PER_POLL: usize = 16;

/// The batches a request's loaders queued and [`drive`] has not started yet.
#[derive(Clone, Default)]
pub struct Queue(Arc<Mutex<Vec<BoxFuture<'static, ()>>>>);

impl Queue {
    /// Queues a batch (the loaders' spawner).
    pub fn push(&self, batch: BoxFuture<'static, ()>) {
        self.lock().push(batch);
    }

    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<BoxFuture<'static, ()>>> {
        // A panic while holding this lock cannot leave the list half-changed.
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Wakes the request's task and remembers that the execution asked to be polled again.
#[derive(Default)]
struct Signal {
    woken: AtomicBool,
    task: AtomicWaker,
}

impl Wake for Signal {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.task.wake();
    }
}

/// Runs `execution` (a request's execution) and the batches its loaders queue in `queue`.
///
/// A level's queued batches start only when the execution is waiting and no batch is running:
/// all keys of a level then go into one statement per loader, at idle and under load alike.
pub async fn drive<F: Future>(queue: Queue, execution: F) -> F::Output {
    let mut execution = pin!(execution);
    let mut running: FuturesUnordered<BoxFuture<'static, ()>> = FuturesUnordered::new();
    let signal = Arc::new(Signal::default());
    let waker = Waker::from(signal.clone());
    let mut fresh = true;
    std::future::poll_fn(move |cx| {
        signal.task.register(cx.waker());
        let mut self_wakes = 0;
        loop {
            if std::mem::take(&mut fresh) || signal.woken.swap(false, Ordering::AcqRel) {
                let mut inner = Context::from_waker(&waker);
                if let Poll::Ready(out) = execution.as_mut().poll(&mut inner) {
                    return Poll::Ready(out);
                }
                if signal.woken.load(Ordering::Acquire) {
                    // The execution yielded (a long list polls its items in turns): some
                    // fields of this level may not have asked for their keys yet.
                    self_wakes += 1;
                    if self_wakes >= SELF_WAKES_PER_POLL {
                        return Poll::Pending;
                    }
                    continue;
                }
            }
            // The execution waits for data: start the queued level unless one still runs.
            if running.is_empty() {
                running.extend(queue.take());
            }
            let mut finished = false;
            while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {
                finished = true;
            }
            // Finished batches woke the fields that wait for them: those go on first, and
            // may add keys to the next level before it starts.
            if signal.woken.load(Ordering::Acquire) || (finished && running.is_empty()) {
                continue;
            }
            return Poll::Pending;
        }
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::dataloader::{DataLoader, Loader, NoCache};
    use std::collections::HashMap;
    use std::sync::atomic::AtomicUsize;

    /// Doubles numbers and counts its batches; each batch first waits for a (simulated) database.
    struct Doubler(Arc<AtomicUsize>);

    impl Loader<u32> for Doubler {
        type Value = u32;
        type Error = std::convert::Infallible;
        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, Self::Error> {
            self.0.fetch_add(1, Ordering::Relaxed);
            tokio::task::yield_now().await;
            Ok(keys.iter().map(|k| (*k, k * 2)).collect())
        }
    }

    /// Asks to be polled again at once, as a list does when it polls its items in turns.
    async fn yield_once() {
        let mut done = false;
        std::future::poll_fn(|cx| {
            if std::mem::replace(&mut done, true) {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await
    }

    #[tokio::test]
    async fn each_level_is_one_batch_however_slow_its_fields_are() {
        let batches = Arc::new(AtomicUsize::new(0));
        let queue = Queue::default();
        let q = queue.clone();
        let loader = DataLoader::with_cache(Doubler(batches.clone()), move |f| q.push(f), NoCache)
            .delay(std::time::Duration::ZERO);
        let loader = &loader;
        // Three levels of 40 fields each; every field yields a few times before asking for
        // its key, as a slow resolver would (more than a list polls in one turn).
        let level = |base: u32| async move {
            let fields = (0..40).map(|i| async move {
                for _ in 0..(i % 5) {
                    yield_once().await;
                }
                let doubled = loader.load_one(base + i).await;
                doubled.ok().flatten().unwrap_or_default()
            });
            futures_util::future::join_all(fields).await
        };
        let out = drive(queue, async {
            let a = level(0).await;
            let b = level(a[39]).await;
            level(b[39]).await
        })
        .await;
        assert_eq!((out[0], out[39]), (468, 546));
        assert_eq!(batches.load(Ordering::Relaxed), 3);
    }
}
