//! Output files are written whole or not at all.
//!
//! Every table and chart goes to a hidden temporary file in the destination folder and is
//! renamed over the final name only after the last byte was written and flushed. An
//! interrupted run (Ctrl-C, full disk, a write error) therefore leaves either the previous
//! complete file or none, never a truncated CSV that looks complete.

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::Error;

static COUNTER: AtomicU64 = AtomicU64::new(0);

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
        Ok(AtomicFile {
            final_path: path.to_path_buf(),
            temp_path,
            file: Some(file),
        })
    }

    /// Flushes to disk and renames the temporary file over the final path. On failure the
    /// temporary file is removed, so a failed run leaves nothing behind.
    pub fn commit(mut self) -> Result<(), Error> {
        let synced = match self.file.take() {
            Some(file) => file.sync_all().map_err(|e| Error::io(&self.temp_path, e)),
            None => Ok(()),
        };
        let result = synced.and_then(|()| {
            std::fs::rename(&self.temp_path, &self.final_path)
                .map_err(|e| Error::io(&self.final_path, e))
        });
        if result.is_err() {
            let _ = std::fs::remove_file(&self.temp_path);
        }
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
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp_path);
        }
    }
}

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let mut file = AtomicFile::create(path)?;
    file.write_all(bytes).map_err(|e| Error::io(path, e))?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
