//! Hand-made pages unlike the dev split's news articles (a recipe, a poem, short-paragraph
//! news, a code tutorial, an FAQ, a restaurant's address and hours, an event, a job
//! advert, release notes, a review with a table, a how-to ending in its steps; a German recipe blog, French news and a
//! Spanish travel blog with their languages' chrome; short news in Chinese, Japanese,
//! Hindi and Thai; a Swedish baking blog, Turkish, Indonesian, Vietnamese, Persian and Hebrew news and
//! a Catalan recipe blog with their languages' chrome; a story about cookie banners, an interview, a list article, a paper's
//! abstract, a product page, an encyclopedia article, a function's reference, a glossary,
//! a recipe's ingredients with links, a post dense with links, a press release, a scene of
//! a play, a forum thread, a question with its answers; a longer reference page and a
//! longer recipe; a reading list of linked titles above a news list of headline links run
//! into their teasers; an article wrapped at 72 columns; a report whose subheadings and
//! numbered list name topics and countries that menus also name; a plain tutorial with
//! indented code; short news stories and a recipe blog as WET records have them, without
//! blank lines, a share column or a related-articles list between paragraphs, a comment
//! form and footer after, a story told in paragraphs of one or two short sentences with
//! headlines after it; song lyrics, a timeline, a statute, an obituary, and pages of one
//! paragraph and a list without markers: an event's programme, a podcast's chapters, a
//! band's records; a film review ending in its credits and a local story in its "If you
//! go" box, one `Label: value` a line; a league table, one row a line; a WET record of a
//! post naming its tools and errors at the start of lines, above a product menu whose
//! titles run into their descriptions; a WET story with a "Popular" box between its
//! paragraphs and a "Latest news" list of teasers after it):
//! `conservative` must keep
//! every line of their content and still remove their obvious chrome. `balanced` is tuned on
//! the dev split and drops some of this content (README, "Choosing a profile").

use dechrome::{Profile, RuleSet};

/// Per page: the lines (1-based) that are chrome and must go, and those either way
/// (bylines, datelines, "Last updated"); every other non-blank line is content.
const PROBES: &[(&str, &[usize], &[usize])] = &[
    ("recipe.txt", &[1, 2, 3, 4, 38, 40, 42], &[8]),
    ("poem.txt", &[1, 2, 3, 29, 30, 31, 32], &[7, 27]),
    ("news.txt", &[1, 2, 3, 4, 24, 26, 28, 29, 30], &[8, 10]),
    ("tutorial.txt", &[1, 2, 3, 28, 29], &[26, 31, 32]),
    ("faq.txt", &[1, 23], &[21]),
    ("address.txt", &[1, 2, 3, 22], &[20]),
    ("event.txt", &[1, 2, 3, 4, 15, 17, 19], &[]),
    ("job.txt", &[1, 2, 3, 14, 16], &[]),
    ("de-blog.txt", &[1, 2, 3, 4, 8, 14, 18, 22, 24, 26, 28, 30, 32, 34, 36, 38], &[]),
    ("fr-news.txt", &[1, 2, 3, 4, 8, 14, 18, 22, 26, 28, 30, 32], &[]),
    ("es-blog.txt", &[1, 2, 3, 4, 8, 14, 18, 22, 24, 26, 28, 30, 32, 34, 36], &[]),
    ("zh-news.txt", &[1, 2, 3, 4, 14, 16], &[]),
    ("ja-news.txt", &[1, 2, 3, 4, 14, 16], &[]),
    ("hi-news.txt", &[1, 2, 3, 4, 14, 16], &[]),
    ("th-news.txt", &[1, 2, 3, 4, 14, 16], &[]),
    ("sv-blog.txt", &[1, 2, 3, 4, 12, 16, 22, 24, 26, 28, 30, 32, 34, 36, 38], &[]),
    ("tr-news.txt", &[1, 2, 3, 4, 12, 16, 22, 24, 26, 28, 30, 32, 34, 36, 38], &[]),
    ("id-news.txt", &[1, 2, 3, 4, 12, 16, 22, 24, 26, 28, 30, 32, 34, 36, 38], &[]),
    ("vi-news.txt", &[1, 2, 3, 4, 12, 16, 22, 24, 26, 28, 30, 32, 34, 36, 38], &[]),
    ("ca-blog.txt", &[1, 2, 3, 4, 12, 16, 22, 24, 26, 28, 30, 32, 34, 36, 38], &[]),
    ("fa-news.txt", &[1, 2, 3, 4, 12, 16, 22, 24, 26, 28, 30, 32, 34, 36, 38], &[]),
    ("he-news.txt", &[1, 2, 3, 4, 12, 22, 24, 26, 28], &[]),
    ("changelog.txt", &[1, 2, 3, 4, 29, 31], &[]),
    ("table.txt", &[1, 2, 3, 4, 18, 20, 22, 23, 25], &[]),
    ("howto.txt", &[1, 2, 3, 4, 5, 24, 26, 28, 29, 30, 32], &[]),
    ("cookies.txt", &[1, 2, 3, 4, 22, 24, 26, 28], &[8]),
    ("interview.txt", &[1, 2, 3, 29, 31, 33, 34, 36], &[8]),
    ("listicle.txt", &[1, 2, 3, 4, 34, 36, 37, 39], &[8]),
    ("paper.txt", &[1, 17, 19, 21, 23, 25, 26], &[5, 7, 13, 15]),
    ("product.txt", &[1, 2, 3, 4, 19, 21, 23, 25, 26, 28], &[8]),
    ("wiki.txt", &[1, 23, 25], &[19, 21]),
    ("apidoc.txt", &[1, 28, 30], &[]),
    ("glossary.txt", &[1, 15, 17, 19], &[]),
    ("ingredients.txt", &[1, 2, 3, 23, 25, 26, 28], &[]),
    ("links.txt", &[1, 2, 3, 15, 17], &[]),
    ("press.txt", &[1, 19, 21], &[13, 15, 17]),
    ("script.txt", &[1, 2, 3, 21, 23], &[]),
    ("forum.txt", &[1, 2, 3, 4, 12, 18, 24, 26, 28], &[8, 14, 20]),
    ("qa.txt", &[1, 11, 24, 30, 36, 40, 42, 44], &[5, 9, 26, 32, 38]),
    ("reference.txt", &[1, 3, 4, 5, 6, 7, 50, 51, 53, 55, 57, 59], &[48]),
    ("tagine.txt", &[1, 2, 3, 4, 5, 6, 7, 46, 48, 50, 51, 52, 53, 55, 57, 59, 61, 62, 63, 65], &[11]),
    ("reading.txt", &[1, 2, 3, 18, 20, 21, 22, 24], &[]),
    ("wrapped.txt", &[1, 2, 3, 4, 5, 37, 38, 39, 40, 42, 43, 44, 45, 47], &[]),
    ("ranking.txt", &[1, 2, 3, 4, 33, 34, 36], &[]),
    ("indented-code.txt", &[1, 2, 3, 4, 94, 95, 96, 97, 99, 100, 101, 102, 104], &[6, 7]),
    ("lyrics.txt", &[1, 2, 3, 4, 30, 32, 33, 34, 35, 37], &[]),
    ("timeline.txt", &[1, 2, 20, 21, 22, 24, 26], &[]),
    ("statute.txt", &[1, 24, 26, 28], &[]),
    ("agenda.txt", &[1, 19, 21, 23], &[]),
    ("podcast.txt", &[1, 16, 18], &[]),
    ("discography.txt", &[1, 21, 23], &[]),
    ("obituary.txt", &[1, 18, 20, 21, 22], &[]),
    ("film.txt", &[1, 20, 22, 23, 24, 25], &[]),
    ("if-you-go.txt", &[1, 2, 3, 4, 20, 22], &[]),
    ("league-table.txt", &[1, 18, 20], &[]),
    ("nutrition.txt", &[1, 23, 25, 26, 27, 28], &[5]),
    ("ebike.txt", &[1, 2, 3, 4, 22, 23, 25, 26], &[]),
    ("proscons.txt", &[1, 19, 20, 22, 23], &[]),
    ("wet-news.txt", &[4, 5, 6, 7, 8, 12, 13, 14, 15], &[]),
    (
        "wet-council.txt",
        &[
            1, 2, 3, 4, 5, 6, 7, 14, 16, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36,
            37, 38,
        ],
        &[9, 10, 11],
    ),
    ("wet-heatwave.txt", &[1, 2, 3, 4, 6, 7, 8, 10, 12, 13, 14, 15, 17, 19, 20, 21, 22, 23], &[]),
    ("wet-related.txt", &[4, 5, 6, 7, 10, 11, 12], &[]),
    ("wet-short-paragraphs.txt", &[8, 9, 10, 11, 12, 13, 14], &[]),
    ("wet-recipe.txt", &[1, 2, 3, 4, 5, 6, 7, 8, 13, 25, 26, 27, 30, 31, 32, 33, 34, 35, 36, 37, 38], &[10, 28, 29]),
    // The menu's labels and its card with an acronym for a title (`Cloud SQLManaged`) are
    // kept: only cards glued to their descriptions are found.
    ("wet-menu.txt", &[13, 14, 15, 19, 20, 21, 22], &[12, 16, 17, 18]),
];

/// A probe page's text.
fn probe(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/probes").join(name))
        .unwrap()
}

/// The lines (1-based) `engine` removes from `text`.
fn removed_lines(engine: &dechrome::Engine, text: &str) -> Vec<usize> {
    engine.clean(text, Default::default()).removals.iter().flat_map(|r| r.lines.clone()).map(|i| i + 1).collect()
}

/// The lines (1-based) each profile removes from probe page `name`.
fn removed_in_each_profile(name: &str) -> Vec<(Profile, Vec<usize>)> {
    removed_from_text_in_each_profile(&probe(name))
}

fn removed_from_text_in_each_profile(text: &str) -> Vec<(Profile, Vec<usize>)> {
    engines_of_each_profile().iter().map(|(profile, engine)| (*profile, removed_lines(engine, text))).collect()
}

/// The shipped packs compiled for each profile.
fn engines_of_each_profile() -> Vec<(Profile, dechrome::Engine)> {
    let set = RuleSet::default_rules().unwrap();
    [Profile::Conservative, Profile::Balanced, Profile::Aggressive]
        .into_iter()
        .map(|profile| (profile, dechrome::Engine::compile_with_profile(&set.packs, &[], profile).unwrap()))
        .collect()
}

/// Fails, naming the profile and the lines, unless every profile keeps all of `lines`
/// (1-based) of probe page `name`.
fn every_profile_keeps(name: &str, lines: &[usize]) {
    every_profile_keeps_in(name, &probe(name), lines);
}

/// [`every_profile_keeps`] for a text made from a probe; `what` names it in the failure.
fn every_profile_keeps_in(what: &str, text: &str, lines: &[usize]) {
    each_engine_keeps_in(&engines_of_each_profile(), what, text, lines);
}

/// [`every_profile_keeps_in`] with engines compiled once, for a test of many texts.
fn each_engine_keeps_in(engines: &[(Profile, dechrome::Engine)], what: &str, text: &str, lines: &[usize]) {
    for (profile, engine) in engines {
        let lost: Vec<usize> = removed_lines(engine, text).into_iter().filter(|i| lines.contains(i)).collect();
        assert!(lost.is_empty(), "{profile:?} removed lines {lost:?} of {what}");
    }
}

#[test]
fn conservative_keeps_all_content_of_pages_unlike_the_dev_split() {
    let set = RuleSet::default_rules().unwrap();
    let engine = dechrome::Engine::compile_with_profile(&set.packs, &[], Profile::Conservative).unwrap();
    let mut problems = Vec::new();
    for &(name, chrome, either) in PROBES {
        let text = probe(name);
        let removed = removed_lines(&engine, &text);
        for (i, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            let gone = removed.contains(&i);
            if line.trim().is_empty() || either.contains(&i) {
                continue;
            }
            if chrome.contains(&i) && !gone {
                problems.push(format!("{name}:{i}: chrome kept: {line}"));
            } else if !chrome.contains(&i) && gone {
                problems.push(format!("{name}:{i}: content removed: {line}"));
            }
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

/// "Overview", "Energy", "Politics", "Australia" and "United Kingdom" are menu entries on
/// many dev sites, and `common-chrome-line` once listed them: as whole lines it took a
/// report's subheadings and two items of its country ranking, in every profile. The pack
/// now lists only lines that name a page control (scripts/mine_chrome_lines.py).
#[test]
fn every_profile_keeps_subheadings_and_list_items_that_menus_also_name() {
    // 1-based: the three subheadings and the eight countries.
    let must_keep = [10, 14, 15, 16, 17, 18, 19, 20, 21, 25, 29];
    every_profile_keeps("ranking.txt", &must_keep);
}

/// A plain tutorial whose SQL, Python and psql output are indented by four spaces, as
/// html2text and `lynx -dump` write `<pre>`. `aggressive` dropped the third query's last six
/// lines (the scorer doubts `FROM events` and `) AS t` as it doubts menu entries); on a dev
/// page of this kind (mr-toc-missing, without markdown) `balanced` took half the SQL, and
/// the tail model the rest of the article after the gap. `indented-code` protects them.
#[test]
fn every_profile_keeps_indented_code() {
    let code = code_lines(&probe("indented-code.txt"));
    every_profile_keeps("indented-code.txt", &code);
}

/// The 1-based lines of `text` indented by four spaces: the indented-code probe's 46 lines
/// of code, with or without its blank lines.
fn code_lines(text: &str) -> Vec<usize> {
    let code: Vec<usize> =
        text.lines().enumerate().filter(|(_, l)| l.starts_with("    ")).map(|(i, _)| i + 1).collect();
    assert_eq!(code.len(), 46);
    code
}

/// The same page without its blank lines, as a Common Crawl WET record has it: there an
/// indented block opens after any unindented line. Before, `balanced` dropped 5 of the 46
/// code lines and `aggressive` 8.
#[test]
fn every_profile_keeps_indented_code_without_blank_lines() {
    let text: String =
        probe("indented-code.txt").lines().filter(|l| !l.trim().is_empty()).map(|l| l.to_string() + "\n").collect();
    let code = code_lines(&text);
    every_profile_keeps_in("indented-code.txt without blank lines", &text, &code);
}

/// The release notes as `w3m -dump` prints them: no markdown, and `•` for a list's bullet.
/// Taken for headlines, the lists went with the rest of the page to
/// `trailing-headline-list` in every profile (lines 10-31) until `•` made a list item;
/// markdown-escaped bullets (`\+ Added …`, mr-tumblr's changelog) count the same.
#[test]
fn every_profile_keeps_lists_with_plain_text_bullets() {
    let text = probe("changelog-bullets.txt");
    let content: Vec<usize> = (6..=27).filter(|&i| !text.lines().nth(i - 1).unwrap().trim().is_empty()).collect();
    assert_eq!(content.len(), 14);
    every_profile_keeps("changelog-bullets.txt", &content);
    let escaped = text.replace("• ", "\\+ ");
    every_profile_keeps_in("changelog-bullets.txt with `\\+ ` bullets", &escaped, &content);
}

/// The news probe as `lynx -dump` prints it: `[N]` before each link's words, and the
/// numbered list of link targets under "References" at the end, a third of the page's
/// lines, which every profile kept until `lynx-references` (session 43). The article
/// stays whole, and the markers go.
#[test]
fn every_profile_drops_lynx_references_and_keeps_the_article() {
    let text = probe("lynx-news.txt");
    let lines: Vec<&str> = text.lines().collect();
    let list = lines.iter().position(|l| *l == "References").unwrap() + 1;
    assert_eq!((list, lines.len()), (29, 40));
    let article: Vec<usize> = (3..=20).filter(|&i| !lines[i - 1].trim().is_empty()).collect();
    every_profile_keeps("lynx-news.txt", &article);
    for (profile, removed) in removed_in_each_profile("lynx-news.txt") {
        let kept: Vec<usize> =
            (list..=lines.len()).filter(|i| !lines[i - 1].trim().is_empty() && !removed.contains(i)).collect();
        assert!(kept.is_empty(), "{profile:?} kept lines {kept:?} of the references");
    }
    // The `[N]` before each link's words go too (`lynx-link-marker`): what is kept of
    // "[1]Skip to content * [2]World" reads "Skip to content * World".
    let set = RuleSet::default_rules().unwrap();
    let engine = dechrome::Engine::compile_with_profile(&set.packs, &[], Profile::Conservative).unwrap();
    let cleaned = engine.clean(&text, Default::default());
    assert!(!cleaned.rewrites.is_empty());
    let marker = regex::Regex::new(r"\[[0-9]+\]\w").unwrap();
    assert!(!marker.is_match(&cleaned.text), "{}", cleaned.text);
    assert!(cleaned.text.contains("A winter storm swept across the region overnight."));
}

/// A spec sheet in plain text is label/value pairs between blank lines ("Max Load" over
/// "130 kg"). The scorer doubts a short label more than its value, and while the block guard
/// looked at blocks of three lines or more it dropped labels and kept their values (here
/// `conservative` dropped "Max Load"). `specs.txt` is not in `PROBES`: `balanced` and
/// `aggressive` still drop the third bike's whole block (labels and values), and
/// `conservative` keeps the plain share and footer lines, neither of which this test is
/// about.
#[test]
fn no_profile_drops_a_spec_label_and_keeps_its_value() {
    // 1-based (label, value) pairs of the three bikes' spec blocks.
    let pairs: Vec<(usize, usize)> =
        [17, 20, 23, 26, 36, 39, 42, 45, 53, 56, 59, 62].iter().map(|&l| (l, l + 1)).collect();
    for (profile, removed) in removed_in_each_profile("specs.txt") {
        let orphaned: Vec<usize> = pairs
            .iter()
            .filter(|(label, value)| removed.contains(label) && !removed.contains(value))
            .map(|p| p.0)
            .collect();
        assert!(orphaned.is_empty(), "{profile:?} dropped labels {orphaned:?} and kept their values");
    }
}

/// Fenced code is content in every profile (the `fenced-code` keep rule): `balanced` once
/// dropped the tutorial's second snippet, and the prose between the snippets with it.
#[test]
fn every_profile_keeps_the_tutorials_code_and_the_prose_between_it() {
    // 1-based: the two fenced blocks, and the two lines of prose between them.
    let must_keep = [9, 10, 11, 12, 13, 15, 17, 19, 20, 21, 22];
    every_profile_keeps("tutorial.txt", &must_keep);
}

/// The first and last paragraphs of a short article sit next to the menu's and the
/// footer's links, whose link density pulled them under the threshold in `balanced` and
/// `aggressive`; the scorer's continuation guard keeps them in every profile.
#[test]
fn every_profile_keeps_the_paragraphs_next_to_the_menu_and_footer() {
    // 1-based: the news story's last paragraph; the tutorial's sentence before its first
    // snippet and the one after its last.
    for (name, must_keep) in [("news.txt", [20, 22]), ("tutorial.txt", [7, 24])] {
        every_profile_keeps(name, &must_keep);
    }
}

/// The details between a section's heading and its paragraph (a restaurant's address and
/// hours, a job's employer, place and salary, an event's date, venue and prices) are short
/// lines the scorer doubts one by one; `balanced` and `aggressive` dropped all of them
/// before the section guard, and the event's until its title was found below the menu.
#[test]
fn every_profile_keeps_a_sections_details_between_its_heading_and_paragraph() {
    let pages = [
        ("address.txt", &[7, 8, 9, 10, 12, 14, 15, 16][..]),
        ("job.txt", &[7, 8, 9, 10]),
        ("event.txt", &[8, 9, 10, 11]),
    ];
    for (name, must_keep) in pages {
        every_profile_keeps(name, must_keep);
    }
}

/// A course page ends in its schedule ("Week 1: Introduction and sources", …) and
/// assessment, one per line without list markers, before a linked footer. The lines are
/// short and end without punctuation, so `trailing-headline-list` took them all for a
/// list of headlines; a numbered series is the page's own. (The scorer still drops the
/// two set texts after them, lines 27 and 28, in every profile.)
#[test]
fn every_profile_keeps_a_schedule_numbered_by_week() {
    every_profile_keeps("syllabus.txt", &(9..=25).collect::<Vec<_>>());
}

/// A list article's last item (a numbered heading and its sentence) sits above the
/// related links and the footer, which pulled its sentence under the threshold in
/// `balanced` and `aggressive`, with the closing note after it. The section guard keeps
/// the sentences under the last heading of a series whose earlier sections kept their prose.
#[test]
fn every_profile_keeps_the_last_item_of_a_list_article() {
    // 1-based: the fifth item's heading, its sentence, and the closing note.
    every_profile_keeps("listicle.txt", &[28, 30, 32]);
}

/// Short pages of short lines: a function's reference, a recipe whose ingredients link to
/// a shop, a post dense with links, a scene of a play. The scorer's position features,
/// learned on long pages, scored their last sections, ingredients and dialogue like a
/// footer: `balanced` and `aggressive` lost 20 of their content lines, and a forum thread's
/// last reply and a question's third answer. Pages of fewer than 30 scored lines now get
/// `conservative`'s threshold in every profile.
#[test]
fn every_profile_keeps_all_content_of_short_pages_of_short_lines() {
    for name in ["apidoc.txt", "ingredients.txt", "links.txt", "script.txt", "forum.txt", "qa.txt"] {
        let &(_, chrome, either) = PROBES.iter().find(|p| p.0 == name).unwrap();
        let text = probe(name);
        let content: Vec<usize> = (1..=text.lines().count())
            .filter(|i| !text.lines().nth(i - 1).unwrap().trim().is_empty())
            .filter(|i| !chrome.contains(i) && !either.contains(i))
            .collect();
        every_profile_keeps(name, &content);
    }
}

/// A function's reference long enough for `balanced`'s own threshold: it dropped the
/// summary under the title and "## Signature" above the signature's code. A heading right
/// above code is now kept, and the section guard's details may end at a kept heading.
#[test]
fn every_profile_keeps_a_reference_pages_summary_and_code_headings() {
    every_profile_keeps("reference.txt", &[9, 11, 13, 15, 16, 17, 42]);
}

/// Chinese and Japanese put no spaces between words: a paragraph was one "word", never
/// prose, and `balanced` dropped two of the three paragraphs of a short Chinese story and
/// all three of a Japanese one. Hindi ends a sentence with `।` and writes its vowels with
/// marks that are not alphanumeric: `balanced` dropped two of three paragraphs, and
/// `conservative` one. Thai has neither spaces between words nor sentence punctuation:
/// two of three. (`PROBES` holds them too: `conservative` kept the Chinese page's share
/// bar, "[分享到微信](#) [分享到微博](#)", until `share-prompt` named it.)
#[test]
fn every_profile_keeps_the_paragraphs_of_chinese_japanese_hindi_and_thai_stories() {
    for name in ["zh-news.txt", "ja-news.txt", "hi-news.txt", "th-news.txt"] {
        every_profile_keeps(name, &[8, 10, 12]);
    }
}

/// Every profile keeps a page's title. On a short page a menu of four links fills the
/// first third of the lines, where the title was looked for: `balanced` and `aggressive`
/// dropped the `#` titles of the event and of the four stories below a menu.
#[test]
fn every_profile_keeps_the_title_of_a_short_page_below_its_menu() {
    for name in ["event.txt", "zh-news.txt", "ja-news.txt", "hi-news.txt", "th-news.txt", "news.txt"] {
        let title = probe(name).lines().position(|l| l.starts_with("# ")).unwrap() + 1;
        every_profile_keeps(name, &[title]);
    }
}

/// Release notes end in short list items without a full stop under `##` headings, and a
/// how-to in its numbered steps, which `trailing-headline-list` took for a list of
/// headlines after the article: every profile dropped everything after the first
/// paragraph. A list item without a link is now the article's own.
#[test]
fn every_profile_keeps_a_list_of_the_articles_own_at_its_end() {
    // 1-based: the release notes' three headings, their six items and the closing
    // sentence; the how-to's seven steps, "Key points:" and its two items.
    let pages = [
        ("changelog.txt", &[10, 12, 13, 14, 16, 18, 19, 20, 21, 23, 25, 27][..]),
        ("howto.txt", &[11, 12, 13, 14, 15, 16, 17, 19, 21, 22]),
    ];
    for (name, must_keep) in pages {
        every_profile_keeps(name, must_keep);
    }
}

/// An article wrapped at 72 columns, as html2text gives it (markdown links, paragraphs cut
/// into lines): each line of a paragraph is short and most end without a full stop, and
/// before the scorer joined them back `balanced` and `aggressive` dropped seven of the last
/// two paragraphs' eight lines, and the title, like a menu.
#[test]
fn every_profile_keeps_a_wrapped_articles_paragraphs() {
    let text = probe("wrapped.txt");
    // 1-based: the title and the six paragraphs' lines.
    let content: Vec<usize> = text
        .lines()
        .enumerate()
        .filter(|&(i, l)| (6..35).contains(&i) && !l.trim().is_empty())
        .map(|(i, _)| i + 1)
        .collect();
    assert_eq!(content.len(), 23);
    every_profile_keeps("wrapped.txt", &content);
}

/// A WET record of a story with a "Popular" box between its paragraphs and a "Latest news"
/// list of teasers after it (a headline, then its summary). `more-from-tail` takes the
/// tail from "Latest news" in every profile; the box does not open it, as four paragraphs
/// in a row follow the box. Unguarded, a heading of that kind cut the rest of the story.
#[test]
fn a_popular_box_in_a_story_leaves_the_rest_of_it_and_the_tail_goes() {
    let text = probe("wet-trending.txt");
    // 1-based: the title and the story's paragraphs around the box (lines 4-6).
    every_profile_keeps("wet-trending.txt", &[1, 2, 3, 7, 8, 9, 10]);
    let tail: Vec<usize> = (11..=16).collect();
    for (profile, removed) in removed_from_text_in_each_profile(&text) {
        assert!(tail.iter().all(|i| removed.contains(i)), "{profile:?} kept some of the tail: removed {removed:?}");
    }
}

/// A WET record of a story with a "Most popular" box between its paragraphs and a "Most
/// read" list of ranked teasers after it (a number, the headline and its summary on one
/// line). `popular-tail` takes the tail in balanced and aggressive; the box does not open
/// it, as four paragraphs follow it at once. When `related-tail` held these headings, the
/// box cut the last four paragraphs of the story in every profile but conservative.
/// (The box under other headings: `no_profile_cuts_a_story_at_a_box_between_its_paragraphs`.)
#[test]
fn a_most_popular_box_in_a_story_leaves_the_rest_of_it_and_the_ranked_tail_goes() {
    let text = probe("wet-most-popular.txt");
    // 1-based: the title and the story's paragraphs around the box (lines 4-6).
    every_profile_keeps("wet-most-popular.txt", &[1, 2, 3, 7, 8, 9, 10]);
    for (profile, removed) in removed_from_text_in_each_profile(&text) {
        if profile != Profile::Conservative {
            assert!((11..=15).all(|i| removed.contains(&i)), "{profile:?} kept some of the tail: removed {removed:?}");
        }
    }
}

/// The headings of the boxes and buttons sites put between a story's paragraphs, each in
/// place of "Most popular" in `wet-most-popular.txt`, as it is (a WET record) and with
/// blank lines and markdown (a `##` heading): no profile may drop a paragraph of the story.
/// Left out, as their rule still cuts the rest from them: a thread's own headings ("Leave a
/// Reply", "3 thoughts on …"). With the packs before session 59, "Most popular" and the
/// like cut the WET story in balanced and aggressive, and "Leave a comment" and the like in
/// every profile; before session 61, "About the author" (then `related-tail`'s) did.
#[test]
fn no_profile_cuts_a_story_at_a_box_between_its_paragraphs() {
    const HEADINGS: &[&str] = &[
        "Advertisement",
        "Read more",
        "Share this article",
        "Sign up for our newsletter",
        "Related coverage",
        "Top stories",
        "Trending",
        "Trending now",
        "Popular",
        "Must read",
        "Don't miss",
        "Featured",
        "In other news",
        "Also read",
        "Related",
        "More on this story",
        "Latest",
        "Latest news",
        "Most popular",
        "Most read",
        "Most viewed",
        "Most shared",
        "Editor's picks",
        "Editor's choice",
        "Recommended",
        "Recommended for you",
        "Top picks",
        "Popular now",
        "Popular posts",
        "Read next",
        "Up next",
        "Related videos",
        "Related reading",
        "Related stories",
        "Related content",
        "Related articles",
        "Related posts",
        "More stories",
        "Recent posts",
        "Latest stories",
        "You might also like",
        "You may also like",
        "More from The Courier",
        "Comments",
        "Leave a comment",
        "Join the conversation",
        "Post a comment",
        "Further reading",
        "See also",
        "Meistgelesen",
        "About the author",
        "About the Authors",
    ];
    let engines = engines_of_each_profile();
    let wet = probe("wet-most-popular.txt");
    // 1-based: the title and the story's paragraphs before and after the box (lines 4-6).
    let story = [1, 2, 3, 7, 8, 9, 10];
    for heading in HEADINGS {
        let boxed = wet.replacen("Most popular", heading, 1);
        // With markdown: a blank line after each line, so line n is line 2n - 1.
        let markdown: String = boxed
            .lines()
            .enumerate()
            .map(|(i, line)| if i == 3 { format!("## {line}\n\n") } else { format!("{line}\n\n") })
            .collect();
        for (form, text, lines) in
            [("WET", &boxed, story.to_vec()), ("markdown", &markdown, story.iter().map(|n| 2 * n - 1).collect())]
        {
            each_engine_keeps_in(&engines, &format!("the {form} story boxed under {heading:?}"), text, &lines);
        }
    }
}

/// The story of `wet-most-popular.txt` told in short paragraphs (8 to 10 words) after its
/// "Most popular" box, the same box under "Trending", "Latest news" or "Related articles",
/// or a "Leave a comment" button: they still count as the story going on (`popular-tail`,
/// and since session 61 `more-from-tail` and `comment-prompt-tail`, count paragraphs from 8
/// words), so no profile drops them. Before session 61 every profile cut them after
/// "Trending", "Latest news" or "Leave a comment" (those rules counted from 15 words), and
/// balanced and aggressive after "Related articles" (`related-tail`, unguarded).
#[test]
fn a_box_before_short_paragraphs_leaves_them() {
    let text = probe("wet-most-popular.txt");
    let mut lines: Vec<&str> = text.lines().take(10).collect();
    lines.splice(
        6..10,
        [
            "Buses replaced the trains while the line was closed.",
            "Some commuters drove to the next town's station instead.",
            "The operator will run extra trains on the first weekend.",
            "Network managers said the slope would be watched with sensors.",
        ],
    );
    let story = lines.join("\n") + "\n";
    const HEADINGS: &[&str] = &[
        "Most popular",
        "Trending",
        "Latest news",
        "Leave a comment",
        "Join the conversation",
        "Related articles",
        "You may also like",
        "Ähnliche Beiträge",
    ];
    for heading in HEADINGS {
        let boxed = story.replacen("Most popular", heading, 1);
        every_profile_keeps_in(&format!("short paragraphs after {heading:?}"), &boxed, &[1, 2, 3, 7, 8, 9, 10]);
    }
}
