//! How offers' words are cut and reduced for the index, the same way at writing and at query
//! time: the text is folded first (`shared::search::fold`: case, accents, Arabic diacritics,
//! hamza forms, ta marbuta, alef maqsura, tatweel and the article "ال"), then cut at spaces.
//! Each analysed field keeps one script's words: the French and English fields keep Latin
//! words and digits (each with its language's stop words and stemmer), the Arabic field keeps
//! Arabic words (Arabic stemmer). A query word thus meets the fields of its own script.

use tantivy::tokenizer::{
    Language, Stemmer, StopWordFilter, TextAnalyzer, Token, TokenStream, Tokenizer,
    TokenizerManager,
};

/// The analysers' names, as the schema names them.
pub const FRENCH: &str = "cc_fr";
pub const ENGLISH: &str = "cc_en";
pub const ARABIC: &str = "cc_ar";
/// Place names and aliases: folded, cut, not stemmed.
pub const PLACE: &str = "cc_place";

/// Which words a field keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Arabic,
    Any,
}

fn is_arabic(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// Folds, cuts at spaces and keeps the words of one script (longer than one letter, shorter
/// than forty: a single letter is noise, a longer "word" is a pasted link or a hash).
#[derive(Debug, Clone)]
pub struct FoldTokenizer {
    script: Script,
}

impl FoldTokenizer {
    pub fn new(script: Script) -> Self {
        Self { script }
    }
}

pub struct FoldTokenStream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for FoldTokenizer {
    type TokenStream<'a> = FoldTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> FoldTokenStream {
        let folded = shared::search::fold(text);
        let mut tokens = Vec::new();
        let mut offset = 0;
        for (position, word) in folded.split(' ').enumerate() {
            let start = offset;
            offset += word.len() + 1;
            let arabic = word.chars().any(is_arabic);
            let keep = match self.script {
                Script::Latin => !arabic,
                Script::Arabic => arabic,
                Script::Any => true,
            };
            let letters = word.chars().count();
            // Digits alone count ("2" of "bac+2", "5" of "bac+5").
            let long_enough = letters > 1 || word.chars().all(|c| c.is_ascii_digit());
            if !keep || word.is_empty() || !long_enough || letters >= 40 {
                continue;
            }
            tokens.push(Token {
                offset_from: start,
                offset_to: start + word.len(),
                position,
                text: word.to_owned(),
                position_length: 1,
            });
        }
        FoldTokenStream { tokens, next: 0 }
    }
}

impl TokenStream for FoldTokenStream {
    fn advance(&mut self) -> bool {
        if self.next < self.tokens.len() {
            self.next += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}

/// The analyser of each language.
pub fn analyser(name: &str) -> TextAnalyzer {
    match name {
        FRENCH => stemmed(Script::Latin, Language::French),
        ENGLISH => stemmed(Script::Latin, Language::English),
        ARABIC => TextAnalyzer::builder(FoldTokenizer::new(Script::Arabic))
            .filter(Stemmer::new(Language::Arabic))
            .build(),
        _ => TextAnalyzer::builder(FoldTokenizer::new(Script::Any)).build(),
    }
}

fn stemmed(script: Script, language: Language) -> TextAnalyzer {
    let builder = TextAnalyzer::builder(FoldTokenizer::new(script));
    match StopWordFilter::new(language) {
        Some(stop) => builder.filter(stop).filter(Stemmer::new(language)).build(),
        None => builder.filter(Stemmer::new(language)).build(),
    }
}

/// Registers the analysers with an index's tokenizer manager.
pub fn register(manager: &TokenizerManager) {
    for name in [FRENCH, ENGLISH, ARABIC, PLACE] {
        manager.register(name, analyser(name));
    }
}

/// The analysers, built once (stop-word lists are sets to build).
static ANALYSERS: std::sync::LazyLock<[TextAnalyzer; 4]> =
    std::sync::LazyLock::new(|| [FRENCH, ENGLISH, ARABIC, PLACE].map(analyser));

/// The terms `text` gives in the field analysed by `name`.
pub fn terms(name: &str, text: &str) -> Vec<String> {
    let at = [FRENCH, ENGLISH, ARABIC, PLACE]
        .iter()
        .position(|n| *n == name)
        .unwrap_or(3);
    let mut analyser = ANALYSERS[at].clone();
    let mut stream = analyser.token_stream(text);
    let mut out = Vec::new();
    while let Some(token) = stream.next() {
        out.push(token.text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_language_field_keeps_its_script_and_stems() {
        assert_eq!(
            terms(FRENCH, "Développeurs Web à Tanger"),
            ["developpeur", "web", "tang"]
        );
        assert_eq!(terms(ENGLISH, "Developers wanted"), ["develop", "want"]);
        assert!(terms(FRENCH, "مهندس مدني").is_empty());
        assert!(terms(ARABIC, "Ingénieur civil").is_empty());
        // Diacritics, tatweel, hamza forms and the article go before stemming, so the
        // written forms of one word meet.
        let plain = terms(ARABIC, "مهندس");
        for written in ["مُهَنْدِس", "مهـــندس", "المهندس"] {
            assert_eq!(terms(ARABIC, written), plain, "{written}");
        }
        assert_eq!(terms(ARABIC, "إدارة"), terms(ARABIC, "اداره"));
    }

    #[test]
    fn digits_stay_and_single_letters_go() {
        assert_eq!(terms(PLACE, "Bac+2 à l'école"), ["bac", "2", "ecole"]);
    }
}
