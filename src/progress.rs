//! Progress of a build, for a terminal: which stage the pipeline is in and
//! how far it got (notes anchored, pages rendered). The pipeline only bumps
//! atomic counters; the binary decides whether and how to show them (on a
//! terminal, not when piped or under `--quiet`).

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Reading,
    Anchoring,
    Rendering,
    Done,
}

#[derive(Debug, Default)]
pub struct Progress {
    stage: AtomicU8,
    done: AtomicUsize,
    total: AtomicUsize,
    /// Notes and cross-links anchored, once the anchoring stage is over.
    pub anchored: AtomicUsize,
}

impl Progress {
    pub fn start(&self, stage: Stage, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        self.stage.store(stage as u8, Ordering::Release);
    }

    pub fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    /// The current stage, and how many of how many steps of it are done.
    pub fn snapshot(&self) -> (Stage, usize, usize) {
        let stage = match self.stage.load(Ordering::Acquire) {
            0 => Stage::Reading,
            1 => Stage::Anchoring,
            2 => Stage::Rendering,
            _ => Stage::Done,
        };
        (
            stage,
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    /// One line for a terminal.
    pub fn line(&self) -> String {
        let (stage, done, total) = self.snapshot();
        match stage {
            Stage::Reading => "Reading content/…".to_string(),
            Stage::Anchoring => format!("Anchoring the notes of {total} texts…"),
            Stage::Rendering => format!(
                "{} notes and links anchored; rendering pages: {done}/{total}",
                self.anchored.load(Ordering::Relaxed)
            ),
            Stage::Done => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_follows_the_stages() {
        let p = Progress::default();
        assert_eq!(p.line(), "Reading content/…");
        p.start(Stage::Anchoring, 12);
        assert_eq!(p.line(), "Anchoring the notes of 12 texts…");
        p.anchored.store(340, Ordering::Relaxed);
        p.start(Stage::Rendering, 15);
        p.tick();
        p.tick();
        assert_eq!(
            p.line(),
            "340 notes and links anchored; rendering pages: 2/15"
        );
    }
}
