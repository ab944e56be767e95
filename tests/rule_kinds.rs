//! Every rule kind, matcher and option, on small documents.

mod common;

use common::{clean, engine_from};

const ARTICLE: &str = "An article paragraph that ends properly.";

#[test]
fn line_matchers_exact_prefix_suffix_contains_regex() {
    let e = engine_from(
        r#"
[[rule]]
id = "l"
kind = "line"
why = "test"
exact = ["Skip to content"]
prefix = ["Share this"]
suffix = ["all rights reserved."]
contains = ["ad blocker"]
regex = ['^page \d+ of \d+$']
"#,
    );
    let doc = format!(
        "{ARTICLE}\n* [Skip to content](#)\n**Share this** on X\n© Acme. All Rights Reserved.\nYou have an AD BLOCKER on\nPage 2 of 9\nShare prices: all rights reserved. Not at the end.\n"
    );
    assert_eq!(clean(&e, &doc), format!("{ARTICLE}\nShare prices: all rights reserved. Not at the end.\n"));
}

#[test]
fn normalisation_folds_markdown_quotes_dashes_and_case() {
    let e =
        engine_from("[[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"Don't miss out - read more\"]\n");
    assert_eq!(clean(&e, "## [**Don\u{2019}t  miss out \u{2014} Read more**](#)\nkept\n"), "kept\n");
}

#[test]
fn case_sensitive_and_raw_matchers() {
    let e = engine_from(
        "[[rule]]\nid = \"cs\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"TOP\"]\ncase_sensitive = true\n\n\
         [[rule]]\nid = \"raw\"\nkind = \"line\"\nwhy = \"w\"\nraw = true\nexact = [\"**\"]\n",
    );
    assert_eq!(clean(&e, "TOP\ntop\n**\n*\n"), "top\n*\n");
}

#[test]
fn turkish_dotted_capital_i_matches_in_every_view() {
    // Lines, patterns, the gate's first tokens and regex literals fold `İ` alike. Each
    // rule has an engine of its own: with others beside it, the gate may let a line
    // through for their sake.
    let doc = "İÇERİĞE GEÇ\nİlgili Haberler\nilgili haberler\nPAYLAŞ VE İZLE\nİlgili yazılar: 12\nkept\n";
    let removes = |rule: &str| {
        let e = engine_from(&format!("[[rule]]\nid = \"r\"\nkind = \"line\"\nwhy = \"w\"\n{rule}\n"));
        let kept = clean(&e, doc);
        doc.lines().filter(|l| !kept.lines().any(|k| k == *l)).collect::<Vec<_>>()
    };
    assert_eq!(removes("prefix = [\"içeriğe geç\"]"), ["İÇERİĞE GEÇ"]);
    assert_eq!(removes("case_sensitive = true\nprefix = [\"İlgili Haberler\"]"), ["İlgili Haberler"]);
    assert_eq!(removes("raw = true\nexact = [\"paylaş ve İzle\"]"), ["PAYLAŞ VE İZLE"]);
    assert_eq!(removes("regex = ['^ilgili yazılar: [0-9]+']"), ["İlgili yazılar: 12"]);
}

#[test]
fn max_words_and_position_limits() {
    let e = engine_from(
        "[[rule]]\nid = \"short\"\nkind = \"line\"\nwhy = \"w\"\nprefix = [\"follow us\"]\nmax_words = 4\n\n\
         [[rule]]\nid = \"head\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"Menu\"]\nwithin_first = 2\n\n\
         [[rule]]\nid = \"foot\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"Top\"]\nwithin_last = 1\n",
    );
    let doc = "Menu\n\nMenu\nMenu\nFollow us on X\nFollow us on this long journey of ours\nTop\nTop\n";
    assert_eq!(clean(&e, doc), "Menu\nFollow us on this long journey of ours\nTop\n");
}

/// A block rule `b` with the given keys.
fn block(keys: &str) -> dechrome::Engine {
    engine_from(&format!("[[rule]]\nid = \"b\"\nkind = \"block\"\nwhy = \"w\"\n{keys}\n"))
}

#[test]
fn block_inclusive_exclusive_to_end_and_max_lines() {
    let inclusive = block("start = { exact = [\"BEGIN\"] }\nend = { exact = [\"END\"] }");
    assert_eq!(clean(&inclusive, "a\nBEGIN\nx\n\ny\nEND\nb\n"), "a\nb\n");
    // Without its end, a block removes nothing.
    assert_eq!(clean(&inclusive, "a\nBEGIN\nx\n"), "a\nBEGIN\nx\n");

    let exclusive = block("start = { exact = [\"BEGIN\"] }\nend = { exact = [\"END\"] }\nend_inclusive = false");
    assert_eq!(clean(&exclusive, "a\nBEGIN\nx\nEND\nb\n"), "a\nEND\nb\n");

    let to_end = block("start = { prefix = [\"Top News\"] }");
    assert_eq!(clean(&to_end, "a\n\nTop News\n\nh1\nh2\n"), "a\n");

    let limited = block("start = { exact = [\"Ad\"] }\nmax_lines = 2");
    assert_eq!(clean(&limited, "a\nAd\n\nx\ny\n"), "a\ny\n");

    // To the end, unless more lines follow than a page's tail has (several pages in one text).
    let short_tail = block("start = { exact = [\"Top News\"] }\nmax_tail_lines = 3");
    assert_eq!(clean(&short_tail, "a\nTop News\n\nh1\nh2\n"), "a\n");
    assert_eq!(clean(&short_tail, "a\nTop News\nh1\nh2\nh3\n"), "a\nTop News\nh1\nh2\nh3\n");

    let bounded_end = block("start = { exact = [\"BEGIN\"] }\nend = { exact = [\"END\"] }\nmax_lines = 3");
    assert_eq!(clean(&bounded_end, "BEGIN\nx\nEND\nk\n"), "k\n");
    assert_eq!(clean(&bounded_end, "BEGIN\nx\ny\nEND\nk\n"), "BEGIN\nx\ny\nEND\nk\n");

    // In a segment of a big document (more of it follows), the end of the text is not the
    // document's: a block to the end removes nothing there, nor does one that would count
    // the lines after it; one that `max_lines` ends within the segment still goes.
    let segment = dechrome::DocContext { continues: true, ..Default::default() };
    let in_segment = |e: &dechrome::Engine, text: &str| e.clean(text, segment).text;
    assert_eq!(in_segment(&to_end, "a\n\nTop News\n\nh1\nh2\n"), "a\n\nTop News\n\nh1\nh2\n");
    assert_eq!(in_segment(&short_tail, "a\nTop News\n\nh1\nh2\n"), "a\nTop News\n\nh1\nh2\n");
    assert_eq!(in_segment(&limited, "a\nAd\n\nx\ny\n"), "a\ny\n");
    assert_eq!(in_segment(&limited, "a\nx\nAd\n\ny\n"), "a\nx\nAd\n\ny\n");
}

#[test]
fn sequence_matches_every_occurrence_and_nothing_partial() {
    let e = engine_from(
        "[[rule]]\nid = \"s\"\nkind = \"sequence\"\nwhy = \"w\"\nlines = [\"Physical Address\", \"304 North Cardinal St.\"]\n",
    );
    let doc = "Physical Address\n304 North Cardinal St.\nPhysical Address\n\n304 North Cardinal St.\ntext\nPhysical Address\nelsewhere\n";
    assert_eq!(clean(&e, doc), "text\nPhysical Address\nelsewhere\n");
}

#[test]
fn replace_deletes_or_rewrites_with_captures_and_keeps_the_rest() {
    let e = engine_from(
        "[[rule]]\nid = \"r\"\nkind = \"replace\"\nwhy = \"w\"\nregex = ['^\\s*date \\d{4}-\\d{2}-\\d{2}\\s+']\ncase_sensitive = true\n\n\
         [[rule]]\nid = \"r2\"\nkind = \"replace\"\nwhy = \"w\"\nregex = ['\\(via (\\w+)\\)']\nwith = \"[$1]\"\n",
    );
    let cleaned = e.clean(" date 2024-11-11 The Kremlin denied it (via Reuters).\n", Default::default());
    assert_eq!(cleaned.text, "The Kremlin denied it [Reuters].\n");
    assert_eq!(cleaned.rewrites.len(), 2);
    assert_eq!(cleaned.rewrites[0].bytes, 0..17);
    // A line rewritten to nothing is removed, and attributed to the rule.
    let cleaned = e.clean("a\n date 2024-11-11 \nb\n", Default::default());
    assert_eq!(cleaned.text, "a\nb\n");
    assert_eq!(e.rules[cleaned.removals[0].rule as usize].id, "r");
}

#[test]
fn keep_protects_lines_from_every_removal() {
    let e = engine_from(
        "[[rule]]\nid = \"b\"\nkind = \"block\"\nwhy = \"w\"\nstart = { exact = [\"Related\"] }\n\n\
         [[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\ncontains = [\"newsletter\"]\n\n\
         [[rule]]\nid = \"k\"\nkind = \"keep\"\nwhy = \"w\"\nprefix = [\"Our newsletter story\"]\n",
    );
    let doc =
        "a\nOur newsletter story continues here\nA newsletter prompt\nRelated\nx\nOur newsletter story, part two\ny\n";
    assert_eq!(clean(&e, doc), "a\nOur newsletter story continues here\nOur newsletter story, part two\n");
}

#[test]
fn keep_with_start_and_end_protects_blocks_paired_in_order() {
    let e = engine_from(
        "[[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\ncontains = [\"share\"]\n\n\
         [[rule]]\nid = \"k\"\nkind = \"keep\"\nwhy = \"w\"\nstart = { regex = ['^```'], raw = true }\n\
         end = { regex = ['^```$'], raw = true }\nmax_lines = 4\n",
    );
    // Fences pair up in order: the first closes at the second, the third at the fourth.
    let doc = "share a\n```\nshare b\n```\nshare c\n```py\nshare d\n```\nshare e\n";
    assert_eq!(clean(&e, doc), "```\nshare b\n```\n```py\nshare d\n```\n");
    // An unclosed fence, and one closing beyond max_lines, protect nothing.
    assert_eq!(clean(&e, "```\nshare a\n"), "```\n");
    assert_eq!(clean(&e, "```\nshare a\nshare b\nshare c\n```\n"), "```\n```\n");
    // The closing fence of a block too long to protect still closes it: it does not open a
    // block with the next fence and protect the prose between two code blocks.
    let doc = "```\nshare a\nshare b\nshare c\n```\nshare prose\n```\nshare d\n```\n";
    assert_eq!(clean(&e, doc), "```\n```\n```\nshare d\n```\n");
    // The line scorer is a detector: protected lines survive it as they survive rules.
    let shipped = common::shipped();
    let code = "```\n* [Home](#)\n* [About](#)\nCopyright 2024. All rights reserved.\n```\n";
    let article = format!("{ARTICLE} {ARTICLE} {ARTICLE}\n\n");
    let doc = format!("* [Home](#)\n* [News](#)\n* [About](#)\n\n{article}{code}\n{article}");
    assert!(clean(&shipped, &doc).contains(code), "{}", clean(&shipped, &doc));
}

#[test]
fn keep_block_takes_block_keys_only() {
    let text = "[pack]\nname = \"t\"\ndescription = \"d\"\n\n[[rule]]\nid = \"k\"\nkind = \"keep\"\nwhy = \"w\"\nstart = { exact = [\"a\"] }\nexact = [\"b\"]\n";
    let err = common::pack_set(text).err().unwrap().to_string();
    assert!(err.contains("`exact` not valid for a keep rule with `start`"), "{err}");
}

#[test]
fn keep_detector_protects_indented_code_from_line_rules() {
    let e = engine_from(
        "[[rule]]\nid = \"k\"\nkind = \"keep\"\nwhy = \"w\"\ndetector = \"indented-code\"\n\n\
         [[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\ncontains = [\"from\"]\n",
    );
    let code = "    SELECT id\n    FROM events\n    WHERE id > 1;\n";
    // Indented code is protected; the same line in prose, or in a nested menu, is not.
    assert_eq!(clean(&e, &format!("Intro.\n\n{code}\nFrom here on.\n")), format!("Intro.\n\n{code}"));
    assert_eq!(clean(&e, "Menu\n\n    Home\n    From the editor\n"), "Menu\n\n    Home\n");
}

#[test]
fn keep_detector_errors_name_the_detector_and_stray_keys() {
    let pack = |body: &str| {
        format!(
            "[pack]\nname = \"t\"\ndescription = \"d\"\n\n[[rule]]\nid = \"k\"\nkind = \"keep\"\nwhy = \"w\"\n{body}"
        )
    };
    let err = common::pack_set(&pack("detector = \"indented-code\"\nexact = [\"b\"]\n")).err().unwrap().to_string();
    assert!(err.contains("`exact` not valid for a keep rule with `detector`"), "{err}");
    let set = common::pack_set(&pack("detector = \"no-such\"\n")).unwrap();
    let err = set.compile(&[]).err().unwrap().to_string();
    assert!(err.contains("unknown keep detector `no-such` (expected one of: indented-code)"), "{err}");
}

#[test]
fn detector_rule_removes_a_trailing_headline_list() {
    let e = engine_from(
        "[[rule]]\nid = \"d\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"trailing-headlines\"\nparams = { min_lines = 3 }\n",
    );
    let long =
        "This is a long article paragraph with well over sixteen words so that it counts as the article body here.";
    let cleaned =
        e.clean(&format!("{long}\n\n{long}\n\nLatest\nOne headline\nTwo headline\nThree\n"), Default::default());
    assert_eq!(cleaned.text, format!("{long}\n\n{long}\n"));
    assert!(cleaned.removals[0].detail.as_deref().unwrap().contains("headline-like"));
}

#[test]
fn crlf_line_endings_are_kept_and_anchors_work() {
    let e = engine_from("[[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\nregex = ['^share$']\n");
    assert_eq!(clean(&e, "one\r\nShare\r\ntwo\r\n"), "one\r\ntwo\r\n");
}

#[test]
fn blank_runs_left_by_removals_collapse_but_the_documents_own_spacing_stays() {
    let e = engine_from("[[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"x\"]\n");
    assert_eq!(clean(&e, "A.\n\nx\n\nB.\n"), "A.\n\nB.\n");
    assert_eq!(clean(&e, "A.\nx\nB.\n"), "A.\nB.\n");
    assert_eq!(clean(&e, "A.\n\n\n\nB.\n"), "A.\n\n\n\nB.\n");
    assert_eq!(clean(&e, "x\n\nA.\n"), "A.\n");
    assert_eq!(clean(&e, "A.\n\nx\n"), "A.\n");
}

#[test]
fn paragraph_repair_joins_splits_and_can_be_switched_off() {
    let first = "One possibility is that someone on his team was tasked with introducing the report's two";
    let doc = format!("{first}\n\nnarratives, that Trump told Putin.\n");
    let on = engine_from("[[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"zzz\"]\n");
    assert_eq!(clean(&on, &doc), format!("{first} narratives, that Trump told Putin.\n"));
    // Across a removal too.
    assert_eq!(clean(&on, &format!("{first}\nzzz\nnarratives.\n")), format!("{first} narratives.\n"));
    let off = common::pack_set("[pack]\nname = \"t\"\ndescription = \"d\"\noptions.repair_paragraphs = false\n[[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"zzz\"]\n")
        .unwrap()
        .compile(&[])
        .unwrap();
    assert_eq!(clean(&off, &doc), doc);
}

#[test]
fn scoped_packs_apply_only_in_scope() {
    let text = "[pack]\nname = \"site\"\ndescription = \"d\"\nscope.domains = [\"example.com\", \"~shop.example.com\"]\n[[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"Menu\"]\n";
    let e = common::pack_set(text).unwrap().compile(&[]).unwrap();
    let run = |url: Option<&str>| e.clean("Menu\nText\n", dechrome::DocContext { url, ..Default::default() }).text;
    assert_eq!(run(Some("https://www.example.com/a")), "Text\n");
    assert_eq!(run(Some("https://badexample.com/a")), "Menu\nText\n");
    assert_eq!(run(Some("https://shop.example.com/a")), "Menu\nText\n");
    assert_eq!(run(None), "Menu\nText\n");
}

#[test]
fn a_big_site_pack_gets_its_own_gate_and_still_matches_in_scope() {
    // 80 phrases and 80 prefixes: too many to share the global gate, so they get a gate
    // run only on the site's documents. In scope every kind must still match.
    let mut text = String::from("[pack]\nname = \"site\"\nscope.domains = \"example.com\"\n");
    for k in 0..80 {
        text.push_str(&format!(
            "[[rule]]\nid = \"p{k}\"\nkind = \"line\"\nwhy = \"w\"\ncontains = \"phrase{k} marker\"\n\
             [[rule]]\nid = \"h{k}\"\nkind = \"line\"\nwhy = \"w\"\nprefix = \"Label{k}:\"\n"
        ));
    }
    text.push_str("[[rule]]\nid = \"r\"\nkind = \"line\"\nwhy = \"w\"\nregex = \"^sponsored by \\\\w+$\"\n");
    let e = common::pack_set(&text).unwrap().compile(&[]).unwrap();
    let doc = "A line with phrase17 marker in it.\n**Label42:** value\nSponsored by Acme\nText stays.\n";
    let run = |url: &str| e.clean(doc, dechrome::DocContext { url: Some(url), ..Default::default() }).text;
    assert_eq!(run("https://www.example.com/a"), "Text stays.\n");
    assert_eq!(run("https://other.org/a"), doc);
}

#[test]
fn removals_record_rule_lines_and_bytes() {
    let e = engine_from("[[rule]]\nid = \"l\"\nkind = \"line\"\nwhy = \"w\"\nexact = [\"Menu\"]\n");
    let text = "ab\nMenu\nMenu\ncd\n";
    let cleaned = e.clean(text, Default::default());
    assert_eq!(cleaned.removals.len(), 1);
    let r = &cleaned.removals[0];
    assert_eq!((r.lines.clone(), r.bytes.clone()), (1..3, 3..13));
    assert_eq!(&text[r.bytes.clone()], "Menu\nMenu\n");
    // The header engine_from adds is 4 lines; `id` is on the line after `[[rule]]`.
    assert_eq!(e.rules[r.rule as usize].location.line, 6);
}

#[test]
fn disabled_rules_do_not_run_and_unknown_ids_are_errors() {
    let set = dechrome::RuleSet::default_rules().unwrap();
    let e = set.compile(&["ad-blocker-notice".to_string()]).unwrap();
    assert_eq!(
        clean(&e, "Text here.\nYou seem to have an Ad Blocker on.\n"),
        "Text here.\nYou seem to have an Ad Blocker on.\n"
    );
    let err = set.compile(&["no-such-rule".to_string()]).err().unwrap();
    assert!(err.to_string().contains("no-such-rule"));
}

#[test]
fn line_scorer_uses_profiles_guards_and_explains_itself() {
    // Hand-set weights: links count against a line, words for it.
    let pack = |extra: &str| {
        format!(
            "[[rule]]\nid = \"s\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-scorer\"\n\
             [rule.params]\nbias = 0.5\nmin_lines = 3\n{extra}\n\
             [rule.params.threshold]\nconservative = 0.05\nbalanced = 0.5\naggressive = 0.9\n\
             [rule.params.weights]\nlink_density = -3.0\nlog_words = 0.2\n"
        )
    };
    let doc = "My Title Of The Page\n* [Home](#)\n* [News](#)\nA plain line of text here.\nAnother plain line.\n";
    let compile = |extra: &str, profile| {
        let text = format!("[pack]\nname = \"t\"\ndescription = \"d\"\n{}", pack(extra));
        let set = common::pack_set(&text).unwrap();
        dechrome::Engine::compile_with_profile(&set.packs, &[], profile).unwrap()
    };
    let balanced = compile("", dechrome::Profile::Balanced);
    let cleaned = balanced.clean(doc, Default::default());
    assert_eq!(cleaned.text, "My Title Of The Page\nA plain line of text here.\nAnother plain line.\n");
    let detail = cleaned.removals[0].detail.as_deref().unwrap();
    assert!(detail.starts_with("P(content) 0.") && detail.contains("link_density -3.00"), "{detail}");
    // Conservative keeps more, aggressive removes more (here: the plain lines too).
    assert_eq!(clean(&compile("", dechrome::Profile::Conservative), doc), doc);
    let aggressive = clean(&compile("", dechrome::Profile::Aggressive), doc);
    assert_eq!(aggressive, "My Title Of The Page\n", "the title is kept, the rest goes");
    // Prose guard: long sentences survive any threshold.
    let prose = "My Title Of The Page\n* [Home](#)\nThis is a real sentence of prose with quite a few words in it, so it stays.\nx y\n";
    let guarded =
        compile("protect_words = { conservative = 10, balanced = 10, aggressive = 10 }", dechrome::Profile::Aggressive);
    assert!(clean(&guarded, prose).contains("This is a real sentence of prose"));
    // ...unless the score is under the prose floor; explain says which bar it missed.
    let floored = compile(
        "protect_words = { conservative = 10, balanced = 10, aggressive = 10 }
         prose_floor = { conservative = 0.0, balanced = 0.0, aggressive = 0.9 }",
        dechrome::Profile::Aggressive,
    );
    let cleaned = floored.clean(prose, Default::default());
    assert!(!cleaned.text.contains("This is a real sentence of prose"));
    let prose_removal = cleaned.removals.iter().find(|r| r.lines.start == 2).expect("the prose line goes");
    assert!(prose_removal.detail.as_deref().unwrap().contains("< 0.90 (the floor for prose)"));
    // A floor above the threshold would make prose easier to drop than other lines.
    let text = format!(
        "[pack]\nname = \"t\"\ndescription = \"d\"\n{}",
        pack(
            "protect_words = { conservative = 10, balanced = 10, aggressive = 10 }\n\
              prose_floor = { conservative = 0.5, balanced = 0.5, aggressive = 0.5 }"
        )
    );
    let set = common::pack_set(&text).unwrap();
    let err = dechrome::Engine::compile_with_profile(&set.packs, &[], dechrome::Profile::Conservative).err().unwrap();
    assert!(err.to_string().contains("prose_floor"), "{err}");
    // Too short to judge: left alone.
    assert_eq!(clean(&balanced, "* [Home](#)\nText.\n"), "* [Home](#)\nText.\n");
}

/// A code block a keep rule protects is kept, and the line scorer's guards and tail model
/// see it kept. Counted as dropped (its short lines score low), it was a gap after which
/// the tail model cut the rest of the article: a plain SQL tutorial lost its last third.
#[test]
fn a_protected_code_block_is_no_gap_for_the_tail_model() {
    // Short lines score low; any dropped line before kept ones makes the tail model cut.
    let text = "[pack]\nname = \"t\"\ndescription = \"d\"\n\
         [[rule]]\nid = \"code\"\nkind = \"keep\"\nwhy = \"w\"\n\
         start = { regex = ['^```'], raw = true }\nend = { regex = ['^```$'], raw = true }\n\
         [[rule]]\nid = \"s\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-scorer\"\n\
         [rule.params]\nbias = -6.0\nmin_lines = 3\n\
         [rule.params.threshold]\nconservative = 0.5\nbalanced = 0.5\naggressive = 0.5\n\
         [rule.params.weights]\nlog_words = 3.0\n\
         [rule.params.tail]\nbias = -5.0\n\
         [rule.params.tail.threshold]\nconservative = 0.5\nbalanced = 0.5\naggressive = 0.5\n\
         [rule.params.tail.weights]\nlog_gap_lines = 10.0\n";
    let set = common::pack_set(text).unwrap();
    let engine = dechrome::Engine::compile_with_profile(&set.packs, &[], dechrome::Profile::Balanced).unwrap();
    let prose = "This paragraph of the tutorial is long enough for the scorer to keep it as article text.";
    let page = format!("{prose}\n\n{prose}\n\n```\nx = 1\ny = f(x)\nprint(y)\n```\n\n{prose}\n\n{prose}\n");
    assert_eq!(clean(&engine, &page), page);
    // The same short lines unprotected are a gap, and the tail goes with them.
    let unfenced = page.replace("```\n", "");
    let cleaned = clean(&engine, &unfenced);
    assert_eq!(cleaned.matches(prose).count(), 2, "{cleaned}");
}

/// `explain` says when the block guard had no blocks to look at: a page without blank
/// lines (a WET record) is scored line by line, which is why its short lines can go.
#[test]
fn explain_says_a_page_without_blank_lines_has_no_block_guard() {
    let text = "[pack]\nname = \"t\"\ndescription = \"d\"\n\
         [[rule]]\nid = \"s\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-scorer\"\n\
         [rule.params]\nbias = -9.0\nmin_lines = 3\nblock_min_blank_share = 0.02\n\
         [rule.params.threshold]\nconservative = 0.5\nbalanced = 0.5\naggressive = 0.5\n\
         [rule.params.block_keep_share]\nconservative = 0.5\nbalanced = 0.5\naggressive = 0.5\n\
         [rule.params.weights]\nlog_words = 0.1\n";
    let set = common::pack_set(text).unwrap();
    let engine = dechrome::Engine::compile_with_profile(&set.packs, &[], dechrome::Profile::Balanced).unwrap();
    let details = |page: &str| -> Vec<String> {
        let cleaned = engine.clean(page, Default::default());
        cleaned.removals.iter().map(|r| r.detail.clone().unwrap_or_default()).collect()
    };
    let without_blanks = details("A Title For This Page\nHome\nNews\nSport\nWeather\n");
    assert!(!without_blanks.is_empty());
    for detail in &without_blanks {
        assert!(detail.contains("; no block guard: fewer than 2% of the page's lines are blank"), "{detail}");
    }
    // With blank lines the guard has blocks (here none kept enough to keep the rest).
    let with_blanks = details("A Title For This Page\n\nHome\nNews\n\nSport\nWeather\n");
    assert!(!with_blanks.is_empty());
    assert!(with_blanks.iter().all(|d| !d.contains("no block guard")), "{with_blanks:?}");
}

#[test]
fn line_scorer_takes_its_plain_text_weights_for_a_text_without_a_markdown_link() {
    // The markdown weights keep every line; the plain-text ones drop every line but the
    // title (which is always kept).
    let text = "[pack]\nname = \"t\"\ndescription = \"d\"\n\
         [[rule]]\nid = \"s\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-scorer\"\n\
         [rule.params]\nbias = 9.0\nmin_lines = 3\n\
         [rule.params.threshold]\nconservative = 0.5\nbalanced = 0.5\naggressive = 0.5\n\
         [rule.params.weights]\nlog_words = 0.1\n\
         [rule.params.plain]\nbias = -9.0\n[rule.params.plain.weights]\nlog_words = 0.1\n";
    let set = common::pack_set(text).unwrap();
    let engine = dechrome::Engine::compile_with_profile(&set.packs, &[], dechrome::Profile::Balanced).unwrap();
    let plain = "A Title For This Page\nHome\nNews\nSport\nWeather\n";
    let cleaned = engine.clean(plain, Default::default());
    assert_eq!(cleaned.text, "A Title For This Page\n");
    let detail = cleaned.removals[0].detail.as_deref().unwrap();
    assert!(detail.contains("; plain-text weights: the text has no markdown link"), "{detail}");
    // One markdown link anywhere: the markdown weights, which keep it all.
    let markdown = format!("{plain}[More](#)\n");
    assert_eq!(clean(&engine, &markdown), markdown);
    // A text wrapped at a fixed width (here 72 columns) is scored a paragraph at a time:
    // each removal covers a paragraph's lines.
    let paragraph = "The storm swept across the region overnight, and more than forty\n\
                     thousand homes lost power before dawn. Crews worked through the morning\n\
                     to restore it, and by noon most of the city had light again.\n";
    let wrapped = format!("A Title For This Page\n\n{}", format!("{paragraph}\n").repeat(4));
    let cleaned = engine.clean(&wrapped, Default::default());
    assert_eq!(cleaned.text.trim_end(), "A Title For This Page");
    let ranges: Vec<_> = cleaned.removals.iter().map(|r| r.lines.clone()).collect();
    assert_eq!(ranges, [2..5, 6..9, 10..13, 14..17]);
    // A bad plain weight is named as such.
    let bad = text.replace("[rule.params.plain.weights]\n", "[rule.params.plain.weights]\nno_such_feature = 1.0\n");
    let set = common::pack_set(&bad).unwrap();
    let err = dechrome::Engine::compile_with_profile(&set.packs, &[], dechrome::Profile::Balanced).err().unwrap();
    assert!(err.to_string().contains("plain: bad params: unknown feature `no_such_feature`"), "{err}");
}

#[test]
fn line_scorer_page_thresholds_stay_within_their_floor_and_ceiling() {
    let compile = |factor: f64, floor: f64| {
        let text = format!(
            "[pack]\nname = \"t\"\ndescription = \"d\"\n\
             [[rule]]\nid = \"s\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-scorer\"\n\
             [rule.params]\nbias = 0.5\nmin_lines = 3\n\
             page_factor = {{ conservative = {factor}, balanced = {factor}, aggressive = {factor} }}\n\
             threshold_floor = {{ conservative = {floor}, balanced = {floor}, aggressive = {floor} }}\n\
             [rule.params.threshold]\nconservative = 0.5\nbalanced = 0.5\naggressive = 0.5\n\
             [rule.params.weights]\nlink_density = -3.0\nlog_words = 0.2\n"
        );
        let set = common::pack_set(&text).unwrap();
        dechrome::Engine::compile_with_profile(&set.packs, &[], dechrome::Profile::Balanced)
    };
    // A page of menu links only: every line is equally unlikely, so the F1-optimal threshold
    // keeps them all. The floor is what removes them.
    let menu = "* [Home](#)\n* [News](#)\n* [Sport](#)\n* [Weather](#)\n";
    assert_eq!(clean(&compile(1.0, 0.0).unwrap(), menu), menu);
    let floored = compile(1.0, 0.3).unwrap().clean(menu, Default::default());
    assert_eq!(floored.text, "");
    let detail = floored.removals[0].detail.as_deref().unwrap();
    assert!(detail.contains("< 0.30 (this page's: 1 × half of 0.1"), "{detail}");
    assert!(detail.contains("its best expected F1; within 0.30-0.50)"), "{detail}");
    // A floor above the ceiling is an error, and so is a negative factor.
    for (factor, floor) in [(1.0, 0.6), (-1.0, 0.1)] {
        let err = compile(factor, floor).err().unwrap().to_string();
        assert!(err.contains("page_factor") && err.contains("threshold_floor"), "{err}");
    }
}

/// The scored tail: the page is cut at the first kept line after a long enough run of
/// dropped lines, long lines and all, but not the title nor a protected line; a gap too
/// small, a profile with the cut off, or too many lines after it leave the page alone.
#[test]
fn the_scored_tail_cuts_after_the_articles_end() {
    // Line scorer: links count against a line. Tail: P(rest is chrome) = σ(20·ln(1 + gap) − 20),
    // above 0.5 after 2 or more dropped lines (ln 3 > 1), not after one (ln 2 < 1).
    let compile = |profile, max_lines: usize| {
        let text = format!(
            "[pack]\nname = \"t\"\ndescription = \"d\"\n\
             [[rule]]\nid = \"kept\"\nkind = \"keep\"\nwhy = \"w\"\nexact = [\"Contact: 12 Main Street\"]\n\
             [[rule]]\nid = \"s\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-scorer\"\n\
             [rule.params]\nbias = 2.0\nmin_lines = 3\n\
             [rule.params.threshold]\nconservative = 0.5\nbalanced = 0.5\naggressive = 0.5\n\
             [rule.params.weights]\nlink_density = -8.0\n\
             [rule.params.tail]\nbias = -20.0\nmax_lines = {max_lines}\n\
             [rule.params.tail.threshold]\nconservative = 0.0\nbalanced = 0.5\naggressive = 0.5\n\
             [rule.params.tail.weights]\nlog_gap_lines = 20.0\n"
        );
        let set = common::pack_set(&text).unwrap();
        dechrome::Engine::compile_with_profile(&set.packs, &[], profile).unwrap()
    };
    let article = "# The Title Of The Story\n\nThe first paragraph of the story, long enough to be read.\n\n\
                   [Related](#)\n\nThe second paragraph, after one dropped line: the article goes on.\n\n\
                   * [Share](#)\n* [Tweet](#)\n\n";
    let tail = "A teaser for another story, with a sentence that reads like prose all the same.\n\
                Contact: 12 Main Street\nTwo comments on this story so far, the first by a reader.\n";
    let doc = format!("{article}{tail}");
    let cleaned = compile(dechrome::Profile::Balanced, 600).clean(&doc, Default::default());
    assert_eq!(
        cleaned.text,
        "# The Title Of The Story\n\nThe first paragraph of the story, long enough to be read.\n\n\
         The second paragraph, after one dropped line: the article goes on.\n\nContact: 12 Main Street\n"
    );
    let cut: Vec<_> = cleaned.removals.iter().filter(|r| r.lines.start >= 10).collect();
    assert_eq!(cut.iter().map(|r| r.lines.start).collect::<Vec<_>>(), [11, 13], "the teaser and the comment");
    let detail = cut[0].detail.as_deref().unwrap();
    assert!(detail.contains("in the page's tail: from line 12 on, P(the rest is chrome) 0.88 > 0.50; "), "{detail}");
    assert!(detail.contains("log_gap_lines +21.97"), "{detail}");
    // Off in conservative; and a cut may not leave more than `max_lines` lines after it.
    let kept_tail = |profile, max_lines| compile(profile, max_lines).clean(&doc, Default::default()).text;
    assert!(kept_tail(dechrome::Profile::Conservative, 600).ends_with(tail));
    assert!(kept_tail(dechrome::Profile::Balanced, 2).ends_with(tail));
    // Nor is a segment cut when more of its document follows: its end is not the page's.
    let ctx = dechrome::DocContext { continues: true, ..Default::default() };
    assert!(compile(dechrome::Profile::Balanced, 600).clean(&doc, ctx).text.ends_with(tail));
}

/// A text of several pages is scored page by page once it is long enough: each page's
/// article is its own main block. As one page, only one article would be.
#[test]
fn a_text_of_many_pages_is_scored_page_by_page() {
    // First stage: links are chrome. Second stage: only the main block is content.
    let compile = |windows: &str| {
        let text = format!(
            "[pack]\nname = \"t\"\ndescription = \"d\"\n\
             [[rule]]\nid = \"s\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-scorer\"\n\
             [rule.params]\nbias = 2.0\nmin_lines = 3\n\
             [rule.params.threshold]\nconservative = 0.5\nbalanced = 0.5\naggressive = 0.5\n\
             [rule.params.weights]\nlink_density = -8.0\n\
             [rule.params.context]\nbias = -5.0\n[rule.params.context.weights]\nin_main_block = 10.0\n{windows}"
        );
        let set = common::pack_set(&text).unwrap();
        dechrome::Engine::compile_with_profile(&set.packs, &[], dechrome::Profile::Balanced).unwrap()
    };
    let pages: Vec<String> = (1..=3)
        .map(|p| {
            let menu: String = (1..=6).map(|i| format!("* [Section {i}](#)\n")).collect();
            let article = format!(
                "Page {p} begins its story here with a paragraph of more than twelve plain words.\n\
                 Page {p} ends its story there with another paragraph of more than twelve words.\n"
            );
            format!("{menu}\n{article}\n")
        })
        .collect();
    let text = pages.concat();
    let articles = |cleaned: &str| (1..=3).filter(|p| cleaned.contains(&format!("Page {p} ends"))).count();

    let windowed = compile("[rule.params.page_windows]\nmin_lines = 20\nmin_gap = 4\n");
    let cleaned = windowed.clean(&text, Default::default());
    assert_eq!(articles(&cleaned.text), 3, "{}", cleaned.text);
    assert!(!cleaned.text.contains("Section"), "{}", cleaned.text);
    let detail = cleaned.removals.iter().find(|r| r.lines.start == 13).and_then(|r| r.detail.clone()).unwrap();
    assert!(detail.contains("; scored as one page, lines 14-23, of the several this text seems to hold"), "{detail}");

    // In the second segment of a text twice as long, explanations name the whole text's lines.
    let mut scratch = dechrome::Scratch::default();
    let twice = text.repeat(2);
    let (cleaned, segmented) =
        dechrome::pipeline::clean_in_segments(&windowed, &twice, Default::default(), &mut scratch, text.len());
    assert!(segmented);
    let later = text.lines().count() + 13;
    let detail = cleaned.removals.iter().find(|r| r.lines.start == later).and_then(|r| r.detail.clone()).unwrap();
    let (first, last) = (later + 1, later + 10);
    assert!(detail.contains(&format!("scored as one page, lines {first}-{last}, of the several")), "{detail}");

    assert_eq!(articles(&compile("").clean(&text, Default::default()).text), 1, "one main block");
    let too_short = compile("[rule.params.page_windows]\nmin_lines = 25\nmin_gap = 4\n");
    assert_eq!(articles(&too_short.clean(&text, Default::default()).text), 1, "24 lines are one page");
}

/// A pack of a line rule `promo` (dropping lines that start "Buy the book", with `after`
/// among its keys) and the detector rule `detector`; and what its engine makes of `doc`:
/// the text left and the rule of each removal.
fn promo_pack_cleans(after: &str, detector: &str, doc: &str) -> (String, Vec<String>) {
    let pack = format!(
        "[pack]\nname = \"t\"\ndescription = \"d\"\n\
         [[rule]]\nid = \"promo\"\nkind = \"line\"\nwhy = \"w\"\nprefix = [\"buy the book\"]\n{after}\n\
         [[rule]]\nkind = \"detector\"\nwhy = \"w\"\n{detector}\n"
    );
    let set = common::pack_set(&pack).unwrap();
    let engine = dechrome::Engine::compile_with_profile(&set.packs, &[], dechrome::Profile::Balanced).unwrap();
    // The scorer's trainer keeps such a rule's lines as context, as the run does.
    assert_eq!(engine.runs_after_scorer(engine.rule_index("promo").unwrap()), !after.is_empty());
    let cleaned = engine.clean(doc, Default::default());
    let rules = cleaned.removals.iter().map(|r| engine.rules[r.rule as usize].id.clone()).collect();
    (cleaned.text, rules)
}

/// A line rule with `after_detectors = true` removes its lines as any line rule does, but
/// the detectors still see them: here the tail detector, which wants prose before its
/// marker, finds it in the promotion's two paragraphs only while it still sees them.
#[test]
fn after_detectors_hides_a_line_rules_removals_from_the_detectors() {
    let tail = "id = \"tail\"\ndetector = \"tail-after-marker\"\nparams = { markers = ['^related posts$'], \
                prose_words = 5, enabled = { conservative = true, balanced = true, aggressive = true } }";
    let doc = "Buy the book at your local shop this week.\n\nBuy the book for a friend, who will thank you.\n\n\
               ## Related posts\n\n[Another story](#)\n";
    let (plain, plain_rules) = promo_pack_cleans("", tail, doc);
    assert_eq!(plain, "## Related posts\n\n[Another story](#)\n", "{plain_rules:?}");
    let (late, late_rules) = promo_pack_cleans("after_detectors = true", tail, doc);
    assert_eq!(late, "", "{late_rules:?}");
    assert_eq!(late_rules, ["promo", "promo", "tail"]);
    // Only line and detector rules take the key.
    let keep = "[pack]\nname = \"t\"\ndescription = \"d\"\n[[rule]]\nid = \"k\"\nkind = \"keep\"\nwhy = \"w\"\n\
                prefix = [\"x\"]\nafter_detectors = true\n";
    let err = common::pack_set(keep).err().expect("a keep rule has no after_detectors");
    assert!(err.to_string().contains("`after_detectors` not valid"), "{err}");
}

/// Block rules take `after_detectors` too: here the tail detector finds the prose it wants
/// before its marker only while the promotion's block is still shown to it.
#[test]
fn after_detectors_hides_a_block_rules_removals_from_the_detectors() {
    let engine = |after: &str| {
        engine_from(&format!(
            "[[rule]]\nid = \"promo\"\nkind = \"block\"\nwhy = \"w\"\n{after}\n\
             start = {{ prefix = [\"buy the book\"] }}\nend = {{ prefix = [\"offer ends\"] }}\n\n\
             [[rule]]\nid = \"tail\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"tail-after-marker\"\n\
             params = {{ markers = ['^related posts$'], prose_words = 5, \
             enabled = {{ conservative = true, balanced = true, aggressive = true }} }}\n"
        ))
    };
    let doc = "Buy the book at your local shop this week.\n\nIt makes a fine gift for a friend, who will thank you.\n\n\
               Offer ends Sunday.\n\n## Related posts\n\n[Another story](#)\n";
    assert_eq!(clean(&engine(""), doc), "## Related posts\n\n[Another story](#)\n");
    let hidden = engine("after_detectors = true");
    assert!(hidden.runs_after_scorer(hidden.rule_index("promo").unwrap()));
    assert_eq!(clean(&hidden, doc), "");
}

/// A detector rule with `after_detectors = true` removes what it finds, but the detectors
/// after it still see those lines: here a second `line-runs` rule, whose run of four needs
/// the first one's lines, finds it only while it sees them. `orphan-headings`, which judges
/// what the reader is left with, sees them gone either way.
#[test]
fn after_detectors_hides_a_detectors_removals_from_the_later_ones() {
    let engine = |after: &str| {
        engine_from(&format!(
            "[[rule]]\nid = \"labels\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-runs\"\n{after}\n\
             params = {{ pattern = 'label', min_lines = 2, max_chars = 20 }}\n\n\
             [[rule]]\nid = \"short\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"line-runs\"\n\
             params = {{ pattern = 'label|note', min_lines = 4, max_chars = 20 }}\n\n\
             [[rule]]\nid = \"orphans\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"orphan-headings\"\n\
             params = {{ min_level = 2 }}\n"
        ))
    };
    let doc = "# Title\n\nThe article's text.\n\n## Labels\n\nlabel\nlabel\nnote\nnote\n";
    let seen = engine("");
    assert!(!seen.runs_after_scorer(seen.rule_index("labels").unwrap()));
    assert_eq!(clean(&seen, doc), "# Title\n\nThe article's text.\n\n## Labels\n\nnote\nnote\n");
    let hidden = engine("after_detectors = true");
    // The scorer's trainer keeps such a rule's lines as context, as the run does.
    assert!(hidden.runs_after_scorer(hidden.rule_index("labels").unwrap()));
    let cleaned = hidden.clean(doc, Default::default());
    assert_eq!(cleaned.text, "# Title\n\nThe article's text.\n");
    let rules: Vec<_> = cleaned.removals.iter().map(|r| hidden.rules[r.rule as usize].id.as_str()).collect();
    assert_eq!(rules, ["orphans", "short"]);
}

/// `orphan-headings` judges what the reader is left with: a heading over nothing goes,
/// whichever kind of line rule emptied its section.
#[test]
fn orphan_headings_sees_what_after_detectors_rules_removed() {
    let orphans = "id = \"orphans\"\ndetector = \"orphan-headings\"\nparams = { min_level = 2 }";
    let doc = "# Title\n\nThe article's text.\n\n## Further reading\n\nBuy the book at your local shop.\n";
    for after in ["", "after_detectors = true"] {
        let (text, rules) = promo_pack_cleans(after, orphans, doc);
        assert_eq!(text, "# Title\n\nThe article's text.\n", "{after}: {rules:?}");
        assert_eq!(rules, ["orphans", "promo"], "{after}");
    }
}

/// `dated-cards` runs after the line scorer (which judges a page with its cards, as it was
/// trained; cut before it, the cards moved its position features) and before
/// `orphan-headings`, which then takes the heading over the cards: whatever the pack order.
#[test]
fn dated_cards_run_after_the_scorer_and_before_orphan_headings() {
    let e = engine_from(
        "[[rule]]\nid = \"orphans\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"orphan-headings\"\n\
         params = { min_level = 2 }\n\n\
         [[rule]]\nid = \"cards\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"dated-cards\"\n\
         params = { min_cards = 3, max_card_lines = 8, min_prose_before = 2 }\n",
    );
    assert!(e.runs_after_scorer(e.rule_index("cards").unwrap()));
    let article = "The council voted on Tuesday to close the old bridge to cars from next spring, after engineers \
                   warned that its frame had corroded.\n\nCyclists will keep a lane on the east side while the deck \
                   is rebuilt, which the city expects to take two years.\n";
    let cards: Vec<String> =
        (17..=19).map(|d| format!("### A headline for the {d}th\n\nNovember {d}, 2019\n")).collect();
    assert_eq!(clean(&e, &format!("{article}\n## More stories\n\n{}", cards.join("\n"))), article);
}

/// A text wrapped at 72 columns by a greedy wrapper (Python's `textwrap`), as html2text,
/// `lynx -dump` and mail archives give it: three paragraphs of article.
const WRAPPED: &str = "The council voted on Tuesday to close the old bridge to cars from next\n\
    spring, after engineers warned that its steel frame had corroded badly\n\
    over the years.\n\n";

#[test]
fn a_line_rule_takes_the_wrapped_paragraph_its_match_opens() {
    let e =
        engine_from("[[rule]]\nid = \"d\"\nkind = \"line\"\nwhy = \"w\"\nprefix = [\"disclaimer:\"]\nmax_words = 30\n");
    let article = WRAPPED.repeat(3);
    let short = "Disclaimer: the views expressed by the experts on this site are their\n\
                 own, and not those of the site or of its owners.\n";
    assert_eq!(clean(&e, &format!("{article}{short}")), article.trim_end().to_string() + "\n");
    // 39 words: past `max_words`, as the unwrapped line would be, so nothing goes.
    let long = "Disclaimer: the views expressed by the experts on this site are their\n\
                own, and not those of the site or of its owners, who ask readers to\n\
                check with a certified adviser before they act on any of them.\n";
    let doc = format!("{article}{long}");
    assert_eq!(clean(&e, &doc), doc);
    // Unwrapped, the rule takes its line as ever.
    let one_line = short.replace("their\nown", "their own");
    assert_eq!(clean(&e, &format!("{article}{one_line}")), article.trim_end().to_string() + "\n");
}

/// In wrapped text the line rules match each paragraph as the one line it was before the
/// wrapper cut it: a phrase cut in two is found, and a pattern anchored at a line's start
/// holds only at the paragraph's, not at a line the wrapper happened to start with it.
#[test]
fn line_rules_match_a_wrapped_paragraph_as_one_line() {
    let e = engine_from(
        "[[rule]]\nid = \"ship\"\nkind = \"line\"\nwhy = \"w\"\ncontains = [\"information on shipping rates\"]\n\
         max_words = 30\n\n\
         [[rule]]\nid = \"photo\"\nkind = \"line\"\nwhy = \"w\"\nprefix = [\"photo:\"]\nmax_words = 30\n",
    );
    let article = WRAPPED.repeat(3);
    let promo = "Orders over $50 ship free within the country. For more information on\n\
                 shipping rates and timelines, see our delivery page.\n";
    assert_eq!(clean(&e, &format!("{article}{promo}")), article.trim_end().to_string() + "\n");
    // "Photo:" opens the second line of a paragraph, not the paragraph: no caption.
    let inner = "The agency kept its archive in the basement of the old library, with\n\
                 photo: prints and negatives sorted by the year they were taken.\n";
    let doc = format!("{article}{inner}");
    assert_eq!(clean(&e, &doc), doc);
}

/// In wrapped text a replace rule matches each paragraph's kept lines as one line too: a
/// span the wrapper cut in two is found, and rewritten line by line, so the text keeps its
/// own line breaks.
#[test]
fn replace_rules_match_a_span_the_wrapper_cut_in_two() {
    let e = engine_from(
        "[[rule]]\nid = \"ad\"\nkind = \"replace\"\nwhy = \"w\"\nregex = ['\\s*\\(Advertisement: [^)]*\\)']\n",
    );
    let article = WRAPPED.repeat(3);
    let ad = "The agency kept its archive in the basement of the old library, with\n\
              prints (Advertisement: try the Acme photo scanner free for thirty\n\
              days) sorted by the year they were taken.\n";
    let cleaned = e.clean(&format!("{article}{ad}"), Default::default());
    assert_eq!(
        cleaned.text,
        format!(
            "{article}The agency kept its archive in the basement of the old library, with\n\
             prints\nsorted by the year they were taken.\n"
        )
    );
    // One rewrite per line the span covers, each within its line; the second says where
    // the match began, and the statistics count one hit with the bytes of both.
    let pieces: Vec<(usize, Option<usize>)> = cleaned.rewrites.iter().map(|w| (w.line, w.continues_from)).collect();
    assert_eq!(pieces, [(13, None), (14, Some(13))]);
    let mut stats = dechrome::report::Stats::default();
    stats.add(&e, 0, &cleaned, true);
    let bytes: usize = cleaned.rewrites.iter().map(|w| w.bytes.len()).sum();
    assert_eq!(stats.by_rule["ad"], (1, bytes as u64));
    // A match over three lines empties the middle one: its removal is the match's rest too.
    let three = "The agency kept its archive in the basement of the old library, with\n\
                 prints (Advertisement: try the Acme photo scanner free for thirty days,\n\
                 then pay what you like for the scanner and the cloud storage of all the\n\
                 photos) sorted by the year they were taken.\n";
    let cleaned = e.clean(&format!("{article}{three}"), Default::default());
    assert!(!cleaned.text.contains("Acme"), "{}", cleaned.text);
    let removed: Vec<_> = cleaned.removals.iter().map(|r| (r.lines.clone(), r.continues_from)).collect();
    assert_eq!(removed, [(14..15, Some(13))]);
    let pieces: Vec<_> = cleaned.rewrites.iter().map(|w| (w.line, w.continues_from)).collect();
    assert_eq!(pieces, [(13, None), (15, Some(13))]);
    let mut stats = dechrome::report::Stats::default();
    stats.add(&e, 0, &cleaned, true);
    assert_eq!(stats.by_rule["ad"].0, 1);
    // A second match that empties the next line is a hit of its own, not the first's rest.
    let two = "The agency kept its archive in the basement of the old library, with\n\
               prints (Advertisement: try the Acme photo scanner free for thirty days,\n\
               then pay what you like for the scanner and the cloud storage of photos)\n\
               (Advertisement: the Acme frame shop prints and frames any photo you own)\n\
               sorted by the year they were taken.\n";
    let cleaned = e.clean(&format!("{article}{two}"), Default::default());
    let removed: Vec<_> = cleaned.removals.iter().map(|r| (r.lines.clone(), r.continues_from)).collect();
    assert_eq!(removed, [(14..15, Some(13)), (15..16, None)]);
    let mut stats = dechrome::report::Stats::default();
    stats.add(&e, 0, &cleaned, true);
    assert_eq!(stats.by_rule["ad"].0, 2);
    // Unwrapped, the same span goes from the one line.
    let one_line = ad.replace("library, with\nprints", "library, with prints").replace("thirty\ndays", "thirty days");
    assert_eq!(
        clean(&e, &format!("{article}{one_line}")),
        format!(
            "{article}The agency kept its archive in the basement of the old library, with prints sorted by the year they were taken.\n"
        )
    );
}

/// A wrapped paragraph a replace rule empties goes as one removal by that rule, and the
/// rule's position limits count paragraphs, as the line rules' do on wrapped text.
#[test]
fn replace_rules_count_and_empty_wrapped_paragraphs() {
    let e = engine_from(
        "[[rule]]\nid = \"bio\"\nkind = \"replace\"\nwhy = \"w\"\nregex = ['^Jane Doe is a reporter\\b.*']\n\
         within_last = 1\n",
    );
    let article = WRAPPED.repeat(3);
    let bio = "Jane Doe is a reporter for the city desk who has covered the council and\n\
               its bridges since 2009. Follow her on the site's own pages for more\n\
               stories.\n";
    let cleaned = e.clean(&format!("{article}{bio}"), Default::default());
    assert_eq!(cleaned.text, article.trim_end().to_string() + "\n");
    assert_eq!(cleaned.removals.len(), 1);
    assert_eq!(cleaned.removals[0].lines, 12..15);
    assert!(cleaned.rewrites.is_empty());
    // Not the last paragraph: `within_last = 1` leaves it.
    let doc = format!("{article}{bio}\n{WRAPPED}");
    assert_eq!(clean(&e, &doc), doc);
}

/// Three paragraphs wrapped at 72 columns by a greedy wrapper (Python's `textwrap`): no
/// line of them is long.
const WRAPPED_ARTICLE: &str = "The council voted on Tuesday to close the old bridge to cars from next\n\
    spring. Engineers warned the city last year that the steel frame under\n\
    its deck had corroded badly, and that the repairs would cost more than a\n\
    new bridge.\n\n\
    Residents who cross it every day said they had not been told how long\n\
    the detour would add to their trips, and several of them asked the\n\
    council to run a ferry instead.\n\n\
    A ferry across the river ran until 1962, when the bridge opened, and the\n\
    council has now asked two operators what a new service would cost the\n\
    city each year.\n\n";

/// The detectors (but the line scorer, which joins paragraphs its own way) see each wrapped
/// paragraph as one line: three paragraphs of 30 words or more are three lines of prose,
/// though no line of them has 15 words.
#[test]
fn tail_after_marker_reads_a_wrapped_paragraph_as_one_line() {
    let engine = |extra: &str| {
        engine_from(&format!(
            "[[rule]]\nid = \"tail\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"tail-after-marker\"\n\
             params = {{ markers = ['^leave a reply$', '^you may also like\\b', '^\\d+ replies to\\b'], \
             max_words = 24, min_prose_before = 3, {extra}\
             enabled = {{ conservative = true, balanced = true, aggressive = true }} }}\n"
        ))
    };
    let e = engine("");
    let article = WRAPPED_ARTICLE.trim_end().to_string() + "\n";
    assert_eq!(clean(&e, &format!("{WRAPPED_ARTICLE}Leave a Reply\n\nJane says: nice.\n")), article);
    // A line of a wrapped paragraph that starts with a marker's words is no heading.
    let inside = WRAPPED_ARTICLE.replace(
        "Residents who cross it every day said they had not been told how long",
        "You may also like the old bridge, said residents who were not told how",
    );
    let doc = format!("{WRAPPED_ARTICLE}{inside}");
    assert_eq!(clean(&e, &doc), doc);
    // A heading the wrapper cut in two is a marker still.
    let heading = "## 15 Replies to “Why the council chose to close the old bridge to all\n\
                   cars from next spring”\n\nJane says: nice.\n";
    assert_eq!(clean(&e, &format!("{WRAPPED_ARTICLE}{heading}")), article);
    // The most lines a tail may have count a wrapped paragraph once: this tail is the
    // marker and one comment of 3 lines, 2 paragraphs.
    let short = engine("max_tail_lines = 2, ");
    let comment = WRAPPED_ARTICLE.split("\n\n").nth(1).unwrap();
    assert_eq!(comment.lines().count(), 3);
    let page = format!("{WRAPPED_ARTICLE}Leave a Reply\n\n{comment}\n");
    assert_eq!(clean(&short, &page), article);
    let longer = format!("{page}\n{comment}\n");
    assert_eq!(clean(&short, &longer), longer);
}

#[test]
fn trailing_headlines_start_after_the_last_wrapped_paragraph() {
    let e =
        engine_from("[[rule]]\nid = \"heads\"\nkind = \"detector\"\nwhy = \"w\"\ndetector = \"trailing-headlines\"\n");
    let list = "Top News\n\nMayor opens new library\n\nStorm warning for the coast\n\n\
                Schools to stay open in snow\n\nMinister defends ration card cancellation\n";
    assert_eq!(clean(&e, &format!("{WRAPPED_ARTICLE}{list}")), WRAPPED_ARTICLE.trim_end().to_string() + "\n");
    // The last paragraph's lines each end a sentence and are short of the limit: still a
    // paragraph, after which only one short line follows. Taken for two short lines, they
    // would leave the list above them, and their own text, in the run that is cut.
    let sentences = "The bridge will close to all cars next spring, the council said today.\n\
                     Engineers warned the city last year that its steel frame had corroded.\n\n";
    let more = "Ferry operators bid for the crossing\n\nTolls to rise on the ring road\n\n\
                Cycle lane opens on the quay\n\n";
    let doc = format!("{WRAPPED_ARTICLE}{list}\n{more}{sentences}See what the council decided\n");
    assert_eq!(clean(&e, &doc), doc);
}
