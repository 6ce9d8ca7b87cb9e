//! An event's attendance as a CSV file for its organisers: every registration in arrival order,
//! with its outcome and check-in time, in the organiser's language. The file opens as it is in
//! a spreadsheet (UTF-8 with a byte-order mark, so Arabic names survive; semicolons between
//! columns in French and Arabic, as spreadsheets set to those languages expect, commas in
//! English), and a name that a spreadsheet would take for a formula is written as text.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use shared::{Locale, RegistrationStatus};

use super::{in_morocco, organised, roster_entries};
use crate::auth::Caller;
use crate::entities::registration;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// The column titles and outcomes, in each language.
fn words(locale: Locale) -> ([&'static str; 6], fn(RegistrationStatus) -> &'static str) {
    match locale {
        Locale::Fr => (
            [
                "N°",
                "Nom",
                "Prénom",
                "Situation",
                "Pointé(e) à",
                "Inscrit(e) le",
            ],
            |s| match s {
                RegistrationStatus::Registered => "Inscrit(e)",
                RegistrationStatus::Waitlisted => "En liste d'attente",
                RegistrationStatus::Cancelled => "Inscription annulée",
                RegistrationStatus::Attended => "Présent(e)",
                RegistrationStatus::NoShow => "Absent(e)",
            },
        ),
        Locale::Ar => (
            [
                "رقم",
                "النسب",
                "الاسم",
                "الوضعية",
                "وقت تسجيل الحضور",
                "تاريخ التسجيل",
            ],
            |s| match s {
                RegistrationStatus::Registered => "مسجل(ة)",
                RegistrationStatus::Waitlisted => "في لائحة الانتظار",
                RegistrationStatus::Cancelled => "تسجيل ملغى",
                RegistrationStatus::Attended => "حاضر(ة)",
                RegistrationStatus::NoShow => "غائب(ة)",
            },
        ),
        Locale::En => (
            [
                "No.",
                "Last name",
                "First name",
                "Outcome",
                "Checked in at",
                "Registered on",
            ],
            |s| match s {
                RegistrationStatus::Registered => "Registered",
                RegistrationStatus::Waitlisted => "Waiting list",
                RegistrationStatus::Cancelled => "Cancelled",
                RegistrationStatus::Attended => "Attended",
                RegistrationStatus::NoShow => "Did not come",
            },
        ),
    }
}

/// A cell a spreadsheet will not run: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return is prefixed with an apostrophe (OWASP's advice for CSV files).
fn cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_owned()
    }
}

fn moment(at: DateTime<Utc>) -> String {
    in_morocco(at).format("%Y-%m-%d %H:%M").to_string()
}

/// The event's attendance sheet, for its organisers (others: as for `roster`).
pub async fn attendance_csv(
    state: &AppState,
    caller: &Caller,
    id: i64,
    locale: Option<Locale>,
) -> ApiResult<Vec<u8>> {
    organised(&state.db, caller, id).await?;
    let (titles, outcome) = words(locale.unwrap_or(Locale::Fr));
    let rows = registration::Entity::find()
        .filter(registration::Column::EventId.eq(id))
        .order_by_asc(registration::Column::Id)
        .all(&state.db)
        .await?;
    // Spreadsheets set to French or Arabic split on semicolons (their decimal mark is the comma).
    let delimiter = if locale == Some(Locale::En) {
        b','
    } else {
        b';'
    };
    let mut out = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    let internal = |e: csv::Error| ApiError::Internal(e.into());
    out.write_record(titles).map_err(internal)?;
    let mut n = 0;
    // The names read a thousand at a time: a query's parameters stay few on both databases.
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<registration::Model> = rows.by_ref().take(1000).collect();
        for entry in roster_entries(&state.db, chunk).await? {
            n += 1;
            let r = entry.registration;
            out.write_record([
                n.to_string(),
                cell(&entry.last_name),
                cell(&entry.first_name),
                outcome(r.status).to_owned(),
                r.checked_in_at.map(moment).unwrap_or_default(),
                moment(r.created_at),
            ])
            .map_err(internal)?;
        }
    }
    out.into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}
