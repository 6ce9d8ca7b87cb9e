//! What a source's answer holds: the offers of a feed (RSS 2.0, Atom, JSON Feed, through
//! `feed-rs`), of a web page's schema.org `JobPosting` blocks, or of a CSV file, each as a
//! [`Gathered`] offer, and what was dropped and why.
//!
//! Real pages are not strict: JSON-LD blocks with raw line breaks inside strings, HTML entities
//! in place of quotes, several blocks a page, `@graph` lists. Each block is read as it is, then
//! with those mended; one that still cannot be read is dropped with its reason, and the others
//! are kept. A document that declares one encoding and is written in another is read in the one
//! it is written in, and said so.

use shared::IngestSourceKind;
use shared::gathered::{Columns, Gathered};

/// What was read from a document.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The offers, in the document's order.
    pub offers: Vec<Gathered>,
    /// What was dropped or mended, one line each (a block that cannot be read, an item that is
    /// no offer, an encoding read otherwise than declared): a key the web app translates
    /// (`dropped:…`) and the server's words.
    pub notes: Vec<(&'static str, String)>,
}

/// The document's text: UTF-8 whatever it declares, when its bytes are UTF-8; otherwise read in
/// the encoding it declares (Windows-1252 when it declares UTF-8 or nothing, as Latin pages
/// that forget their declaration are).
fn text_of(bytes: &[u8], notes: &mut Vec<(&'static str, String)>) -> String {
    let declared = declared_encoding(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        // Plain ASCII reads alike in every declared encoding: nothing to say.
        if let Some(label) = declared
            && !matches!(label.as_str(), "utf-8" | "utf8")
            && !bytes.is_ascii()
        {
            notes.push((
                "dropped:encoding",
                format!("declared {label} but written in UTF-8: read as UTF-8"),
            ));
        }
        return text.trim_start_matches('\u{feff}').to_owned();
    }
    let encoding = declared
        .as_deref()
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()))
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or(encoding_rs::WINDOWS_1252);
    notes.push((
        "dropped:encoding",
        format!(
            "not UTF-8{}: read as {}",
            declared
                .map(|d| format!(" (declared {d})"))
                .unwrap_or_default(),
            encoding.name()
        ),
    ));
    encoding.decode(bytes).0.into_owned()
}

/// The encoding an XML declaration or an HTML `<meta charset>` names, lower-cased.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let at = head
        .find("encoding=")
        .map(|at| at + "encoding=".len())
        .or_else(|| head.find("charset=").map(|at| at + "charset=".len()))?;
    let rest = head[at..].trim_start_matches(['"', '\'']);
    let label: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    (!label.is_empty()).then_some(label)
}

/// Reads `bytes` as a source of `kind` says.
pub fn parse(kind: IngestSourceKind, columns: &Columns, bytes: &[u8]) -> Result<Parsed, String> {
    let mut parsed = Parsed::default();
    let text = text_of(bytes, &mut parsed.notes);
    match kind {
        IngestSourceKind::Feed => feed(&text, &mut parsed)?,
        IngestSourceKind::JsonLd => json_ld(&text, &mut parsed),
        IngestSourceKind::Csv | IngestSourceKind::File => csv_file(&text, columns, &mut parsed)?,
    }
    Ok(parsed)
}

fn feed(text: &str, parsed: &mut Parsed) -> Result<(), String> {
    // The declaration is dropped: the text is already decoded (the parser would decode it
    // again by the declaration's word).
    let body = match text.trim_start().strip_prefix("<?xml") {
        Some(rest) => rest.split_once("?>").map_or(text, |(_, after)| after),
        None => text,
    };
    let feed =
        feed_rs::parser::parse(body.as_bytes()).map_err(|error| format!("not a feed: {error}"))?;
    for entry in feed.entries {
        let mut offer = Gathered::default();
        // The item's own page: its `alternate` link (or one without a relation), not a
        // `self` or an enclosure.
        let link = entry
            .links
            .iter()
            .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .or(entry.links.first())
            .map(|l| l.href.clone());
        match &link {
            Some(link) => offer.push("url", link),
            // Without a link, the feed's own id says which offer it is.
            None => offer.push("id", &entry.id),
        }
        if let Some(title) = &entry.title {
            offer.push("title", &title.content);
        }
        match (&entry.content, &entry.summary) {
            (Some(content), _) if content.body.as_ref().is_some_and(|b| !b.trim().is_empty()) => {
                offer.push("description", content.body.as_deref().unwrap_or_default());
            }
            (_, Some(summary)) => offer.push("description", &summary.content),
            _ => {}
        }
        if let Some(name) = entry.authors.iter().find_map(|a| a.name.as_deref()) {
            offer.push("employer", name);
        }
        if let Some(at) = entry.published.or(entry.updated) {
            offer.push("posted", &at.to_rfc3339());
        }
        // Boards file their items under the town, the contract and the trade: each is read
        // for what it names.
        let categories: Vec<&str> = entry
            .categories
            .iter()
            .map(|c| c.label.as_deref().unwrap_or(&c.term))
            .collect();
        if !categories.is_empty() {
            let joined = categories.join(", ");
            for field in ["place", "contract", "sector"] {
                offer.push(field, &joined);
            }
        }
        if offer.get("title").is_empty() {
            parsed.notes.push((
                "dropped:no_title",
                format!("item {}: no title, not an offer", entry.id),
            ));
            continue;
        }
        parsed.offers.push(offer);
    }
    Ok(())
}

/// The contents of a page's `<script type="application/ld+json">` elements.
fn ld_blocks(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut blocks = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<script") {
        let start = from + at;
        let Some(end_of_tag) = lower[start..].find('>').map(|e| start + e) else {
            break;
        };
        let tag = &lower[start..end_of_tag];
        let Some(close) = lower[end_of_tag..].find("</script").map(|c| end_of_tag + c) else {
            break;
        };
        if tag.contains("application/ld+json") {
            blocks.push(html[end_of_tag + 1..close].to_owned());
        }
        from = close + "</script".len();
    }
    blocks
}

/// `text` with the raw control characters inside its JSON strings escaped (a line break typed
/// into a description), as a strict parser wants them.
fn escape_controls_in_strings(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            } else if c.is_control() {
                match c {
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    '\t' => out.push_str("\\t"),
                    other => out.push_str(&format!("\\u{:04x}", other as u32)),
                }
                continue;
            }
        } else if c == '"' {
            in_string = true;
        }
        out.push(c);
    }
    out
}

/// A JSON-LD block read strictly, else mended: raw control characters in strings escaped, then
/// HTML entities decoded as well (`&quot;` written for quotes).
fn lenient_json(block: &str) -> Result<serde_json::Value, String> {
    let block = block.trim();
    let block = block
        .strip_prefix("<!--")
        .and_then(|b| b.strip_suffix("-->"))
        .unwrap_or(block)
        .trim();
    let strict = serde_json::from_str(block);
    let Err(first) = strict else {
        return strict.map_err(|e| e.to_string());
    };
    if let Ok(value) = serde_json::from_str(&escape_controls_in_strings(block)) {
        return Ok(value);
    }
    let decoded = html_escape::decode_html_entities(block);
    serde_json::from_str(&escape_controls_in_strings(&decoded)).map_err(|_| first.to_string())
}

/// Every `JobPosting` inside a JSON-LD value: the value itself, a list's items, a `@graph`.
fn postings<'a>(value: &'a serde_json::Value, found: &mut Vec<&'a serde_json::Value>) {
    match value {
        serde_json::Value::Array(items) => items.iter().for_each(|i| postings(i, found)),
        serde_json::Value::Object(object) => {
            let is_posting = match object.get("@type") {
                Some(serde_json::Value::String(t)) => t == "JobPosting",
                Some(serde_json::Value::Array(types)) => types.iter().any(|t| t == "JobPosting"),
                _ => false,
            };
            if is_posting {
                found.push(value);
            } else if let Some(graph) = object.get("@graph") {
                postings(graph, found);
            }
        }
        _ => {}
    }
}

/// A JSON-LD value as text: a string as it is, an object by its `name`, a list's items joined.
fn text(value: Option<&serde_json::Value>) -> String {
    match value {
        Some(serde_json::Value::String(s)) => html_escape::decode_html_entities(s).into_owned(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        Some(serde_json::Value::Array(items)) => items
            .iter()
            .map(|i| text(Some(i)))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Some(serde_json::Value::Object(o)) => text(o.get("name").or_else(|| o.get("value"))),
        _ => String::new(),
    }
}

/// A posting's `identifier`: a `PropertyValue`'s `value` (its `name` is the issuer's), or the
/// text given.
fn identifier(value: Option<&serde_json::Value>) -> String {
    match value {
        Some(serde_json::Value::Object(o)) => text(o.get("value").or_else(|| o.get("@id"))),
        other => text(other),
    }
}

/// Where a `JobPosting` is: its locations' towns and regions (or addresses written as text).
fn location(value: Option<&serde_json::Value>) -> String {
    let one = |place: &serde_json::Value| -> String {
        match place.get("address") {
            Some(serde_json::Value::Object(address)) => [
                "addressLocality",
                "addressRegion",
                "streetAddress",
                "postalCode",
            ]
            .iter()
            .map(|k| text(address.get(*k)))
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
            Some(other) => text(Some(other)),
            None => text(Some(place)),
        }
    };
    match value {
        Some(serde_json::Value::Array(places)) => places
            .iter()
            .map(one)
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        Some(place) => one(place),
        None => String::new(),
    }
}

/// A `baseSalary` as a board would write it ("5000 - 7000 MAD par mois").
fn salary(value: Option<&serde_json::Value>) -> String {
    let Some(salary) = value else {
        return String::new();
    };
    if !salary.is_object() {
        return text(Some(salary));
    }
    let currency = text(salary.get("currency"));
    let amount = salary.get("value");
    let figure = |key: &str| amount.and_then(|a| a.get(key)).map(|v| text(Some(v)));
    let range = match (figure("minValue"), figure("maxValue"), figure("value")) {
        (Some(min), Some(max), _) => format!("{min} - {max}"),
        (Some(min), None, _) => min,
        (None, Some(max), _) => max,
        (None, None, Some(value)) => value,
        (None, None, None) => text(amount),
    };
    if range.trim().is_empty() {
        return String::new();
    }
    let unit = amount
        .and_then(|a| a.get("unitText"))
        .map(|u| text(Some(u)).to_ascii_uppercase());
    let period = match unit.as_deref() {
        Some("YEAR") => " par an",
        Some("HOUR") => " par heure",
        Some("DAY") => " par jour",
        Some("WEEK") => " par semaine",
        _ => "",
    };
    format!("{range} {currency}{period}")
}

fn json_ld(html: &str, parsed: &mut Parsed) {
    let blocks = ld_blocks(html);
    if blocks.is_empty() {
        parsed.notes.push((
            "dropped:no_block",
            "no JSON-LD block on the page".to_owned(),
        ));
    }
    for (n, block) in blocks.iter().enumerate() {
        let value = match lenient_json(block) {
            Ok(value) => value,
            Err(error) => {
                parsed.notes.push((
                    "dropped:unreadable_block",
                    format!("JSON-LD block {}: unreadable ({error})", n + 1),
                ));
                continue;
            }
        };
        let mut found = Vec::new();
        postings(&value, &mut found);
        for posting in found {
            let get = |key: &str| posting.get(key);
            let mut offer = Gathered::default();
            offer.push("id", &identifier(get("identifier")));
            offer.push("url", &text(get("url")));
            offer.push("title", &text(get("title")));
            offer.push("description", &text(get("description")));
            offer.push("employer", &text(get("hiringOrganization")));
            offer.push("place", &location(get("jobLocation")));
            offer.push("contract", &text(get("employmentType")));
            offer.push("education", &text(get("educationRequirements")));
            offer.push("experience", &text(get("experienceRequirements")));
            offer.push("posted", &text(get("datePosted")));
            offer.push("valid_through", &text(get("validThrough")));
            offer.push("salary", &salary(get("baseSalary")));
            offer.push("sector", &text(get("industry")));
            if text(get("jobLocationType")).eq_ignore_ascii_case("TELECOMMUTE") {
                offer.push("remote", "télétravail");
            }
            if offer.get("title").is_empty() {
                parsed.notes.push((
                    "dropped:no_title",
                    format!(
                        "JSON-LD block {}: a JobPosting without a title, not an offer",
                        n + 1
                    ),
                ));
                continue;
            }
            parsed.offers.push(offer);
        }
    }
}

fn csv_file(text: &str, columns: &Columns, parsed: &mut Parsed) -> Result<(), String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("no CSV header line: {e}"))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    for (n, record) in reader.records().enumerate() {
        match record {
            Ok(record) => parsed.offers.push(columns.gather(|name| {
                headers
                    .iter()
                    .position(|h| h == name)
                    .and_then(|i| record.get(i))
            })),
            Err(error) => parsed.notes.push((
                "dropped:unreadable_record",
                format!("record {}: unreadable CSV ({error})", n + 1),
            )),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_loose_json_ld_page_gives_its_postings_and_says_what_it_dropped() {
        let page = r#"<html><head><meta charset="utf-8">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"Organization","name":"Atlas"},
 {"@type":"JobPosting","title":"Comptable","description":"Tenue des comptes.
Deuxième ligne.","identifier":{"@type":"PropertyValue","name":"Atlas","value":"A-1"},
  "hiringOrganization":{"@type":"Organization","name":"Atlas &amp; Fils"},
  "jobLocation":{"@type":"Place","address":{"addressLocality":"Casablanca","addressRegion":"Casablanca-Settat"}},
  "employmentType":"CDI","datePosted":"2026-11-20","url":"https://board.example/1",
  "baseSalary":{"@type":"MonetaryAmount","currency":"MAD","value":{"minValue":5000,"maxValue":7000,"unitText":"MONTH"}}}]}
</script>
<SCRIPT TYPE="application/ld+json">{&quot;@type&quot;:&quot;JobPosting&quot;,&quot;title&quot;:&quot;Développeur&quot;,&quot;url&quot;:&quot;https://board.example/2&quot;,&quot;jobLocationType&quot;:&quot;TELECOMMUTE&quot;}</SCRIPT>
<script type="application/ld+json">[{"@type":["JobPosting"],"title":"Soudeur","url":"https://board.example/3"},{"@type":"JobPosting","url":"https://board.example/4"}]</script>
<script type="application/ld+json">{"@type": "JobPosting", "title": </script>
<script>var notJson = {"@type":"JobPosting"};</script>
</head></html>"#;
        let parsed = parse(
            IngestSourceKind::JsonLd,
            &Columns::default(),
            page.as_bytes(),
        )
        .expect("a page");
        let titles: Vec<&str> = parsed.offers.iter().map(|o| o.get("title")).collect();
        assert_eq!(titles, ["Comptable", "Développeur", "Soudeur"]);
        let first = &parsed.offers[0];
        assert_eq!(first.get("id"), "A-1");
        assert_eq!(
            first.get("description"),
            "Tenue des comptes.\nDeuxième ligne."
        );
        assert_eq!(first.get("employer"), "Atlas & Fils");
        assert_eq!(first.get("place"), "Casablanca, Casablanca-Settat");
        assert_eq!(first.get("salary"), "5000 - 7000 MAD");
        assert_eq!(parsed.offers[1].get("remote"), "télétravail");
        assert_eq!(parsed.notes.len(), 2, "{:?}", parsed.notes);
        assert_eq!(parsed.notes[0].0, "dropped:no_title");
        assert!(parsed.notes[1].1.starts_with("JSON-LD block 4: unreadable"));
    }

    #[test]
    fn feeds_of_each_kind_give_their_items() {
        let rss = r#"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Board</title>
<item><title>Comptable - Casablanca</title><link>https://board.example/1</link><description>&lt;p&gt;Tenue des comptes&lt;/p&gt;</description>
<pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate><category>Casablanca</category><category>CDI</category></item>
<item><link>https://board.example/2</link></item></channel></rss>"#;
        let parsed = parse(IngestSourceKind::Feed, &Columns::default(), rss.as_bytes()).unwrap();
        assert_eq!(parsed.offers.len(), 1);
        let item = &parsed.offers[0];
        assert_eq!(item.get("url"), "https://board.example/1");
        assert_eq!(item.get("place"), "Casablanca, CDI");
        assert!(item.get("posted").starts_with("2026-11-20"));
        assert_eq!(parsed.notes.len(), 1);
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><title>B</title><id>urn:b</id><updated>2026-11-20T10:00:00Z</updated>
<entry><id>urn:b:1</id><title>Soudeur</title><updated>2026-11-20T10:00:00Z</updated><author><name>Atlas</name></author><summary>Soudure TIG</summary></entry></feed>"#;
        let parsed = parse(IngestSourceKind::Feed, &Columns::default(), atom.as_bytes()).unwrap();
        assert_eq!(parsed.offers[0].get("id"), "urn:b:1");
        assert_eq!(parsed.offers[0].get("employer"), "Atlas");
        let json = r#"{"version":"https://jsonfeed.org/version/1.1","title":"B","items":[{"id":"9","url":"https://board.example/9","title":"Agent","content_text":"Accueil","date_published":"2026-11-20T10:00:00Z"}]}"#;
        let parsed = parse(IngestSourceKind::Feed, &Columns::default(), json.as_bytes()).unwrap();
        assert_eq!(parsed.offers[0].get("description"), "Accueil");
        assert!(
            parse(
                IngestSourceKind::Feed,
                &Columns::default(),
                b"<html>no</html>"
            )
            .is_err()
        );
    }

    #[test]
    fn a_wrong_declared_encoding_is_read_as_written_and_said() {
        let latin1: Vec<u8> = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>B</title><item><title>Ing\xe9nieur</title><link>https://b.example/1</link></item></channel></rss>".to_vec();
        let parsed = parse(IngestSourceKind::Feed, &Columns::default(), &latin1).unwrap();
        assert_eq!(parsed.offers[0].get("title"), "Ingénieur");
        assert!(
            parsed.notes[0].1.contains("not UTF-8"),
            "{:?}",
            parsed.notes
        );
        let utf8 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>B</title><item><title>Ingénieur</title><link>https://b.example/1</link></item></channel></rss>";
        let parsed = parse(IngestSourceKind::Feed, &Columns::default(), utf8.as_bytes()).unwrap();
        assert_eq!(parsed.offers[0].get("title"), "Ingénieur");
        assert!(
            parsed.notes[0].1.contains("declared iso-8859-1"),
            "{:?}",
            parsed.notes
        );
    }

    #[test]
    fn an_entity_bomb_is_not_expanded() {
        let bomb = r#"<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<rss version="2.0"><channel><title>B</title><item><title>&h;</title><link>https://b.example/1</link></item></channel></rss>"#;
        // Refused or read with the entity left as it is: never a billion letters.
        // Read with the entity left as it is written: never a billion letters.
        let parsed = parse(IngestSourceKind::Feed, &Columns::default(), bomb.as_bytes())
            .expect("the feed around the bomb is read");
        assert_eq!(parsed.offers[0].get("title"), "&h;");
    }
}
