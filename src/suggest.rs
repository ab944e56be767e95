//! `rules suggest`: the lines a site prints on most of its pages and the loaded rules
//! keep (menus, footers, prompts), drafted into a site pack for a rule author to review.
//!
//! Article text does not repeat from page to page; a site's template does. Each page is
//! cleaned first, so a draft holds only what the packs miss.

use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::engine::normalize::normalize_into;
use crate::engine::scope::host_of;
use crate::io::format::{Format, open_reader};
use crate::io::records::{Fields, Record, TextSplit, records};
use crate::pipeline::clean_in_segments;
use crate::{DocContext, Engine};

/// How `mine` reads its inputs.
pub struct MineOptions<'a> {
    pub fields: Fields,
    /// The document separator of text inputs, if any.
    pub separator: Option<String>,
    /// The site of documents without a URL of their own (plain text).
    pub url: Option<&'a str>,
    /// Documents above this size are cleaned in segments, as `clean` does.
    pub segment_bytes: usize,
}

/// What mining found, and what it had to pass over.
#[derive(Default)]
pub struct Mined {
    pub sites: LineCounts,
    /// Documents with no URL and no `--url`: no site to count them for.
    pub without_site: u64,
    /// `file:line: cause` of each bad record, passed over.
    pub errors: Vec<String>,
}

/// Records are cleaned this many at a time, in parallel, and counted in input order.
const BATCH: usize = 256;

/// Clean every document of `inputs` (path, format, name to show) and count, per site,
/// the pages each kept line is on. An input that cannot be read, or a bad record, is
/// noted in `errors` and passed over.
pub fn mine(engine: &Engine, inputs: &[(PathBuf, Format, String)], options: &MineOptions) -> Mined {
    let mut mined = Mined::default();
    let split = TextSplit::whole(options.separator.clone());
    for (path, format, name) in inputs {
        let reader = match open_reader(path, Arc::default()) {
            Ok(r) => r,
            Err(e) => {
                mined.errors.push(format!("{name}: cannot read: {e}"));
                continue;
            }
        };
        let mut batch: Vec<Record> = Vec::with_capacity(BATCH);
        let mut stream = records(reader, *format, options.fields.clone(), &split, None).peekable();
        while stream.peek().is_some() {
            batch.clear();
            for result in stream.by_ref() {
                match result {
                    Ok(record) => batch.push(record),
                    Err(e) => mined.errors.push(format!("{name}:{}: {}", e.line, e.message)),
                }
                if batch.len() == BATCH {
                    break;
                }
            }
            let pages: Vec<(Option<String>, Page)> = batch
                .par_iter()
                .map_init(crate::Scratch::default, |scratch, record| {
                    let url = record.url.as_deref().or(options.url);
                    let ctx = DocContext { url, path: Some(name), ..Default::default() };
                    let (cleaned, _) = clean_in_segments(engine, &record.text, ctx, scratch, options.segment_bytes);
                    let mut removed = vec![false; record.text.lines().count()];
                    for r in &cleaned.removals {
                        removed[r.lines.clone()].fill(true);
                    }
                    (url.and_then(site_of), Page::new(&record.text, &removed))
                })
                .collect();
            for (site, page) in &pages {
                match site {
                    Some(site) => mined.sites.add_page(site, page),
                    None => mined.without_site += 1,
                }
            }
        }
    }
    mined
}

/// The site a URL belongs to, as a pack scopes it: its host without `www.` (a domain in
/// a scope covers its subdomains). `None` when there is no host name to scope a pack to.
pub fn site_of(url: &str) -> Option<String> {
    let host = host_of(url).filter(|h| h.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)))?;
    Some(host.strip_prefix("www.").unwrap_or(&host).to_string())
}

/// Per site: how many pages were seen, and on how many of them each line was.
#[derive(Default)]
pub struct LineCounts {
    sites: HashMap<String, Site>,
    /// Lines counted so far, over all sites: gives each line its place in a draft.
    order: u64,
}

#[derive(Default)]
struct Site {
    pages: u32,
    /// Pages passed over as copies of one already counted (the same article under two
    /// URLs would make its paragraphs look like the site's template).
    copies: u32,
    /// A hash of each counted page's longest line: the article's, on an article page.
    fingerprints: HashSet<u64>,
    /// By a hash of the line's normalised view (the view an `exact` pattern matches).
    lines: HashMap<u64, Seen>,
}

struct Seen {
    /// Pages it was kept on.
    pages: u32,
    /// The most times it is on one page, kept or not.
    most_on_a_page: u32,
    first_seen: u64,
    /// Stored from the second page that kept it: most lines are on one page, and their
    /// text is not needed.
    text: Option<Box<str>>,
}

/// One page's lines as counting needs them, worked out beside the cleaning (in parallel)
/// so that counting is only table updates.
pub struct Page<'t> {
    /// A hash of the longest kept line: the article's, on an article page.
    fingerprint: u64,
    /// Each distinct line with a letter (a rule for "1." or "|" would hit every list), in
    /// the order of its first occurrence.
    lines: Vec<PageLine<'t>>,
}

struct PageLine<'t> {
    /// A hash of the line's normalised view (the view an `exact` pattern matches).
    hash: u64,
    /// Occurrences on the page, kept or not.
    count: u32,
    /// Whether any occurrence was kept.
    kept: bool,
    /// The first kept occurrence, else the first, trimmed.
    text: &'t str,
}

impl<'t> Page<'t> {
    /// `removed[i]`: the rules removed line `i` of `text.lines()`.
    pub fn new(text: &'t str, removed: &[bool]) -> Page<'t> {
        let kept = |i: usize| !removed.get(i).copied().unwrap_or(false);
        let mut view = String::new();
        let longest = text.lines().enumerate().filter(|&(i, _)| kept(i)).map(|(_, l)| l.trim());
        normalize_into(longest.max_by_key(|l| l.len()).unwrap_or(""), true, &mut view);
        let fingerprint = hash(&view);
        let mut lines: Vec<PageLine> = Vec::new();
        let mut index: HashMap<u64, usize> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            normalize_into(line, true, &mut view);
            if !view.chars().any(char::is_alphabetic) {
                continue;
            }
            let h = hash(&view);
            let at = *index.entry(h).or_insert_with(|| {
                lines.push(PageLine { hash: h, count: 0, kept: false, text: line.trim() });
                lines.len() - 1
            });
            let entry = &mut lines[at];
            entry.count += 1;
            if kept(i) && !entry.kept {
                entry.kept = true;
                entry.text = line.trim();
            }
        }
        Page { fingerprint, lines }
    }
}

impl LineCounts {
    /// Count one page of `site`: the pages each line was kept on, and how often it occurs
    /// on a page whether kept or not (a line repeated on a page is often the article's own
    /// heading, and a rule for it removes every occurrence). A page whose longest kept
    /// line was the longest of a page counted before is a copy, and is not counted.
    pub fn add_page(&mut self, site: &str, page: &Page) {
        let entry = match self.sites.get_mut(site) {
            Some(s) => s,
            None => self.sites.entry(site.to_string()).or_default(),
        };
        if !entry.fingerprints.insert(page.fingerprint) {
            entry.copies += 1;
            return;
        }
        entry.pages += 1;
        for line in &page.lines {
            self.order += 1;
            let seen = entry.lines.entry(line.hash).or_insert(Seen {
                pages: 0,
                most_on_a_page: 0,
                first_seen: self.order,
                text: None,
            });
            seen.most_on_a_page = seen.most_on_a_page.max(line.count);
            if line.kept {
                seen.pages += 1;
                if seen.pages >= 2 {
                    seen.text.get_or_insert_with(|| line.text.into());
                }
            }
        }
    }

    /// A draft for each site with at least `min_pages` pages, holding the lines found on
    /// at least `min_pages` of them and on at least `min_share` of them; sites by name.
    pub fn drafts(&self, min_pages: u32, min_share: f64) -> Vec<Draft> {
        let mut drafts: Vec<Draft> = self
            .sites
            .iter()
            .filter(|(_, s)| s.pages >= min_pages)
            .map(|(name, s)| {
                let needed = min_pages.max((min_share * f64::from(s.pages)).ceil() as u32);
                let mut lines: Vec<(&Seen, &str)> = s
                    .lines
                    .values()
                    .filter(|seen| seen.pages >= needed)
                    .filter_map(|seen| Some((seen, seen.text.as_deref()?)))
                    .collect();
                // In the order they were first seen: a menu's items stay together.
                lines.sort_by_key(|(seen, _)| seen.first_seen);
                Draft {
                    site: name.clone(),
                    pages: s.pages,
                    lines: lines
                        .into_iter()
                        .map(|(seen, text)| DraftLine {
                            text: text.to_string(),
                            pages: seen.pages,
                            most_on_a_page: seen.most_on_a_page,
                        })
                        .collect(),
                }
            })
            .collect();
        drafts.sort_by(|a, b| a.site.cmp(&b.site));
        drafts
    }

    /// Sites seen, with their counted pages and copies passed over, by name.
    pub fn sites(&self) -> Vec<(&str, u32, u32)> {
        let mut sites: Vec<_> = self.sites.iter().map(|(n, s)| (n.as_str(), s.pages, s.copies)).collect();
        sites.sort();
        sites
    }
}

fn hash(view: &str) -> u64 {
    let mut h = DefaultHasher::new();
    view.hash(&mut h);
    h.finish()
}

/// The repeated lines of one site.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub site: String,
    pub pages: u32,
    pub lines: Vec<DraftLine>,
}

/// A line a site repeats.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftLine {
    /// As first seen on a second page, trimmed.
    pub text: String,
    /// The pages it is on.
    pub pages: u32,
    /// The most times it occurs on one page.
    pub most_on_a_page: u32,
}

/// A line on this many places of one page is more often a heading of the article's own
/// structure ("Pros", "Pricing") than template; an ad label can be both.
const REPEATS_ON_A_PAGE: u32 = 3;

impl DraftLine {
    /// Why the draft leaves this line commented out, if it does: the kinds of line that
    /// the dev pages showed to be article structure as often as template.
    pub fn doubt(&self) -> Option<String> {
        if self.most_on_a_page >= REPEATS_ON_A_PAGE {
            Some(format!("up to {} times on a page: a section heading, or an ad label?", self.most_on_a_page))
        } else if self.text.starts_with('#') {
            Some("a heading: a section every article has (\"FAQ\"), or template?".to_string())
        } else {
            None
        }
    }
}

impl Draft {
    /// A pack scoped to the site with one `line` rule listing the lines, each with its
    /// page count, headed by what a reviewer must check.
    pub fn to_toml(&self, min_pages: u32, min_share: f64) -> String {
        let site = &self.site;
        let quote = |s: &str| toml::Value::from(s).to_string();
        let mut rule = format!(
            "[[rule]]\nid = {id}\nkind = \"line\"\nwhy = {why}\nexact = [\n",
            id = quote(&format!("{}-repeated-lines", rule_id_part(site))),
            why = quote(&format!("A line {site} prints on most of its pages (menu, footer, prompt).")),
        );
        for line in &self.lines {
            let (pages, text) = (line.pages, quote(&line.text));
            match line.doubt() {
                None => rule.push_str(&format!("    {text}, # {pages} of {} pages\n", self.pages)),
                Some(doubt) => rule.push_str(&format!("    # {text}, # {pages} of {} pages; {doubt}\n", self.pages)),
            }
        }
        rule.push_str("]\n");
        // So that `rules test` guards the rule once edited.
        if let Some(first) = self.lines.iter().find(|l| l.doubt().is_none()) {
            rule.push_str(&format!("examples.remove = [{}]\n", quote(&first.text)));
        }
        // A rule without patterns does not load: with every line in doubt, the whole rule
        // waits for the reviewer.
        if self.lines.iter().all(|l| l.doubt().is_some()) {
            rule = rule.lines().map(|l| format!("# {l}\n")).collect();
        }
        format!(
            "# Drafted by `dechrome rules suggest` from {pages} pages of {site}: the lines the loaded rules\n\
             # kept on at least {min_pages} pages and {share:.0}% of them. Review before use: delete any line that\n\
             # is article text (a heading every recipe repeats, such as \"Ingredients\", is content). Headings\n\
             # and lines repeated on a page are commented out: uncomment those that are template.\n\
             # Then: dechrome clean --rules THIS_FILE …\n\n\
             [pack]\nname = {name}\ndescription = {description}\n\n[pack.scope]\ndomains = [{name}]\n\n{rule}",
            pages = self.pages,
            share = min_share * 100.0,
            name = quote(site),
            description = quote(&format!("{site}: lines repeated across its pages.")),
        )
    }
}

/// `site` as the start of a rule id (letters, digits, `-`, `_`, `.`).
fn rule_id_part(site: &str) -> String {
    site.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '-' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pages as (site, text); a line starting with `-` stands for one the rules removed.
    fn counts(pages: &[(&str, &str)]) -> LineCounts {
        let mut c = LineCounts::default();
        for (site, text) in pages {
            let removed: Vec<bool> = text.lines().map(|l| l.starts_with('-')).collect();
            let text: String = text.lines().map(|l| format!("{}\n", l.trim_start_matches('-'))).collect();
            c.add_page(site, &Page::new(&text, &removed));
        }
        c
    }

    #[test]
    fn lines_on_enough_pages_of_a_site_are_drafted_in_first_seen_order() {
        let c = counts(&[
            ("a.org", "Home\n\nThe first story.\n\nSubscribe now\nHome\n1.\n-Menu\nPricing\n"),
            ("a.org", "Home\n\nThe second story.\n\n**Subscribe now**\n1.\n-Menu\n-Pricing\nPricing\n-Pricing\n"),
            ("a.org", "The third story.\n\nSubscribe now\nMenu\n"),
            // The first story again, under another URL: not counted.
            ("a.org", "Home\n\nThe first story.\n\nSubscribe now\n"),
            ("b.org", "Home\n"),
        ]);
        assert_eq!(c.sites(), [("a.org", 3, 1), ("b.org", 1, 0)]);
        let drafts = c.drafts(2, 0.5);
        assert_eq!(drafts.len(), 1, "b.org has one page");
        assert_eq!(drafts[0].site, "a.org");
        assert_eq!(drafts[0].pages, 3);
        // "Home" twice on page 1 counts once; "**Subscribe now**" is the same line
        // normalised; "1." has no letter; "Menu" was removed on two of its pages;
        // "Pricing" is on a page three times, removed or not.
        let lines = |d: &Draft| d.lines.iter().map(|l| (l.text.clone(), l.pages, l.most_on_a_page)).collect::<Vec<_>>();
        assert_eq!(
            lines(&drafts[0]),
            [("Home".into(), 2, 2), ("**Subscribe now**".into(), 3, 1), ("Pricing".into(), 2, 3)]
        );
        // 3 of 3 pages needed: only the prompt.
        assert_eq!(lines(&c.drafts(2, 1.0)[0]), [("**Subscribe now**".into(), 3, 1)]);
    }

    #[test]
    fn a_draft_loads_and_removes_its_lines_on_its_site_only() {
        let line = |text: &str, most_on_a_page| DraftLine { text: text.into(), pages: 4, most_on_a_page };
        let draft = Draft {
            site: "example.org".into(),
            pages: 4,
            lines: vec![
                line("Sign up for \"The Daily\"", 1),
                line("## Pros", 1),
                line("[Home](#) | [About](#)", 2),
                line("Pricing", 5),
            ],
        };
        let toml = draft.to_toml(3, 0.5);
        let source = crate::rules::PackSource { name: "draft.toml".into(), text: toml };
        let pack = crate::rules::parse::parse_pack(&source).unwrap();
        let (run, failures) = crate::examples::test_examples(std::slice::from_ref(&pack)).unwrap();
        assert_eq!((run, failures.len()), (1, 0), "the draft's example is removed by its rule");
        let engine = Engine::compile(&[pack], &[]).unwrap();
        let page = "Sign up for \"The Daily\"\n\nAn article.\n\n## Pros\n\nPricing\n\n[Home](#) | [About](#)\n";
        let on_site = DocContext { url: Some("https://www.example.org/a"), ..Default::default() };
        // The heading and the line repeated on a page are left to the reviewer.
        assert_eq!(engine.clean(page, on_site).text, "An article.\n\n## Pros\n\nPricing\n");
        let elsewhere = DocContext { url: Some("https://other.org/a"), ..Default::default() };
        assert_eq!(engine.clean(page, elsewhere).text, page);

        // Every line in doubt: the rule is commented out whole, and the pack still loads.
        let doubtful = Draft { lines: vec![line("## Pros", 1), line("Pricing", 5)], ..draft };
        let source = crate::rules::PackSource { name: "draft.toml".into(), text: doubtful.to_toml(3, 0.5) };
        let pack = crate::rules::parse::parse_pack(&source).unwrap();
        assert!(pack.rules.is_empty());
        assert!(source.text.contains("# [[rule]]\n") && source.text.contains("#     # \"## Pros\""), "{}", source.text);
    }

    #[test]
    fn sites_drop_www_only() {
        assert_eq!(site_of("https://www.example.org/x").as_deref(), Some("example.org"));
        assert_eq!(site_of("http://news.example.org").as_deref(), Some("news.example.org"));
        assert_eq!(site_of("no url"), None);
        assert_eq!(site_of(""), None);
    }
}
