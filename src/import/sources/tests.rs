//! Sources taken apart, keys made, and only the scalars that read back
//! as their value replaced.

use super::*;

#[test]
fn a_chicago_style_source_is_taken_apart() {
    let p = parse_source("Zubok, Vladislav M., *A Failed Empire* (Chapel Hill, 2007), p. 12.");
    assert_eq!(p.author.as_deref(), Some("Zubok, Vladislav M."));
    assert_eq!(p.title, "A Failed Empire");
    assert_eq!(p.year.as_deref(), Some("2007"));
    assert_eq!(p.locator.as_deref(), Some("p. 12"));
    assert!(p.italic);
    let p = parse_source("“The Moscow Conference,” [Marxists Internet Archive](https://www.marxists.org/x.htm), pp. 3–5");
    assert_eq!(p.title, "The Moscow Conference");
    assert_eq!(p.url.as_deref(), Some("https://www.marxists.org/x.htm"));
    assert_eq!(p.locator.as_deref(), Some("pp. 3–5"));
    assert!(!p.italic);
    // Not a page: "p. 12" is not the last thing, and 1957 is a year.
    let p = parse_source("Report of 1957, p. 12 and after");
    assert_eq!(p.locator, None);
    assert_eq!(p.year.as_deref(), Some("1957"));
}

#[test]
fn keys_are_unique_and_ascii() {
    let mut taken = HashSet::new();
    let p = parse_source("Lüthi, Lorenz, *The Sino-Soviet Split* (2008)");
    let k = key_for(&p, &taken);
    assert_eq!(k, "luthi2008");
    taken.insert(k);
    assert_eq!(key_for(&p, &taken), "luthi2008a");
    let p = parse_source("The Times, 22 November 1957");
    assert_eq!(key_for(&p, &HashSet::new()), "times1957");
}

#[test]
fn a_note_form_source_gives_the_family_name_the_imprint_and_the_last_year() {
    let p =
        parse_source("Alistair Horne, A Savage War of Peace: Algeria 1954–1962 (Macmillan, 1977)");
    assert_eq!(p.author.as_deref(), Some("Alistair Horne"));
    assert_eq!(p.title, "A Savage War of Peace: Algeria 1954–1962");
    assert_eq!(p.publisher.as_deref(), Some("Macmillan"));
    assert_eq!(p.year.as_deref(), Some("1977"));
    assert!(p.italic, "a work with a publisher is a book");
    assert_eq!(key_for(&p, &HashSet::new()), "horne1977");
    let p = parse_source(
        "Lorenz M. Lüthi, The Sino-Soviet Split (Princeton: Princeton University Press, 2008)",
    );
    assert_eq!(p.publisher.as_deref(), Some("Princeton University Press"));
    assert_eq!(key_for(&p, &HashSet::new()), "luthi2008");
    // An institution without a year: its key names the article.
    let p = parse_source("Encyclopaedia Britannica, \"Walter Ulbricht\"");
    assert_eq!(p.title, "Walter Ulbricht");
    assert!(!is_person(p.author.as_deref().unwrap()));
    assert_eq!(key_for(&p, &HashSet::new()), "encyclopaedia-walter");
    assert!(stub("k", &p).contains("author = {{Encyclopaedia Britannica}}"));
    let p =
        parse_source("Odd Arne Westad (ed.), Brothers in Arms (Stanford University Press, 1998)");
    assert_eq!(p.author.as_deref(), Some("Odd Arne Westad"));
    assert!(p.editor);
    assert!(stub("k", &p).contains("  editor = {Odd Arne Westad},"));
    assert_eq!(key_for(&p, &HashSet::new()), "westad1998");
    // An article's title in quotes at the end is not the work's.
    let p = parse_source("William Safire, Safire's Political Dictionary (Oxford University Press, 2008), \"cold war\"");
    assert_eq!(p.author.as_deref(), Some("William Safire"));
    assert_eq!(key_for(&p, &HashSet::new()), "safire2008");
    let p =
        parse_source("Karl Marx and Friedrich Engels, *The Communist Manifesto* (Penguin, 2002)");
    assert_eq!(key_for(&p, &HashSet::new()), "marx2002");
    let p = parse_source("\"Bark on the Wind\", Time, 3 June 1957");
    assert_eq!(p.title, "Bark on the Wind");
    assert_eq!(p.container.as_deref(), Some("Time"));
    let e = stub("k", &p);
    assert!(
        e.contains("@article{k,") && e.contains("journaltitle = {Time}"),
        "{e}"
    );
    let p = parse_source(
        "\"Despite Trial\", *Los Angeles Times*, 13 October 1992, https://www.latimes.com/x.html",
    );
    assert_eq!(p.container.as_deref(), Some("Los Angeles Times"));
    // Not a name: the whole stays the title.
    let p = parse_source("Census of India, 1951");
    assert_eq!(p.author, None);
    assert_eq!(key_for(&p, &HashSet::new()), "census1951");
}

#[test]
fn only_a_one_line_scalar_that_reads_as_the_value_is_replaced() {
    let t = "notes:\n  - sources:\n      - Plain source, p. 3  # kept\n      - \"Quoted \\\"x\\\"\"\n      - 'It''s'\n      - Goes on\n        over two lines\n";
    let r = scalar_range(t, 3, 9, "Plain source, p. 3").unwrap();
    assert_eq!(&t[r.0..r.1], "Plain source, p. 3");
    let r = scalar_range(t, 4, 9, "Quoted \"x\"").unwrap();
    assert_eq!(&t[r.0..r.1], "\"Quoted \\\"x\\\"\"");
    let r = scalar_range(t, 5, 9, "It's").unwrap();
    assert_eq!(&t[r.0..r.1], "'It''s'");
    assert_eq!(scalar_range(t, 6, 9, "Goes on over two lines"), None);
    let t = "sources: [First, 'Second']\n";
    let r = scalar_range(t, 1, 11, "First").unwrap();
    assert_eq!(&t[r.0..r.1], "First");
}

#[test]
fn an_institution_is_one_name_whatever_form_it_is_written_in() {
    for person in [
        "Vladislav Zubok",
        "Mao Zedong",
        "Zubok, Vladislav M.",
        "Karl Marx and Friedrich Engels",
        "Zubok, Vladislav and Pleshakov, Constantine",
        "Odd Arne Westad",
    ] {
        assert!(is_person(person), "{person} is a person");
    }
    assert!(!is_person("Central Committee of the CPSU"));
    // Each of these was taken for a person: "and" or one comma was enough
    // whatever the words, and a leading "The" counted only with a comma.
    for body in [
        "The Ministry of Foreign Affairs and Trade",
        "The Committee and Council",
        "Radio Free Europe and Radio Liberty",
        "Ministry of Foreign Affairs, USSR",
        "Central Committee, CPSU",
        "The Times",
    ] {
        assert!(!is_person(body), "{body} is an institution");
    }
    // What an editor notices: the stub keeps the institution as one name,
    // and a work without a year is told apart by its title.
    let p = parse_source("Ministry of Foreign Affairs and Trade, *Annual Report*");
    assert_eq!(
        p.author.as_deref(),
        Some("Ministry of Foreign Affairs and Trade")
    );
    let e = stub("k", &p);
    assert!(
        e.contains("  author = {{Ministry of Foreign Affairs and Trade}},\n"),
        "{e}"
    );
    assert_eq!(key_for(&p, &HashSet::new()), "ministry-annual");
    let p = parse_source("The Times, 22 November 1957");
    assert!(stub("k", &p).contains("  author = {{The Times}},\n"));
    assert_eq!(key_for(&p, &HashSet::new()), "times1957");
}
