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
