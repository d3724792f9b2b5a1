//! A synthetic collection for the benchmark (docs/performance.md): writes a
//! valid site folder of N texts of realistic length, with notes, cross-links
//! and a glossary whose terms occur throughout.
//!
//! ```text
//! cargo run --release --example gen_corpus -- N OUT [--seed S]
//! ```
//!
//! - Texts run from 2,000 to 30,000 words (log-normal, median about 6,000),
//!   in headed sections of paragraphs, with a few lists, block quotes,
//!   tables and footnotes, and inline emphasis, links, quotation marks and
//!   dashes, hard-wrapped like a transcription.
//! - About one note per 300 words. Every anchor quotes words that occur
//!   exactly once in the reader-visible text of its text (checked here with
//!   one Aho-Corasick pass per text), a quarter of them in the long form
//!   with prefix and suffix, so every anchor resolves.
//! - About one cross-link per 1,500 words, to `slug#pN` of another text (and
//!   now and then to one of its notes); note bodies refer to glossary
//!   entries, to other notes and to paragraphs of other texts with `[[…]]`.
//! - 150 glossary entries of every kind, used with a skewed frequency (a
//!   few terms are everywhere, most are occasional).
//!
//! The output depends only on N and the seed: each text draws from its own
//! generator, seeded from the seed and its index, so texts can be written
//! on several threads and still come out the same. `scholion check` reports
//! no errors and no warnings on the result.

use aho_corasick::AhoCorasick;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

// ------------------------------------------------------------------ random

/// SplitMix64: tiny, fast and good enough for synthetic prose.
#[derive(Clone)]
struct Rng(u64);

impl Rng {
    /// A generator for one purpose (`stream`) of one item (`index`).
    fn derive(seed: u64, stream: u64, index: u64) -> Self {
        let mut r = Rng(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r.0 ^= index.wrapping_mul(0xD1B5_4A32_D192_ED03);
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        (((self.next() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick(&mut self, words: &[&'static str]) -> &'static str {
        words[self.below(words.len())]
    }

    /// Standard normal (Box-Muller).
    fn normal(&mut self) -> f64 {
        let u = self.unit().max(1e-12);
        let v = self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    /// An index in `0..n` skewed towards 0: a few items are common, most rare.
    fn skewed(&mut self, n: usize) -> usize {
        let u = self.unit();
        ((u * u) * n as f64) as usize % n
    }

    /// A word's index in a list of `n`: mostly uniform, with a Zipf-like
    /// share that makes the first words of the list the common ones.
    fn word(&mut self, n: usize) -> usize {
        if self.chance(0.15) {
            ((((n + 1) as f64).powf(self.unit()) as usize).saturating_sub(1)).min(n - 1)
        } else {
            self.below(n)
        }
    }
}

// ------------------------------------------------------------------ words

const FUNCTION_LIST: &str =
    "the the the of of and and to in a that is for on with as by which this be are it from \
    its their not all or at have was has will an we our they must should these those into \
    against between under over every each no more most such only also than been were who \
    whose whom can may shall";

const CONTENT_LIST: &str =
    "workers peasants party parties congress committee struggle peace war state states people \
    peoples nation nations union unions movement movements class classes labour land reform \
    question interests countries country government governments power forces unity \
    principles principle policy policies economy production wages factory factories mines \
    railways harvest grain cooperatives villages towns cities delegates resolution \
    resolutions programme statutes leadership members membership organisations press \
    newspaper readers schools teachers students women youth veterans soldiers army frontier \
    treaty treaties alliance alliances conference declaration appeal manifesto report debate \
    criticism errors mistakes victory defeat crisis crises development progress history \
    experience future demands strikes strike assembly assemblies elections vote votes rights \
    freedom independence sovereignty equality solidarity support aid credit trade markets \
    prices taxes budget plan plans targets output industry agriculture science culture art \
    literature theory practice tasks duty duties work conditions situation period years \
    decades generation revolution reaction opposition tendencies groups factions discipline \
    decisions discussion agreement differences dispute colonies empire capital banks \
    monopolies owners landlords tenants build builds defend defends oppose opposes demand \
    demanded organise organised declare declared recognise recognised strengthen \
    strengthened weaken weakened condemn condemned welcome welcomed propose proposed adopt \
    adopted reject rejected support supported lead led follow followed unite united divide \
    divided secure secured achieve achieved prepare prepared remain remained become became \
    show shown new old great small broad narrow common general national international \
    economic political social cultural democratic socialist peaceful free equal independent \
    fraternal decisive correct wrong serious urgent lasting firm strong weak young rural \
    urban industrial agrarian colonial foreign domestic central local regional working \
    toiling progressive reactionary revolutionary historic present recent early late first \
    second third whole entire daily real true concrete practical theoretical scientific \
    material moral";

const FIRST_NAMES_LIST: &str =
    "Anna Boris Clara Dmitri Elena Ferenc Georgi Hanna Ivan Jan Karol Lidia Milan Nadia Oskar \
    Pavel Rosa Sergei Tamara Viktor Wanda Yuri Zofia Ludwig Marta";

const LAST_NAMES_LIST: &str =
    "Abramov Balaban Czerny Dobrev Esterhazy Falkenberg Gorlov Halasz Iliescu Jankowski Kowal \
    Lebedev Marinov Novak Orlov Petrescu Quarenghi Rostov Szabo Toth Urbanek Vasquez Wolski \
    Yakovlev Zeman Andersen Brandt Castellano Dimitrescu Eklund";

const SYLLABLES_LIST: &str =
    "ka ro vi na mel dor sta lin gor ska bel tra mir pol zan ost ber len va dan";

const ADJ_CONCEPT_LIST: &str =
    "collective peaceful proletarian bourgeois agrarian national democratic revolutionary \
    socialist economic political cultural scientific popular international dual permanent \
    state mass united";

const NOUN_CONCEPT_LIST: &str =
    "coexistence leadership centralism internationalism revisionism dogmatism sectarianism \
    planning ownership front dictatorship hegemony transformation emancipation accumulation \
    self-determination line vigilance construction consciousness";

const ORG_NOUNS_LIST: &str = "Metal Railway Textile Mine Dock Print Forest Farm Postal Teachers";

const WORK_WORDS_LIST: &str =
    "Theses Letters Notes Lectures Reflections Principles Questions Problems Tasks \
    Foundations";

const ROMAN_LIST: &str =
    "I II III IV V VI VII VIII IX X XI XII XIII XIV XV XVI XVII XVIII XIX XX XXI XXII XXIII \
    XXIV XXV";

/// The lists above as slices, split once.
fn list(s: &'static str) -> Vec<&'static str> {
    s.split_whitespace().collect()
}

static FUNCTION: LazyLock<Vec<&str>> = LazyLock::new(|| list(FUNCTION_LIST));
static CONTENT: LazyLock<Vec<&str>> = LazyLock::new(|| list(CONTENT_LIST));
static FIRST_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| list(FIRST_NAMES_LIST));
static LAST_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| list(LAST_NAMES_LIST));
static SYLLABLES: LazyLock<Vec<&str>> = LazyLock::new(|| list(SYLLABLES_LIST));
static ADJ_CONCEPT: LazyLock<Vec<&str>> = LazyLock::new(|| list(ADJ_CONCEPT_LIST));
static NOUN_CONCEPT: LazyLock<Vec<&str>> = LazyLock::new(|| list(NOUN_CONCEPT_LIST));
static ORG_NOUNS: LazyLock<Vec<&str>> = LazyLock::new(|| list(ORG_NOUNS_LIST));
static WORK_WORDS: LazyLock<Vec<&str>> = LazyLock::new(|| list(WORK_WORDS_LIST));
static ROMAN: LazyLock<Vec<&str>> = LazyLock::new(|| list(ROMAN_LIST));

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn slugify(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// A YAML double-quoted scalar.
fn yq(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

// ------------------------------------------------------------------ glossary

struct Entry {
    id: String,
    term: String,
    kind: &'static str,
    /// The form inserted in the texts.
    form: String,
    aliases: Vec<String>,
    link: &'static str,
}

fn glossary(seed: u64) -> Vec<Entry> {
    let mut rng = Rng::derive(seed, 1, 0);
    let mut out: Vec<Entry> = Vec::new();
    let mut seen_terms = std::collections::BTreeSet::new();
    let mut seen_ids = std::collections::BTreeSet::new();
    let kinds: [(&str, usize); 6] = [
        ("concept", 45),
        ("person", 40),
        ("organisation", 20),
        ("place", 20),
        ("event", 15),
        ("work", 10),
    ];
    for (kind, count) in kinds {
        let mut made = 0;
        let mut attempts = 0;
        while made < count && attempts < 10_000 {
            attempts += 1;
            let place_name = |rng: &mut Rng| {
                let n = rng.range(2, 3);
                let s: String = (0..n).map(|_| rng.pick(&SYLLABLES)).collect();
                capitalise(&s)
            };
            let (term, form, aliases): (String, String, Vec<String>) = match kind {
                "concept" => {
                    let f = format!("{} {}", rng.pick(&ADJ_CONCEPT), rng.pick(&NOUN_CONCEPT));
                    (capitalise(&f), f.clone(), vec![f])
                }
                "person" => {
                    let first = rng.pick(&FIRST_NAMES);
                    let last = LAST_NAMES[made % LAST_NAMES.len()];
                    let t = if made < LAST_NAMES.len() {
                        format!("{first} {last}")
                    } else {
                        format!("{first} {} {last}", rng.pick(&FIRST_NAMES))
                    };
                    (t.clone(), t, vec![])
                }
                "organisation" => {
                    let t = format!(
                        "Union of {} Workers of {}",
                        rng.pick(&ORG_NOUNS),
                        place_name(&mut rng)
                    );
                    (t.clone(), t, vec![])
                }
                "place" => {
                    let t = place_name(&mut rng);
                    (t.clone(), t, vec![])
                }
                "event" => {
                    let t = format!(
                        "{} Conference of {}",
                        place_name(&mut rng),
                        rng.range(1890, 1990)
                    );
                    (t.clone(), t, vec![])
                }
                _ => {
                    let t = format!(
                        "{} on the {} Question",
                        rng.pick(&WORK_WORDS),
                        capitalise(rng.pick(&CONTENT))
                    );
                    (t.clone(), t, vec![])
                }
            };
            if !seen_terms.insert(term.to_lowercase()) {
                continue;
            }
            let id = slugify(&term);
            if id.is_empty()
                || !id.as_bytes()[0].is_ascii_lowercase()
                || !seen_ids.insert(id.clone())
            {
                continue;
            }
            let link = match rng.below(10) {
                0 => "all",
                1 => "none",
                _ => "first",
            };
            out.push(Entry {
                id,
                term,
                kind,
                form,
                aliases,
                link,
            });
            made += 1;
        }
    }
    // A person or a place whose name is part of a longer term (an
    // organisation, an event) must not win the match inside it: that is the
    // longest-match rule, exercised on purpose.
    out
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        let w = if rng.chance(0.45) {
            rng.pick(&FUNCTION)
        } else {
            CONTENT[rng.word(CONTENT.len())]
        };
        if i > 0 {
            s.push(' ');
            if rng.chance(0.06) {
                s.pop();
                s.push_str(", ");
            }
        }
        if i == 0 {
            s.push_str(&capitalise(w));
        } else {
            s.push_str(w);
        }
    }
    s.push('.');
    s
}

fn prose(rng: &mut Rng, words: usize) -> String {
    let mut out = String::new();
    let mut left = words;
    while left > 0 {
        let n = rng.range(8, 22).min(left);
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&sentence(rng, n));
        left -= n;
    }
    out
}

fn write_glossary(seed: u64, entries: &[Entry]) -> String {
    let mut rng = Rng::derive(seed, 2, 0);
    let mut y =
        String::from("# The glossary of a synthetic collection (examples/gen_corpus.rs).\n\n");
    for (i, e) in entries.iter().enumerate() {
        let _ = writeln!(y, "- id: {}", e.id);
        let _ = writeln!(y, "  term: {}", yq(&e.term));
        let _ = writeln!(y, "  kind: {}", e.kind);
        if !e.aliases.is_empty() {
            let a: Vec<String> = e.aliases.iter().map(|a| yq(a)).collect();
            let _ = writeln!(y, "  aliases: [{}]", a.join(", "));
        }
        let _ = writeln!(y, "  link: {}", e.link);
        let words = rng.range(40, 90);
        let mut def = prose(&mut rng, words);
        let other = &entries[(i + 1 + rng.below(entries.len() - 1)) % entries.len()];
        let _ = write!(def, " See also [[{}]].", other.id);
        y.push_str("  definition: |\n");
        for line in wrap(&def, 76) {
            let _ = writeln!(y, "    {line}");
        }
        if rng.chance(0.4) {
            let s = &entries[(i + 1 + rng.below(entries.len() - 1)) % entries.len()];
            let _ = writeln!(y, "  see_also: [{}]", s.id);
        }
        let _ = writeln!(
            y,
            "  sources:\n    - {}",
            yq(&format!(
                "{}, *{}* ({})",
                rng.pick(&LAST_NAMES),
                capitalise(&prose(&mut rng, 4).trim_end_matches('.').to_lowercase()),
                rng.range(1950, 2020)
            ))
        );
        y.push('\n');
    }
    y
}

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for w in s.split(' ') {
        if !line.is_empty() && line.len() + 1 + w.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(w);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

// ------------------------------------------------------------------ texts

/// The shape of a text, drawn before its words: the number of words and the
/// blocks. Cheap, so the paragraph counts of all texts are known before any
/// annotation (which may target any paragraph of any text) is written.
struct Plan {
    slug: String,
    title: String,
    short_title: String,
    blocks: Vec<Block>,
    /// Numbered blocks (¶) in the text.
    paragraphs: usize,
    words: usize,
}

enum Block {
    Heading(usize),
    Para(usize),
    List(Vec<usize>),
    Quote(Vec<usize>),
    Table,
}

fn plan(seed: u64, i: usize) -> Plan {
    let mut rng = Rng::derive(seed, 3, i as u64);
    let words = (6000.0 * (0.55 * rng.normal()).exp()).clamp(2000.0, 30000.0) as usize;
    let title_words: Vec<&str> = (0..rng.range(2, 4))
        .map(|_| rng.pick(&CONTENT[..120]))
        .collect();
    let title = format!(
        "On the {} of the {}",
        title_words[..title_words.len() - 1].join(" "),
        title_words[title_words.len() - 1]
    );
    let slug = format!("{:05}-{}", i + 1, slugify(&title_words.join(" ")));
    let short_title = format!("No. {} ({})", i + 1, capitalise(title_words[0]));
    let mut blocks = Vec::new();
    let mut left = words;
    let mut paragraphs = 0;
    let mut since_heading = usize::MAX;
    let mut headings = 0;
    while left > 0 {
        if since_heading > 1000 && headings < ROMAN.len() && rng.chance(0.4) {
            blocks.push(Block::Heading(rng.range(2, 6)));
            headings += 1;
            since_heading = 0;
            continue;
        }
        let r = rng.below(100);
        let used = if r < 3 {
            let items: Vec<usize> = (0..rng.range(3, 6)).map(|_| rng.range(8, 40)).collect();
            paragraphs += items.len();
            let n = items.iter().sum();
            blocks.push(Block::List(items));
            n
        } else if r < 6 {
            let paras: Vec<usize> = (0..rng.range(1, 2)).map(|_| rng.range(30, 120)).collect();
            paragraphs += paras.len();
            let n = paras.iter().sum();
            blocks.push(Block::Quote(paras));
            n
        } else if r < 7 {
            paragraphs += 1;
            blocks.push(Block::Table);
            12
        } else {
            let n = (rng.range(30, 120) + rng.range(0, 100)).min(left.max(20));
            paragraphs += 1;
            blocks.push(Block::Para(n));
            n
        };
        left = left.saturating_sub(used);
        since_heading = since_heading.saturating_add(used);
    }
    Plan {
        slug,
        title,
        short_title,
        blocks,
        paragraphs,
        words,
    }
}

/// A word of a passage: its Markdown and what the reader sees. Only plain
/// tokens go into anchors.
struct Token {
    md: String,
    vis: String,
    plain: bool,
}

/// A passage as written: its tokens (empty for tables and headings, whose
/// words are in `extra`), and whether notes may anchor in it.
struct Passage {
    tokens: Vec<Token>,
    anchorable: bool,
}

/// A block of running text: its Markdown lines (the first after `first`,
/// the others after `rest`), its visible words, and an anchorable passage.
fn push_block(
    md: &mut String,
    visible: &mut String,
    passages: &mut Vec<Passage>,
    tokens: Vec<Token>,
    first: &str,
    rest: &str,
) {
    md.push_str(&md_lines(&tokens, first, rest, 78));
    visible.push_str(&vis(&tokens));
    visible.push('\n');
    passages.push(Passage {
        tokens,
        anchorable: true,
    });
}

struct TextWriter<'a> {
    rng: Rng,
    glossary: &'a [Entry],
    /// Glossary entries this text makes sure to use.
    forced: Vec<usize>,
    footnotes: Vec<String>,
    links_out: usize,
}

impl TextWriter<'_> {
    fn tokens(&mut self, words: usize) -> Vec<Token> {
        let mut out: Vec<Token> = Vec::with_capacity(words + 8);
        let mut start_sentence = true;
        let mut in_sentence = 0;
        let mut sentence_len = self.rng.range(8, 24);
        while out.len() < words {
            // A glossary term, about one per 90 words.
            if self.rng.chance(1.0 / 90.0) {
                let e = match self.forced.pop() {
                    Some(e) => &self.glossary[e],
                    None => &self.glossary[self.rng.skewed(self.glossary.len())],
                };
                for (k, w) in e.form.split(' ').enumerate() {
                    let w = if start_sentence && k == 0 {
                        capitalise(w)
                    } else {
                        w.to_string()
                    };
                    out.push(Token {
                        md: w.clone(),
                        vis: w,
                        plain: true,
                    });
                }
                start_sentence = false;
                in_sentence += 2;
                continue;
            }
            let r = self.rng.below(1000);
            let w: &str = if self.rng.chance(0.45) {
                self.rng.pick(&FUNCTION)
            } else {
                CONTENT[self.rng.word(CONTENT.len())]
            };
            let w = if start_sentence {
                capitalise(w)
            } else {
                w.to_string()
            };
            start_sentence = false;
            in_sentence += 1;
            let end = in_sentence >= sentence_len;
            let punct = if end {
                "."
            } else if self.rng.chance(0.05) {
                ","
            } else {
                ""
            };
            let tok = match r {
                0..=24 => Token {
                    md: format!("*{w}*{punct}"),
                    vis: format!("{w}{punct}"),
                    plain: true,
                },
                25..=29 => Token {
                    md: format!("**{w}**{punct}"),
                    vis: format!("{w}{punct}"),
                    plain: true,
                },
                30..=33 => Token {
                    md: format!("\"{w}\"{punct}"),
                    vis: format!("\u{201C}{w}\u{201D}{punct}"),
                    plain: false,
                },
                34..=35 if !end => Token {
                    md: format!("{w} --"),
                    vis: format!("{w} \u{2013}"),
                    plain: false,
                },
                36 => {
                    self.links_out += 1;
                    Token {
                        md: format!(
                            "[{w}](https://archive.example.org/doc/{}){punct}",
                            self.rng.range(1000, 99999)
                        ),
                        vis: format!("{w}{punct}"),
                        plain: false,
                    }
                }
                37 if self.footnotes.len() < 30 => {
                    let n = self.footnotes.len() + 1;
                    let s = self.rng.range(8, 30);
                    let text = prose(&mut self.rng, s);
                    self.footnotes.push(text);
                    Token {
                        md: format!("{w}{punct}[^{n}]"),
                        vis: format!("{w}{punct}"),
                        plain: false,
                    }
                }
                38 => {
                    let section = self.rng.range(1, 400);
                    Token {
                        md: format!("`§{section}`{punct}"),
                        vis: format!("§{section}{punct}"),
                        plain: false,
                    }
                }
                _ => Token {
                    md: format!("{w}{punct}"),
                    vis: format!("{w}{punct}"),
                    plain: true,
                },
            };
            out.push(tok);
            if end {
                start_sentence = true;
                in_sentence = 0;
                sentence_len = self.rng.range(8, 24);
            }
        }
        if let Some(last) = out.last_mut() {
            if !last.md.ends_with('.') && !last.md.contains("[^") && last.plain {
                last.md.push('.');
                last.vis.push('.');
            }
        }
        out
    }
}

fn md_lines(tokens: &[Token], first: &str, rest: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::from(first);
    let mut empty = true;
    for t in tokens {
        if !empty && line.len() + 1 + t.md.len() > width {
            out.push_str(line.trim_end());
            out.push('\n');
            line = String::from(rest);
            empty = true;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(&t.md);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

fn vis(tokens: &[Token]) -> String {
    let mut s = String::new();
    for (i, t) in tokens.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&t.vis);
    }
    s
}

struct Anchor {
    quote: String,
    prefix: Option<String>,
    suffix: Option<String>,
}

/// Picks `wanted` anchors of plain words that occur once in `all_visible`.
fn pick_anchors(
    rng: &mut Rng,
    passages: &[Passage],
    all_visible: &str,
    wanted: usize,
) -> Vec<(usize, usize, Anchor)> {
    let anchorable: Vec<usize> = passages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.anchorable && p.tokens.len() >= 8)
        .map(|(i, _)| i)
        .collect();
    let mut chosen: Vec<(usize, usize, Anchor)> = Vec::new();
    let mut used_quotes = std::collections::BTreeSet::new();
    for _round in 0..4 {
        if chosen.len() >= wanted || anchorable.is_empty() {
            break;
        }
        let need = wanted - chosen.len();
        let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
        let mut tries = 0;
        while candidates.len() < need * 3 / 2 + 2 && tries < need * 40 + 40 {
            tries += 1;
            let p = anchorable[rng.below(anchorable.len())];
            let toks = &passages[p].tokens;
            let k = rng.range(3, 7);
            if toks.len() <= k {
                continue;
            }
            let s = rng.below(toks.len() - k);
            if toks[s..s + k].iter().all(|t| t.plain) {
                candidates.push((p, s, k));
            }
        }
        let quotes: Vec<String> = candidates
            .iter()
            .map(|&(p, s, k)| vis(&passages[p].tokens[s..s + k]))
            .collect();
        if quotes.is_empty() {
            continue;
        }
        let ac = AhoCorasick::new(&quotes).expect("the quotes make an automaton");
        let mut counts = vec![0usize; quotes.len()];
        for m in ac.find_overlapping_iter(all_visible) {
            counts[m.pattern().as_usize()] += 1;
        }
        for (ci, &(p, s, k)) in candidates.iter().enumerate() {
            if chosen.len() >= wanted {
                break;
            }
            // Identical candidates share one pattern: count via the quote.
            let count = quotes
                .iter()
                .position(|q| *q == quotes[ci])
                .map(|first| counts[first])
                .unwrap_or(0);
            if count != 1 || !used_quotes.insert(quotes[ci].clone()) {
                continue;
            }
            let toks = &passages[p].tokens;
            let long = rng.chance(0.25);
            let prefix = (long && s > 0).then(|| {
                let from = s.saturating_sub(rng.range(1, 3));
                format!("{} ", vis(&toks[from..s]))
            });
            let suffix = (long && s + k < toks.len()).then(|| {
                let to = (s + k + rng.range(1, 3)).min(toks.len());
                format!(" {}", vis(&toks[s + k..to]))
            });
            chosen.push((
                p,
                s,
                Anchor {
                    quote: quotes[ci].clone(),
                    prefix,
                    suffix,
                },
            ));
        }
    }
    chosen.sort_by_key(|c| (c.0, c.1));
    chosen
}

fn write_text(seed: u64, i: usize, plans: &[Plan], entries: &[Entry], root: &Path) -> usize {
    let pl = &plans[i];
    let n = plans.len();
    let mut rng = Rng::derive(seed, 4, i as u64);
    let forced: Vec<usize> = (0..12).map(|k| (i * 7 + k * 13) % entries.len()).collect();
    let mut w = TextWriter {
        rng: Rng::derive(seed, 5, i as u64),
        glossary: entries,
        forced,
        footnotes: Vec::new(),
        links_out: 0,
    };
    let mut md = String::with_capacity(pl.words * 7 + 1024);
    let date = format!(
        "{}-{:02}-{:02}",
        rng.range(1900, 1999),
        rng.range(1, 12),
        rng.range(1, 28)
    );
    let place = entries
        .iter()
        .filter(|e| e.kind == "place")
        .nth(rng.below(20))
        .map(|e| e.term.clone())
        .unwrap_or_default();
    let _ = writeln!(md, "---");
    let _ = writeln!(md, "title: {}", yq(&pl.title));
    let _ = writeln!(md, "short_title: {}", yq(&pl.short_title));
    let _ = writeln!(md, "date: {}", yq(&date));
    let _ = writeln!(md, "place: {}", yq(&place));
    let _ = writeln!(
        md,
        "issued_by: [{}]",
        yq(&format!(
            "Central Committee of the {} party",
            capitalise(rng.pick(&CONTENT))
        ))
    );
    let _ = writeln!(
        md,
        "source: {}",
        yq(&format!(
            "Synthetic archive, box {}, folder {}",
            rng.range(1, 400),
            rng.range(1, 60)
        ))
    );
    let _ = writeln!(md, "source_url: https://archive.example.org/doc/{}", i + 1);
    let _ = writeln!(md, "translation: {}", yq("Generated for the benchmark"));
    let _ = writeln!(md, "order: {}", i + 1);
    let _ = writeln!(md, "---\n");

    let mut passages: Vec<Passage> = Vec::new();
    let mut all_visible = String::with_capacity(pl.words * 7);
    let mut heading_no = 0;
    for b in &pl.blocks {
        match b {
            Block::Heading(words) => {
                let title: Vec<String> = (0..*words)
                    .map(|k| {
                        let c = w.rng.pick(&CONTENT[..150]);
                        if k == 0 {
                            capitalise(c)
                        } else {
                            c.to_string()
                        }
                    })
                    .collect();
                let h = format!("{}. {}", ROMAN[heading_no % ROMAN.len()], title.join(" "));
                heading_no += 1;
                let _ = writeln!(md, "## {h}\n");
                all_visible.push_str(&h);
                all_visible.push('\n');
            }
            Block::Para(words) => {
                let toks = w.tokens(*words);
                push_block(&mut md, &mut all_visible, &mut passages, toks, "", "");
                md.push('\n');
            }
            Block::List(items) => {
                for words in items {
                    let toks = w.tokens(*words);
                    push_block(&mut md, &mut all_visible, &mut passages, toks, "- ", "  ");
                }
                md.push('\n');
            }
            Block::Quote(paras) => {
                for (k, words) in paras.iter().enumerate() {
                    if k > 0 {
                        md.push_str(">\n");
                    }
                    let toks = w.tokens(*words);
                    push_block(&mut md, &mut all_visible, &mut passages, toks, "> ", "> ");
                }
                md.push('\n');
            }
            Block::Table => {
                md.push_str("| Year | Members | Delegates |\n|---:|---:|---:|\n");
                all_visible.push_str("Year Members Delegates ");
                for _ in 0..3 {
                    let row = format!(
                        "{} {} {}",
                        w.rng.range(1900, 1999),
                        w.rng.range(100, 99999),
                        w.rng.range(10, 999)
                    );
                    let cells: Vec<&str> = row.split(' ').collect();
                    let _ = writeln!(md, "| {} |", cells.join(" | "));
                    all_visible.push_str(&row);
                    all_visible.push(' ');
                }
                all_visible.push('\n');
                md.push('\n');
                passages.push(Passage {
                    tokens: Vec::new(),
                    anchorable: false,
                });
            }
        }
    }
    for (k, f) in w.footnotes.iter().enumerate() {
        let _ = writeln!(md, "[^{}]: {}\n", k + 1, f);
        all_visible.push_str(f);
        all_visible.push('\n');
    }
    debug_assert_eq!(passages.len(), pl.paragraphs);

    // Notes (one per 300 words) and cross-links (one per 1,500 words).
    let notes_wanted = (pl.words / 300).max(1);
    let links_wanted = if n > 1 { (pl.words / 1500).max(1) } else { 0 };
    let mut anchors = pick_anchors(
        &mut rng,
        &passages,
        &all_visible,
        notes_wanted + links_wanted,
    );
    // Every anchor is unique: give the links an even spread of them.
    let mut link_anchors = Vec::new();
    if links_wanted > 0 && anchors.len() > 1 {
        let step = (anchors.len() / links_wanted).max(2);
        let mut k = anchors.len() - 1;
        while link_anchors.len() < links_wanted && k > 0 {
            link_anchors.push(anchors.remove(k));
            k = k.saturating_sub(step);
        }
        link_anchors.reverse();
    }
    let note_ids: Vec<String> = (1..=anchors.len()).map(|k| format!("note-{k}")).collect();
    let target_slug = |rng: &mut Rng| -> usize {
        // Most cross-links go to a neighbour in the collection, some anywhere.
        if rng.chance(0.7) {
            let d = rng.range(1, 20.min(n - 1));
            if rng.chance(0.5) {
                (i + d) % n
            } else {
                (i + n - d) % n
            }
        } else {
            let j = rng.below(n - 1);
            if j >= i {
                j + 1
            } else {
                j
            }
        }
    };
    let mut y = String::with_capacity(anchors.len() * 600 + 256);
    let _ = writeln!(y, "# Notes and cross-links of {}.\n", pl.slug);
    y.push_str("notes:\n");
    for (k, (_, _, a)) in anchors.iter().enumerate() {
        let _ = writeln!(y, "  - id: {}", note_ids[k]);
        if a.prefix.is_some() || a.suffix.is_some() {
            let mut s = format!("{{ quote: {}", yq(&a.quote));
            if let Some(p) = &a.prefix {
                let _ = write!(s, ", prefix: {}", yq(p));
            }
            if let Some(x) = &a.suffix {
                let _ = write!(s, ", suffix: {}", yq(x));
            }
            s.push_str(" }");
            let _ = writeln!(y, "    anchor: {s}");
        } else {
            let _ = writeln!(y, "    anchor: {}", yq(&a.quote));
        }
        let kind = match rng.below(10) {
            0 => Some("editorial"),
            1 => Some("translation"),
            _ => None,
        };
        if let Some(kind) = kind {
            let _ = writeln!(y, "    kind: {kind}");
        }
        let words = rng.range(25, 90);
        let mut body = prose(&mut rng, words);
        if rng.chance(0.35) {
            let e = &entries[rng.skewed(entries.len())];
            let _ = write!(body, " Compare [[{}]].", e.id);
        }
        if rng.chance(0.1) && note_ids.len() > 1 {
            let other = &note_ids[(k + 1 + rng.below(note_ids.len() - 1)) % note_ids.len()];
            let _ = write!(body, " See also [[#{other}]].");
        }
        if rng.chance(0.1) && n > 1 {
            let j = target_slug(&mut rng);
            let p = rng.range(1, plans[j].paragraphs);
            let _ = write!(body, " The same wording is in [[{}#p{p}]].", plans[j].slug);
        }
        if rng.chance(0.05) {
            let _ = write!(
                body,
                "\n\nThe copy reads *{}*; the wording is kept.",
                CONTENT[rng.below(CONTENT.len())]
            );
        }
        y.push_str("    body: |\n");
        for para in body.split("\n\n") {
            for line in wrap(para, 88) {
                let _ = writeln!(y, "      {line}");
            }
            if para.len() < body.len() {
                y.push('\n');
            }
        }
        if kind != Some("editorial") {
            let _ = writeln!(
                y,
                "    sources:\n      - {}",
                yq(&format!(
                    "{}, *{}* ({}), p. {}",
                    rng.pick(&LAST_NAMES),
                    prose(&mut rng, 5).trim_end_matches('.'),
                    rng.range(1950, 2020),
                    rng.range(1, 600)
                ))
            );
        }
    }
    if !link_anchors.is_empty() {
        y.push_str("links:\n");
        for (k, (_, _, a)) in link_anchors.iter().enumerate() {
            let j = target_slug(&mut rng);
            let p = rng.range(1, plans[j].paragraphs);
            let _ = writeln!(y, "  - id: link-{}", k + 1);
            let _ = writeln!(y, "    anchor: {}", yq(&a.quote));
            let _ = writeln!(y, "    to: {}#p{p}", plans[j].slug);
            if rng.chance(0.5) {
                let _ = writeln!(
                    y,
                    "    label: {}",
                    yq(&format!(
                        "{} takes up the {}",
                        plans[j].short_title,
                        rng.pick(&CONTENT)
                    ))
                );
            }
        }
    }
    write(&root.join(format!("content/texts/{}.md", pl.slug)), &md);
    write(
        &root.join(format!("content/annotations/{}.yaml", pl.slug)),
        &y,
    );
    md.len() + y.len()
}

fn write(path: &Path, s: &str) {
    if let Err(e) = std::fs::write(path, s) {
        eprintln!("gen_corpus: cannot write {}: {e}", path.display());
        std::process::exit(2);
    }
}

fn usage() -> ! {
    eprintln!("usage: gen_corpus N OUT [--seed S]");
    std::process::exit(2);
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut positional = Vec::new();
    let mut seed: u64 = 1957;
    let mut k = 0;
    while k < args.len() {
        if args[k] == "--seed" {
            seed = args
                .get(k + 1)
                .and_then(|s| s.parse().ok())
                .unwrap_or_else(|| usage());
            k += 2;
        } else {
            positional.push(args[k].clone());
            k += 1;
        }
    }
    let [count, out] = positional.as_slice() else {
        usage()
    };
    let n: usize = count.parse().unwrap_or_else(|_| usage());
    if n == 0 {
        usage();
    }
    let root = PathBuf::from(out);
    if root.join("content").exists() {
        if let Err(e) = std::fs::remove_dir_all(root.join("content")) {
            eprintln!("gen_corpus: cannot clear {}: {e}", root.display());
            std::process::exit(2);
        }
    }
    for d in ["content/texts", "content/annotations", "content/pages"] {
        if let Err(e) = std::fs::create_dir_all(root.join(d)) {
            eprintln!("gen_corpus: cannot create {}: {e}", root.join(d).display());
            std::process::exit(2);
        }
    }
    let entries = glossary(seed);
    write(
        &root.join("content/site.yaml"),
        &format!(
            "title: {}\ndescription: A synthetic collection of {n} annotated texts for measuring Scholion\nlanguage: en\neditors: [{{ name: The benchmark }}]\nlicence: {{ name: CC0 1.0 }}\nedition: \"{seed}\"\nedition_date: 2026-01-01\n",
            yq(&format!("Synthetic archive of {n} texts"))
        ),
    );
    write(
        &root.join("content/glossary.yaml"),
        &write_glossary(seed, &entries),
    );
    write(
        &root.join("content/pages/about.md"),
        "---\ntitle: About this collection\n---\n\nThe texts of this collection are generated by `examples/gen_corpus.rs` of Scholion, for measuring its speed. They read like transcriptions but say nothing.\n",
    );

    let plans: Vec<Plan> = (0..n).map(|i| plan(seed, i)).collect();
    let threads = std::thread::available_parallelism()
        .map(|p| p.get())
        .unwrap_or(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let bytes = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let b = write_text(seed, i, &plans, &entries, &root);
                bytes.fetch_add(b, std::sync::atomic::Ordering::Relaxed);
            });
        }
    });
    let words: usize = plans.iter().map(|p| p.words).sum();
    let mut sorted: Vec<usize> = plans.iter().map(|p| p.words).collect();
    sorted.sort_unstable();
    eprintln!(
        "gen_corpus: {n} texts, {words} words (median {}), {:.1} MB of texts and annotations in {}",
        sorted[n / 2],
        bytes.into_inner() as f64 / 1e6,
        root.display()
    );
}
