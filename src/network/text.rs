//! The text encodings of CSV files as researchers get them: UTF-8 (with or without a BOM),
//! Shift_JIS as Excel in Japan saves "CSV" (cp932), UTF-16 with a BOM, or any encoding named.
//!
//! UTF-8 files are read as they are (no copy); other encodings are transcoded to UTF-8 while
//! streaming. A byte sequence that is not valid in the encoding is an error naming its line —
//! never a replacement character silently in an id.

use crate::error::{Error, Result};
use encoding_rs::{Decoder, DecoderResult, Encoding, SHIFT_JIS, UTF_16BE, UTF_16LE, UTF_8};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// The encoding of a text file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    /// UTF-8 when the whole file is valid UTF-8 (a BOM is skipped), UTF-16 when it starts with
    /// a UTF-16 BOM, else Shift_JIS (cp932).
    #[default]
    Auto,
    /// One encoding.
    Fixed(&'static Encoding),
}

impl TextEncoding {
    /// `"auto"`, a WHATWG label (`"utf-8"`, `"shift_jis"`, `"euc-jp"`, `"utf-16le"`,
    /// `"windows-1252"`, …) or a Python codec name (`"cp932"`, `"euc_jp"`, `"utf_8_sig"`,
    /// `"latin-1"`, …).
    ///
    /// ```
    /// use tsunagime::network::TextEncoding;
    /// assert_eq!(TextEncoding::parse("cp932")?, TextEncoding::parse("Shift_JIS")?);
    /// assert_eq!(TextEncoding::parse("auto")?, TextEncoding::Auto);
    /// assert!(TextEncoding::parse("klingon").is_err());
    /// # Ok::<(), tsunagime::Error>(())
    /// ```
    pub fn parse(label: &str) -> Result<TextEncoding> {
        let l = label.trim().to_ascii_lowercase().replace('_', "-");
        if l == "auto" {
            return Ok(TextEncoding::Auto);
        }
        // Python's names where the WHATWG labels differ.
        let whatwg = match l.as_str() {
            "cp932" | "ms932" | "mskanji" | "ms-kanji" | "sjis" | "s-jis" | "shiftjis" => {
                "shift_jis"
            }
            "utf-8-sig" | "utf8" | "u8" => "utf-8",
            "latin-1" | "latin1" | "l1" | "iso8859-1" | "cp1252" => "windows-1252",
            "eucjp" | "ujis" | "u-jis" => "euc-jp",
            "cp949" | "uhc" | "euckr" => "euc-kr",
            "utf-16-le" | "utf16le" => "utf-16le",
            "utf-16-be" | "utf16be" => "utf-16be",
            "utf-16" | "utf16" => "utf-16le",
            // WHATWG reads "ascii" as windows-1252; Python's strict 7-bit ASCII is not offered.
            "ascii" | "us-ascii" | "646" => "",
            other => other,
        };
        Encoding::for_label(whatwg.as_bytes())
            .map(TextEncoding::Fixed)
            .ok_or_else(|| {
                Error::parameter(
                    "encoding",
                    format!("'{label}' is not a known text encoding (e.g. utf-8, cp932, euc_jp)"),
                )
            })
    }
}

/// Where a file stops being UTF-8: `None` when all of it is valid; else the line of the first
/// invalid byte and how many non-ASCII UTF-8 characters came before it (a file that has both
/// mixes encodings). Read in chunks; a character may span two.
fn scan_utf8(path: &Path) -> Result<Option<(u64, u64)>> {
    let mut file = BufReader::with_capacity(1 << 20, open(path)?);
    let mut buf = vec![0u8; 1 << 20];
    let (mut carry, mut lines, mut wide) = (0, 1u64, 0u64);
    // Vectorised counts: an ASCII chunk, the common case, has no wide characters to count.
    let count = |bytes: &[u8], lines: &mut u64, wide: &mut u64| {
        *lines += memchr::memchr_iter(b'\n', bytes).count() as u64;
        if !bytes.is_ascii() {
            *wide += bytes.iter().filter(|&&b| b >= 0xC0).count() as u64;
        }
    };
    loop {
        let n = file.read(&mut buf[carry..]).map_err(io(path))?;
        let end = carry + n;
        if n == 0 {
            return Ok((carry > 0).then_some((lines, wide)));
        }
        match std::str::from_utf8(&buf[..end]) {
            Ok(_) => {
                count(&buf[..end], &mut lines, &mut wide);
                carry = 0;
            }
            Err(e) if e.error_len().is_none() => {
                let done = e.valid_up_to();
                count(&buf[..done], &mut lines, &mut wide);
                buf.copy_within(done..end, 0);
                carry = end - done;
            }
            Err(e) => {
                count(&buf[..e.valid_up_to()], &mut lines, &mut wide);
                return Ok(Some((lines, wide)));
            }
        }
    }
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(io(path))
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    |source| Error::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The encoding [`TextEncoding::Auto`] chooses for a file: `None` for UTF-8 (read as is).
/// A file with UTF-8 characters before its first non-UTF-8 byte mixes encodings: an error.
fn detect(path: &Path) -> Result<Option<&'static Encoding>> {
    let mut head = [0u8; 3];
    let n = open(path)?.read(&mut head).map_err(io(path))?;
    Ok(match &head[..n] {
        [0xFF, 0xFE, ..] => Some(UTF_16LE),
        [0xFE, 0xFF, ..] => Some(UTF_16BE),
        _ => match scan_utf8(path)? {
            None => None,
            Some((line, wide)) if wide >= 2 => {
                return Err(Error::input(
                    crate::error::Location::of(crate::error::Source::File(path.to_path_buf()))
                        .row(line),
                    format!(
                        "the file mixes encodings: {wide} UTF-8 characters come before this \
                         line, which is not UTF-8; save it in one encoding or give it"
                    ),
                ))
            }
            // Neither UTF-8 nor Shift_JIS: read as UTF-8, so that the error names the cell.
            Some(_) if decodes(path, SHIFT_JIS)? => Some(SHIFT_JIS),
            Some(_) => None,
        },
    })
}

/// Whether all of a file decodes in `encoding`.
fn decodes(path: &Path, encoding: &'static Encoding) -> Result<bool> {
    let mut file = BufReader::with_capacity(1 << 20, open(path)?);
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let (mut input, mut output) = (vec![0u8; 1 << 20], vec![0u8; 3 << 20]);
    loop {
        let n = file.read(&mut input).map_err(io(path))?;
        let (mut start, last) = (0, n == 0);
        loop {
            let (result, read, _) =
                decoder.decode_to_utf8_without_replacement(&input[start..n], &mut output, last);
            start += read;
            match result {
                DecoderResult::Malformed(..) => return Ok(false),
                DecoderResult::InputEmpty if last => return Ok(true),
                DecoderResult::InputEmpty => break,
                DecoderResult::OutputFull => {}
            }
        }
    }
}

/// A byte sequence not valid in the file's encoding, at a line.
#[derive(Debug)]
pub(crate) struct Malformed {
    pub(crate) line: u64,
    pub(crate) message: String,
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for Malformed {}

/// Opens a text file as a UTF-8 byte stream.
pub(crate) fn reader(path: &Path, encoding: TextEncoding) -> Result<Box<dyn Read + Send>> {
    let chosen = match encoding {
        TextEncoding::Auto => detect(path)?,
        TextEncoding::Fixed(e) if e == UTF_8 => None,
        TextEncoding::Fixed(e) => Some(e),
    };
    let file = BufReader::with_capacity(1 << 20, open(path)?);
    Ok(match chosen {
        None => Box::new(file),
        Some(e) => Box::new(Transcode {
            inner: file,
            decoder: e.new_decoder(), // a UTF-8 or UTF-16 BOM overrides the encoding named
            encoding: e,
            input: vec![0; 1 << 16],
            start: 0,
            end: 0,
            eof: false,
            finished: false,
            line: 1,
        }),
    })
}

/// Streams a file in another encoding as UTF-8, refusing malformed input.
struct Transcode<R> {
    inner: R,
    decoder: Decoder,
    encoding: &'static Encoding,
    input: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// The decoder saw the end of the input: it must not be called again.
    finished: bool,
    /// Line of the next output byte (for error messages).
    line: u64,
}

impl<R: Read> Read for Transcode<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        // The decoder needs room for one whole character.
        if out.len() < 4 {
            let mut small = [0u8; 4];
            let n = self.read(&mut small)?;
            let k = n.min(out.len());
            out[..k].copy_from_slice(&small[..k]);
            return Ok(k);
        }
        if self.finished {
            return Ok(0);
        }
        loop {
            if self.start == self.end && !self.eof {
                self.start = 0;
                self.end = self.inner.read(&mut self.input)?;
                self.eof = self.end == 0;
            }
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.start..self.end],
                out,
                self.eof,
            );
            self.line += out[..written].iter().filter(|&&b| b == b'\n').count() as u64;
            let bad_from = self.start + read;
            self.start += read;
            match result {
                DecoderResult::Malformed(len, after) => {
                    let line = self.line;
                    let from = bad_from.saturating_sub(len as usize + after as usize);
                    let bytes: Vec<String> = self.input[from..from + len as usize]
                        .iter()
                        .map(|b| format!("0x{b:02x}"))
                        .collect();
                    return Err(std::io::Error::new(
                        std::io::ErrorKind::InvalidData,
                        Malformed {
                            line,
                            message: format!(
                                "{} is not valid {} (give the file's encoding)",
                                bytes.join(" "),
                                self.encoding.name()
                            ),
                        },
                    ));
                }
                DecoderResult::InputEmpty if self.eof => {
                    self.finished = true;
                    return Ok(written);
                }
                DecoderResult::OutputFull | DecoderResult::InputEmpty => {
                    if written > 0 {
                        return Ok(written);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(bytes: &[u8], encoding: TextEncoding) -> Result<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, bytes).unwrap();
        let mut out = String::new();
        reader(&path, encoding)?
            .read_to_string(&mut out)
            .map_err(|e| Error::Decode(e.to_string()))?;
        Ok(out)
    }

    #[test]
    fn detects_utf8_cp932_and_utf16() {
        let text = "firm_id,名前\n1,会津精機\n";
        let (sjis, _, _) = SHIFT_JIS.encode(text);
        assert_eq!(read_all(&sjis, TextEncoding::Auto).unwrap(), text);
        assert_eq!(read_all(text.as_bytes(), TextEncoding::Auto).unwrap(), text);
        let mut utf16 = vec![0xFF, 0xFE];
        utf16.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(read_all(&utf16, TextEncoding::Auto).unwrap(), text);
        // Mixed: UTF-8 names, then a Shift_JIS one.
        let mut mixed = "id\n会津\n".as_bytes().to_vec();
        mixed.extend_from_slice(&SHIFT_JIS.encode("喜多方\n").0);
        let err = read_all(&mixed, TextEncoding::Auto).unwrap_err();
        assert!(
            err.to_string().contains("line 3: the file mixes encodings"),
            "{err}"
        );
        // A long file whose Japanese comes late, across the chunk boundary.
        let long = format!("{}{text}", "x,y\n".repeat(300_000));
        let (sjis, _, _) = SHIFT_JIS.encode(&long);
        assert_eq!(read_all(&sjis, TextEncoding::Auto).unwrap(), long);
    }

    #[test]
    fn reading_past_the_end_is_empty_not_a_panic() {
        // Found by fuzzing: the decoder was called again after it had seen the end.
        let (sjis, _, _) = SHIFT_JIS.encode("会津\n");
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.csv");
        std::fs::write(&path, &sjis).unwrap();
        let mut r = reader(&path, TextEncoding::parse("cp932").unwrap()).unwrap();
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, "会津\n");
        assert_eq!(r.read(&mut [0u8; 16]).unwrap(), 0);
        assert_eq!(r.read(&mut [0u8; 16]).unwrap(), 0);
    }

    #[test]
    fn malformed_bytes_name_their_line() {
        let bytes = b"a,b\n1,2\n\x81\x20,3\n";
        let err = read_all(bytes, TextEncoding::parse("cp932").unwrap()).unwrap_err();
        assert!(
            err.to_string()
                .contains("line 3: 0x81 is not valid Shift_JIS"),
            "{err}"
        );
        // Neither UTF-8 nor Shift_JIS: read as UTF-8, for the CSV reader to name the cell.
        assert!(read_all(bytes, TextEncoding::Auto).is_err());
        let err = read_all(b"a\n\xff\n", TextEncoding::parse("euc_jp").unwrap()).unwrap_err();
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
