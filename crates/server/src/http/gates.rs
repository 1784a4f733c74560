//! Bounds on the two expensive things a client can ask for again and again:
//! password checks ([`PasswordPool`]) and open event streams
//! ([`StreamSlots`]).

use super::ApiError;
use crate::accounts::TokenHash;
use axum::http::StatusCode;
use redress_protocol::ErrorCode;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use tokio::sync::Semaphore;

/// Password hashing (argon2id takes about 19 MiB and a core for a good
/// fraction of a second) runs on at most `workers` blocking threads at once;
/// at most `queue` more sign-ins wait for one. A sign-in beyond both is
/// answered `503 server_busy` with `Retry-After` at once, without hashing,
/// so a burst of logins cannot grow the server's memory or starve the
/// blocking pool the store runs on.
#[derive(Debug)]
pub struct PasswordPool {
    admitted: Arc<Semaphore>,
    running: Arc<Semaphore>,
}

impl PasswordPool {
    pub fn new(workers: usize, queue: usize) -> PasswordPool {
        let workers = workers.max(1);
        PasswordPool {
            admitted: Arc::new(Semaphore::new(workers.saturating_add(queue))),
            running: Arc::new(Semaphore::new(workers)),
        }
    }

    /// Runs `check` on the blocking pool once a worker is free.
    pub async fn run<T: Send + 'static>(
        &self,
        check: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let Ok(admitted) = Arc::clone(&self.admitted).try_acquire_owned() else {
            let mut e = ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServerBusy,
                "too many sign-ins at once; try again in a moment",
            );
            e.retry_after = Some(1);
            return Err(e);
        };
        let running = Arc::clone(&self.running)
            .acquire_owned()
            .await
            .map_err(|e| ApiError::internal(format!("the password pool closed: {e}")))?;
        let answer = tokio::task::spawn_blocking(move || {
            let answer = check();
            drop(running);
            drop(admitted);
            answer
        })
        .await
        .map_err(|e| ApiError::internal(format!("a password check failed: {e}")))?;
        Ok(answer)
    }
}

/// Event streams open per session, at most `max` each. A slot is given
/// back when its stream ends (the guard is dropped with the stream).
#[derive(Debug)]
pub struct StreamSlots {
    max: usize,
    open: Mutex<HashMap<TokenHash, usize>>,
}

/// One open stream's place; dropping it frees the place.
#[derive(Debug)]
pub struct StreamSlot {
    slots: Arc<StreamSlots>,
    session: TokenHash,
}

impl StreamSlots {
    pub fn new(max: usize) -> Arc<StreamSlots> {
        Arc::new(StreamSlots {
            max,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// A place for one more stream of `session`, or `429
    /// too_many_streams` when it has `max` open.
    pub fn take(self: &Arc<Self>, session: TokenHash) -> Result<StreamSlot, ApiError> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let n = open.entry(session).or_default();
        if *n >= self.max {
            let mut e = ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                ErrorCode::TooManyStreams,
                format!(
                    "this session has {} event streams open, the most a session may have",
                    self.max
                ),
            );
            e.retry_after = Some(5);
            return Err(e);
        }
        *n += 1;
        Ok(StreamSlot {
            slots: Arc::clone(self),
            session,
        })
    }

    #[cfg(test)]
    fn open_for(&self, session: &TokenHash) -> usize {
        let open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        open.get(session).copied().unwrap_or(0)
    }
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self
            .slots
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.session) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.session);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_gets_its_streams_and_no_more_and_a_closed_one_frees_its_place() {
        let slots = StreamSlots::new(2);
        let a = TokenHash::of("a");
        let b = TokenHash::of("b");
        let first = slots.take(a).expect("first");
        let _second = slots.take(a).expect("second");
        let refused = slots.take(a).expect_err("third");
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(refused.code, "too_many_streams");
        let _other = slots.take(b).expect("another session");
        drop(first);
        assert_eq!(slots.open_for(&a), 1);
        let _again = slots.take(a).expect("a place again");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_password_pool_answers_busy_at_once() {
        let pool = Arc::new(PasswordPool::new(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(Mutex::new(hold));
        let mut waiting = Vec::new();
        for _ in 0..2 {
            let pool = Arc::clone(&pool);
            let hold = Arc::clone(&hold);
            waiting.push(tokio::spawn(async move {
                pool.run(move || {
                    let _ = hold.lock().unwrap_or_else(PoisonError::into_inner).recv();
                })
                .await
            }));
        }
        // Both places are taken once the first check runs and the second
        // waits for it.
        while pool.admitted.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let busy = pool.run(|| ()).await.expect_err("full");
        assert_eq!(busy.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.code, "server_busy");
        assert_eq!(busy.retry_after, Some(1));
        for _ in 0..2 {
            release.send(()).expect("release");
        }
        for w in waiting {
            assert!(w.await.expect("joined").is_ok());
        }
        assert!(pool.run(|| ()).await.is_ok(), "free again");
    }
}
