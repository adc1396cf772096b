//! Output files are written whole or not at all, and what an interrupted run left is swept.
//!
//! Every table and chart goes to a hidden temporary file in the destination folder,
//! `.<name>.tmp-<pid>-<n>`, and is renamed over the final name only after the last byte was
//! written and flushed. An interrupted run (Ctrl-C, full disk, a write error) therefore leaves
//! either the previous complete file or none, never a truncated CSV that looks complete.
//!
//! A run killed before it could clean up (Ctrl-C, SIGKILL, a power cut) leaves its temporary
//! files behind; the next run sweeps them with [`sweep_stale`]. A writer holds an exclusive
//! lock on its temporary file from creation until it has its final name, and the operating
//! system drops that lock when the process ends however it ends. So a temporary file nobody
//! holds a lock on belongs to a dead run, while one that another stimmung process is still
//! writing into the same folder is locked and kept. Process ids are not used to decide: they
//! are reused, and mean nothing across containers or machines sharing a folder.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crate::Error;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A temporary file younger than this is never swept, whether or not it is locked: a writer
/// creates its file and locks it in the next instruction, and this margin covers that gap
/// even on a machine too loaded to schedule the writer for a while.
pub const SWEEP_MIN_AGE: Duration = Duration::from_secs(10);

/// A file being written; becomes visible under its final name only on [`AtomicFile::commit`].
/// Dropping it without committing removes the temporary file.
pub struct AtomicFile {
    final_path: PathBuf,
    temp_path: PathBuf,
    file: Option<File>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> Result<AtomicFile, Error> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty());
        let name = path
            .file_name()
            .ok_or_else(|| Error::Usage(format!("{}: not a file name", path.display())))?;
        let temp_name = format!(
            ".{}.tmp-{}-{}",
            name.to_string_lossy(),
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        );
        let temp_path = match dir {
            Some(d) => d.join(temp_name),
            None => PathBuf::from(temp_name),
        };
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp_path)
            .map_err(|e| Error::io(&temp_path, e))?;
        // Where the file system has no locks, the sweeper cannot lock the file either and keeps
        // it, so a failure here costs only the sweep, never another run's output.
        let _ = file.try_lock();
        Ok(AtomicFile {
            final_path: path.to_path_buf(),
            temp_path,
            file: Some(file),
        })
    }

    /// Flushes to disk and renames the temporary file over the final path. On failure the
    /// temporary file is removed, so a failed run leaves nothing behind. The file (and its
    /// lock) stays open until the rename is done: an unlocked temporary file that has not been
    /// written to for a while looks stale to a concurrent run's sweep.
    pub fn commit(mut self) -> Result<(), Error> {
        let Some(file) = self.file.take() else {
            return Err(Error::io(
                &self.final_path,
                io::Error::other("file already committed"),
            ));
        };
        let result = file
            .sync_all()
            .map_err(|e| Error::io(&self.temp_path, e))
            .and_then(|()| {
                std::fs::rename(&self.temp_path, &self.final_path)
                    .map_err(|e| Error::io(&self.final_path, e))
            });
        if result.is_err() {
            let _ = std::fs::remove_file(&self.temp_path);
        }
        drop(file);
        result
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.file.as_mut() {
            Some(f) => f.write(buf),
            None => Err(io::Error::other("file already committed")),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if let Some(file) = self.file.take() {
            let _ = std::fs::remove_file(&self.temp_path);
            drop(file);
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    file.commit()
}

/// The final file name a temporary file of [`AtomicFile`] stands for, or `None` when `name`
/// is not exactly of the form `.<name>.tmp-<pid>-<n>`.
fn final_name_of(temp_name: &str) -> Option<&str> {
    let (name, suffix) = temp_name.strip_prefix('.')?.rsplit_once(".tmp-")?;
    let (pid, n) = suffix.split_once('-')?;
    let number = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!name.is_empty() && number(pid) && number(n)).then_some(name)
}

/// Removes the temporary files that earlier, interrupted runs left in `dir` for final names
/// `ours` accepts, and returns how many it removed. A temporary file is removed only when it is
/// a regular file of exactly our naming pattern, was last written [`SWEEP_MIN_AGE`] ago or
/// earlier and nobody holds its lock; anything else in the folder is left alone, as are
/// temporary files the sweep cannot judge (unreadable, or on a file system without locks).
/// Problems are not errors: the sweep is housekeeping and must never stop a run.
pub fn sweep_stale(dir: &Path, ours: impl Fn(&str) -> bool) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let is_ours = name.to_str().and_then(final_name_of).is_some_and(&ours);
        if is_ours && remove_if_stale(&entry.path()) {
            removed += 1;
        }
    }
    removed
}

/// [`sweep_stale`] for the temporary files of the one file `path`, for commands that write a
/// single file into a folder that is not theirs.
pub fn sweep_stale_of(path: &Path) -> usize {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    match path.file_name().and_then(|n| n.to_str()) {
        Some(name) => sweep_stale(dir, |n| n == name),
        None => 0,
    }
}

fn remove_if_stale(path: &Path) -> bool {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return false;
    };
    // A modification time in the future (clock skew on a network share) counts as young.
    let old = meta
        .modified()
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age >= SWEEP_MIN_AGE);
    if !meta.file_type().is_file() || !old {
        return false;
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    match file.try_lock() {
        // Removed while the lock is held, so no writer can be in between.
        Ok(()) => std::fs::remove_file(path).is_ok(),
        Err(TryLockError::WouldBlock) | Err(TryLockError::Error(_)) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    #[test]
    fn uncommitted_file_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        {
            let mut f = AtomicFile::create(&path).unwrap();
            f.write_all(b"half").unwrap();
        }
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn failed_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        std::fs::create_dir(&path).unwrap();
        std::fs::write(path.join("inside"), b"x").unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"data").unwrap();
        assert!(f.commit().is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn commit_replaces_previous_content_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        write_atomic(&path, b"old").unwrap();
        write_atomic(&path, b"new content").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new content");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn only_our_exact_naming_pattern_is_a_temporary_file() {
        assert_eq!(
            final_name_of(".articles.csv.tmp-123-0"),
            Some("articles.csv")
        );
        assert_eq!(final_name_of(".a.tmp-b.csv.tmp-1-22"), Some("a.tmp-b.csv"));
        for foreign in [
            "articles.csv.tmp-123-0",
            ".articles.csv.tmp-123",
            ".articles.csv.tmp-123-",
            ".articles.csv.tmp-12a-0",
            ".articles.csv.tmp-123-0.bak",
            ".tmp-1-2",
            ".articles.csv",
            "",
        ] {
            assert_eq!(final_name_of(foreign), None, "{foreign}");
        }
    }

    fn plant(dir: &Path, name: &str, age: Duration) -> PathBuf {
        let path = dir.join(name);
        let file = File::create(&path).unwrap();
        file.set_modified(SystemTime::now() - age).unwrap();
        path
    }

    #[test]
    fn sweep_removes_old_unlocked_temporaries_only() {
        let dir = tempfile::tempdir().unwrap();
        let hour = Duration::from_secs(3600);
        let stale = plant(dir.path(), ".t.csv.tmp-4000000000-0", hour);
        let young = plant(dir.path(), ".t.csv.tmp-4000000000-1", Duration::ZERO);
        let other_name = plant(dir.path(), ".u.csv.tmp-4000000000-0", hour);
        let foreign = plant(dir.path(), ".t.csv.tmp-x", hour);
        let locked = plant(dir.path(), ".t.csv.tmp-4000000001-0", hour);
        // Another process writing: its lock is on its own open file description.
        let holder = File::open(&locked).unwrap();
        holder.lock().unwrap();

        assert_eq!(sweep_stale(dir.path(), |n| n == "t.csv"), 1);
        assert!(!stale.exists());
        for kept in [&young, &other_name, &foreign, &locked] {
            assert!(kept.exists(), "{}", kept.display());
        }
        drop(holder);
        assert_eq!(sweep_stale_of(&dir.path().join("t.csv")), 1);
        assert!(!locked.exists());
    }

    #[test]
    fn a_live_writer_survives_a_sweep_even_when_its_file_is_old() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.csv");
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"rows").unwrap();
        let temp = f.temp_path.clone();
        File::options()
            .write(true)
            .open(&temp)
            .unwrap()
            .set_modified(SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
        // Our own pid is in the name, yet the sweep goes by the lock alone.
        assert_eq!(sweep_stale(dir.path(), |_| true), 0);
        f.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"rows");
    }
}
