//! Offers beyond the platform: an RSS 2.0 feed of any search (`GET /offers/feed.rss`, written
//! by the `rss` crate), and, for an offer's page, the head that a shared link's preview
//! (Open Graph: Facebook, LinkedIn, WhatsApp) and search engines (schema.org `JobPosting` in
//! JSON-LD) read, written by the server into the guide's shell before the web app boots.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use shared::dto::offers::OfferView;
use shared::{Contract, OfferKind, OfferStatus, SearchOrder};

use super::offer_search::{self, OfferSearchQuery};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How many offers a feed carries when the reader does not say.
const FEED_ITEMS: u64 = 50;

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

/// The feed of a search: its newest offers first (unless `order` says otherwise), at most
/// `limit` (50 by default), each linking to its page.
pub async fn feed(state: &AppState, mut query: OfferSearchQuery) -> ApiResult<String> {
    query.order.get_or_insert(SearchOrder::Date);
    query.limit.get_or_insert(FEED_ITEMS);
    let found = offer_search::search(state, &query).await?;
    let base = state.settings.public_url.trim_end_matches('/');
    let address = search_address(&query);
    let page = if address.is_empty() {
        format!("{base}/offers")
    } else {
        format!("{base}/offers?{address}")
    };
    let title = match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        Some(words) => format!("Centre de carrière — offres : {words}"),
        None => "Centre de carrière — offres".to_owned(),
    };
    let items: Vec<rss::Item> = found
        .items
        .iter()
        .map(|hit| {
            let link = format!("{base}/offers/{}", hit.id);
            let place = [hit.commune_name_fr.clone(), hit.region_name_fr.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(", ");
            let mut lines = vec![hit.employer_name.clone()];
            if !place.is_empty() {
                lines.push(place);
            }
            lines.push(hit.excerpt.clone());
            let mut item = rss::Item::default();
            item.set_title(hit.title.clone());
            item.set_link(link.clone());
            // Written as CDATA, which readers take for HTML: the text is escaped first.
            item.set_description(escape(&lines.join(" — ")));
            item.set_pub_date(hit.posted_at.to_rfc2822());
            let mut guid = rss::Guid::default();
            guid.set_value(link);
            guid.set_permalink(true);
            item.set_guid(guid);
            let mut category = rss::Category::default();
            category.set_name(hit.kind.as_str());
            item.set_categories(vec![category]);
            item
        })
        .collect();
    let mut itself = atom_syndication::Link::default();
    itself.set_href(format!(
        "{base}/api/v1/offers/feed.rss{}",
        if address.is_empty() {
            String::new()
        } else {
            format!("?{address}")
        }
    ));
    itself.set_rel("self");
    itself.set_mime_type(Some("application/rss+xml".to_owned()));
    let mut atom = rss::extension::atom::AtomExtension::default();
    atom.set_links(vec![itself]);
    let mut channel = rss::Channel::default();
    channel.set_title(title);
    channel.set_link(page);
    channel.set_description(format!(
        "Les offres d'emploi, de stage et d'immersion publiées sur la plateforme ({} en tout).",
        found.total
    ));
    channel.set_language("fr".to_owned());
    channel.set_ttl("15".to_owned());
    channel.set_last_build_date(Utc::now().to_rfc2822());
    channel.set_items(items);
    channel.set_atom_ext(atom);
    Ok(channel.to_string())
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

/// What the head of offer `id`'s page says to previews and search engines: its title, a few
/// lines of its description, its address, and its `JobPosting`. `None` for an offer the public
/// cannot read (the page then says so itself, once booted).
pub async fn page_head(state: &AppState, id: i64) -> ApiResult<Option<String>> {
    let offer = match super::offers::get(state, None, id).await {
        Ok(offer) => offer,
        Err(ApiError::NotFound) => return Ok(None),
        Err(other) => return Err(other),
    };
    let base = state.settings.public_url.trim_end_matches('/');
    let url = format!("{base}/offers/{id}");
    let place = [offer.commune_name_fr.clone(), offer.region_name_fr.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let who = if place.is_empty() {
        offer.employer_name.clone()
    } else {
        format!("{} — {place}", offer.employer_name)
    };
    let description = format!("{who}. {}", excerpt(&offer.description_text, 200));
    let title = format!("{} — {}", offer.title, offer.employer_name);
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
<meta property=\"og:site_name\" content=\"Centre de carrière\">\n\
<meta property=\"og:locale\" content=\"fr_MA\">\n\
<meta property=\"og:title\" content=\"{title}\">\n\
<meta property=\"og:description\" content=\"{description}\">\n\
<meta property=\"og:url\" content=\"{url}\">\n\
<meta property=\"og:image\" content=\"{base}/icon512.png\">\n\
<meta name=\"twitter:card\" content=\"summary\">\n",
        title = escape(&title),
        description = escape(&description),
        url = escape(&url),
        base = escape(base),
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
    fn attributes_cannot_be_broken_out_of() {
        assert_eq!(
            escape("\"><script>alert('x')</script>"),
            "&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"
        );
    }
}
