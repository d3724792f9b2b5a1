//! The compact form a text's pulldown-cmark events are kept in between
//! the analysis and the pages that replay them: one opcode byte per
//! event, offsets into the body as varints, the common tags as codes,
//! read back as events by [`Events`].

use super::*;

/// One event of the stream, as `analyse` produces it.
pub(super) enum Step {
    Start {
        tag: Tag<'static>,
        role: TagRole,
    },
    End {
        end: TagEnd,
        role: TagRole,
    },
    /// Text (or inline code) showing `start..end` of a passage's text.
    Shows {
        passage: u32,
        start: u32,
        end: u32,
        code: bool,
        in_link: bool,
    },
    SoftBreak,
    HardBreak,
    Other(Event<'static>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TagRole {
    Plain,
    Opens(u32),
    Closes(u32),
    Dropped,
}

/// The encoded stream. Each event is an opcode byte (kind in the low three
/// bits, flags above), then its numbers as LEB128 varints; tags and events
/// that do not fit in bytes are kept aside, in order, and taken back in the
/// same order when the stream is read.
#[derive(Debug, Clone, Default)]
pub(super) struct Stream {
    pub(super) bytes: Vec<u8>,
    /// Start tags other than the common data-less ones.
    pub(super) tags: Vec<Tag<'static>>,
    pub(super) ends: Vec<TagEnd>,
    pub(super) others: Vec<Event<'static>>,
    pub(super) count: usize,
    /// The last text event, held back while adjacent text extends it.
    pub(super) pending: Option<(u32, u32, u32, u8)>,
}

pub(super) const OP_TEXT: u8 = 0;
pub(super) const OP_SOFT_BREAK: u8 = 1;
pub(super) const OP_HARD_BREAK: u8 = 2;
pub(super) const OP_START: u8 = 3;
pub(super) const OP_END: u8 = 4;
pub(super) const OP_OTHER: u8 = 5;
/// Flags of `OP_TEXT`.
pub(super) const TEXT_CODE: u8 = 1 << 3;
pub(super) const TEXT_IN_LINK: u8 = 1 << 4;

/// Data-less start tags, stored as a code in bits 5 to 7 of the opcode.
pub(super) fn simple_tag(tag: &Tag) -> u8 {
    match tag {
        Tag::Paragraph => 1,
        Tag::Emphasis => 2,
        Tag::Strong => 3,
        Tag::Item => 4,
        Tag::TableHead => 5,
        Tag::TableRow => 6,
        Tag::TableCell => 7,
        _ => 0,
    }
}

pub(super) fn tag_of_simple(code: u8) -> Tag<'static> {
    match code {
        1 => Tag::Paragraph,
        2 => Tag::Emphasis,
        3 => Tag::Strong,
        4 => Tag::Item,
        5 => Tag::TableHead,
        6 => Tag::TableRow,
        _ => Tag::TableCell,
    }
}

pub(super) fn put_varint(bytes: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        bytes.push(n as u8 | 0x80);
        n >>= 7;
    }
    bytes.push(n as u8);
}

pub(super) fn get_varint(bytes: &[u8], pos: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*pos];
        *pos += 1;
        n |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// A tag's opcode with its role in bits 3 and 4, then its passage, if any.
pub(super) fn put_tag_op(bytes: &mut Vec<u8>, op: u8, role: TagRole) {
    match role {
        TagRole::Plain => bytes.push(op),
        TagRole::Opens(p) => {
            bytes.push(op | 1 << 3);
            put_varint(bytes, p);
        }
        TagRole::Closes(p) => {
            bytes.push(op | 2 << 3);
            put_varint(bytes, p);
        }
        TagRole::Dropped => bytes.push(op | 3 << 3),
    }
}

pub(super) fn get_role(op: u8, bytes: &[u8], pos: &mut usize) -> Role {
    match (op >> 3) & 3 {
        0 => Role::Plain,
        1 => Role::Opens(get_varint(bytes, pos) as usize),
        2 => Role::Closes(get_varint(bytes, pos) as usize),
        _ => Role::Dropped,
    }
}

impl Stream {
    pub(super) fn push(&mut self, step: Step) {
        self.flush();
        self.count += 1;
        let bytes = &mut self.bytes;
        match step {
            Step::Shows {
                passage,
                start,
                end,
                code,
                in_link,
            } => {
                let mut op = OP_TEXT;
                if code {
                    op |= TEXT_CODE;
                }
                if in_link {
                    op |= TEXT_IN_LINK;
                }
                self.pending = Some((passage, start, end, op));
            }
            Step::SoftBreak => bytes.push(OP_SOFT_BREAK),
            Step::HardBreak => bytes.push(OP_HARD_BREAK),
            Step::Start { tag, role } => {
                let code = simple_tag(&tag);
                put_tag_op(bytes, OP_START | code << 5, role);
                if code == 0 {
                    self.tags.push(tag);
                }
            }
            Step::End { end, role } => {
                put_tag_op(bytes, OP_END, role);
                self.ends.push(end);
            }
            Step::Other(event) => {
                bytes.push(OP_OTHER);
                self.others.push(event);
            }
        }
    }

    /// Adjacent text extends the pending text event to `new_end`.
    pub(super) fn extend_text(&mut self, new_end: u32) {
        if let Some((_, _, end, _)) = &mut self.pending {
            *end = new_end;
        }
    }

    pub(super) fn flush(&mut self) {
        if let Some((passage, start, end, op)) = self.pending.take() {
            self.bytes.push(op);
            put_varint(&mut self.bytes, passage);
            put_varint(&mut self.bytes, start);
            put_varint(&mut self.bytes, end - start);
        }
    }

    pub(super) fn finish(&mut self) {
        self.flush();
        self.bytes.shrink_to_fit();
        self.tags.shrink_to_fit();
        self.ends.shrink_to_fit();
        self.others.shrink_to_fit();
    }
}

/// Reads the stream of a document back as events.
pub(super) struct Events<'a> {
    pub(super) doc: &'a Document,
    pub(super) pos: usize,
    pub(super) tag: usize,
    pub(super) end: usize,
    pub(super) other: usize,
}

impl<'a> Iterator for Events<'a> {
    type Item = (Event<'a>, Role);

    fn next(&mut self) -> Option<Self::Item> {
        let stream = &self.doc.stream;
        let bytes = &stream.bytes[..];
        let op = *bytes.get(self.pos)?;
        self.pos += 1;
        Some(match op & 7 {
            OP_TEXT => {
                let p = get_varint(bytes, &mut self.pos) as usize;
                let start = get_varint(bytes, &mut self.pos) as usize;
                let range = start..start + get_varint(bytes, &mut self.pos) as usize;
                let words = CowStr::Borrowed(&self.doc.passages[p].text[range.clone()]);
                let event = if op & TEXT_CODE != 0 {
                    Event::Code(words)
                } else {
                    Event::Text(words)
                };
                let role = Role::Shows {
                    passage: p,
                    range,
                    in_link: op & TEXT_IN_LINK != 0,
                };
                (event, role)
            }
            OP_SOFT_BREAK => (Event::SoftBreak, Role::Plain),
            OP_HARD_BREAK => (Event::HardBreak, Role::Plain),
            OP_START => {
                let role = get_role(op, bytes, &mut self.pos);
                let tag = match op >> 5 {
                    0 => {
                        self.tag += 1;
                        stream.tags[self.tag - 1].clone()
                    }
                    code => tag_of_simple(code),
                };
                (Event::Start(tag), role)
            }
            OP_END => {
                let role = get_role(op, bytes, &mut self.pos);
                self.end += 1;
                (Event::End(stream.ends[self.end - 1]), role)
            }
            _ => {
                self.other += 1;
                (stream.others[self.other - 1].clone(), Role::Plain)
            }
        })
    }
}

impl From<TagRole> for Role {
    fn from(r: TagRole) -> Role {
        match r {
            TagRole::Plain => Role::Plain,
            TagRole::Opens(p) => Role::Opens(p as usize),
            TagRole::Closes(p) => Role::Closes(p as usize),
            TagRole::Dropped => Role::Dropped,
        }
    }
}
