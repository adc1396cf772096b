//! An ordered parallel map for the batch commands: inputs are read on the calling thread,
//! worked on by long-lived workers that each keep their own state (a scorer with its word
//! cache), and handed to the sink on the calling thread in input order.
//!
//! Unlike a batch-then-write loop, nothing waits for the slowest item of a batch: the sink
//! takes results as soon as they are next in order, while the workers go on. At most `window`
//! items are between reading and the sink, so memory stays bounded whatever the input size.

use std::collections::BTreeMap;
use std::sync::mpsc;
use std::sync::Mutex;

/// Applies `work` to every input on `threads` workers (each with state made by `init`) and
/// passes the results to `sink` in input order. Stops at the first error of `sink`.
/// With one thread everything runs on the calling thread.
pub fn ordered_map<I, O, S, E>(
    threads: usize,
    window: usize,
    inputs: impl Iterator<Item = I>,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, I) -> O + Sync,
    mut sink: impl FnMut(O) -> Result<(), E>,
) -> Result<(), E>
where
    I: Send,
    O: Send,
{
    if threads <= 1 {
        let mut state = init();
        for input in inputs {
            sink(work(&mut state, input))?;
        }
        return Ok(());
    }
    let window = window.max(threads);
    let (job_tx, job_rx) = mpsc::channel::<(usize, I)>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Option<(usize, O)>>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let (job_rx, done_tx) = (&job_rx, done_tx.clone());
            let (init, work) = (&init, &work);
            scope.spawn(move || {
                let alarm = Alarm(done_tx);
                let mut state = init();
                loop {
                    // The lock is held only to take the next job.
                    let job = match job_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => return,
                    };
                    let Ok((k, input)) = job else { return };
                    let out = work(&mut state, input);
                    if alarm.0.send(Some((k, out))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        let mut inputs = inputs.enumerate();
        let mut job_tx = Some(job_tx);
        let (mut sent, mut next) = (0usize, 0usize);
        let mut pending: BTreeMap<usize, O> = BTreeMap::new();
        let mut result = Ok(());
        loop {
            while sent - next < window {
                let Some(tx) = &job_tx else { break };
                match inputs.next() {
                    Some(job) => {
                        if tx.send(job).is_err() {
                            job_tx = None;
                        }
                        sent += 1;
                    }
                    None => job_tx = None,
                }
            }
            if next == sent {
                break;
            }
            let Ok(Some((k, out))) = done_rx.recv() else {
                // A worker died; the scope passes its panic on.
                break;
            };
            pending.insert(k, out);
            while let Some(out) = pending.remove(&next) {
                next += 1;
                if result.is_ok() {
                    result = sink(out);
                    if result.is_err() {
                        // Stop reading; the results still under way are dropped.
                        job_tx = None;
                    }
                }
            }
        }
        drop(job_tx);
        result
    })
}

/// Tells the calling thread when a worker dies, so that it never waits for a result that
/// will not come.
struct Alarm<O>(mpsc::Sender<Option<(usize, O)>>);

impl<O> Drop for Alarm<O> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let _ = self.0.send(None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_with_per_worker_state() {
        for threads in [1, 2, 3] {
            let mut seen = Vec::new();
            let r: Result<(), ()> = ordered_map(
                threads,
                4,
                0..200u64,
                || 0u64,
                |calls, x| {
                    *calls += 1;
                    // Uneven work, so that results arrive out of order.
                    std::thread::sleep(std::time::Duration::from_micros((x * 7919) % 300));
                    (x, *calls)
                },
                |(x, _)| {
                    seen.push(x);
                    Ok(())
                },
            );
            assert!(r.is_ok());
            assert_eq!(seen, (0..200).collect::<Vec<_>>(), "{threads} threads");
        }
    }

    #[test]
    fn the_first_sink_error_stops_the_run() {
        let mut taken = 0;
        let r = ordered_map(
            2,
            8,
            0..10_000u32,
            || (),
            |_, x| x,
            |x| {
                taken += 1;
                if x == 5 {
                    Err(x)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err(5));
        assert_eq!(taken, 6);
    }
}
