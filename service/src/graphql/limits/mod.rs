//! Bounds on the work a GraphQL document may ask for, checked before the engine sees it.
//!
//! async-graphql parses values by plain recursion (a value nested a few thousand levels deep
//! overflows the stack and aborts the process) and re-expands every fragment spread in each of
//! its validation passes (a few hundred bytes of fragments that spread each other three times
//! expand to millions of fields). So a document first passes [`scan`], a lexical pass without
//! recursion that bounds its nesting and its tokens, and only then is parsed; the parsed
//! document passes [`check_document`], which counts fragments, directives and aliases and the
//! fields the operations expand to, memoised per fragment so that the count itself stays linear.
//! Every refusal is a [`Refusal`], answered with a GraphQL error code in microseconds.

use async_graphql::parser::types::{ExecutableDocument, Selection, SelectionSet};
use std::collections::HashMap;

/// The limits, each configurable by flag or environment variable. The defaults are far above
/// what real clients send: haven's deepest useful query nests about a dozen levels and selects a
/// few hundred fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::Args)]
pub struct QueryLimits {
    /// Largest nesting of `{`, `[` and `(` in a document: selection sets, lists, objects.
    #[arg(
        long = "max-query-nesting",
        env = "HAVEN_MAX_QUERY_NESTING",
        default_value_t = Self::DEFAULT.max_nesting,
        global = true
    )]
    pub max_nesting: usize,
    /// Largest number of lexical tokens (names, numbers, strings, punctuators) in a document.
    #[arg(
        long = "max-query-tokens",
        env = "HAVEN_MAX_QUERY_TOKENS",
        default_value_t = Self::DEFAULT.max_tokens,
        global = true
    )]
    pub max_tokens: usize,
    /// Largest number of fields an operation selects once every fragment spread is expanded.
    #[arg(
        long = "max-query-fields",
        env = "HAVEN_MAX_QUERY_FIELDS",
        default_value_t = Self::DEFAULT.max_fields,
        global = true
    )]
    pub max_fields: usize,
    /// Largest number of fragment definitions in a document.
    #[arg(
        long = "max-query-fragments",
        env = "HAVEN_MAX_QUERY_FRAGMENTS",
        default_value_t = Self::DEFAULT.max_fragments,
        global = true
    )]
    pub max_fragments: usize,
    /// Largest number of directives written in a document.
    #[arg(
        long = "max-query-directives",
        env = "HAVEN_MAX_QUERY_DIRECTIVES",
        default_value_t = Self::DEFAULT.max_directives,
        global = true
    )]
    pub max_directives: usize,
    /// Largest number of aliased fields written in a document.
    #[arg(
        long = "max-query-aliases",
        env = "HAVEN_MAX_QUERY_ALIASES",
        default_value_t = Self::DEFAULT.max_aliases,
        global = true
    )]
    pub max_aliases: usize,
}

impl QueryLimits {
    /// The defaults, also those of the command line.
    pub const DEFAULT: Self = Self {
        max_nesting: 64,
        max_tokens: 20_000,
        max_fields: 5_000,
        max_fragments: 200,
        max_directives: 200,
        max_aliases: 500,
    };
}

impl Default for QueryLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why a document was refused, and whether the refusal is about its text or its meaning.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The text itself is refused before parsing.
    #[error("{0}")]
    Parse(String),
    /// The parsed document asks for too much.
    #[error("{0}")]
    Validation(String),
}

impl Refusal {
    /// The Apollo code clients and routers key on.
    pub fn code(&self) -> crate::error::Code {
        match self {
            Self::Parse(_) => crate::error::Code::ParseFailed,
            Self::Validation(_) => crate::error::Code::ValidationFailed,
        }
    }
}

/// Scans the raw document without recursion: nesting of brackets of every kind, and the number
/// of tokens. Strings, block strings and comments are skipped; anything the scanner does not
/// understand is left to the parser, which reports it.
pub fn scan(query: &str, limits: &QueryLimits) -> Result<(), Refusal> {
    let (mut depth, mut count) = (0usize, 0usize);
    for token in tokens(query) {
        match token[0] {
            b'{' | b'[' | b'(' => {
                depth += 1;
                if depth > limits.max_nesting {
                    return Err(Refusal::Parse(format!(
                        "the document nests deeper than {} levels",
                        limits.max_nesting
                    )));
                }
            }
            b'}' | b']' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
        count += 1;
        if count > limits.max_tokens {
            return Err(Refusal::Parse(format!(
                "the document has more than {} tokens",
                limits.max_tokens
            )));
        }
    }
    Ok(())
}

/// The document's tokens, one space apart: whitespace, commas and comments (which mean nothing
/// in GraphQL) dropped, strings kept as written. Two documents with the same normal form parse
/// alike, so a cache may key answers by it. Bytes, not text: a stray non-ASCII byte outside a
/// string (which the parser refuses) is kept as it is.
pub fn normalise(query: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(query.len());
    for token in tokens(query) {
        if !out.is_empty() {
            out.push(b' ');
        }
        out.extend_from_slice(token);
    }
    out
}

/// The tokens of a raw document, never empty: whitespace, commas and comments are skipped; a
/// string or block string is one token, as is a name or number however long, `...`, and any
/// other byte.
fn tokens(query: &str) -> impl Iterator<Item = &[u8]> {
    let bytes = query.as_bytes();
    let mut i = 0usize;
    std::iter::from_fn(move || {
        loop {
            let start = i;
            i = match *bytes.get(i)? {
                b' ' | b'\t' | b'\n' | b'\r' | b',' => {
                    i += 1;
                    continue;
                }
                b'#' => {
                    while i < bytes.len() && bytes[i] != b'\n' && bytes[i] != b'\r' {
                        i += 1;
                    }
                    continue;
                }
                b'"' => skip_string(bytes, i),
                b'.' if bytes[i..].starts_with(b"...") => i + 3,
                b if b == b'_' || b == b'-' || b.is_ascii_alphanumeric() => {
                    let mut j = i + 1;
                    while j < bytes.len()
                        && matches!(bytes[j], b'_' | b'-' | b'+' | b'.' | b'0'..=b'9' | b'a'..=b'z' | b'A'..=b'Z')
                        && !bytes[j..].starts_with(b"...")
                    {
                        j += 1;
                    }
                    j
                }
                _ => i + 1,
            };
            return Some(&bytes[start..i]);
        }
    })
}

/// The index just past the string starting at `start` (a `"…"` string or a `"""…"""` block
/// string); the end of the input when it is not closed.
fn skip_string(bytes: &[u8], start: usize) -> usize {
    if bytes[start..].starts_with(b"\"\"\"") {
        let mut i = start + 3;
        while i < bytes.len() {
            if bytes[i..].starts_with(b"\\\"\"\"") {
                i += 4;
            } else if bytes[i..].starts_with(b"\"\"\"") {
                return i + 3;
            } else {
                i += 1;
            }
        }
        return bytes.len();
    }
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            // A line break ends an unclosed string: the parser reports it.
            b'\n' | b'\r' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Checks a parsed document against the limits: fragments, directives and aliases as written,
/// and fields as executed, with every spread expanded (each fragment's size is computed once).
pub fn check_document(doc: &ExecutableDocument, limits: &QueryLimits) -> Result<(), Refusal> {
    if doc.fragments.len() > limits.max_fragments {
        return Err(Refusal::Validation(format!(
            "the document defines more than {} fragments",
            limits.max_fragments
        )));
    }
    let mut written = Written::default();
    for (_, op) in doc.operations.iter() {
        written.directives += op.node.directives.len();
        for var in &op.node.variable_definitions {
            written.directives += var.node.directives.len();
        }
        written.add(&op.node.selection_set.node);
    }
    for fragment in doc.fragments.values() {
        written.directives += fragment.node.directives.len();
        written.add(&fragment.node.selection_set.node);
    }
    if written.directives > limits.max_directives {
        return Err(Refusal::Validation(format!(
            "the document has more than {} directives",
            limits.max_directives
        )));
    }
    if written.aliases > limits.max_aliases {
        return Err(Refusal::Validation(format!(
            "the document has more than {} aliases",
            limits.max_aliases
        )));
    }
    let mut sizes = Sizes {
        doc,
        memo: HashMap::new(),
        limit: limits.max_fields,
    };
    let mut total = 0usize;
    for (_, op) in doc.operations.iter() {
        total = total.saturating_add(sizes.of_set(&op.node.selection_set.node)?);
    }
    if total > limits.max_fields {
        return Err(sizes.too_many());
    }
    Ok(())
}

/// Directives and aliases as written (spreads are not followed: each selection counts once).
#[derive(Default)]
struct Written {
    directives: usize,
    aliases: usize,
}

impl Written {
    fn add(&mut self, set: &SelectionSet) {
        each_selection(set, |item| match item {
            Selection::Field(f) => {
                self.directives += f.node.directives.len();
                self.aliases += usize::from(f.node.alias.is_some());
            }
            Selection::FragmentSpread(s) => self.directives += s.node.directives.len(),
            Selection::InlineFragment(i) => self.directives += i.node.directives.len(),
        });
    }
}

/// Calls `visit` with every selection under `set` as written (spreads are not followed).
fn each_selection<'a>(set: &'a SelectionSet, mut visit: impl FnMut(&'a Selection)) {
    // An explicit stack: selection sets were bounded by `scan`, but a walk never recurses.
    let mut stack = vec![set];
    while let Some(set) = stack.pop() {
        for item in &set.items {
            visit(&item.node);
            match &item.node {
                Selection::Field(f) => stack.push(&f.node.selection_set.node),
                Selection::InlineFragment(i) => stack.push(&i.node.selection_set.node),
                Selection::FragmentSpread(_) => {}
            }
        }
    }
}

/// Whether the document, in any operation or fragment, selects a field named one of `names`
/// (by its name, whatever its alias).
pub fn selects_any(doc: &ExecutableDocument, names: &[&str]) -> bool {
    let sets = doc
        .operations
        .iter()
        .map(|(_, op)| &op.node.selection_set.node)
        .chain(doc.fragments.values().map(|f| &f.node.selection_set.node));
    let mut found = false;
    for set in sets {
        each_selection(set, |item| {
            if let Selection::Field(f) = item {
                found |= names.contains(&f.node.name.node.as_str());
            }
        });
    }
    found
}

/// Expanded sizes of selection sets, memoised per fragment.
struct Sizes<'a> {
    doc: &'a ExecutableDocument,
    /// `None` while a fragment is being measured: meeting it again is a cycle.
    memo: HashMap<&'a str, Option<usize>>,
    limit: usize,
}

impl<'a> Sizes<'a> {
    fn too_many(&self) -> Refusal {
        Refusal::Validation(format!(
            "the operation selects more than {} fields once its fragments are expanded",
            self.limit
        ))
    }

    /// Fields in `set`, every spread expanded; stops as soon as the limit is passed. Recursion
    /// follows selection sets (at most the scanned nesting) and fragment spreads (each fragment
    /// is entered once, then read from the memo), so its depth is bounded by the limits.
    fn of_set(&mut self, set: &'a SelectionSet) -> Result<usize, Refusal> {
        let mut n = 0usize;
        for item in &set.items {
            let add = match &item.node {
                Selection::Field(f) => 1 + self.of_set(&f.node.selection_set.node)?,
                Selection::InlineFragment(i) => self.of_set(&i.node.selection_set.node)?,
                Selection::FragmentSpread(s) => {
                    self.of_fragment(s.node.fragment_name.node.as_str())?
                }
            };
            n = n.saturating_add(add);
            if n > self.limit {
                return Err(self.too_many());
            }
        }
        Ok(n)
    }

    fn of_fragment(&mut self, name: &'a str) -> Result<usize, Refusal> {
        match self.memo.get(name) {
            Some(Some(n)) => return Ok(*n),
            Some(None) => {
                return Err(Refusal::Validation(format!(
                    "fragment `{name}` spreads itself"
                )));
            }
            None => {}
        }
        // An unknown fragment is the validator's to report; it adds nothing here.
        let Some(fragment) = self.doc.fragments.get(name) else {
            return Ok(0);
        };
        self.memo.insert(name, None);
        let n = self.of_set(&fragment.node.selection_set.node)?;
        self.memo.insert(name, Some(n));
        Ok(n)
    }
}

#[cfg(test)]
mod tests;
