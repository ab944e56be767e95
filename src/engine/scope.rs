//! Which packs apply to a document. Domains are a hash index over the host's label
//! suffixes (`a.example.com` → `a.example.com`, `example.com`, `com`), so a rule for
//! `example.com` never reaches `badexample.com`; signatures are one automaton over the
//! text; paths one glob set.

use std::collections::HashMap;

use aho_corasick::AhoCorasick;
use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::rules::Scope;

#[derive(Default)]
pub struct ScopeIndex {
    packs: usize,
    global: Vec<u32>,
    by_domain: HashMap<String, Vec<u32>>,
    excluded: HashMap<String, Vec<u32>>,
    signatures: Option<AhoCorasick>,
    signature_packs: Vec<u32>,
    /// Per signature: the other signatures that are prefixes of it (leftmost-longest
    /// reports only the longest at a position; the shorter ones are there too).
    signature_shorter: Vec<Vec<usize>>,
    paths: Option<GlobSet>,
    path_packs: Vec<u32>,
}

/// What a document offers for scoping.
#[derive(Clone, Copy, Default)]
pub struct DocContext<'a> {
    pub url: Option<&'a str>,
    pub path: Option<&'a str>,
    /// More of the document follows this text: it is a segment of a bigger one (a large
    /// text file, a huge record). Its last lines are then not the page's end, and the
    /// detectors that cut a page's tail leave them alone.
    pub continues: bool,
    /// The number of lines of the document before this text (0 unless it is a segment):
    /// explanations that name lines add it, as reports do.
    pub first_line: usize,
}

impl ScopeIndex {
    pub fn new(scopes: &[&Scope]) -> Result<Self, String> {
        let mut index = ScopeIndex { packs: scopes.len(), ..Default::default() };
        let mut signatures = Vec::new();
        let mut globs = GlobSetBuilder::new();
        for (pack, scope) in scopes.iter().enumerate() {
            let pack = pack as u32;
            for d in &scope.excluded_domains {
                index.excluded.entry(d.clone()).or_default().push(pack);
            }
            if scope.is_global() {
                index.global.push(pack);
                continue;
            }
            for d in &scope.domains {
                index.by_domain.entry(d.clone()).or_default().push(pack);
            }
            for s in &scope.signatures {
                signatures.push(s.clone());
                index.signature_packs.push(pack);
            }
            for p in &scope.paths {
                globs.add(Glob::new(p).map_err(|e| e.to_string())?);
                index.path_packs.push(pack);
            }
        }
        if !signatures.is_empty() {
            index.signature_shorter = signatures
                .iter()
                .map(|s| {
                    (0..signatures.len())
                        .filter(|&o| signatures[o].len() < s.len() && s.starts_with(&signatures[o]))
                        .collect()
                })
                .collect();
            let ac = AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&signatures)
                .map_err(|e| e.to_string())?;
            index.signatures = Some(ac);
        }
        if !index.path_packs.is_empty() {
            index.paths = Some(globs.build().map_err(|e| e.to_string())?);
        }
        Ok(index)
    }

    /// Mark the packs that apply to this document in `active` (resized to the pack count).
    pub fn active(&self, ctx: DocContext, text: &str, active: &mut Vec<bool>) {
        active.clear();
        active.resize(self.packs, false);
        for &p in &self.global {
            active[p as usize] = true;
        }
        let host = ctx.url.and_then(host_of);
        if let Some(host) = &host {
            for suffix in label_suffixes(host) {
                if let Some(ps) = self.by_domain.get(suffix) {
                    for &p in ps {
                        active[p as usize] = true;
                    }
                }
            }
        }
        if let Some(ac) = &self.signatures {
            // Restarting one byte after each match start finds every occurrence that
            // overlapping search would, while keeping the fast prefilter.
            let mut at = 0;
            while let Some(m) = ac.find(aho_corasick::Input::new(text).span(at..text.len())) {
                let p = m.pattern().as_usize();
                for q in std::iter::once(p).chain(self.signature_shorter[p].iter().copied()) {
                    active[self.signature_packs[q] as usize] = true;
                }
                at = m.start() + 1;
            }
        }
        if let (Some(set), Some(path)) = (&self.paths, ctx.path) {
            for i in set.matches(path) {
                active[self.path_packs[i] as usize] = true;
            }
        }
        if let Some(host) = &host {
            for suffix in label_suffixes(host) {
                if let Some(ps) = self.excluded.get(suffix) {
                    for &p in ps {
                        active[p as usize] = false;
                    }
                }
            }
        }
    }
}

/// `a.b.com` → `a.b.com`, `b.com`, `com`: the only strings a domain rule can equal.
fn label_suffixes(host: &str) -> impl Iterator<Item = &str> {
    std::iter::once(host).chain(host.match_indices('.').map(move |(i, _)| &host[i + 1..]))
}

/// The lower-cased host of an absolute URL (`scheme://[user@]host[:port]/…`), or of a
/// bare `host/path`.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.trim().split_once("://").map_or(url.trim(), |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = if host_port.starts_with('[') {
        host_port.split_once(']').map(|(h, _)| &h[1..])?
    } else {
        host_port.split(':').next()?
    };
    let host = host.trim_end_matches('.');
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(domains: &[&str], excluded: &[&str], sigs: &[&str], paths: &[&str]) -> Scope {
        Scope {
            domains: domains.iter().map(|s| s.to_string()).collect(),
            excluded_domains: excluded.iter().map(|s| s.to_string()).collect(),
            signatures: sigs.iter().map(|s| s.to_string()).collect(),
            paths: paths.iter().map(|s| s.to_string()).collect(),
        }
    }

    fn active_for(index: &ScopeIndex, url: Option<&str>, path: Option<&str>, text: &str) -> Vec<bool> {
        let mut v = Vec::new();
        index.active(DocContext { url, path, ..Default::default() }, text, &mut v);
        v
    }

    #[test]
    fn domains_match_on_label_boundaries_with_exclusions() {
        let s = scope(&["example.com"], &["shop.example.com"], &[], &[]);
        let index = ScopeIndex::new(&[&s]).unwrap();
        assert_eq!(active_for(&index, Some("https://example.com/a"), None, ""), [true]);
        assert_eq!(active_for(&index, Some("http://www.Example.COM:8080/a"), None, ""), [true]);
        assert_eq!(active_for(&index, Some("https://badexample.com/"), None, ""), [false]);
        assert_eq!(active_for(&index, Some("https://example.com.evil.org/"), None, ""), [false]);
        assert_eq!(active_for(&index, Some("https://shop.example.com/x"), None, ""), [false]);
        assert_eq!(active_for(&index, Some("https://a.shop.example.com/x"), None, ""), [false]);
        assert_eq!(active_for(&index, None, None, "no url"), [false]);
    }

    #[test]
    fn www_is_not_stripped_by_string_surgery() {
        // adblock-rust #611: a rule for `www.com` must not become a rule for `.com`.
        let s = scope(&["www.com"], &[], &[], &[]);
        let index = ScopeIndex::new(&[&s]).unwrap();
        assert_eq!(active_for(&index, Some("https://example.com/"), None, ""), [false]);
        assert_eq!(active_for(&index, Some("https://www.com/"), None, ""), [true]);
    }

    #[test]
    fn signatures_paths_and_global_packs() {
        let global = Scope::default();
        let sig = scope(&[], &[], &["Udayavani"], &[]);
        let path = scope(&[], &[], &[], &["**/news/*.txt"]);
        let index = ScopeIndex::new(&[&global, &sig, &path]).unwrap();
        assert_eq!(active_for(&index, None, None, "Thanks for visiting Udayavani"), [true, true, false]);
        // Overlapping and nested signatures of different packs are all found.
        let a = scope(&[], &[], &["The Moscow Times"], &[]);
        let b = scope(&[], &[], &["A Message from The Moscow"], &[]);
        let c = scope(&[], &[], &["The Moscow"], &[]);
        let nested = ScopeIndex::new(&[&a, &b, &c]).unwrap();
        assert_eq!(active_for(&nested, None, None, "A Message from The Moscow Times:"), [true, true, true]);
        assert_eq!(active_for(&nested, None, None, "The Moscow"), [false, false, true]);
        assert_eq!(active_for(&index, None, Some("corpus/news/a.txt"), "x"), [true, false, true]);
        assert_eq!(active_for(&index, None, Some("corpus/blog/a.txt"), "udayavani"), [true, false, false]);
    }

    #[test]
    fn hosts_are_extracted() {
        assert_eq!(host_of("https://user:pw@News.Example.com.:443/x?y#z").as_deref(), Some("news.example.com"));
        assert_eq!(host_of("example.org/path").as_deref(), Some("example.org"));
        assert_eq!(host_of("http://[::1]:80/").as_deref(), Some("::1"));
        assert_eq!(host_of(""), None);
    }
}
