//! Faults a user runs into: a build killed half-way, two builds of one
//! output at once, an annotation file that `scholion import` cannot read, a
//! special file among the texts. Each test runs the real binary on a site
//! of its own and checks what is left on disk and what the terminal says.

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_scholion"));
    c.env_remove("SOURCE_DATE_EPOCH");
    c
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            fs::copy(&p, &dest).unwrap();
        }
    }
}

/// The repository's default site, with `copies` more of each of its texts
/// (and their notes) under new names: a site that takes a while to build.
fn site(dir: &Path, copies: usize) -> PathBuf {
    let root = dir.join("site");
    copy_dir(&repo().join("content"), &root.join("content"));
    let content = root.join("content");
    for slug in ["1957-moscow-declaration", "1998-cpsu-appeal"] {
        let body = fs::read_to_string(content.join(format!("texts/{slug}.md"))).unwrap();
        let notes = fs::read_to_string(content.join(format!("annotations/{slug}.yaml"))).unwrap();
        for k in 1..=copies {
            fs::write(content.join(format!("texts/copy-{k}-{slug}.md")), &body).unwrap();
            fs::write(
                content.join(format!("annotations/copy-{k}-{slug}.yaml")),
                &notes,
            )
            .unwrap();
        }
    }
    root
}

fn build_command(root: &Path, out: &Path) -> Command {
    let mut c = bin();
    c.arg("build").arg("--root").arg(root).arg("--out").arg(out);
    c
}

/// The staging folders and previous outputs beside `out`.
fn leftovers(out: &Path) -> Vec<PathBuf> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let mut found: Vec<PathBuf> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(&format!(".{name}.scholion-"))
        })
        .collect();
    found.sort();
    found
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < WAIT, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A child whose standard error is collected as it comes.
struct Running {
    child: Child,
    log: Arc<Mutex<String>>,
    reader: std::thread::JoinHandle<()>,
}

impl Running {
    fn start(mut cmd: Command) -> Running {
        let mut child = cmd
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&log);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut log = sink.lock().unwrap();
                log.push_str(&line);
                log.push('\n');
            }
        });
        Running { child, log, reader }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// Waits for the end; the exit code and everything it printed.
    fn finish(mut self) -> (Option<i32>, String) {
        let status = self.child.wait().unwrap();
        self.reader.join().unwrap();
        (status.code(), self.log.lock().unwrap().clone())
    }
}

/// Defect: each killed build left its `.<out>.scholion-new-<pid>` folder
/// beside the output forever (fifteen of them held 1.2 GB). The next build
/// recognises it by the lock its dead build no longer holds, removes it and
/// says so.
#[test]
fn a_killed_build_leaves_a_staging_folder_that_the_next_build_removes_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(dir.path(), 60);
    let out = root.join("public");
    let first = build_command(&root, &out).output().unwrap();
    assert!(first.status.success(), "{}", text(&first));
    let before = fs::read(out.join("index.html")).unwrap();

    let mut killed = build_command(&root, &out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once its staging folder holds the first rendered files.
    wait_for("the build to start writing", || {
        leftovers(&out)
            .first()
            .is_some_and(|s| fs::read_dir(s).map(|d| d.count() > 1).unwrap_or(false))
    });
    killed.kill().unwrap(); // SIGKILL: no destructor runs.
    killed.wait().unwrap();
    let stale = leftovers(&out);
    assert_eq!(
        stale.len(),
        1,
        "the killed build's folder stays behind: {stale:?}"
    );
    assert!(
        stale[0]
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".public.scholion-new-"),
        "{stale:?}"
    );
    assert_eq!(
        fs::read(out.join("index.html")).unwrap(),
        before,
        "the output of the last good build is untouched"
    );

    let next = build_command(&root, &out).output().unwrap();
    let said = text(&next);
    assert!(next.status.success(), "{said}");
    let name = stale[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        said.contains("note: removed 1 folder left beside")
            && said.contains("by a build that was stopped")
            && said.contains(&name),
        "the next build says what it removed:\n{said}"
    );
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    assert_eq!(fs::read(out.join("index.html")).unwrap(), before);

    let quiet = build_command(&root, &out).output().unwrap();
    assert!(
        !text(&quiet).contains("removed"),
        "nothing more to remove:\n{}",
        text(&quiet)
    );
}

/// Defect: two builds into one output at once once left a 213 MB
/// `.scholion-old` folder. A build of an output that another build is
/// writing waits for it, says so, and then builds.
#[cfg(unix)]
#[test]
fn a_second_build_of_one_output_waits_for_the_first_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(dir.path(), 0);
    let out = root.join("public");
    // What a running build holds: the lock of the folder that holds the
    // output (docs/deploy.md).
    let held = fs::File::open(&root).unwrap();
    held.lock().unwrap();
    let waiting = Running::start(build_command(&root, &out));
    wait_for("the build to say that it waits", || {
        waiting.log().contains("waiting for it to finish")
    });
    assert!(
        waiting
            .log()
            .contains(&format!("note: another build is writing {}", out.display())),
        "{}",
        waiting.log()
    );
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !out.exists() && leftovers(&out).is_empty(),
        "a waiting build writes nothing"
    );
    drop(held);
    let (code, log) = waiting.finish();
    assert_eq!(code, Some(0), "{log}");
    assert!(out.join("index.html").is_file() && out.join(".scholion-output").is_file());
    assert!(leftovers(&out).is_empty());
}

/// Two real builds of one output started together: both succeed, one after
/// the other, and leave one complete output and nothing beside it.
#[test]
fn two_builds_of_one_output_at_once_both_finish_and_leave_one_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = site(dir.path(), 20);
    let out = root.join("public");
    let a = Running::start(build_command(&root, &out));
    let b = Running::start(build_command(&root, &out));
    let (ca, la) = a.finish();
    let (cb, lb) = b.finish();
    assert_eq!((ca, cb), (Some(0), Some(0)), "{la}\n{lb}");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
    let alone = dir.path().join("alone");
    let o = build_command(&root, &alone).output().unwrap();
    assert!(o.status.success());
    for page in [
        "index.html",
        "texts/copy-20-1998-cpsu-appeal.html",
        "search/manifest.json",
    ] {
        assert_eq!(
            fs::read(out.join(page)).ok(),
            fs::read(alone.join(page)).ok(),
            "{page} is whole"
        );
    }
}

fn import(root: &Path, slug: &str, export: &Path) -> Output {
    bin()
        .args(["import", "hypothesis"])
        .arg(export)
        .args(["--text", slug, "--root"])
        .arg(root)
        .output()
        .unwrap()
}

/// Defect: with one non-UTF-8 byte in the existing annotation file, import
/// overwrote its 32 lines with 6 and exited 0. It now refuses, names the
/// file and the line, and leaves the file byte for byte as it was.
#[test]
fn import_into_an_annotation_file_that_is_not_utf8_changes_nothing_and_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&repo().join("tests/fixtures/basic"), &root);
    let ann = root.join("content/annotations/first-text.yaml");
    let mut bytes = fs::read(&ann).unwrap();
    let lines_before = bytes.iter().filter(|&&b| b == b'\n').count();
    assert!(lines_before > 5);
    // A Latin-1 "é" on line 3, as an editor in the wrong encoding saves it.
    let third = bytes
        .iter()
        .enumerate()
        .filter(|(_, &b)| b == b'\n')
        .nth(1)
        .unwrap()
        .0;
    bytes.splice(third + 1..third + 1, *b"# r\xe9sum\xe9\n");
    fs::write(&ann, &bytes).unwrap();
    let export = repo().join("tests/fixtures/hypothesis/export.json");
    let o = import(&root, "first-text", &export);
    let said = text(&o);
    assert_ne!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("content/annotations/first-text.yaml:3:4")
            && said.contains("not valid UTF-8")
            && said.contains("import changed nothing"),
        "the error names the file, line and column:\n{said}"
    );
    assert_eq!(fs::read(&ann).unwrap(), bytes, "the file is unchanged");
    let beside: Vec<_> = fs::read_dir(ann.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(beside.len(), 2, "no temporary file is left: {beside:?}");
}

/// An annotation file that cannot be read at all (here: a folder where the
/// file should be) is an error naming it, never taken for an empty file.
#[test]
fn import_into_an_annotation_file_that_cannot_be_read_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&repo().join("tests/fixtures/basic"), &root);
    let ann = root.join("content/annotations/first-text.yaml");
    fs::remove_file(&ann).unwrap();
    fs::create_dir(&ann).unwrap();
    fs::write(ann.join("kept.txt"), "mine").unwrap();
    let export = repo().join("tests/fixtures/hypothesis/export.json");
    let o = import(&root, "first-text", &export);
    let said = text(&o);
    assert_ne!(o.status.code(), Some(0), "{said}");
    assert!(
        said.contains("content/annotations/first-text.yaml"),
        "{said}"
    );
    assert_eq!(fs::read_to_string(ann.join("kept.txt")).unwrap(), "mine");
}

/// An import writes the whole new file beside the old one and renames it
/// over: the file keeps its permissions and nothing else is left.
#[test]
fn import_replaces_the_annotation_file_whole_and_keeps_its_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&repo().join("tests/fixtures/basic"), &root);
    let ann = root.join("content/annotations/first-text.yaml");
    let before = fs::read_to_string(&ann).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(&ann, fs::Permissions::from_mode(0o640)).unwrap();
    }
    let export = repo().join("tests/fixtures/hypothesis/export.json");
    let o = import(&root, "first-text", &export);
    assert!(text(&o).contains("Imported 2 note(s)"), "{}", text(&o));
    let after = fs::read_to_string(&ann).unwrap();
    let mut kept = after.lines();
    assert!(
        before.lines().all(|l| kept.any(|k| k == l)),
        "every line of the file is kept, in order:\n{after}"
    );
    assert!(after.contains("id: hyp-zx9mwq2gee6tj8sn"), "{after}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            fs::metadata(&ann).unwrap().permissions().mode() & 0o777,
            0o640
        );
    }
    let names: Vec<_> = fs::read_dir(ann.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

/// A named pipe (or any file that is neither a regular file nor a folder)
/// among the texts is skipped with a warning that names it, instead of in
/// silence.
#[cfg(unix)]
#[test]
fn a_fifo_among_the_texts_is_skipped_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("site");
    copy_dir(&repo().join("tests/fixtures/basic"), &root);
    let fifo = root.join("content/texts/pipe.md");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let o = bin()
        .arg("check")
        .arg("--root")
        .arg(&root)
        .output()
        .unwrap();
    let said = text(&o);
    assert!(o.status.success(), "{said}");
    assert!(
        said.contains("content/texts/pipe.md") && said.contains("not a regular file"),
        "{said}"
    );
}

/// A build run from a folder that was deleted meanwhile (a shell left in a
/// removed checkout) cannot tell where a relative `--out` is: it says so,
/// instead of taking the path as relative to nowhere.
#[cfg(unix)]
#[test]
fn a_relative_output_from_a_deleted_current_folder_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = repo().join("tests/fixtures/basic");
    let gone = dir.path().join("gone");
    fs::create_dir(&gone).unwrap();
    let o = Command::new("sh")
        .arg("-c")
        .arg(r#"cd "$1" && rmdir "$1" && exec "$2" build --root "$3" --out public"#)
        .arg("sh")
        .arg(&gone)
        .arg(env!("CARGO_BIN_EXE_scholion"))
        .arg(&root)
        .output()
        .unwrap();
    let said = text(&o);
    assert_eq!(o.status.code(), Some(2), "{said}");
    assert!(
        said.contains("cannot tell where public is: the current folder cannot be read"),
        "{said}"
    );
    assert!(!root.join("public").exists());
}
