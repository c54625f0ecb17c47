//! The decision graph picture stays readable: wrapped rows, linked records
//! next to each other.

use chrono::Utc;
use plasma_exports::graph_export::svg;
use plasma_models::{Adr, AdrDraft, AdrStatus, LinkKind};
use uuid::Uuid;

fn adr(number: u32) -> Adr {
    Adr::new(
        Uuid::nil(),
        number,
        AdrDraft {
            title: format!("Decision number {number} with a rather long title that needs wrapping"),
            status: AdrStatus::Accepted,
            ..AdrDraft::default()
        },
        Utc::now(),
    )
}

fn attr(svg: &str, name: &str) -> i64 {
    let start = svg.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
    let end = svg[start..].find('"').expect("closing quote") + start;
    svg[start..end].parse().expect("number")
}

/// (x, y) of the box of ADR `n`.
fn box_of(svg: &str, n: u32) -> (i64, i64) {
    let label = format!(">ADR {n}</text>");
    let at = svg.find(&label).expect("node label");
    let rect = svg[..at].rfind("<rect ").expect("node rect");
    let tag = &svg[rect..at];
    (attr(tag, "x"), attr(tag, "y"))
}

#[test]
fn many_unlinked_records_wrap_into_rows() {
    let adrs: Vec<Adr> = (1..=100).map(adr).collect();
    let picture = svg(&adrs, false);
    let width = attr(&picture, "width");
    let height = attr(&picture, "height");
    assert!(width < 2000, "width {width}");
    assert!(
        height > width,
        "a tall grid, not one endless row: {width}x{height}"
    );
}

#[test]
fn a_superseding_record_sits_under_the_one_it_replaces() {
    let mut adrs: Vec<Adr> = (1..=8).map(adr).collect();
    adrs[6].add_link(LinkKind::Supersedes, 3);
    adrs[2].status = AdrStatus::Superseded;
    adrs[2].add_link(LinkKind::SupersededBy, 7);
    let picture = svg(&adrs, false);
    let (x3, y3) = box_of(&picture, 3);
    let (x7, y7) = box_of(&picture, 7);
    assert!(y7 > y3, "ADR 7 below ADR 3");
    assert_eq!(x7, x3, "straight above each other");
    assert!(
        picture.contains("Decision number 3 with a rather"),
        "titles wrap onto lines"
    );
}

/// Rows of the picture from top to bottom, as the y of each record's box.
fn row_of(svg: &str, n: u32) -> i64 {
    box_of(svg, n).1
}

#[test]
fn related_records_stack_newest_below_and_every_link_spans_one_row() {
    let mut adrs: Vec<Adr> = (1..=6).map(adr).collect();
    adrs[0].add_link(LinkKind::RelatesTo, 3);
    adrs[1].add_link(LinkKind::RelatesTo, 1);
    adrs[4].add_link(LinkKind::RelatesTo, 3);
    adrs[5].add_link(LinkKind::RelatesTo, 5);
    adrs[4].add_link(LinkKind::Supersedes, 4);
    adrs[3].status = AdrStatus::Superseded;
    adrs[3].add_link(LinkKind::SupersededBy, 5);
    let picture = svg(&adrs, false);
    let y: Vec<i64> = (1..=6).map(|n| row_of(&picture, n)).collect();
    assert!(y[0] < y[1], "the oldest on top: {y:?}");
    assert_eq!(y[1], y[2], "2 and 3 both relate to 1: {y:?}");
    // 4 has nothing above it: it sits just above 5, which replaces it.
    assert_eq!(y[3], y[2], "{y:?}");
    assert!(y[4] > y[2] && y[5] > y[4], "{y:?}");
    assert_eq!(
        box_of(&picture, 6).0,
        box_of(&picture, 5).0,
        "6 right under 5"
    );
    let row = (y[1] - y[0]) as f64;
    for (a, b) in [(1, 3), (1, 2), (3, 5), (5, 6), (4, 5)] {
        let d = (row_of(&picture, a) - row_of(&picture, b)).abs() as f64;
        assert_eq!(d, row, "the link {a}-{b} spans one row");
    }
    // Supersede links in the superseded colour, as the legend shows.
    assert!(picture.contains("url(#arrow-supersedes)"));
    assert!(roxmltree::Document::parse(&picture).is_ok());
}

#[test]
fn a_relation_against_a_supersede_and_an_amend_cycle_still_draw_every_record() {
    // 2 replaces the newer 5 and relates to it: by number 5 would sit under
    // 2, by the supersede 2 under 5. The supersede wins.
    let mut adrs: Vec<Adr> = (1..=6).map(adr).collect();
    adrs[1].add_link(LinkKind::Supersedes, 5);
    adrs[1].add_link(LinkKind::RelatesTo, 5);
    // An amend cycle, as an imported folder can hold.
    adrs[2].add_link(LinkKind::Amends, 4);
    adrs[3].add_link(LinkKind::Amends, 6);
    adrs[5].add_link(LinkKind::Amends, 3);
    let picture = svg(&adrs, false);
    assert!(row_of(&picture, 2) > row_of(&picture, 5));
    for n in 1..=6 {
        box_of(&picture, n);
    }
}
