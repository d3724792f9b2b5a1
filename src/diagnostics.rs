//! Diagnostics as data: every problem the pipeline finds becomes a `Diagnostic`
//! (code, severity, file, line, column, message, help) collected in a `Report`,
//! so `check` can show all of them at once, as text with the offending source
//! line or as JSON records for editors and CI.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: &'static str,
    /// Path relative to the site root, with `/` separators.
    pub file: String,
    /// 1-based; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, message)
        }
    }

    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// The stage a code belongs to, by its hundreds (`E0201` -> 2, `W0101` ->
/// 1); warnings are ordered by their stage too, after every error.
fn stage(code: &str) -> u32 {
    code.get(1..3).and_then(|d| d.parse().ok()).unwrap_or(99)
}

/// All findings of one run, in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(other);
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// Sort so the root cause comes first and the output never depends on
    /// the order in which parallel work finished: errors before warnings;
    /// among errors, those of the earlier stage first (the codes' hundreds:
    /// E00xx the site, E01xx a file's YAML, E02xx files, ids and names,
    /// E03xx anchors and references, which often follow from the others);
    /// then by file, position and message.
    pub fn sort(&mut self) {
        self.diagnostics.sort_by(|a, b| {
            (
                a.severity,
                stage(a.code),
                &a.file,
                a.line,
                a.column,
                a.code,
                &a.message,
            )
                .cmp(&(
                    b.severity,
                    stage(b.code),
                    &b.file,
                    b.line,
                    b.column,
                    b.code,
                    &b.message,
                ))
        });
        self.diagnostics.dedup_by(|a, b| {
            a.file == b.file && a.line == b.line && a.column == b.column && a.message == b.message
        });
    }

    /// Human-readable rendering in the manner of rustc: header, location,
    /// the source line with a caret, and a help line.
    pub fn render_human(&self, root: &Path) -> String {
        let mut cache: BTreeMap<&str, Option<String>> = BTreeMap::new();
        let mut out = String::new();
        for d in &self.diagnostics {
            let sev = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            let _ = writeln!(out, "{sev}[{}]: {}", d.code, d.message);
            if d.line > 0 {
                let _ = writeln!(out, "  --> {}:{}:{}", d.file, d.line, d.column.max(1));
                let src = cache
                    .entry(d.file.as_str())
                    .or_insert_with(|| std::fs::read_to_string(root.join(&d.file)).ok());
                if let Some(line) = src.as_deref().and_then(|s| s.lines().nth(d.line - 1)) {
                    let num = d.line.to_string();
                    let pad = " ".repeat(num.len());
                    let shown: String = line.chars().take(160).collect();
                    let _ = writeln!(out, "{pad} |");
                    let _ = writeln!(out, "{num} | {shown}");
                    // Columns count characters, as an editor does, never
                    // bytes: a dash or curly quote before the place is one.
                    let caret_at = line
                        .chars()
                        .take(d.column.max(1) - 1)
                        .map(|c| if c == '\t' { '\t' } else { ' ' })
                        .collect::<String>();
                    let _ = writeln!(out, "{pad} | {caret_at}^");
                }
            } else if !d.file.is_empty() {
                let _ = writeln!(out, "  --> {}", d.file);
            }
            if let Some(h) = &d.help {
                let _ = writeln!(out, "  = help: {h}");
            }
            out.push('\n');
        }
        out
    }

    pub fn render_json(&self) -> String {
        let mut out = String::new();
        for d in &self.diagnostics {
            out.push_str(&serde_json::to_string(d).unwrap_or_default());
            out.push('\n');
        }
        out
    }
}

/// The path of `file` relative to `root`, with forward slashes, for messages.
pub fn display_path(root: &Path, file: &Path) -> String {
    let rel: PathBuf = file.strip_prefix(root).unwrap_or(file).to_path_buf();
    rel.to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caret_counts_characters_after_a_dash_or_curly_quote() {
        let dir = std::env::temp_dir().join(format!("scholion-caret-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.yaml"), "body: “Peace” — and war\n").unwrap();
        let mut r = Report::default();
        // `war` is the 22nd character (and the 30th byte) of the line.
        r.push(Diagnostic::error("E0101", "a.yaml", "here").at(1, 22));
        let out = r.render_human(&dir);
        std::fs::remove_dir_all(&dir).unwrap();
        let caret = out.lines().find(|l| l.ends_with('^')).unwrap();
        assert_eq!(caret, format!("  | {}^", " ".repeat(21)), "{out}");
    }
}
