//! What an editor meets right after installing: `scholion --version`, what
//! `scholion new` makes and says (a site repository with its GitHub Pages
//! workflow, `git init` on request), what `build` says about where the site
//! is, the shell completions and the manual page; and the project's public
//! address, kept in Cargo.toml alone, as the schemas and the files that name
//! it carry it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scholion"))
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    bin().args(args).output().expect("the binary runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn new_site(dir: &Path, extra: &[&str]) -> Output {
    let o = bin()
        .arg("new")
        .arg(dir)
        .args(extra)
        .output()
        .expect("the binary runs");
    assert!(o.status.success(), "scholion new: {}", stderr(&o));
    o
}

#[test]
fn version_names_the_version_and_the_commit() {
    let o = run(&["--version"]);
    assert!(o.status.success());
    let out = stdout(&o);
    let prefix = concat!("scholion ", env!("CARGO_PKG_VERSION"), " (commit ");
    let commit = out
        .trim_end()
        .strip_prefix(prefix)
        .and_then(|r| r.strip_suffix(')'))
        .unwrap_or_else(|| panic!("--version prints `{prefix}<commit>)`, not {out:?}"));
    // Built from a git work tree whose top is this crate: the commit is HEAD's.
    let head = Command::new("git")
        .args(["rev-parse", "--show-toplevel", "--short=9", "HEAD"])
        .current_dir(repo())
        .output();
    match head {
        Ok(h) if h.status.success() => {
            let h = String::from_utf8_lossy(&h.stdout).into_owned();
            let mut lines = h.lines();
            let top = PathBuf::from(lines.next().unwrap()).canonicalize().unwrap();
            if top == repo().canonicalize().unwrap() && std::env::var("SCHOLION_COMMIT").is_err() {
                assert_eq!(commit, lines.next().unwrap(), "the commit of HEAD");
            }
        }
        _ => assert!(
            commit == "unknown" || commit.chars().all(|c| c.is_ascii_hexdigit()),
            "{commit}"
        ),
    }
}

#[test]
fn new_says_how_to_make_a_git_repository_and_makes_none() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-reader");
    let o = new_site(&site, &[]);
    let said = stderr(&o);
    assert!(said.contains("git init -b main"), "{said}");
    assert!(said.contains("scholion serve --root "), "{said}");
    assert!(!site.join(".git").exists(), "no repository without --git");
}

#[test]
fn new_with_git_makes_a_repository_on_main() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-reader");
    let o = new_site(&site, &["--git"]);
    assert!(stderr(&o).contains("git repository"), "{}", stderr(&o));
    let head = fs::read_to_string(site.join(".git/HEAD")).unwrap();
    assert_eq!(head.trim(), "ref: refs/heads/main");
    // The output folder is ignored, the content is not.
    let status = Command::new("git")
        .args(["status", "--porcelain", "--untracked-files=all"])
        .current_dir(&site)
        .output()
        .unwrap();
    let status = stdout(&status);
    assert!(status.contains(".github/workflows/pages.yml"), "{status}");
    assert!(status.contains("content/site.yaml"), "{status}");
}

/// The workflow `scholion new` writes is the documented recipe, installs the
/// released Scholion of this version instead of compiling it, and its build
/// command publishes the new site.
#[test]
fn the_new_sites_pages_workflow_installs_this_version_and_builds_the_site() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    new_site(&site, &[]);
    let workflow = fs::read_to_string(site.join(".github/workflows/pages.yml")).unwrap();
    let recipe = fs::read_to_string(repo().join("docs/deploy/github-pages.yml")).unwrap();
    assert_eq!(
        workflow, recipe,
        "the scaffold writes the documented recipe"
    );
    assert!(
        workflow.contains(concat!(
            "SCHOLION_VERSION: \"",
            env!("CARGO_PKG_VERSION"),
            "\""
        )),
        "docs/deploy/github-pages.yml pins the version in Cargo.toml (raise it with each release)"
    );
    assert!(workflow.contains("pip install \"scholion-reader==$SCHOLION_VERSION\""));
    assert!(!workflow.contains("cargo"), "nothing is compiled");
    assert_eq!(
        fs::read_to_string(site.join(".gitignore")).unwrap(),
        "/public\n"
    );

    let build = workflow
        .lines()
        .find_map(|l| l.trim().strip_prefix("run: scholion "))
        .expect("a `run: scholion …` step");
    let build = build.replace(
        "\"${{ steps.pages.outputs.base_url }}/\"",
        "https://editor.github.io/site/",
    );
    let o = bin()
        .args(build.split(' '))
        .current_dir(&site)
        .output()
        .unwrap();
    assert!(o.status.success(), "{build}: {}", stderr(&o));
    let sitemap = fs::read_to_string(site.join("public/sitemap.xml")).unwrap();
    assert!(sitemap.contains("https://editor.github.io/site/texts/gettysburg-address.html"));
}

#[test]
fn build_says_where_the_site_is_and_how_to_open_it() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    new_site(&site, &[]);
    let o = bin().args(["build", "--root"]).arg(&site).output().unwrap();
    assert!(o.status.success());
    let said = stderr(&o);
    let index = std::path::absolute(site.join("public/index.html")).unwrap();
    assert!(
        said.contains(&format!("Open {} in a browser", index.display())),
        "{said}"
    );
    assert!(index.is_file());
    assert!(said.contains(&format!("scholion serve --root {}", site.display())));

    let quiet = bin()
        .args(["build", "--quiet", "--root"])
        .arg(&site)
        .output()
        .unwrap();
    assert!(quiet.status.success());
    assert_eq!(stderr(&quiet), "", "--quiet prints nothing on success");
}

#[test]
fn completions_for_each_shell_know_the_commands_and_options() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = run(&["completions", shell]);
        assert!(o.status.success(), "{shell}: {}", stderr(&o));
        let script = stdout(&o);
        for word in [
            "build",
            "serve",
            "check",
            "new",
            "import",
            "completions",
            "base-url",
        ] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    // The bash script is valid bash, and completes the commands.
    let bash = stdout(&run(&["completions", "bash"]));
    let probe = format!(
        "{bash}\nCOMP_WORDS=(scholion b); COMP_CWORD=1; _scholion scholion b scholion; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    );
    let o = Command::new("bash").args(["-c", &probe]).output();
    if let Ok(o) = o {
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(
            stdout(&o).trim(),
            "build",
            "`scholion b<Tab>` completes to build"
        );
    }
    let bad = run(&["completions", "tcsh"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("possible values"), "{}", stderr(&bad));
}

#[test]
fn the_manual_page_describes_every_command() {
    let o = run(&["man"]);
    assert!(o.status.success());
    let page = stdout(&o);
    assert!(page.contains(".TH scholion 1"), "{page}");
    assert!(page.contains(env!("CARGO_PKG_VERSION")));
    for cmd in [
        "build",
        "check",
        "serve",
        "new",
        "import",
        "completions",
        "man",
    ] {
        assert!(
            page.contains(&format!("scholion\\-{cmd}(1)")),
            "lists {cmd}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let o = bin()
        .args(["man", "--dir"])
        .arg(dir.path().join("man1"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let build = fs::read_to_string(dir.path().join("man1/scholion-build.1")).unwrap();
    assert!(build.contains("base\\-url"), "{build}");
    assert!(dir.path().join("man1/scholion.1").is_file());
    assert!(dir.path().join("man1/scholion-serve.1").is_file());
}

/// The schemas a site gets carry their published address, at the project's
/// home, in `$id`.
#[test]
fn the_schemas_carry_their_address_at_the_projects_home() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    new_site(&site, &[]);
    for name in [
        "site.schema.json",
        "annotations.schema.json",
        "glossary.schema.json",
    ] {
        let text = fs::read_to_string(site.join("schemas").join(name)).unwrap();
        let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            schema["$id"],
            format!("{}schemas/{name}", env!("CARGO_PKG_HOMEPAGE")),
            "{name}"
        );
        let source = fs::read_to_string(repo().join("schemas").join(name)).unwrap();
        let source: serde_json::Value = serde_json::from_str(&source).unwrap();
        let mut without_id = schema.clone();
        without_id.as_object_mut().unwrap().remove("$id");
        assert_eq!(without_id, source, "{name} is schemas/{name} with its $id");
    }
}

fn yaml(path: &str) -> serde_json::Value {
    let text = fs::read_to_string(repo().join(path)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"))
}

/// The release workflow makes an archive for each machine the installers
/// ask for, and the installers name the archives as scripts/dist.sh makes them.
#[test]
fn the_release_workflow_makes_what_the_installers_download() {
    let release = yaml(".github/workflows/release.yml");
    let targets: Vec<&str> = release["jobs"]["archives"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    let sh = fs::read_to_string(repo().join("scripts/install.sh")).unwrap();
    for arch in ["x86_64", "aarch64"] {
        for os in ["unknown-linux-musl", "apple-darwin"] {
            assert!(sh.contains(&format!("arch={arch}")) && sh.contains(&format!("os={os}")));
            let target = format!("{arch}-{os}");
            assert!(
                targets.contains(&target.as_str()),
                "no archive for {target}"
            );
        }
    }
    assert!(sh.contains("name=\"scholion-$SCHOLION_TARGET\"") && sh.contains("$name.tar.gz"));
    let ps1 = fs::read_to_string(repo().join("scripts/install.ps1")).unwrap();
    assert!(ps1.contains("$Name = 'scholion-x86_64-pc-windows-msvc'") && ps1.contains("$Name.zip"));
    assert!(targets.contains(&"x86_64-pc-windows-msvc"));
    // Wheels for the same machines, and the deploy recipe is valid YAML too.
    let wheels = release["jobs"]["wheels"]["strategy"]["matrix"]["include"]
        .as_array()
        .unwrap()
        .len();
    assert!(wheels >= 5, "{wheels} wheels");
    let pages = yaml("docs/deploy/github-pages.yml");
    assert_eq!(pages["jobs"]["build"]["runs-on"], "ubuntu-latest");
}

/// The Markdown files of the repository (README.md and docs/), relative.
fn docs() -> Vec<PathBuf> {
    let mut out = vec![PathBuf::from("README.md")];
    let mut stack = vec![repo().join("docs")];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "md" || e == "yml") {
                out.push(p.strip_prefix(repo()).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// Every recipe that installs the released Scholion pins this version, so a
/// release that raises it has to bring the docs along (docs/releasing.md).
#[test]
fn the_deploy_recipes_install_this_version() {
    let mut pins = 0;
    for doc in docs() {
        let text = fs::read_to_string(repo().join(&doc)).unwrap();
        for (at, _) in text.match_indices("scholion-reader==") {
            let version: String = text[at + "scholion-reader==".len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '$' || *c == '_')
                .collect();
            let version = version.trim_end_matches('.');
            if version.starts_with('$') {
                continue;
            }
            assert_eq!(version, env!("CARGO_PKG_VERSION"), "{}", doc.display());
            pins += 1;
        }
    }
    assert!(
        pins >= 3,
        "the GitLab, Netlify and Cloudflare recipes pin a version"
    );
}

/// Whether a schema store `fileMatch` pattern (`**/` then a path with `*`
/// standing for one name's characters) matches a relative path.
fn file_match(pattern: &str, path: &str) -> bool {
    let tail = pattern.strip_prefix("**/").unwrap_or(pattern);
    let (pat, p): (Vec<&str>, Vec<&str>) = (tail.split('/').collect(), path.split('/').collect());
    if p.len() < pat.len() || (!pattern.starts_with("**/") && p.len() != pat.len()) {
        return false;
    }
    pat.iter()
        .zip(&p[p.len() - pat.len()..])
        .all(|(a, b)| match a.split_once('*') {
            Some((pre, post)) => {
                b.len() >= pre.len() + post.len() && b.starts_with(pre) && b.ends_with(post)
            }
            None => a == b,
        })
}

/// schemas/catalog.json, ready for the schema store: each entry points at a
/// schema's published address and matches the files of that kind in a new
/// site, and no others.
#[test]
fn the_schema_catalog_points_at_the_published_schemas_and_matches_the_sites_files() {
    let catalog: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(repo().join("schemas/catalog.json")).unwrap())
            .unwrap();
    assert_eq!(
        catalog["$schema"],
        "https://json.schemastore.org/schema-catalog.json"
    );
    let files = [
        ("site.schema.json", "content/site.yaml"),
        ("glossary.schema.json", "content/glossary.yaml"),
        (
            "annotations.schema.json",
            "content/annotations/gettysburg-address.yaml",
        ),
    ];
    let entries = catalog["schemas"].as_array().unwrap();
    assert_eq!(entries.len(), files.len());
    for (schema, _) in files {
        let url = format!("{}schemas/{schema}", env!("CARGO_PKG_HOMEPAGE"));
        let entry = entries
            .iter()
            .find(|e| e["url"] == url.as_str())
            .unwrap_or_else(|| panic!("no catalog entry for {url}"));
        assert!(entry["name"]
            .as_str()
            .is_some_and(|n| n.starts_with("Scholion")));
        for (other, other_file) in files {
            let matched = entry["fileMatch"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| file_match(m.as_str().unwrap(), &format!("my-reader/{other_file}")));
            assert_eq!(matched, other == schema, "{schema} on {other_file}");
        }
        assert!(!file_match(
            "**/content/annotations/*.yaml",
            "content/site.yaml"
        ));
    }
}

/// The project's address lives in Cargo.toml; every file that names it
/// (the docs, the catalog) names that one, so that moving the project means
/// changing Cargo.toml and the files this test lists.
#[test]
fn every_file_that_names_the_projects_address_names_the_one_in_cargo_toml() {
    let repository = env!("CARGO_PKG_REPOSITORY");
    let homepage = env!("CARGO_PKG_HOMEPAGE");
    let mut stack = vec![repo()];
    let mut wrong = Vec::new();
    let mut named = 0;
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            if p.is_dir() {
                if !["target", "node_modules", ".git", "public", "fuzz"].contains(&name.as_str()) {
                    stack.push(p);
                }
                continue;
            }
            let Ok(text) = fs::read_to_string(&p) else {
                continue;
            };
            let rel = p.strip_prefix(repo()).unwrap().display().to_string();
            if rel == "tests/install.rs" {
                continue;
            }
            for (at, _) in text.match_indices("/scholion") {
                // `github.com/<owner>/scholion` or `<owner>.github.io/scholion`,
                // the name ending there.
                let next = text[at + "/scholion".len()..].chars().next();
                if next.is_some_and(|c| c.is_alphanumeric() || c == '-' || c == '_') {
                    continue;
                }
                let before = &text[..at];
                let start = before
                    .rfind(|c: char| c.is_whitespace() || "(<\"'`=".contains(c))
                    .map_or(0, |i| i + 1);
                let address = &text[start..at + "/scholion".len()];
                let is_home = address.contains("github.com/") || address.contains(".github.io");
                if !is_home || address.contains("YOUR-NAME") || address.contains("USER") {
                    continue;
                }
                let address = address
                    .trim_start_matches("https://")
                    .trim_start_matches("http://");
                let expected = [repository, homepage.trim_end_matches('/')]
                    .map(|a| a.trim_start_matches("https://").to_string());
                if expected.iter().any(|e| e == address) {
                    named += 1;
                } else {
                    wrong.push(format!("{rel}: {address}"));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "addresses other than Cargo.toml's: {wrong:?}"
    );
    assert!(
        named >= 4,
        "the README, the guide and the catalog name the home ({named})"
    );
}
