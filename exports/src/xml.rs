//! Where and why roxmltree refused a document, in the words both XML
//! imports (OSCAL, Threat Modeling Tool) give the user.

/// A refusal: the line and column (1-based), and what roxmltree said
/// without its own " at row:col".
pub(crate) struct XmlFault {
    pub line: u32,
    pub column: u32,
    /// The document ends before its elements are closed: the place is the
    /// end of the file, since roxmltree gives none of its own.
    pub at_end: bool,
    pub detail: String,
}

impl XmlFault {
    pub fn reason(&self) -> String {
        if self.at_end {
            format!(
                "not well-formed XML: {}; the file ends before its elements are closed (cut short?)",
                self.detail
            )
        } else {
            format!("not well-formed XML: {}", self.detail)
        }
    }
}

pub(crate) fn fault(text: &str, e: &roxmltree::Error) -> XmlFault {
    use roxmltree::Error as X;
    if matches!(
        e,
        X::UnexpectedEndOfStream | X::UnclosedRootNode | X::NoRootNode
    ) {
        let line = text.lines().count().max(1);
        let column = text.lines().last().map_or(0, |l| l.chars().count()) + 1;
        return XmlFault {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            at_end: true,
            detail: e.to_string(),
        };
    }
    let pos = e.pos();
    let detail = e.to_string();
    let detail = detail
        .strip_suffix(&format!(" at {pos}"))
        .unwrap_or(&detail)
        .to_string();
    XmlFault {
        line: pos.row,
        column: pos.col,
        at_end: false,
        detail,
    }
}
