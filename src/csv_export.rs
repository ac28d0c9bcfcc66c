//! Every CSV the app writes goes through [`SafeCsv`], so no cell can run as a spreadsheet
//! formula (CSV injection): a text cell starting with `=`, `+`, `-`, `@`, tab or carriage
//! return gets a leading `'`, which spreadsheets show as text. A figure is written as it is
//! only when it is a plain number, so `-3` stays a number a spreadsheet can sum; anything
//! else in a figure column is treated as text.
//!
//! Every document starts with UTF-8's byte-order mark: without it Excel reads a CSV in the
//! computer's legacy code page and "£" comes out as "Â£".

use std::borrow::Cow;

/// One cell of a record.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    /// Words: names, labels, headings. Always neutralised.
    Text(&'a str),
    /// A figure such as `12`, `-3` or `66.7`; neutralised like text unless a plain number.
    Figure(&'a str),
}

/// A CSV document built record by record.
pub struct SafeCsv {
    writer: csv::Writer<Vec<u8>>,
}

impl Default for SafeCsv {
    fn default() -> Self {
        SafeCsv::new()
    }
}

impl SafeCsv {
    pub fn new() -> SafeCsv {
        SafeCsv {
            writer: csv::Writer::from_writer(BOM.to_vec()),
        }
    }

    /// The bytes written so far, taken out (the BOM with the first): a streamed document
    /// hands each batch on and holds no more than one batch.
    pub fn take(&mut self) -> Result<Vec<u8>, csv::Error> {
        let written = std::mem::replace(&mut self.writer, csv::Writer::from_writer(Vec::new()));
        written
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))
    }

    /// A record of text cells (a header, say).
    pub fn text_record<S: AsRef<str>>(
        &mut self,
        cells: impl IntoIterator<Item = S>,
    ) -> Result<(), csv::Error> {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned())
            .collect();
        self.writer.write_record(&cells)
    }

    pub fn record(&mut self, cells: &[Cell<'_>]) -> Result<(), csv::Error> {
        self.writer.write_record(
            cells
                .iter()
                .map(|cell| match cell {
                    Cell::Figure(value) if is_plain_number(value) => Cow::Borrowed(*value),
                    Cell::Figure(value) | Cell::Text(value) => neutralise(value),
                })
                .map(|c| c.into_owned())
                .collect::<Vec<_>>(),
        )
    }

    pub fn finish(self) -> Result<String, csv::Error> {
        let bytes = self
            .writer
            .into_inner()
            .map_err(|e| csv::Error::from(e.into_error()))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// UTF-8's byte-order mark.
pub const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// `text` with a leading `'` when a spreadsheet would read it as a formula.
pub fn neutralise(text: &str) -> Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// `12`, `-3`, `66.7`: digits with an optional leading minus and one decimal point.
fn is_plain_number(value: &str) -> bool {
    let digits = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(cells: &[Cell<'_>]) -> String {
        let mut csv = SafeCsv::new();
        csv.record(cells).unwrap();
        let text = csv.finish().unwrap();
        text.strip_prefix('\u{feff}')
            .expect("every document starts with the byte-order mark")
            .to_string()
    }

    #[test]
    fn a_document_taken_in_batches_is_the_whole_document_with_one_bom() {
        let mut csv = SafeCsv::new();
        csv.text_record(["Name"]).unwrap();
        let first = csv.take().unwrap();
        csv.text_record(["£5 refund"]).unwrap();
        let second = csv.take().unwrap();
        assert_eq!(first, b"\xEF\xBB\xBFName\n");
        assert_eq!(second, "£5 refund\n".as_bytes());
        assert!(csv.take().unwrap().is_empty());
    }

    #[test]
    fn text_that_a_spreadsheet_would_run_is_made_plain_text() {
        assert_eq!(
            written(&[
                Cell::Text("=HYPERLINK(\"x\")"),
                Cell::Text("@SUM(A1)"),
                Cell::Text("+1"),
                Cell::Text("-1"),
                Cell::Text("\tcmd"),
                Cell::Text("\rcmd"),
                Cell::Text("Damp and mould"),
            ]),
            "\"'=HYPERLINK(\"\"x\"\")\",'@SUM(A1),'+1,'-1,'\tcmd,\"'\rcmd\",Damp and mould\n"
        );
    }

    #[test]
    fn figures_stay_numbers_but_only_when_they_are_numbers() {
        assert_eq!(
            written(&[
                Cell::Figure("-3"),
                Cell::Figure("66.7"),
                Cell::Figure("0"),
                Cell::Figure("–"),
                Cell::Figure("£1,234.50"),
                Cell::Figure("-£5.00"),
                Cell::Figure("-1+1"),
                Cell::Figure("=1"),
                Cell::Figure("-"),
                Cell::Figure("1."),
            ]),
            // "1." is no plain number, but no formula either: written as it is.
            "-3,66.7,0,–,\"£1,234.50\",'-£5.00,'-1+1,'=1,'-,1.\n"
        );
    }
}
