//! Offers beyond the platform: the feed of any search, in RSS 2.0 (`GET /offers/feed.rss`,
//! written by the `rss` crate) or Atom (`GET /offers/feed.atom`, by `atom_syndication`), and,
//! for an offer's page, the head that a shared link's preview (Open Graph: Facebook, LinkedIn,
//! WhatsApp) and search engines (schema.org `JobPosting` in JSON-LD) read, written by the
//! server into the guide's shell before the web app boots. What the server says itself (the
//! feed's title, the site's name, places, kinds) is in the reader's language; the offers' own
//! texts stay as their authors wrote them.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use shared::dto::offers::{OfferHit, OfferView};
use shared::{Contract, Locale, OfferKind, OfferStatus, SearchOrder};

use super::offer_search::{self, OfferSearchQuery};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How many offers a feed carries when the reader does not say.
const FEED_ITEMS: u64 = 50;

/// The language of what a feed or an offer's shared page says of itself.
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedLanguage {
    /// `fr` (the default), `ar` or `en`: the feed's title and description, the places' and
    /// kinds' names. The offers' titles and descriptions stay as written.
    pub lang: Option<Locale>,
}

/// A feed's two formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFormat {
    Rss,
    Atom,
}

impl FeedFormat {
    fn extension(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss",
            FeedFormat::Atom => "atom",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
        }
    }
}

/// The site's name, as the web app's catalogues write it (`app.name`).
fn site_name(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "Centre de carrière",
        Locale::Ar => "مركز التوجيه المهني",
        Locale::En => "Career Center",
    }
}

/// A feed's title: the site's, then the words searched.
fn feed_title(locale: Locale, words: Option<&str>) -> String {
    let site = site_name(locale);
    match (locale, words) {
        (Locale::Fr, Some(words)) => format!("{site} — offres : {words}"),
        (Locale::Fr, None) => format!("{site} — offres"),
        (Locale::Ar, Some(words)) => format!("{site} — العروض: {words}"),
        (Locale::Ar, None) => format!("{site} — العروض"),
        (Locale::En, Some(words)) => format!("{site} — offers: {words}"),
        (Locale::En, None) => format!("{site} — offers"),
    }
}

fn feed_description(locale: Locale, total: u64) -> String {
    match locale {
        Locale::Fr => format!(
            "Les offres d'emploi, de stage et d'immersion publiées sur la plateforme ({total} en tout)."
        ),
        Locale::Ar => {
            format!("عروض الشغل والتدريب والاندماج المنشورة على المنصة (المجموع: {total}).")
        }
        Locale::En => format!(
            "The jobs, internships and immersions published on the platform ({total} in all)."
        ),
    }
}

/// A kind's name, as the web app's catalogues write it (`offers.kind.*`).
/// The employer's name, or that the site an offer was gathered from names none (as the
/// catalogues write it).
fn employer(locale: Locale, name: &str) -> String {
    if !name.trim().is_empty() {
        return name.to_owned();
    }
    match locale {
        Locale::Fr => "Employeur non communiqué",
        Locale::Ar => "مشغل غير مذكور",
        Locale::En => "Employer not named",
    }
    .to_owned()
}

fn kind_name(locale: Locale, kind: OfferKind) -> &'static str {
    match (locale, kind) {
        (Locale::Fr, OfferKind::Job) => "Emploi",
        (Locale::Fr, OfferKind::Internship) => "Stage",
        (Locale::Fr, OfferKind::Immersion) => "Immersion",
        (Locale::Ar, OfferKind::Job) => "شغل",
        (Locale::Ar, OfferKind::Internship) => "تدريب",
        (Locale::Ar, OfferKind::Immersion) => "اندماج مهني قصير",
        (Locale::En, OfferKind::Job) => "Job",
        (Locale::En, OfferKind::Internship) => "Internship",
        (Locale::En, OfferKind::Immersion) => "Immersion",
    }
}

/// Open Graph's name of the language.
fn og_locale(locale: Locale) -> &'static str {
    match locale {
        Locale::Fr => "fr_MA",
        Locale::Ar => "ar_MA",
        Locale::En => "en_US",
    }
}

/// "Commune, region" in `locale` (Arabic names for Arabic, French otherwise; the other when
/// one is missing).
fn place(
    locale: Locale,
    commune: (&Option<String>, &Option<String>),
    region: (&Option<String>, &Option<String>),
) -> String {
    let pick = |(fr, ar): (&Option<String>, &Option<String>)| {
        if locale == Locale::Ar {
            ar.clone().or_else(|| fr.clone())
        } else {
            fr.clone().or_else(|| ar.clone())
        }
    };
    let separator = if locale == Locale::Ar { "، " } else { ", " };
    [pick(commune), pick(region)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(separator)
}

fn hit_place(locale: Locale, hit: &OfferHit) -> String {
    place(
        locale,
        (&hit.commune_name_fr, &hit.commune_name_ar),
        (&hit.region_name_fr, &hit.region_name_ar),
    )
}

/// The language an offer's page speaks to a link's preview: `lang` when the link says it,
/// else the first of French, Arabic and English in the reader's `Accept-Language` (by its
/// weights), else French.
pub fn preferred_locale(lang: Option<Locale>, accept_language: Option<&str>) -> Locale {
    if let Some(locale) = lang {
        return locale;
    }
    let mut ranges: Vec<(f32, Locale)> = accept_language
        .unwrap_or_default()
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let tag = parts.next()?.trim();
            let primary = tag.split(['-', '_']).next()?.to_ascii_lowercase();
            let locale = Locale::parse(&primary).ok()?;
            let weight = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (weight > 0.0).then_some((weight, locale))
        })
        .collect();
    // Stable: of equal weights, the first written wins.
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    ranges.first().map_or(Locale::Fr, |(_, locale)| *locale)
}

/// The query part of the search's page for the same words and filters.
fn search_address(query: &OfferSearchQuery) -> String {
    let criteria = shared::dto::saved::SearchCriteria {
        q: query.q.clone(),
        kind: query.kind,
        contract: query.contract,
        region: query.region.clone(),
        commune: query.commune.clone(),
        sector: query.sector.clone(),
        education: query.education,
        remote: query.remote,
    };
    criteria.to_query()
}

/// The feed of a search, in `format`: its newest offers first (unless `order` says otherwise),
/// at most `limit` (50 by default), each linking to its page; the feed's own words in
/// `locale`.
pub async fn feed(
    state: &AppState,
    mut query: OfferSearchQuery,
    locale: Option<Locale>,
    format: FeedFormat,
) -> ApiResult<String> {
    query.order.get_or_insert(SearchOrder::Date);
    query.limit.get_or_insert(FEED_ITEMS);
    let found = offer_search::search(state, &query).await?;
    let base = state.settings.public_url.trim_end_matches('/');
    let mut address = search_address(&query);
    let page = if address.is_empty() {
        format!("{base}/offers")
    } else {
        format!("{base}/offers?{address}")
    };
    if let Some(locale) = locale {
        if !address.is_empty() {
            address.push('&');
        }
        address.push_str(&format!("lang={locale}"));
    }
    let itself = format!(
        "{base}/api/v1/offers/feed.{}{}",
        format.extension(),
        if address.is_empty() {
            String::new()
        } else {
            format!("?{address}")
        }
    );
    let locale = locale.unwrap_or_default();
    let words = query.q.as_deref().map(str::trim).filter(|q| !q.is_empty());
    let title = feed_title(locale, words);
    let description = feed_description(locale, found.total);
    let summary = |hit: &OfferHit| {
        let mut lines = vec![employer(locale, &hit.employer_name)];
        let place = hit_place(locale, hit);
        if !place.is_empty() {
            lines.push(place);
        }
        lines.push(hit.excerpt.clone());
        lines.join(" — ")
    };
    let link_of = |hit: &OfferHit| format!("{base}/offers/{}", hit.id);
    Ok(match format {
        FeedFormat::Rss => {
            let items = found
                .items
                .iter()
                .map(|hit| {
                    let link = link_of(hit);
                    let mut item = rss::Item::default();
                    item.set_title(hit.title.clone());
                    item.set_link(link.clone());
                    // Written as CDATA, which readers take for HTML: the text is escaped first.
                    item.set_description(escape(&summary(hit)));
                    item.set_pub_date(hit.posted_at.to_rfc2822());
                    let mut guid = rss::Guid::default();
                    guid.set_value(link);
                    guid.set_permalink(true);
                    item.set_guid(guid);
                    let mut category = rss::Category::default();
                    category.set_name(kind_name(locale, hit.kind));
                    item.set_categories(vec![category]);
                    item
                })
                .collect::<Vec<_>>();
            let mut atom = rss::extension::atom::AtomExtension::default();
            atom.set_links(vec![link(&itself, "self", FeedFormat::Rss.content_type())]);
            let mut channel = rss::Channel::default();
            channel.set_title(title);
            channel.set_link(page);
            channel.set_description(description);
            channel.set_language(locale.as_str().to_owned());
            channel.set_ttl("15".to_owned());
            channel.set_last_build_date(Utc::now().to_rfc2822());
            channel.set_items(items);
            channel.set_atom_ext(atom);
            channel.to_string()
        }
        FeedFormat::Atom => {
            let entries = found
                .items
                .iter()
                .map(|hit| {
                    let address = link_of(hit);
                    let mut entry = atom_syndication::Entry::default();
                    entry.set_title(hit.title.clone());
                    entry.set_id(address.clone());
                    entry.set_links(vec![link(&address, "alternate", "text/html")]);
                    entry.set_published(Some(hit.posted_at.fixed_offset()));
                    entry.set_updated(hit.posted_at.fixed_offset());
                    let mut author = atom_syndication::Person::default();
                    author.set_name(employer(locale, &hit.employer_name));
                    entry.set_authors(vec![author]);
                    // A plain text construct: the writer escapes it.
                    entry.set_summary(Some(atom_syndication::Text::plain(summary(hit))));
                    let mut category = atom_syndication::Category::default();
                    category.set_term(hit.kind.as_str());
                    category.set_label(Some(kind_name(locale, hit.kind).to_owned()));
                    entry.set_categories(vec![category]);
                    entry
                })
                .collect::<Vec<_>>();
            let mut feed = atom_syndication::Feed::default();
            feed.set_title(title);
            feed.set_subtitle(Some(atom_syndication::Text::plain(description)));
            feed.set_id(itself.clone());
            feed.set_lang(Some(locale.as_str().to_owned()));
            feed.set_updated(Utc::now().fixed_offset());
            let mut site = atom_syndication::Person::default();
            site.set_name(site_name(locale));
            site.set_uri(Some(base.to_owned()));
            feed.set_authors(vec![site]);
            feed.set_links(vec![
                link(&itself, "self", FeedFormat::Atom.content_type()),
                link(&page, "alternate", "text/html"),
            ]);
            feed.set_entries(entries);
            feed.to_string()
        }
    })
}

/// An Atom link (also RSS's self link).
fn link(href: &str, rel: &str, mime_type: &str) -> atom_syndication::Link {
    let mut link = atom_syndication::Link::default();
    link.set_href(href);
    link.set_rel(rel);
    let mime_type = mime_type.split(';').next().unwrap_or(mime_type);
    link.set_mime_type(Some(mime_type.to_owned()));
    link
}

/// `text` for an HTML attribute's value or an element's text.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The first `max` characters of `text`, cut at a word, with an ellipsis when cut.
fn excerpt(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{cut}…")
}

/// schema.org's employment type of an offer.
fn employment_type(offer: &OfferView) -> &'static str {
    match (offer.kind, offer.contract) {
        (OfferKind::Internship, _) => "INTERN",
        (_, Some(Contract::Cdi)) => "FULL_TIME",
        (_, Some(Contract::Temporary | Contract::Cdd | Contract::Idmaj | Contract::Tahfiz)) => {
            "TEMPORARY"
        }
        (_, Some(Contract::Freelance)) => "CONTRACTOR",
        (_, Some(Contract::Apprenticeship)) => "INTERN",
        (OfferKind::Immersion, _) => "OTHER",
        (OfferKind::Job, None) => "OTHER",
    }
}

fn date(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%d").to_string()
}

/// The offer as schema.org's `JobPosting`.
pub fn job_posting(offer: &OfferView, url: &str) -> Value {
    let mut posting = json!({
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": offer.title,
        "description": offer.description_html,
        "datePosted": date(offer.posted_at),
        "validThrough": offer.expires_at.to_rfc3339(),
        "employmentType": employment_type(offer),
        "hiringOrganization": {"@type": "Organization", "name": offer.employer_name},
        "identifier": {"@type": "PropertyValue", "name": offer.employer_name, "value": offer.id.to_string()},
        "url": url,
        "directApply": offer.apply_in_platform,
    });
    // A gathered offer whose site names no employer: no organisation to name.
    if offer.employer_name.trim().is_empty()
        && let Some(fields) = posting.as_object_mut()
    {
        fields.remove("hiringOrganization");
        fields.remove("identifier");
    }
    if offer.commune_name_fr.is_some() || offer.region_name_fr.is_some() {
        posting["jobLocation"] = json!({
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": offer.commune_name_fr,
                "addressRegion": offer.region_name_fr,
                "addressCountry": "MA",
            }
        });
    }
    if offer.remote {
        posting["jobLocationType"] = json!("TELECOMMUTE");
        posting["applicantLocationRequirements"] = json!({"@type": "Country", "name": "MA"});
    }
    if offer.salary_min.is_some() || offer.salary_max.is_some() {
        posting["baseSalary"] = json!({
            "@type": "MonetaryAmount",
            "currency": "MAD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": offer.salary_min,
                "maxValue": offer.salary_max,
                "unitText": "MONTH",
            }
        });
    }
    if let Some(years) = offer.experience_years {
        posting["experienceRequirements"] = json!({
            "@type": "OccupationalExperienceRequirements",
            "monthsOfExperience": years * 12,
        });
    }
    posting
}

/// What the head of offer `id`'s page says to previews and search engines, in `locale`: its
/// title, a few lines of its description, its address, and its `JobPosting`. `None` for an
/// offer the public cannot read (the page then says so itself, once booted). A language the
/// link said (`asked`) stays in `og:url`, which previews fetch again.
pub async fn page_head(
    state: &AppState,
    id: i64,
    locale: Locale,
    asked: Option<Locale>,
) -> ApiResult<Option<String>> {
    let offer = match super::offers::get(state, None, id).await {
        Ok(offer) => offer,
        Err(ApiError::NotFound) => return Ok(None),
        Err(other) => return Err(other),
    };
    let base = state.settings.public_url.trim_end_matches('/');
    let url = format!("{base}/offers/{id}");
    let shared_url = match asked {
        Some(lang) => format!("{url}?lang={lang}"),
        None => url.clone(),
    };
    let place = place(
        locale,
        (&offer.commune_name_fr, &offer.commune_name_ar),
        (&offer.region_name_fr, &offer.region_name_ar),
    );
    let mut who = format!(
        "{} · {}",
        kind_name(locale, offer.kind),
        employer(locale, &offer.employer_name)
    );
    if !place.is_empty() {
        who = format!("{who} — {place}");
    }
    let description = format!("{who}. {}", excerpt(&offer.description_text, 200));
    let title = format!(
        "{} — {}",
        offer.title,
        employer(locale, &offer.employer_name)
    );
    // A JSON-LD block is data, never run; `<` written as its escape keeps it from closing the
    // element early.
    let posting = job_posting(&offer, &url)
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    let ended = offer.status != OfferStatus::Live;
    let mut head = format!(
        "<title>{title}</title>\n\
<meta name=\"description\" content=\"{description}\">\n\
<link rel=\"canonical\" href=\"{url}\">\n\
<meta property=\"og:type\" content=\"website\">\n\
<meta property=\"og:site_name\" content=\"{site}\">\n\
<meta property=\"og:locale\" content=\"{og_locale}\">\n\
<meta property=\"og:title\" content=\"{title}\">\n\
<meta property=\"og:description\" content=\"{description}\">\n\
<meta property=\"og:url\" content=\"{shared_url}\">\n\
<meta property=\"og:image\" content=\"{base}/icon512.png\">\n\
<meta name=\"twitter:card\" content=\"summary\">\n",
        title = escape(&title),
        description = escape(&description),
        url = escape(&url),
        shared_url = escape(&shared_url),
        base = escape(base),
        site = site_name(locale),
        og_locale = og_locale(locale),
    );
    if ended {
        head.push_str("<meta name=\"robots\" content=\"noindex\">\n");
    } else {
        head.push_str(&format!(
            "<script type=\"application/ld+json\">{posting}</script>\n"
        ));
    }
    Ok(Some(head))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_excerpt_is_cut_at_a_word() {
        assert_eq!(excerpt("Stage  de\nsix mois", 100), "Stage de six mois");
        assert_eq!(excerpt("Stage de six mois", 12), "Stage de…");
    }

    #[test]
    fn the_preview_speaks_the_readers_language() {
        assert_eq!(preferred_locale(None, None), Locale::Fr);
        assert_eq!(preferred_locale(Some(Locale::Ar), Some("en")), Locale::Ar);
        assert_eq!(preferred_locale(None, Some("en-US,en;q=0.9")), Locale::En);
        assert_eq!(
            preferred_locale(None, Some("de-DE, en;q=0.5, ar-MA;q=0.8")),
            Locale::Ar
        );
        assert_eq!(preferred_locale(None, Some("fr-FR,ar;q=1")), Locale::Fr);
        assert_eq!(preferred_locale(None, Some("ar;q=0, de")), Locale::Fr);
        assert_eq!(preferred_locale(None, Some("*")), Locale::Fr);
    }

    #[test]
    fn places_are_named_in_the_readers_language() {
        let names = |fr: &str, ar: &str| (Some(fr.to_owned()), Some(ar.to_owned()));
        let (cf, ca) = names("Tanger", "طنجة");
        let (rf, ra) = names("Tanger-Tétouan-Al Hoceïma", "طنجة تطوان الحسيمة");
        assert_eq!(
            place(Locale::En, (&cf, &ca), (&rf, &ra)),
            "Tanger, Tanger-Tétouan-Al Hoceïma"
        );
        assert_eq!(
            place(Locale::Ar, (&cf, &ca), (&rf, &ra)),
            "طنجة، طنجة تطوان الحسيمة"
        );
        assert_eq!(
            place(Locale::Ar, (&None, &None), (&rf, &None)),
            "Tanger-Tétouan-Al Hoceïma"
        );
    }

    #[test]
    fn attributes_cannot_be_broken_out_of() {
        assert_eq!(
            escape("\"><script>alert('x')</script>"),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
    }
}
