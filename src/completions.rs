//! `scholion completions SHELL` and `scholion man`: the shell completion
//! scripts (clap_complete) and the manual pages (clap_mangen), made from the
//! same clap definition as the command line itself, so they never fall out
//! of date. The release archives carry both, made by these commands.

use crate::cli::Cli;
use clap::CommandFactory;
use std::io::{self, Write};
use std::path::Path;

/// Writes the completion script for `shell` to standard output.
pub fn completions(shell: clap_complete::Shell) -> io::Result<()> {
    let mut out = io::stdout().lock();
    clap_complete::generate(shell, &mut Cli::command(), "scholion", &mut out);
    out.flush()
}

/// Writes the manual page `scholion(1)` to standard output, or, with a
/// folder, `scholion.1` and one `scholion-<command>.1` per command into it
/// (creating it). Returns the files written.
pub fn man(dir: Option<&Path>) -> io::Result<Vec<std::path::PathBuf>> {
    let cmd = Cli::command();
    match dir {
        None => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(cmd).render(&mut out)?;
            out.flush()?;
            Ok(Vec::new())
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            let mut cmd = cmd.disable_help_subcommand(true);
            cmd.build();
            let mut written = vec![clap_mangen::Man::new(cmd.clone()).generate_to(dir)?];
            for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
                written.push(clap_mangen::Man::new(sub.clone()).generate_to(dir)?);
            }
            Ok(written)
        }
    }
}
