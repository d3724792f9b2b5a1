//! Property tests with a fixed seed and a fixed number of cases: random
//! Markdown, random quotes taken from it, random garbage. A quote taken from
//! one numbered block, with the words around it as prefix and suffix, must
//! anchor to exactly the place it came from; no input may panic.

use scholion::anchor::{find_all, Query};
use scholion::diagnostics::Report;
use scholion::document::analyse;
use scholion::load::{Loaded, SourceFile};
use scholion::text::normalize::normalize_quote;

/// xorshift64*: small, deterministic, good enough to vary inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "peace",
    "war",
    "party",
    "the",
    "of",
    "workers",
    "Moscow",
    "déclaration",
    "Poznań",
    "“quoted”",
    "it’s",
    "—",
    "unity",
    "socialism",
    "and",
    "revisionism",
    "1957",
    "C.P.S.U.",
    "a",
    "people's",
];

fn random_inline(rng: &mut Rng) -> String {
    let mut s = String::new();
    for i in 0..(3 + rng.below(25)) {
        if i > 0 {
            s.push(if rng.below(12) == 0 { '\n' } else { ' ' });
        }
        let w = rng.pick(WORDS);
        match rng.below(10) {
            0 => s.push_str(&format!("*{w}*")),
            1 => s.push_str(&format!("**{w}**")),
            2 => s.push_str(&format!("[{w}](https://example.org/{})", rng.below(9))),
            3 => s.push_str(&format!("`{w}`")),
            _ => s.push_str(w),
        }
    }
    s
}

fn random_markdown(rng: &mut Rng) -> String {
    let mut md = String::new();
    for _ in 0..(1 + rng.below(8)) {
        match rng.below(6) {
            0 => md.push_str(&format!("## {}\n\n", random_inline(rng))),
            1 => md.push_str(&format!(
                "- {}\n- {}\n\n",
                random_inline(rng),
                random_inline(rng)
            )),
            2 => md.push_str(&format!(
                "> {}\n>\n> {}\n\n",
                random_inline(rng),
                random_inline(rng)
            )),
            _ => md.push_str(&format!("{}\n\n", random_inline(rng))),
        }
    }
    md
}

fn char_floor(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[test]
fn a_quote_from_a_block_anchors_to_the_place_it_came_from() {
    let mut rng = Rng(0x5C40_11A5_u64);
    let mut checked = 0;
    for _ in 0..400 {
        let md = random_markdown(&mut rng);
        let doc = analyse(&md);
        let numbered: Vec<usize> = doc.numbered.clone();
        if numbered.is_empty() {
            continue;
        }
        let p = numbered[rng.below(numbered.len())];
        let text = &doc.passages[p].text;
        let words: Vec<(usize, &str)> = text
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
            .collect();
        if words.is_empty() {
            continue;
        }
        let a = rng.below(words.len());
        let b = a + rng.below((words.len() - a).min(6));
        let start = words[a].0;
        let end = words[b].0 + words[b].1.len();
        let quote = &text[start..end];
        let prefix = &text[char_floor(text, start.saturating_sub(60))..start];
        let suffix = &text[end..char_floor(text, (end + 60).min(text.len()))];
        // Skip the rare case where the same words with the same context stand elsewhere.
        let key = normalize_quote(&format!("{prefix}{quote}{suffix}"));
        if doc
            .passages
            .iter()
            .enumerate()
            .any(|(i, q)| i != p && normalize_quote(&q.text).contains(&key))
        {
            continue;
        }
        let query = Query {
            quote: quote.to_string(),
            prefix: Some(prefix.to_string()),
            suffix: Some(suffix.to_string()),
        };
        let found = find_all(
            doc.passages.iter().map(|x| x.text.as_str()),
            &[query],
            |_, _| {},
        )
        .remove(0);
        assert_eq!(
            found.decided.len(),
            1,
            "quote {quote:?} in {md:?}: {found:?}"
        );
        assert_eq!(found.decided[0].passage, p, "{md:?}");
        assert_eq!(
            found.decided[0].range,
            start..end,
            "quote {quote:?} in {md:?}"
        );
        checked += 1;
    }
    assert!(checked > 200, "only {checked} cases were checked");
}

#[test]
fn no_input_panics_the_pipeline() {
    let mut rng = Rng(0xBAD_5EED);
    let alphabet: Vec<char> = "ab c*_[]()<>#>-|`!\\\n\n\t&\"'“”—…é\u{301}\u{a0}:{}0123456789^"
        .chars()
        .collect();
    for case in 0..300 {
        let garbage: String = (0..rng.below(400))
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        let md = if case % 2 == 0 {
            garbage.clone()
        } else {
            random_markdown(&mut rng) + &garbage
        };
        let quote: String = md
            .chars()
            .skip(rng.below(md.len().max(1)))
            .take(rng.below(30))
            .collect();
        let ann = format!(
            "notes:\n  - id: n\n    anchor: {}\n    body: {}\nlinks:\n  - id: l\n    anchor: {}\n    to: t#p{}\n",
            serde_json::to_string(&quote).unwrap(),
            serde_json::to_string(&garbage).unwrap(),
            serde_json::to_string(&quote).unwrap(),
            rng.below(5)
        );
        let loaded = Loaded {
            site: Some(SourceFile {
                rel: "content/site.yaml".into(),
                stem: "site".into(),
                text: "title: T\n".into(),
            }),
            glossary: Some(SourceFile {
                rel: "content/glossary.yaml".into(),
                stem: "glossary".into(),
                text: "- id: peace\n  term: peace\n  kind: concept\n  definition: x\n".into(),
            }),
            texts: vec![SourceFile {
                rel: "content/texts/t.md".into(),
                stem: "t".into(),
                text: format!("---\ntitle: T\n---\n{md}"),
            }],
            annotations: vec![SourceFile {
                rel: "content/annotations/t.yaml".into(),
                stem: "t".into(),
                text: ann,
            }],
            pages: vec![],
            bibliography: vec![],
            ..Default::default()
        };
        let mut report = Report::default();
        let corpus = scholion::parse::parse_corpus(&loaded, &mut report);
        let resolved = scholion::resolve::resolve(&corpus, &mut report);
        if !resolved.texts.is_empty() {
            let doc = resolved.doc(0).unwrap();
            let html = scholion::render::text::render_body(&resolved, 0, &doc);
            assert!(!html.contains("<script"), "{md:?}");
        }
    }
}
