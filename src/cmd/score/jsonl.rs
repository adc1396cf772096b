//! The JSON lines of `score --jsonl`, without a `serde_json::Value` per line: an input object
//! is taken apart in one pass (the text borrowed from the line unless it has escapes, every
//! other field re-encoded at once as the compact JSON that `Value` prints), and the output
//! object is written straight into bytes. The bytes are those of the `Value` round trip: input
//! and result fields in the byte order of their keys (serde_json's `Map`), a later duplicate
//! key replacing an earlier one, result fields replacing input fields of the same name, and
//! "text" left out.

use std::fmt;
use std::ops::Range;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;

use crate::output::json_bytes::{push_round4, push_str};
use crate::tone::ToneResult;

/// A field name fixed in the source, with its JSON text: the name in quotes and a ':'.
pub struct Key {
    pub name: &'static str,
    /// The JSON text, padded to a fixed size, so that it is copied with a few moves.
    json: [u8; 32],
    json_len: usize,
}

impl Key {
    /// The key of a name that needs no escapes, of at most 29 bytes.
    const fn new(name: &'static str) -> Key {
        let bytes = name.as_bytes();
        assert!(bytes.len() + 3 <= 32);
        let mut json = [0u8; 32];
        json[0] = b'"';
        let mut k = 0;
        while k < bytes.len() {
            json[k + 1] = bytes[k];
            k += 1;
        }
        json[k + 1] = b'"';
        json[k + 2] = b':';
        Key {
            name,
            json,
            json_len: k + 3,
        }
    }

    pub fn append_to(&self, out: &mut Vec<u8>) {
        let start = out.len();
        out.extend_from_slice(&self.json);
        out.truncate(start + self.json_len);
    }
}

/// The result fields, in byte order of their names.
pub const RESULT_KEYS: [Key; 14] = [
    Key::new("dialect_label"),
    Key::new("dialect_share"),
    Key::new("incivility"),
    Key::new("incivility_categories"),
    Key::new("irony"),
    Key::new("matched_terms"),
    Key::new("neg"),
    Key::new("neu"),
    Key::new("pos"),
    Key::new("quoted_tone"),
    Key::new("raw"),
    Key::new("text_normalized"),
    Key::new("tone"),
    Key::new("tone_label"),
];

/// The field `--jsonl --explain` adds.
pub const EXPLANATION_KEY: [Key; 1] = [Key::new("explanation")];

/// Appends the value of result field `RESULT_KEYS[k]`, numbers rounded to four decimals.
pub fn push_result_value(out: &mut Vec<u8>, r: &ToneResult, k: usize) {
    match k {
        0 => push_label(out, r.dialect_label.as_str()),
        1 => push_round4(out, r.dialect_share),
        2 => push_round4(out, r.incivility),
        3 => {
            out.push(b'[');
            for (n, c) in r.incivility_categories.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                push_str(out, c);
            }
            out.push(b']');
        }
        4 => match &r.irony {
            Some(cue) => push_str(out, cue),
            None => out.extend_from_slice(b"null"),
        },
        5 => push_str(out, &r.matched_terms),
        6 => push_round4(out, r.neg),
        7 => push_round4(out, r.neu),
        8 => push_round4(out, r.pos),
        9 => match r.quoted_tone {
            Some(x) => push_round4(out, x),
            None => out.extend_from_slice(b"null"),
        },
        10 => push_round4(out, r.raw),
        11 => push_str(out, &r.text_normalized),
        12 => push_round4(out, r.tone),
        _ => push_label(out, r.tone_label.as_str()),
    }
}

/// Appends a label, whose letters need no escapes.
fn push_label(out: &mut Vec<u8>, label: &str) {
    out.push(b'"');
    out.extend_from_slice(label.as_bytes());
    out.push(b'"');
}

/// What an input line gives.
pub enum Parsed<'a> {
    Text(&'a str),
    /// An object without a string field "text".
    NoText,
    NotObject,
    Invalid(serde_json::Error),
}

impl<'a> Parsed<'a> {
    /// The text, or why the line is skipped.
    pub fn text(self) -> Result<&'a str, String> {
        match self {
            Parsed::Text(text) => Ok(text),
            Parsed::NoText => Err("no string field \"text\"; skipped".to_string()),
            Parsed::NotObject => Err("not a JSON object; skipped".to_string()),
            Parsed::Invalid(e) => Err(format!("invalid JSON ({e}); skipped")),
        }
    }
}

/// The fields of one input object; kept from line to line, so that a line costs no allocation.
#[derive(Default)]
pub struct Fields {
    /// The keys, one after another.
    keys: String,
    /// The fields as compact JSON, `"key":value`, one after another.
    values: Vec<u8>,
    /// Per field, in input order: where its key and its JSON are.
    list: Vec<(Range<usize>, Range<usize>)>,
    /// Field numbers in output order.
    order: Vec<usize>,
    /// The text, when it had escapes.
    text: String,
}

impl Fields {
    /// Takes `line` apart. The fields stay for [`Fields::write`].
    pub fn parse<'a>(&'a mut self, line: &'a str) -> Parsed<'a> {
        match self.read(line) {
            Ok(Seen::Borrowed(text)) => Parsed::Text(text),
            Ok(Seen::Decoded) => Parsed::Text(&self.text),
            Ok(Seen::Json) => Parsed::NoText,
            // Whatever the one-pass reading turned down is read as before, so that bad lines
            // get the same message as always: serde_json's own error, or "not an object".
            Err(_) => self.parse_value(line),
        }
    }

    /// Reads an object in one pass; anything else is an error.
    pub(super) fn read<'a>(&mut self, line: &'a str) -> Result<Seen<'a>, serde_json::Error> {
        self.clear();
        let mut de = serde_json::Deserializer::from_str(line);
        let seen = de.deserialize_any(ObjectVisitor(self))?;
        de.end()?;
        Ok(seen)
    }

    fn clear(&mut self) {
        self.keys.clear();
        self.values.clear();
        self.list.clear();
    }

    /// Takes `line` apart through a `Value`.
    fn parse_value<'a>(&'a mut self, line: &str) -> Parsed<'a> {
        let map = match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(map)) => map,
            Ok(_) => return Parsed::NotObject,
            Err(e) => return Parsed::Invalid(e),
        };
        self.clear();
        let mut text = None;
        for (key, value) in map {
            if key == "text" {
                text = Some(value);
                continue;
            }
            let (k, v) = (self.keys.len(), self.values.len());
            self.keys.push_str(&key);
            push_str(&mut self.values, &key);
            self.values.push(b':');
            // Writing into memory cannot fail.
            let _ = serde_json::to_writer(&mut self.values, &value);
            self.list.push((k..self.keys.len(), v..self.values.len()));
        }
        match text {
            Some(Value::String(text)) => {
                self.text = text;
                Parsed::Text(&self.text)
            }
            _ => Parsed::NoText,
        }
    }

    /// Writes the object for the parsed line and "\n": the input fields and the fields of
    /// `extra` (in byte order of their names), whose values `extra_value` writes given their
    /// number.
    pub fn write(
        &mut self,
        out: &mut Vec<u8>,
        extra: &[Key],
        mut extra_value: impl FnMut(&mut Vec<u8>, usize),
    ) {
        let Fields {
            keys,
            values,
            list,
            order,
            ..
        } = self;
        let key = |i: usize| &keys[list[i].0.clone()];
        order.clear();
        order.extend(0..list.len());
        // A stable sort: of equal keys, the one that came last in the input comes last.
        order.sort_by(|&a, &b| key(a).cmp(key(b)));
        out.push(b'{');
        let mut first = true;
        let mut comma = |out: &mut Vec<u8>| {
            if !first {
                out.push(b',');
            }
            first = false;
        };
        let mut next = 0;
        for (n, &i) in order.iter().enumerate() {
            let k = key(i);
            if order.get(n + 1).is_some_and(|&later| key(later) == k) {
                continue;
            }
            // Compared byte by byte in place: the first byte mostly decides.
            while let Some(e) = extra.get(next).filter(|e| e.name.bytes().lt(k.bytes())) {
                comma(out);
                e.append_to(out);
                extra_value(out, next);
                next += 1;
            }
            if extra.get(next).is_some_and(|e| e.name == k) {
                continue;
            }
            comma(out);
            out.extend_from_slice(&values[list[i].1.clone()]);
        }
        for (n, e) in extra.iter().enumerate().skip(next) {
            comma(out);
            e.append_to(out);
            extra_value(out, n);
        }
        out.extend_from_slice(b"}\n");
    }
}

/// What one value of the input object was.
pub(super) enum Seen<'de> {
    /// The text, borrowed from the line.
    Borrowed(&'de str),
    /// The text, decoded into [`Fields::text`].
    Decoded,
    /// Anything else, written as JSON into [`Fields::values`]. Also what an object without a
    /// string field "text" gives as a whole.
    Json,
}

/// Reads an object into [`Fields`]; anything else is an error.
struct ObjectVisitor<'f>(&'f mut Fields);

impl<'de> Visitor<'de> for ObjectVisitor<'_> {
    type Value = Seen<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Seen<'de>, A::Error> {
        let f = self.0;
        let mut text = Seen::Json;
        loop {
            let (key, value) = (f.keys.len(), f.values.len());
            let seed = KeySeed {
                key: &mut f.keys,
                json: &mut f.values,
            };
            if map.next_key_seed(seed)?.is_none() {
                return Ok(text);
            }
            let is_text = &f.keys[key..] == "text";
            let seen = map.next_value_seed(ValueSeed {
                values: &mut f.values,
                text: is_text.then_some(&mut f.text),
            })?;
            if is_text {
                f.keys.truncate(key);
                f.values.truncate(value);
                text = seen;
            } else {
                f.list.push((key..f.keys.len(), value..f.values.len()));
            }
        }
    }
}

/// Appends a key, decoded to `key` and as JSON with its ':' to `json`.
struct KeySeed<'f> {
    key: &'f mut String,
    json: &'f mut Vec<u8>,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }

    fn visit_borrowed_str<E: de::Error>(self, key: &'de str) -> Result<(), E> {
        self.key.push_str(key);
        // A string borrowed from the line has no escapes, so it needs none.
        self.json.push(b'"');
        self.json.extend_from_slice(key.as_bytes());
        self.json.extend_from_slice(b"\":");
        Ok(())
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        self.key.push_str(key);
        push_str(self.json, key);
        self.json.push(b':');
        Ok(())
    }
}

/// Reads one value: with `text`, a string is the text; everything else is appended to
/// `values` as compact JSON.
struct ValueSeed<'f> {
    values: &'f mut Vec<u8>,
    text: Option<&'f mut String>,
}

impl ValueSeed<'_> {
    fn json<T: serde::Serialize, E: de::Error>(self, value: &T) -> Result<Seen<'static>, E> {
        serde_json::to_writer(&mut *self.values, value).map_err(E::custom)?;
        Ok(Seen::Json)
    }
}

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Seen<'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Seen<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueSeed<'_> {
    type Value = Seen<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Seen<'de>, E> {
        if self.text.is_some() {
            return Ok(Seen::Borrowed(s));
        }
        // A string borrowed from the line has no escapes, so it needs none.
        self.values.push(b'"');
        self.values.extend_from_slice(s.as_bytes());
        self.values.push(b'"');
        Ok(Seen::Json)
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Seen<'de>, E> {
        match self.text {
            Some(text) => {
                text.clear();
                text.push_str(s);
                Ok(Seen::Decoded)
            }
            None => {
                push_str(self.values, s);
                Ok(Seen::Json)
            }
        }
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Seen<'de>, E> {
        self.values
            .extend_from_slice(if b { b"true" } else { b"false" });
        Ok(Seen::Json)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Seen<'de>, E> {
        self.values.extend_from_slice(b"null");
        Ok(Seen::Json)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Seen<'de>, E> {
        self.json(&n)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Seen<'de>, E> {
        self.json(&n)
    }

    fn visit_f64<E: de::Error>(self, x: f64) -> Result<Seen<'de>, E> {
        self.json(&x)
    }

    // Arrays and objects are rare in pass-through fields: built as a `Value` (from the same
    // parser, so with the same nesting limit) and written as `Value` writes them.
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Seen<'de>, A::Error> {
        let value = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.json(&value)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Seen<'de>, A::Error> {
        let value = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.json(&value)
    }
}
