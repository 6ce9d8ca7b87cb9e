//! What a person does in the web app, in a real browser against the real server.

use std::time::Duration;

use anyhow::Context;

use e2e::{ADMIN_EMAIL, ADMIN_PASSWORD, Harness, journey, journey_with};

async fn register(h: &Harness, email: &str) -> anyhow::Result<()> {
    register_as(h, email, "youth").await
}

async fn register_as(h: &Harness, email: &str, role: &str) -> anyhow::Result<()> {
    h.open("/register").await?;
    h.choose("#role", role).await?;
    h.fill("#first_name", "Amina").await?;
    h.fill("#last_name", "El Idrissi").await?;
    h.fill("#email", email).await?;
    h.fill("#password", "tajine-au-citron-7").await?;
    h.find("form button[type=submit]").await?.click().await?;
    h.wait_text("h1", "Mon profil").await
}

#[tokio::test]
async fn on_a_phone_a_youth_confirms_her_address_forgets_her_password_and_sets_a_new_one() {
    journey("verify_and_reset_password", async |h: &Harness| {
        h.phone_size().await?;
        register(h, "nadia@example.ma").await?;
        h.wait_text("#address-unverified", "pas encore confirmée")
            .await?;
        let verify = h.mailed_link("nadia@example.ma", "verify-email").await?;
        h.open(&verify).await?;
        h.wait_text("#verified", "adresse e-mail est confirmée")
            .await?;
        h.check_accessibility().await?;
        h.open("/profile").await?;
        h.wait_text("#address-verified", "Adresse e-mail confirmée")
            .await?;
        h.menu("#logout").await?;
        h.wait_menu_text("Se connecter").await?;

        h.open("/login").await?;
        h.find("a[href='/forgot-password']").await?.click().await?;
        h.wait_text("h1", "Mot de passe oublié").await?;
        h.fill("#email", "pas-une-adresse").await?;
        h.find("#forgot-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#email-error", "adresse e-mail valide").await?;
        h.fill("#email", "nadia@example.ma").await?;
        h.find("#forgot-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#reset-sent", "30 minutes").await?;
        h.check_accessibility().await?;

        let reset = h.mailed_link("nadia@example.ma", "reset-password").await?;
        h.open(&reset).await?;
        h.wait_text("h1", "Choisir un nouveau mot de passe").await?;
        h.fill("#new_password", "court").await?;
        h.find("#reset-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#new_password-error", "au moins 10 caractères")
            .await?;
        h.fill("#new_password", "harira-et-chebakia-4").await?;
        h.find("#reset-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#reset-done", "Mot de passe changé").await?;
        h.check_accessibility().await?;

        // The link worked once (opened anew, from another page: the same address would only
        // move within the page).
        h.open("/login").await?;
        h.wait_text("h1", "Connexion").await?;
        h.open(&reset).await?;
        h.fill("#new_password", "encore-un-essai-55").await?;
        h.find("#reset-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("main .alert", "ne fonctionne plus").await?;

        login(h, "nadia@example.ma", "harira-et-chebakia-4").await?;
        h.wait_text("h1", "Mon profil").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_youth_registers_edits_her_profile_stays_signed_in_and_logs_out() {
    journey("register_profile_logout", async |h: &Harness| {
        h.open("/").await?;
        h.wait_text("h1", "Votre avenir professionnel").await?;
        h.check_accessibility().await?;
        register(h, "amina@example.ma").await?;
        h.check_accessibility().await?;

        h.fill("#city", "Fès").await?;
        h.fill("#phone", "06 12 34 56 78").await?;
        h.find("#profile-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#profile-form .success", "Modifications enregistrées")
            .await?;

        // A reload loses the in-memory access token; the HttpOnly cookie brings the session back.
        h.driver.refresh().await?;
        h.wait_text("h1", "Mon profil").await?;
        let city = h
            .find("#city")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(city == "Fès", "city after reload: {city:?}");
        let phone = h
            .find("#phone")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(phone == "+212612345678", "phone after reload: {phone:?}");

        h.menu("#logout").await?;
        h.wait_menu_text("Se connecter").await?;
        h.open("/profile").await?;
        h.wait_text("main", "Connectez-vous pour voir cette page")
            .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn switching_to_arabic_mirrors_the_page_and_is_remembered() {
    journey("arabic", async |h: &Harness| {
        h.open("/").await?;
        h.wait_text("h1", "Votre avenir").await?;
        h.choose("#language", "ar").await?;
        h.wait_text("h1", "مستقبلك المهني يبدأ هنا").await?;
        anyhow::ensure!(
            h.attribute("html", "dir").await?.as_deref() == Some("rtl"),
            "html is not rtl"
        );
        anyhow::ensure!(
            h.attribute("html", "lang").await?.as_deref() == Some("ar"),
            "html lang is not ar"
        );
        h.check_accessibility().await?;
        // Before the app arrives, the loading shell already speaks Arabic, right to left.
        h.devtools("Network.enable", serde_json::json!({})).await?;
        h.devtools(
            "Network.setBlockedURLs",
            serde_json::json!({"urls": ["*.wasm"]}),
        )
        .await?;
        h.driver.refresh().await?;
        h.wait_text("#shell .loading", "جارٍ التحميل").await?;
        anyhow::ensure!(
            h.attribute("html", "dir").await?.as_deref() == Some("rtl"),
            "the shell is not rtl"
        );
        h.devtools("Network.setBlockedURLs", serde_json::json!({"urls": []}))
            .await?;
        h.driver.refresh().await?;
        h.wait_menu_text("المراكز").await?;
        anyhow::ensure!(
            h.attribute("html", "dir").await?.as_deref() == Some("rtl"),
            "rtl lost on reload"
        );
        h.wait_gone("#shell").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_deep_link_opens_the_page_directly() {
    journey("deep_link", async |h: &Harness| {
        h.open("/centers").await?;
        h.wait_text("main", "Université Abdelmalek Essaadi").await?;
        h.check_accessibility().await?;
        h.open("/no/such/page").await?;
        h.wait_text("h1", "Page introuvable").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn on_a_phone_a_youth_finds_a_trade_in_arabic_its_sectors_a_center_near_her_and_starts_over()
{
    journey("guide", async |h: &Harness| {
        h.phone_size().await?;
        // From the youth's app to the guide: a page of another bundle, loaded in full.
        h.open("/").await?;
        h.menu("header a[href='/occupations']").await?;
        h.wait_text("h1", "Les métiers").await?;
        // Searched in Arabic from the French interface: the titles are in three languages.
        h.fill("#q", "ممرض").await?;
        h.find("form[role='search'] button[type='submit']")
            .await?
            .click()
            .await?;
        h.wait_text("#occupation-list", "Infirmiers diplômés")
            .await?;
        anyhow::ensure!(
            h.eval("return location.search")
                .await?
                .as_str()
                .is_some_and(|s| s.contains("q=")),
            "the search is not in the address"
        );
        h.check_accessibility().await?;
        h.find("#occupation-list a[href='/occupations/2221']")
            .await?
            .click()
            .await?;
        h.wait_text("h1", "Infirmiers diplômés").await?;
        h.wait_text("#education", "Master ou plus").await?;
        h.wait_text(".profile-bars", "Social").await?;
        h.check_accessibility().await?;
        h.find("#occupation-sectors a").await?.click().await?;
        h.wait_text("main", "Métiers du secteur").await?;
        // Centers of one region, chosen in a list and kept in the address.
        h.open("/centers").await?;
        h.wait_text("#center-list", "Université Abdelmalek Essaadi")
            .await?;
        h.find("#region option[value='01']").await?;
        h.choose("#region", "01").await?;
        // The filtered list: the region's center only (the seed's others are elsewhere).
        let started = std::time::Instant::now();
        loop {
            let shown = h
                .eval("const l = document.querySelectorAll('#center-list li'); return [location.search, l.length, document.getElementById('center-list')?.textContent || '']")
                .await?;
            if shown[0] == "?region=01"
                && shown[1] == 1
                && shown[2].as_str().is_some_and(|t| t.contains("Abdelmalek Essaadi"))
            {
                break;
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(10),
                "centers of region 01: {shown}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        h.find("#center-list h2 a").await?.click().await?;
        h.wait_text("#site-list", "Larache").await?;
        h.check_accessibility().await?;
        // Back in the youth's app: three answers, then the inventory started over.
        register(h, "salma@example.ma").await?;
        h.open("/orientation/inventory").await?;
        // Five answers: the server keeps a copy too (it is sent every five). That save is
        // held on its way, as on a slow network, and the inventory is started over meanwhile:
        // the deletion must reach the server after the save, not before it, or the save would
        // bring the five answers back.
        h.eval(HOLD_DRAFT_SAVES).await?;
        answer_items(h, 0, 5).await?;
        h.wait_text("#progress-text", "5 réponses sur 60").await?;
        h.find("#start-over").await?.click().await?;
        h.find("#start-over-yes").await?.click().await?;
        // A deletion that did not wait is asked for at once; give it a second to show, then
        // let the save go.
        let started = std::time::Instant::now();
        while started.elapsed() < Duration::from_secs(1) {
            let calls = h.eval("return window.ccDraftCalls.join(', ')").await?;
            if calls.as_str().is_some_and(|c| c.contains("DELETE")) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        h.eval("window.ccReleaseSave()").await?;
        h.wait_text("#progress-text", "0 réponses sur 60").await?;
        h.wait_text("#item legend", "1 / 60").await?;
        let started = std::time::Instant::now();
        let calls = loop {
            let calls = h.eval("return window.ccDraftCalls.join(', ')").await?;
            if calls.as_str().is_some_and(|c| c.contains("PUT done") && c.contains("DELETE done")) {
                break calls;
            }
            anyhow::ensure!(
                started.elapsed() < Duration::from_secs(10),
                "the draft's save and deletion did not both end: {calls}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        anyhow::ensure!(
            calls == "PUT asked, PUT done, DELETE asked, DELETE done",
            "the deletion did not wait for the save on its way: {calls}"
        );
        // Gone on the server too: a reload does not bring them back.
        h.open("/orientation/inventory").await?;
        h.wait_text("#progress-text", "0 réponses sur 60").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn invalid_input_shows_the_error_beside_the_field_in_the_chosen_language() {
    journey("field_errors", async |h: &Harness| {
        h.open("/register").await?;
        h.fill("#first_name", "Yassine").await?;
        h.fill("#last_name", "Tazi").await?;
        h.fill("#email", "pas-une-adresse").await?;
        h.fill("#password", "court").await?;
        h.find("form button[type=submit]").await?.click().await?;
        h.wait_text("#email-error", "Saisissez une adresse e-mail valide")
            .await?;
        h.wait_text("#password-error", "au moins 10 caractères")
            .await?;
        anyhow::ensure!(h.attribute("#email", "aria-invalid").await?.as_deref() == Some("true"));
        h.check_accessibility().await?;

        // The server's refusal (a taken address) lands beside its field too, in English here.
        register(h, "taken@example.ma").await?;
        h.menu("#logout").await?;
        h.wait_menu_text("Se connecter").await?;
        h.open("/register").await?;
        h.choose("#language", "en").await?;
        h.wait_text("h1", "Create an account").await?;
        h.fill("#first_name", "Amina").await?;
        h.fill("#last_name", "Again").await?;
        h.fill("#email", "taken@example.ma").await?;
        h.fill("#password", "tajine-au-citron-7").await?;
        h.find("form button[type=submit]").await?.click().await?;
        h.wait_text(
            "#email-error",
            "An account already uses this e-mail address",
        )
        .await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_api_docs_render_with_the_network_closed() {
    journey("swagger", async |h: &Harness| {
        h.open("/docs/").await?;
        h.find(".swagger-ui .opblock").await?;
        h.wait_text(".swagger-ui", "/api/v1/auth/login").await?;
        Ok(())
    })
    .await;
}

/// Holds every save of the inventory's draft (`PUT /me/orientation/draft`) in the page until
/// the test calls `window.ccReleaseSave()`, as a slow network would, and notes in
/// `window.ccDraftCalls` when each write of the draft is asked for and when its answer is back.
const HOLD_DRAFT_SAVES: &str = r#"
const send = window.fetch.bind(window);
let held = Promise.withResolvers();
window.ccReleaseSave = () => held.resolve();
window.ccDraftCalls = [];
window.fetch = async (input, init) => {
  const method = ((init && init.method) || (input instanceof Request ? input.method : "GET")).toUpperCase();
  const url = input instanceof Request ? input.url : String(input);
  if (method === "GET" || !url.endsWith("/me/orientation/draft")) return send(input, init);
  window.ccDraftCalls.push(method + " asked");
  if (method === "PUT") await held.promise;
  try { return await send(input, init); } finally { window.ccDraftCalls.push(method + " done"); }
};
"#;

async fn login(h: &Harness, email: &str, password: &str) -> anyhow::Result<()> {
    h.open("/login").await?;
    h.fill("#email", email).await?;
    h.fill("#password", password).await?;
    h.find("form button[type=submit]").await?.click().await?;
    h.wait_text("h1", "Mon profil").await
}

async fn logout(h: &Harness) -> anyhow::Result<()> {
    h.menu("#logout").await?;
    h.wait_menu_text("Se connecter").await
}

#[tokio::test]
async fn an_admin_verifies_an_organisation_whose_partner_then_creates_a_key_seen_once() {
    journey("organisation_keys", async |h: &Harness| {
        register_as(h, "contact@agence-souss.ma", "partner").await?;
        h.menu("header a[href='/organizations']").await?;
        h.wait_text("h1", "Mes organisations").await?;
        h.fill("#name", "Agence Souss Emploi").await?;
        h.fill("#city", "Agadir").await?;
        h.find("#organization-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("main .cards", "Agence Souss Emploi").await?;
        h.wait_text("main .cards", "En attente de vérification")
            .await?;
        h.check_accessibility().await?;
        logout(h).await?;

        login(h, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        h.menu("header a[href='/admin/users']").await?;
        h.find("#admin-orgs-tab").await?.click().await?;
        h.wait_text("main .cards", "Agence Souss Emploi").await?;
        h.check_accessibility().await?;
        h.find("main .cards button.verify").await?.click().await?;
        h.wait_text("main", "Aucune organisation à afficher")
            .await?;
        h.menu("header a[href='/admin/users']").await?;
        h.wait_text("table", "contact@agence-souss.ma").await?;
        h.check_accessibility().await?;
        logout(h).await?;

        login(h, "contact@agence-souss.ma", "tajine-au-citron-7").await?;
        h.menu("header a[href='/organizations']").await?;
        h.find("main .cards a").await?.click().await?;
        h.wait_text("main", "Vérifiée").await?;
        h.fill("#name", "Export ATS").await?;
        h.find("#api-key-form button[type=submit]")
            .await?
            .click()
            .await?;
        let secret = h.find("#new-secret").await?.text().await?;
        anyhow::ensure!(
            secret.starts_with("cc_") && secret.len() > 40,
            "secret shown: {secret:?}"
        );
        h.wait_text("#api-keys", &secret[..11]).await?;
        h.check_accessibility().await?;

        // Shown once: after a reload only the prefix remains.
        h.driver.refresh().await?;
        h.wait_text("#api-keys", "Export ATS").await?;
        let page = h.find("main").await?.text().await?;
        anyhow::ensure!(!page.contains(&secret), "the secret is shown again");
        h.find("#api-keys button").await?.click().await?;
        h.wait_text("#api-keys", "Révoquée").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_admin_attaches_a_youth_to_a_center_and_makes_her_a_counselor() {
    journey("admin_users", async |h: &Harness| {
        register(h, "salma@example.ma").await?;
        logout(h).await?;
        login(h, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        h.open("/admin/users").await?;
        h.wait_text("table", "salma@example.ma").await?;
        let id = h
            .driver
            .execute(
                "return [...document.querySelectorAll('tbody tr')].find(r => r.textContent.includes('salma@example.ma')).querySelector('select[id^=role-]').id.slice(5);",
                Vec::new(),
            )
            .await?
            .json()
            .as_str()
            .unwrap_or_default()
            .to_owned();

        // A counselor needs a center: the refusal is shown, translated.
        h.choose(&format!("#role-{id}"), "counselor").await?;
        h.wait_text("main .alert", "Un conseiller doit être rattaché à un centre").await?;

        let center = h
            .find(&format!("#center-{id} option:nth-child(2)"))
            .await?
            .attr("value")
            .await?
            .unwrap_or_default();
        h.choose(&format!("#center-{id}"), &center).await?;
        // Saving the center redraws the table; a choice made on a row that is being replaced is
        // lost (the event leaves a detached element), as it would be for a person, who then
        // picks again. So pick the role until the redrawn row shows it, for ten seconds at most.
        let started = std::time::Instant::now();
        'pick: loop {
            h.choose(&format!("#role-{id}"), "counselor").await?;
            let picked = std::time::Instant::now();
            while picked.elapsed().as_millis() < 1500 {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let role = h.find(&format!("#role-{id}")).await?.prop("value").await?.unwrap_or_default();
                let alerts = h.driver.find_all(thirtyfour::By::Css("main .alert")).await?.len();
                if role == "counselor" && alerts == 0 {
                    break 'pick;
                }
            }
            anyhow::ensure!(started.elapsed().as_secs() < 10, "the role never became counselor");
        }
        // And the server agrees: a reload shows it.
        h.driver.refresh().await?;
        h.wait_text("table", "salma@example.ma").await?;
        let role = h.find(&format!("#role-{id}")).await?.prop("value").await?.unwrap_or_default();
        anyhow::ensure!(role == "counselor", "after reload the role is {role:?}");
        h.check_accessibility().await?;
        Ok(())
    })
    .await;
}

/// Answers the inventory's current screens until `answered` reach `until`: social activities
/// "strongly like", enterprising "like", artistic "not sure", the rest "dislike", so the code is
/// SEA. Every third answer is given with the keyboard (keys 1–5), the others with the buttons.
async fn answer_items(h: &Harness, from: usize, until: usize) -> anyhow::Result<()> {
    for n in from..until {
        h.wait_text("#item legend", &format!("{} / 60", n + 1))
            .await?;
        let id = h
            .attribute("#item-text", "data-item")
            .await?
            .unwrap_or_default();
        let value = match id.chars().next() {
            Some('s') => 4,
            Some('e') => 3,
            Some('a') => 2,
            _ => 1,
        };
        if n % 3 == 0 {
            h.find("body")
                .await?
                .send_keys((value + 1).to_string())
                .await?;
        } else {
            h.find(&format!("#item .answer[data-value='{value}']"))
                .await?
                .click()
                .await?;
        }
    }
    Ok(())
}

#[tokio::test]
async fn a_youth_takes_the_inventory_in_arabic_leaves_halfway_comes_back_and_reads_her_results() {
    journey("inventory_arabic", async |h: &Harness| {
        register(h, "salma@example.ma").await?;
        h.choose("#language", "ar").await?;
        h.wait_menu_text("التوجيه").await?;
        h.menu("header a[href='/orientation']").await?;
        h.wait_text("h1", "حصيلة التوجيه").await?;
        h.wait_text("main", "ليست لديك حصيلة بعد").await?;
        h.find("#start-inventory").await?.click().await?;
        h.wait_text("#progress-text", "0 من 60").await?;
        h.check_accessibility().await?;
        answer_items(h, 0, 30).await?;
        h.wait_text("#progress-text", "30 من 60").await?;

        // Leave halfway; come back on a browser that kept nothing: the server has the draft.
        h.find("#finish-later").await?.click().await?;
        h.wait_text("h1", "حصيلة التوجيه").await?;
        h.driver
            .execute("window.localStorage.removeItem(Object.keys(window.localStorage).find(k => k.startsWith('cc.inventory.')) || '')", Vec::new())
            .await?;
        h.open("/orientation/inventory").await?;
        h.wait_text("#progress-text", "30 من 60").await?;
        answer_items(h, 30, 60).await?;
        h.wait_text("#inventory-done", "لقد أجبت عن كل الأنشطة").await?;
        h.find("#submit-inventory").await?.click().await?;

        h.wait_text("h1", "ملف اهتماماتك").await?;
        h.wait_text("#holland-code", "SEA").await?;
        h.find("#hexagon polygon.profile").await?;
        h.wait_text("#occupations", "اهتماماتك الأقوى").await?;
        h.wait_text("#sectors h2", "القطاعات الواعدة").await?;
        h.wait_text("#plan", "لا توجد خطة عمل بعد").await?;
        anyhow::ensure!(
            h.attribute("html", "dir").await?.as_deref() == Some("rtl"),
            "html is not rtl"
        );
        // Latin codes (a Holland code, an ISCO number) inside Arabic text are isolated, so
        // they keep their order in a right-to-left line.
        let loose = h
            .eval(
                "return [...document.querySelectorAll('main *')].filter(e => e.children.length === 0 \
                   && /^([A-Z]{3}|[0-9]{4})$/.test(e.textContent.trim()) && !e.closest('bdi') \
                   && !e.closest('svg')).map(e => e.outerHTML)",
            )
            .await?;
        anyhow::ensure!(loose == serde_json::json!([]), "codes not isolated: {loose}");
        h.check_accessibility().await?;

        // The history lists it.
        h.menu("header a[href='/orientation']").await?;
        h.wait_text("#results", "SEA").await?;
        Ok(())
    })
    .await;
}

/// Access tokens that live one second (plus the server's five seconds of leeway): a journey
/// sees them expire by waiting `EXPIRED`.
const SHORT_TOKENS: &[(&str, &str)] = &[("ACCESS_TOKEN_SECONDS", "1")];
const EXPIRED: Duration = Duration::from_secs(7);

#[tokio::test]
async fn on_a_phone_a_session_outlives_an_expired_token_a_network_cut_and_its_own_end() {
    journey_with("session_survives", SHORT_TOKENS, async |h: &Harness| {
        h.phone_size().await?;
        register(h, "nadia@example.ma").await?;

        // The access token expires: the next call renews it silently.
        tokio::time::sleep(EXPIRED).await;
        h.menu("header a[href='/orientation']").await?;
        h.wait_text("main", "Vous n'avez pas encore de bilan")
            .await?;

        // Expired again, and the renewal cannot reach the server: the page says the network
        // failed and offers to try again; the user is still signed in.
        tokio::time::sleep(EXPIRED).await;
        h.devtools("Network.enable", serde_json::json!({})).await?;
        h.devtools(
            "Network.setBlockedURLs",
            serde_json::json!({"urls": ["*/api/v1/auth/refresh"]}),
        )
        .await?;
        h.menu("header a[href='/profile']").await?;
        h.menu("header a[href='/orientation']").await?;
        h.wait_text(".offline", "Pas de connexion au serveur")
            .await?;
        h.find("#logout").await?;
        h.devtools("Network.setBlockedURLs", serde_json::json!({"urls": []}))
            .await?;
        h.find(".offline button.retry").await?.click().await?;
        h.wait_text("main", "Vous n'avez pas encore de bilan")
            .await?;

        // The whole network goes: the page says so (and that the device is offline), never
        // "not found"; the user stays signed in, and the list comes once it is back.
        h.offline(true).await?;
        h.menu("header a[href='/profile']").await?;
        h.menu("header a[href='/orientation']").await?;
        h.wait_text(".offline", "Pas de connexion au serveur")
            .await?;
        h.wait_text("#offline-notice", "Vous êtes hors ligne")
            .await?;
        h.find("#logout").await?;
        h.offline(false).await?;
        h.wait_gone("#offline-notice").await?;
        h.find(".offline button.retry").await?.click().await?;
        h.wait_text("main", "Vous n'avez pas encore de bilan")
            .await?;

        // The session itself ends (its cookie is gone) while a form is being filled: the page
        // stays, asks for the password, and keeps what was typed.
        h.menu("header a[href='/profile']").await?;
        h.fill("#city", "Agadir").await?;
        h.devtools("Network.clearBrowserCookies", serde_json::json!({}))
            .await?;
        tokio::time::sleep(EXPIRED).await;
        h.find("#profile-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#session-ended", "Votre session a pris fin")
            .await?;
        let focused = h.eval("return document.activeElement.id").await?;
        anyhow::ensure!(focused == "session-password", "focus on {focused}");
        h.check_accessibility().await?;
        h.fill("#session-password", "tajine-au-citron-7").await?;
        h.find("#session-ended button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_gone("#session-ended").await?;
        let city = h
            .find("#city")
            .await?
            .prop("value")
            .await?
            .unwrap_or_default();
        anyhow::ensure!(city == "Agadir", "city after signing in again: {city:?}");
        h.find("#profile-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#profile-form .success", "Modifications enregistrées")
            .await?;

        // A second tab shares the session; signing out there signs this tab out too.
        let first = h.driver.window().await?;
        let second = h.driver.new_tab().await?;
        h.driver.switch_to_window(second).await?;
        h.open("/profile").await?;
        h.wait_text("h1", "Mon profil").await?;
        h.find("#first_name").await?;
        h.menu("#logout").await?;
        h.wait_menu_text("Se connecter").await?;
        h.driver.switch_to_window(first).await?;
        h.wait_menu_text("Se connecter").await?;
        h.wait_text("main", "Connectez-vous pour voir cette page")
            .await?;

        // Signing in from a page comes back to it.
        h.open("/orientation").await?;
        h.find("main a[href^='/login?next=']")
            .await?
            .click()
            .await?;
        h.fill("#email", "nadia@example.ma").await?;
        h.fill("#password", "tajine-au-citron-7").await?;
        h.find("form button[type=submit]").await?.click().await?;
        h.wait_text("h1", "Bilan d'orientation").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn on_a_phone_with_an_azerty_keyboard_a_youth_answers_focus_follows_and_one_result_is_made() {
    journey("inventory_keyboard", async |h: &Harness| {
        h.phone_size().await?;
        register(h, "yasmine@example.ma").await?;
        h.open("/orientation/inventory").await?;
        for n in 0..60 {
            h.wait_text("#progress-text", &format!("{n} réponses sur 60"))
                .await?;
            let answered = h
                .attribute("#item-text", "data-item")
                .await?
                .unwrap_or_default();
            // The digit row of a French keyboard types "&", "é", "\"", "'" and "(" without
            // Shift: the answer is the key's place, not its character.
            let (key, code) = [
                ("&", "Digit1"),
                ("é", "Digit2"),
                ("\"", "Digit3"),
                ("'", "Digit4"),
                ("(", "Digit5"),
            ][n % 5];
            for kind in ["keyDown", "keyUp"] {
                let text = if kind == "keyDown" { key } else { "" };
                h.devtools(
                    "Input.dispatchKeyEvent",
                    serde_json::json!({"type": kind, "key": key, "code": code, "text": text}),
                )
                .await?;
            }
            // The next question (or the end) has the focus, for the keyboard and screen
            // readers: the element showing the new item, not the one just answered.
            let started = std::time::Instant::now();
            loop {
                let focused = h
                    .eval("const e = document.activeElement; return [e.id, e.dataset.item || '']")
                    .await?;
                let moved = if n < 59 {
                    focused[0] == "item-text" && focused[1] != answered.as_str()
                } else {
                    focused[0] == "inventory-done"
                };
                if moved {
                    break;
                }
                anyhow::ensure!(
                    started.elapsed() < Duration::from_secs(5),
                    "after answer {}: focus on {focused}",
                    n + 1
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        h.wait_text("#inventory-done", "Vous avez répondu à toutes les activités").await?;
        // A double tap on a slow network makes one result.
        h.eval("const b = document.getElementById('submit-inventory'); b.click(); b.click(); return true")
            .await?;
        h.wait_text("h1", "Votre profil d'intérêts").await?;
        h.menu("header a[href='/orientation']").await?;
        h.find("#results tbody tr").await?;
        let rows = h.eval("return document.querySelectorAll('#results tbody tr').length").await?;
        anyhow::ensure!(rows == 1, "{rows} results after a double tap");
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn after_a_first_visit_the_inventory_opens_offline_and_its_answers_reach_the_server_later() {
    journey("offline_inventory", async |h: &Harness| {
        h.phone_size().await?;
        register(h, "leila@example.ma").await?;
        h.open("/orientation/inventory").await?;
        h.wait_text("#progress-text", "0 réponses sur 60").await?;
        // The service worker takes the page over, and keeps the app and the inventory.
        let started = std::time::Instant::now();
        while h
            .eval("return !!(navigator.serviceWorker && navigator.serviceWorker.controller)")
            .await?
            != serde_json::json!(true)
        {
            anyhow::ensure!(started.elapsed() < Duration::from_secs(10), "no service worker");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        h.driver.refresh().await?;
        answer_items(h, 0, 3).await?;

        // The network goes (the server is gone for the browser and its worker alike), and
        // the app is opened again: from the worker's cache, signed in as on this device.
        h.stop_server();
        h.offline(true).await?;
        h.driver.refresh().await?;
        h.wait_text("#offline-notice", "Vous êtes hors ligne").await?;
        h.wait_text("#progress-text", "3 réponses sur 60").await?;
        answer_items(h, 3, 7).await?;
        h.wait_text("#progress-text", "7 réponses sur 60").await?;

        // The network returns: the answers go to the server without a word from her.
        h.start_server()?;
        h.offline(false).await?;
        h.wait_gone("#offline-notice").await?;
        h.wait_text("main", "Vos réponses sont enregistrées").await?;
        // This device forgets its copy; the server's draft has the seven answers.
        h.eval("Object.keys(localStorage).filter(k => k.startsWith('cc.inventory.')).forEach(k => localStorage.removeItem(k)); return true")
            .await?;
        h.driver.refresh().await?;
        h.wait_text("#progress-text", "7 réponses sur 60").await?;
        Ok(())
    })
    .await;
}

/// Publishes, as the admin and through the API, an event of `kind` of Marrakech's university
/// center starting `minutes` from now with `seats`; returns its id.
async fn publish_event(h: &Harness, kind: &str, seats: u32, minutes: u32) -> anyhow::Result<i64> {
    let script = format!(
        r#"return (async () => {{
            const json = {{"content-type": "application/json"}};
            const login = await fetch("/api/v1/auth/login", {{method: "POST", headers: json,
                body: JSON.stringify({{email: "{ADMIN_EMAIL}", password: "{ADMIN_PASSWORD}"}})}}).then(r => r.json());
            const auth = {{...json, authorization: "Bearer " + login.access_token}};
            const centers = await fetch("/api/v1/centers?limit=100").then(r => r.json());
            const center = centers.items.find(c => c.host_institution === "Université Cadi Ayyad");
            const start = new Date(Date.now() + {minutes} * 60e3);
            const end = new Date(start.getTime() + 2 * 3600e3);
            const event = await fetch("/api/v1/events", {{method: "POST", headers: auth, body: JSON.stringify({{
                kind: "{kind}", center_id: center.id, capacity: {seats},
                title: {{fr: "Réussir son CV", ar: "إعداد السيرة الذاتية"}},
                description: {{fr: "Deux heures pour un CV qui se lit en trente secondes.", ar: "ساعتان لسيرة ذاتية تُقرأ في ثلاثين ثانية."}},
                starts_at: start.toISOString(), ends_at: end.toISOString()}})}}).then(r => r.json());
            const published = await fetch("/api/v1/events/" + event.id + "/publication", {{method: "POST", headers: auth}});
            return published.ok ? event.id : null;
        }})()"#
    );
    h.eval(&script)
        .await?
        .as_i64()
        .context("the workshop was not created and published")
}

#[tokio::test]
async fn on_a_phone_a_youth_finds_a_workshop_in_arabic_and_takes_the_last_seat() {
    journey("events", async |h: &Harness| {
        h.phone_size().await?;
        h.open("/").await?;
        let id = publish_event(h, "workshop", 1, 3 * 24 * 60).await?;
        register(h, "nora@example.ma").await?;
        h.choose("#language", "ar").await?;
        h.wait_text("h1", "ملفي").await?;
        // The events are a page of the guide: from the youth's app, a page load of its own.
        h.menu("header a[href='/events']").await?;
        h.wait_text("h1", "الورشات والأنشطة").await?;
        h.wait_text("#event-list", "إعداد السيرة الذاتية").await?;
        h.wait_text("#event-list", "المقاعد الشاغرة: 1").await?;
        // Filters kept in the address: online only hides it, its day shows it again.
        h.choose("#online", "true").await?;
        h.wait_gone(&format!("#event-list a[href='/events/{id}']"))
            .await?;
        let day = h
            .eval("return new Date(Date.now() + 3 * 864e5).toISOString().slice(0, 10)")
            .await?;
        let day = day.as_str().unwrap_or_default().to_owned();
        h.choose("#online", "").await?;
        h.choose("#from", &day).await?;
        h.choose("#to", &day).await?;
        h.find(&format!("#event-list a[href='/events/{id}']"))
            .await?;
        let address = h.eval("return location.search").await?;
        anyhow::ensure!(
            address == serde_json::json!(format!("?from={day}&to={day}")),
            "the address keeps {address}"
        );
        h.check_accessibility().await?;
        h.find(&format!("#event-list a[href='/events/{id}']"))
            .await?
            .click()
            .await?;
        h.wait_text("h1", "إعداد السيرة الذاتية").await?;
        h.wait_text(".description", "ساعتان").await?;
        h.check_accessibility().await?;
        h.find("#register").await?.click().await?;
        h.wait_text("#my-registration", "أنت مسجل(ة)").await?;
        h.wait_text("#seats", "مكتمل").await?;
        // Her entry ticket: the QR code, and the code written out for a counselor to type.
        h.wait_text("#ticket", "رمز الدخول").await?;
        h.find("#ticket .qr svg").await?;
        let code = h.find("#ticket .code").await?.text().await?;
        anyhow::ensure!(
            code.replace(' ', "").len() == 10,
            "the ticket's code reads {code:?}"
        );
        h.check_accessibility().await?;
        // The server has it: after a reload, still hers, and the button gives it back.
        h.driver.refresh().await?;
        h.wait_text("#my-registration", "أنت مسجل(ة)").await?;
        h.find("#unregister").await?.click().await?;
        h.wait_text("#my-registration", "أُلغي تسجيلك").await?;
        h.wait_text("#seats", "المقاعد الشاغرة: 1").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn on_a_phone_a_counselor_checks_a_youth_in_with_her_ticket_code() {
    journey("check_in", async |h: &Harness| {
        h.phone_size().await?;
        h.open("/").await?;
        // Half an hour ahead: the doors (check-in) open an hour before the start.
        let id = publish_event(h, "soft_skills_training", 5, 30).await?;
        // A counselor of the workshop's center: an account the admin gives the role to.
        make_counselor(h, "karima@example.ma", "Karima").await?;

        // The youth takes a seat and reads her ticket's code.
        register(h, "nora@example.ma").await?;
        h.open(&format!("/events/{id}")).await?;
        h.find("#register").await?.click().await?;
        h.wait_text("#my-registration", "Vous êtes inscrit").await?;
        let code = h.find("#ticket .code").await?.text().await?;
        logout(h).await?;

        // At the door, on the counselor's phone: her events, this one, the code typed.
        login(h, "karima@example.ma", "tajine-au-citron-7").await?;
        h.menu("header a[href='/manage/events']").await?;
        h.wait_text("#organised-events", "Réussir son CV").await?;
        h.check_accessibility().await?;
        h.find(&format!("#organised-events a[href='/manage/events/{id}']"))
            .await?
            .click()
            .await?;
        h.wait_text("#roster", "Amina El Idrissi").await?;
        h.wait_text("#roster", "Inscrit").await?;
        h.check_accessibility().await?;
        h.fill("#code", &code.to_lowercase()).await?;
        h.find("#checkin-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#checked-in", "Amina El Idrissi").await?;
        h.wait_text("#roster", "Présent").await?;
        let focused = h.eval("return document.activeElement.id").await?;
        anyhow::ensure!(
            focused == "code",
            "after a check-in the focus is on {focused}"
        );
        // A code of no registration here is refused beside the field.
        h.fill("#code", "ZZZZZ ZZZZZ").await?;
        h.find("#checkin-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#code-error", "aucune inscription").await?;
        h.check_accessibility().await?;
        // On a phone whose browser reads QR codes, the camera does it: here a camera that films
        // a blank square and a detector that reads her ticket from it, put in before the app
        // loads. A second check-in of the same youth answers the same.
        h.devtools(
            "Page.addScriptToEvaluateOnNewDocument",
            serde_json::json!({"source": FAKE_CAMERA}),
        )
        .await?;
        h.open(&format!("/manage/events/{id}")).await?;
        h.wait_text("#roster", "Présent").await?;
        h.eval(&format!("window.ticket = {:?}; return true", code))
            .await?;
        h.find("#scan").await?.click().await?;
        h.wait_text("#checked-in", "Amina El Idrissi").await?;
        h.find("#scan").await?;
        let asked = h
            .eval("return window.asked && window.asked.video.facingMode")
            .await?;
        anyhow::ensure!(
            asked == serde_json::json!("environment"),
            "the camera asked for was {asked}"
        );
        let stopped = h.eval("return window.stopped === true").await?;
        anyhow::ensure!(stopped == serde_json::json!(true), "the camera was left on");
        h.check_accessibility().await?;
        // The attendance sheet, as the file the browser is handed.
        h.eval(
            r#"window.sheet = null; const make = URL.createObjectURL;
               URL.createObjectURL = b => { b.text().then(t => window.sheet = t); return make(b); };
               return true"#,
        )
        .await?;
        h.find("#attendance-export").await?.click().await?;
        let mut sheet = serde_json::Value::Null;
        for _ in 0..50 {
            sheet = h.eval("return window.sheet").await?;
            if !sheet.is_null() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let sheet = sheet.as_str().unwrap_or_default();
        anyhow::ensure!(
            sheet.contains("Nom;Prénom") && sheet.contains("El Idrissi;Amina;Présent(e)"),
            "the attendance sheet reads {sheet:?}"
        );
        logout(h).await?;

        // She sees that she came, in her registrations and on the event's page.
        login(h, "nora@example.ma", "tajine-au-citron-7").await?;
        h.menu("header a[href='/events/mine']").await?;
        h.wait_text("#my-events", "Réussir son CV").await?;
        h.wait_text("#my-events", "Vous avez participé").await?;
        h.check_accessibility().await?;
        // Her registrations in her phone's calendar: a private address, read as a calendar app
        // would.
        h.find("#calendar-create").await?.click().await?;
        h.find("#calendar-url").await?;
        let feed = h
            .eval(
                r##"return (async () => {
                    const url = new URL(document.querySelector("#calendar-url").value);
                    return await fetch(url.pathname).then(r => r.text());
                })()"##,
            )
            .await?;
        let feed = feed.as_str().unwrap_or_default();
        anyhow::ensure!(
            feed.contains("BEGIN:VCALENDAR") && feed.contains("SUMMARY:Réussir son CV"),
            "the calendar feed reads {feed:?}"
        );
        h.check_accessibility().await?;
        h.open(&format!("/events/{id}")).await?;
        h.wait_text("#my-registration", "Vous avez participé")
            .await?;
        // A soft-skills training attended: her certificate, which anyone can check.
        h.find("#certificate-link").await?.click().await?;
        h.wait_text("#certificate", "Amina El Idrissi").await?;
        h.wait_text("#certificate", "Réussir son CV").await?;
        h.check_accessibility().await?;
        Ok(())
    })
    .await;
}

/// A camera and a QR code reader for a browser that has neither: the camera films a blank
/// square (a canvas's stream), the reader finds `window.ticket` once it is set, and
/// `window.stopped` says the camera was turned off.
const FAKE_CAMERA: &str = r#"
window.BarcodeDetector = class {
  static async getSupportedFormats() { return ["aztec", "qr_code"]; }
  constructor(options) { this.formats = options.formats; }
  async detect(source) {
    return window.ticket && source.srcObject ? [{ rawValue: window.ticket, format: "qr_code" }] : [];
  }
};
navigator.mediaDevices.getUserMedia = async (constraints) => {
  window.asked = constraints;
  const canvas = document.createElement("canvas");
  canvas.width = 64;
  canvas.height = 64;
  canvas.getContext("2d").fillRect(0, 0, 64, 64);
  const stream = canvas.captureStream(5);
  for (const track of stream.getTracks()) {
    const stop = track.stop.bind(track);
    track.stop = () => { window.stopped = true; stop(); };
  }
  return stream;
};
"#;

/// Makes the account `email` (password `tajine-au-citron-7`) a counselor of Marrakech's
/// university center, as the admin does.
async fn make_counselor(h: &Harness, email: &str, first_name: &str) -> anyhow::Result<()> {
    let made = h
        .eval(&format!(
            r#"return (async () => {{
                const json = {{"content-type": "application/json"}};
                await fetch("/api/v1/auth/register", {{method: "POST", headers: json, body: JSON.stringify({{
                    email: "{email}", password: "tajine-au-citron-7", first_name: "{first_name}", last_name: "Bennani"}})}});
                const login = await fetch("/api/v1/auth/login", {{method: "POST", headers: json,
                    body: JSON.stringify({{email: "{ADMIN_EMAIL}", password: "{ADMIN_PASSWORD}"}})}}).then(r => r.json());
                const auth = {{...json, authorization: "Bearer " + login.access_token}};
                const centers = await fetch("/api/v1/centers?limit=100").then(r => r.json());
                const center = centers.items.find(c => c.host_institution === "Université Cadi Ayyad");
                const users = await fetch("/api/v1/users?q={first_name}", {{headers: auth}}).then(r => r.json());
                const changed = await fetch("/api/v1/users/" + users.items[0].id, {{method: "PATCH", headers: auth,
                    body: JSON.stringify({{role: "counselor", center_id: center.id}})}});
                return changed.ok;
            }})()"#
        ))
        .await?;
    anyhow::ensure!(
        made == serde_json::json!(true),
        "the counselor was not made: {made}"
    );
    Ok(())
}

#[tokio::test]
async fn on_a_phone_a_counselor_writes_a_workshop_in_arabic_publishes_it_and_adds_seats() {
    journey("event_form", async |h: &Harness| {
        h.phone_size().await?;
        h.open("/").await?;
        make_counselor(h, "karima@example.ma", "Karima").await?;
        login(h, "karima@example.ma", "tajine-au-citron-7").await?;
        h.choose("#language", "ar").await?;
        h.menu("header a[href='/manage/events']").await?;
        h.find("#new-event").await?.click().await?;
        h.wait_text("h1", "نشاط جديد").await?;
        // Her center's sites are offered as the place.
        h.wait_text("#site_id", "Université Cadi Ayyad").await?;
        h.check_accessibility().await?;
        let day = h
            .eval("return new Date(Date.now() + 3 * 864e5).toISOString().slice(0, 10)")
            .await?;
        let day = day.as_str().unwrap_or_default().to_owned();
        h.choose("#kind", "workshop").await?;
        h.fill("#title\\.ar", "التعريف بالنفس في دقيقة").await?;
        h.choose("#starts_at", &format!("{day}T10:00")).await?;
        // An end before the start: refused beside the field, in Arabic, before anything is sent.
        h.choose("#ends_at", &format!("{day}T09:00")).await?;
        h.fill("#capacity", "2").await?;
        h.find("#area-social").await?.click().await?;
        h.find("#event-form button[type=submit]").await?.click().await?;
        h.wait_text("#ends_at-error", "بعد البداية").await?;
        h.check_accessibility().await?;
        h.choose("#ends_at", &format!("{day}T12:00")).await?;
        h.find("#event-form button[type=submit]").await?.click().await?;
        // Saved as a draft, on the event's own desk, in Morocco's time.
        h.wait_text("h1", "التعريف بالنفس في دقيقة").await?;
        h.wait_text("#event-status", "مسودة").await?;
        h.find("#publish").await?.click().await?;
        h.wait_text("#event-status", "منشور").await?;
        // Published, then a bigger room: two more seats.
        h.find("#edit-event").await?.click().await?;
        h.wait_text("h1", "تعديل النشاط").await?;
        let starts = h.find("#starts_at").await?.prop("value").await?;
        anyhow::ensure!(
            starts.as_deref() == Some(&format!("{day}T10:00")),
            "the start reads {starts:?} back"
        );
        h.fill("#capacity", "4").await?;
        h.find("#event-form button[type=submit]").await?.click().await?;
        h.wait_text("#seats-taken", "4").await?;
        h.check_accessibility().await?;
        // Youths see it with its time as written.
        let seen = h
            .eval(
                r#"return fetch("/api/v1/events?kind=workshop").then(r => r.json())
                    .then(p => p.items.map(e => [e.title.ar, e.starts_at.slice(11, 16), e.capacity, e.areas]))"#,
            )
            .await?;
        anyhow::ensure!(
            seen == serde_json::json!([["التعريف بالنفس في دقيقة", "10:00", 4, ["social"]]]),
            "the public list reads {seen}"
        );
        Ok(())
    })
    .await;
}

/// Attaches the account found by `q` to Marrakech's university center, as the admin does.
async fn attach_to_center(h: &Harness, q: &str) -> anyhow::Result<()> {
    let done = h
        .eval(&format!(
            r#"return (async () => {{
                const json = {{"content-type": "application/json"}};
                const login = await fetch("/api/v1/auth/login", {{method: "POST", headers: json,
                    body: JSON.stringify({{email: "{ADMIN_EMAIL}", password: "{ADMIN_PASSWORD}"}})}}).then(r => r.json());
                const auth = {{...json, authorization: "Bearer " + login.access_token}};
                const centers = await fetch("/api/v1/centers?limit=100").then(r => r.json());
                const center = centers.items.find(c => c.host_institution === "Université Cadi Ayyad");
                const users = await fetch("/api/v1/users?q={q}", {{headers: auth}}).then(r => r.json());
                const changed = await fetch("/api/v1/users/" + users.items[0].id, {{method: "PATCH", headers: auth,
                    body: JSON.stringify({{center_id: center.id}})}});
                return changed.ok;
            }})()"#
        ))
        .await?;
    anyhow::ensure!(
        done == serde_json::json!(true),
        "the account was not attached: {done}"
    );
    Ok(())
}

#[tokio::test]
async fn on_a_phone_a_counselor_offers_slots_and_a_youth_books_one_in_arabic() {
    journey("appointments", async |h: &Harness| {
        h.phone_size().await?;
        h.open("/").await?;
        make_counselor(h, "karima@example.ma", "Karima").await?;

        // An admin sets the center's notice for cancellations on its page (two hours: the
        // slots below are tomorrow morning, which a youth may then still cancel whatever the
        // hour this runs); more than a week is refused beside the field.
        login(h, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        let center = h
            .eval(
                r#"return fetch("/api/v1/centers?limit=100").then(r => r.json())
                    .then(page => page.items.find(c => c.host_institution === "Université Cadi Ayyad").id)"#,
            )
            .await?;
        h.open(&format!("/centers/{center}")).await?;
        h.wait_text("#notice-hours", "24 h").await?;
        h.fill("#cancellation_notice_hours", "200").await?;
        h.find("#notice-form button[type='submit']").await?.click().await?;
        h.wait_text("#cancellation_notice_hours-error", "168 heures").await?;
        h.fill("#cancellation_notice_hours", "2").await?;
        h.find("#notice-form button[type='submit']").await?.click().await?;
        h.wait_text("#notice-hours", "à 2 h avant").await?;
        h.check_accessibility().await?;
        logout(h).await?;

        // A youth not yet attached to a center is told how to get there.
        register(h, "nora@example.ma").await?;
        h.choose("#language", "ar").await?;
        h.wait_text("h1", "ملفي").await?;
        h.menu("header a[href='/appointments']").await?;
        h.wait_text("h1", "مواعيد مع مستشار").await?;
        h.wait_text("#no-center", "غير مرتبط").await?;
        h.check_accessibility().await?;
        h.choose("#language", "fr").await?;
        logout(h).await?;
        attach_to_center(h, "nora").await?;

        // The counselor offers four half-hours tomorrow from 09:00, on her phone.
        login(h, "karima@example.ma", "tajine-au-citron-7").await?;
        h.menu("header a[href='/manage/appointments']").await?;
        h.wait_text("h1", "mes créneaux").await?;
        h.choose("#minutes", "30").await?;
        h.find("#offer").await?.click().await?;
        h.wait_text("#offered", "4 créneau(x)").await?;
        h.wait_text("#week-title", "Semaine du").await?;
        h.wait_text(".slot-list", "Libre").await?;
        let free = h
            .eval("return document.querySelectorAll('.slot-list .withdraw').length")
            .await?;
        anyhow::ensure!(free == serde_json::json!(4), "{free} slots to withdraw");
        // Offered again, the same hours are refused: they overlap hers.
        h.find("#offer").await?.click().await?;
        h.wait_text("#starts_at-error", "déjà un créneau").await?;
        h.check_accessibility().await?;
        logout(h).await?;

        // The youth, in Arabic, books the first with her question.
        login(h, "nora@example.ma", "tajine-au-citron-7").await?;
        h.menu("header a[href='/appointments']").await?;
        h.wait_text("h1", "Rendez-vous avec un conseiller").await?;
        // The page's session is restored (her menu shows her notices) before she picks a
        // language: restored later, it would put back the language saved in her profile.
        h.find("#notices-link").await?;
        h.choose("#language", "ar").await?;
        h.wait_text("h1", "مواعيد مع مستشار").await?;
        h.wait_text("section[aria-labelledby='book-title']", "Karima Bennani")
            .await?;
        h.check_accessibility().await?;
        // The slot she opens is withdrawn meanwhile: she is told at the top of the page, and
        // the free slots are read again without it.
        h.find("ul.slots li:first-child button.slot")
            .await?
            .click()
            .await?;
        let first = h
            .attribute("ul.slots li:first-child button.slot", "id")
            .await?
            .unwrap_or_default();
        let withdrawn = h
            .eval(&format!(
                r#"return (async () => {{
                    const json = {{"content-type": "application/json"}};
                    const login = await fetch("/api/v1/auth/login", {{method: "POST", headers: json,
                        body: JSON.stringify({{email: "karima@example.ma", password: "tajine-au-citron-7"}})}}).then(r => r.json());
                    const reply = await fetch("/api/v1/appointment-slots/{}/withdrawal", {{method: "POST",
                        headers: {{authorization: "Bearer " + login.access_token}}}});
                    return reply.ok;
                }})()"#,
                first.trim_start_matches("slot-")
            ))
            .await?;
        anyhow::ensure!(withdrawn == serde_json::json!(true), "not withdrawn");
        h.find("ul.slots li:first-child .book-confirm")
            .await?
            .click()
            .await?;
        h.wait_text("#failure", "حُجز هذا الموعد للتو").await?;
        h.wait_gone(&format!("#{first}")).await?;
        h.find("ul.slots li:first-child button.slot")
            .await?
            .click()
            .await?;
        h.fill("ul.slots li:first-child textarea", "BTS أو إجازة مهنية؟")
            .await?;
        h.find("ul.slots li:first-child .book-confirm")
            .await?
            .click()
            .await?;
        h.wait_text("#my-appointments", "Karima Bennani").await?;
        h.wait_text("#my-appointments", "محجوز").await?;
        h.wait_text("#my-appointments", "BTS أو إجازة مهنية؟")
            .await?;
        h.wait_text("#my-appointments", "يمكن الإلغاء").await?;
        let dir = h
            .eval("return getComputedStyle(document.querySelector('#my-appointments')).direction")
            .await?;
        anyhow::ensure!(dir == serde_json::json!("rtl"), "the list reads {dir}");
        h.check_accessibility().await?;
        h.choose("#language", "fr").await?;
        logout(h).await?;

        // The counselor sees who booked, and why; she cannot make it, and cancels.
        login(h, "karima@example.ma", "tajine-au-citron-7").await?;
        h.menu("header a[href='/manage/appointments']").await?;
        h.wait_text(".slot-list", "Avec Amina El Idrissi").await?;
        h.wait_text(".slot-list", "BTS أو إجازة مهنية؟").await?;
        h.find(".slot-list .cancel-booking").await?.click().await?;
        h.wait_gone(".slot-list .cancel-booking").await?;
        h.check_accessibility().await?;
        logout(h).await?;

        // The youth is told in the app: a count on the menu's button and beside "Avis"; her
        // notices say which meeting the center cancelled; read, the count is gone.
        login(h, "nora@example.ma", "tajine-au-citron-7").await?;
        h.wait_text("#menu-toggle .count", "1").await?;
        h.menu("header a[href='/notices']").await?;
        h.wait_text("h1", "Vos avis").await?;
        h.wait_text("#notices", "a été annulé par le centre").await?;
        h.wait_text("#notices", "Karima Bennani").await?;
        h.wait_text("#notices", "Nouveau").await?;
        h.wait_gone("#menu-toggle .count").await?;
        h.check_accessibility().await?;
        // The youth reads that the center cancelled; the slot is free again.
        h.find("#notices a[href='/appointments']").await?.click().await?;
        h.wait_text("#my-appointments", "Annulé par le centre")
            .await?;
        h.wait_text("section[aria-labelledby='book-title']", "Karima Bennani")
            .await?;
        h.check_accessibility().await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn a_counselor_records_a_meeting_and_the_youth_reads_it_in_her_follow_up() {
    journey("meeting_outcome", async |h: &Harness| {
        h.phone_size().await?;
        h.open("/").await?;
        make_counselor(h, "karima@example.ma", "Karima").await?;
        register(h, "nora@example.ma").await?;
        logout(h).await?;
        attach_to_center(h, "nora").await?;
        // A quarter of an hour offered to start in a few seconds, booked at once, and a result
        // of the inventory for her follow-up: through the API, as the apps would.
        let made = h
            .eval(
                r#"return (async () => {
                    const json = {"content-type": "application/json"};
                    const as = async (email) => {
                        const login = await fetch("/api/v1/auth/login", {method: "POST", headers: json,
                            body: JSON.stringify({email, password: "tajine-au-citron-7"})}).then(r => r.json());
                        return {...json, authorization: "Bearer " + login.access_token};
                    };
                    const counselor = await as("karima@example.ma");
                    const youth = await as("nora@example.ma");
                    const start = new Date(Date.now() + 4000);
                    const slots = await fetch("/api/v1/appointment-slots", {method: "POST", headers: counselor,
                        body: JSON.stringify({starts_at: start.toISOString(), minutes: 15})}).then(r => r.json());
                    const booked = await fetch("/api/v1/appointment-slots/" + slots[0].id + "/booking", {method: "POST",
                        headers: youth, body: JSON.stringify({topic: "Mon CV"})});
                    const inventory = await fetch("/api/v1/orientation/inventory").then(r => r.json());
                    const answers = {};
                    for (const item of inventory.items) answers[item.id] = 3;
                    const result = await fetch("/api/v1/orientation/results", {method: "POST", headers: youth,
                        body: JSON.stringify({instrument_version: inventory.version, answers})}).then(r => r.json());
                    return booked.ok && result.id ? result.id : null;
                })()"#,
            )
            .await?;
        let result = made.as_i64().context("the meeting or the result was not made")?;
        tokio::time::sleep(Duration::from_secs(5)).await;

        // The meeting has begun: the counselor records it from her phone.
        login(h, "karima@example.ma", "tajine-au-citron-7").await?;
        h.menu("header a[href='/manage/appointments']").await?;
        h.wait_text(".slot-list", "Avec Amina El Idrissi").await?;
        h.find(".slot-list .record").await?.click().await?;
        h.find("form.outcome textarea").await?;
        h.check_accessibility().await?;
        h.fill(
            "form.outcome textarea",
            "Licence pro en logistique ; visiter le salon de l'étudiant.",
        )
        .await?;
        h.find("form.outcome button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_gone("form.outcome").await?;
        h.wait_text(".slot-list", "Tenu").await?;
        logout(h).await?;

        // She reads it in her follow-up, beside the notes and the plan.
        login(h, "nora@example.ma", "tajine-au-citron-7").await?;
        h.open(&format!("/orientation/results/{result}")).await?;
        h.wait_text("#meetings", "Karima Bennani").await?;
        h.wait_text("#meetings", "Licence pro en logistique").await?;
        h.wait_text("#meetings", "Tenu").await?;
        h.check_accessibility().await?;
        Ok(())
    })
    .await;
}

/// Pushes, as the admin and through the API, three offers of a verified organisation: an
/// Arabic engineer's job in Tanger, an end-of-studies internship in Casablanca, a technician's
/// job in Tanger.
/// Three offers of a verified employer; its key that reads and moves applicants.
async fn publish_offers(h: &Harness) -> anyhow::Result<String> {
    let script = format!(
        r#"return (async () => {{
            const json = {{"content-type": "application/json"}};
            const login = await fetch("/api/v1/auth/login", {{method: "POST", headers: json,
                body: JSON.stringify({{email: "{ADMIN_EMAIL}", password: "{ADMIN_PASSWORD}"}})}}).then(r => r.json());
            const auth = {{...json, authorization: "Bearer " + login.access_token}};
            const org = await fetch("/api/v1/organizations", {{method: "POST", headers: auth,
                body: JSON.stringify({{name: "Chantiers du Détroit", kind: "employer"}})}}).then(r => r.json());
            await fetch("/api/v1/organizations/" + org.id + "/verification", {{method: "PUT", headers: auth}});
            const key = await fetch("/api/v1/organizations/" + org.id + "/api-keys", {{method: "POST", headers: auth,
                body: JSON.stringify({{name: "ATS", scopes: ["applications:write"]}})}}).then(r => r.json());
            const pushed = await fetch("/api/v1/organizations/" + org.id + "/offers/batch", {{method: "POST", headers: auth,
                body: JSON.stringify({{offers: [
                    {{external_id: "CD-1", kind: "job", contract: "cdd", title: "مهندس مدني",
                      description: "شركة بناء تبحث عن مهندس مدني لمتابعة الأوراش بطنجة.", commune_code: "01.511.01.0",
                      education: "bac_5", experience_years: 2, salary_min: 9000, salary_max: 12000,
                      url: "https://example.ma/offres/cd-1"}},
                    {{external_id: "CD-2", kind: "internship", internship: "end_of_studies", title: "Stage PFE ingénieur méthodes",
                      description: "Six mois au bureau des méthodes.", commune_code: "06.141.01.0"}},
                    {{external_id: "CD-3", kind: "job", contract: "cdi", title: "Technicien de chantier",
                      description: "Suivi des travaux, débutants acceptés.", commune_code: "01.511.01.0", experience_years: 0}}
                ]}})}}).then(r => r.json());
            return [pushed.created, key.secret];
        }})()"#
    );
    let answer = h.eval(&script).await?;
    anyhow::ensure!(answer[0] == 3, "the offers were not pushed: {answer}");
    let key = answer[1].as_str().unwrap_or_default().to_owned();
    anyhow::ensure!(!key.is_empty(), "no key for the applicants: {answer}");
    Ok(key)
}

/// The employer's system (its key) moves the first applicant of the offer shown to `status`.
async fn move_first_applicant(h: &Harness, key: &str, status: &str) -> anyhow::Result<()> {
    let script = format!(
        r#"return (async () => {{
            const headers = {{"content-type": "application/json", "x-api-key": "{key}"}};
            const offer = location.pathname.split("/").pop();
            const list = await fetch("/api/v1/offers/" + offer + "/applications", {{headers}}).then(r => r.json());
            const moved = await fetch("/api/v1/applications/" + list.items[0].id, {{method: "PATCH", headers,
                body: JSON.stringify({{status: "{status}"}})}});
            return moved.status;
        }})()"#
    );
    let status = h.eval(&script).await?;
    anyhow::ensure!(
        status == 200,
        "the employer could not move the application: {status}"
    );
    Ok(())
}

#[tokio::test]
async fn on_a_phone_a_youth_searches_offers_in_arabic_saves_them_applies_and_is_shortlisted() {
    journey("offers", async |h: &Harness| {
        h.phone_size().await?;
        h.open("/").await?;
        let key = publish_offers(h).await?;
        register(h, "yasmine@example.ma").await?;
        h.find("#notices-link").await?;
        h.choose("#language", "ar").await?;
        h.wait_text("h1", "ملفي").await?;
        // The offers are the guide's: a page of another bundle, in her language.
        h.menu("header a[href='/offers']").await?;
        h.wait_text("h1", "عروض الشغل والتدريب والاندماج").await?;
        h.wait_text("#offer-list", "Stage PFE ingénieur méthodes")
            .await?;
        h.wait_text("#offers-total", "3").await?;
        anyhow::ensure!(
            h.eval("return document.documentElement.dir").await? == "rtl",
            "the offers' page is not right to left"
        );
        // Words in Arabic with a diacritic, and jobs only: the engineer's offer alone, the
        // filter and the words kept in the address.
        h.fill("#q", "مُهندس").await?;
        h.find("#filters summary").await?.click().await?;
        h.choose("#kind", "job").await?;
        // In Tanger, picked among the communes that have offers.
        h.find("#commune option[value='01.511.01.0']").await?;
        h.choose("#commune", "01.511.01.0").await?;
        h.find("form[role='search'] button[type='submit']")
            .await?
            .click()
            .await?;
        h.wait_text("#offers-total", "عرض واحد").await?;
        let search = h.eval("return location.search").await?;
        anyhow::ensure!(
            search.as_str().is_some_and(|s| s.contains("q=")
                && s.contains("kind=job")
                && s.contains("commune=01.511.01.0")),
            "the search is not in the address: {search}"
        );
        let listed = h
            .eval("return document.getElementById('offer-list').textContent")
            .await?;
        anyhow::ensure!(
            listed
                .as_str()
                .is_some_and(|t| t.contains("مهندس مدني") && !t.contains("Stage PFE")),
            "not the engineer's offer alone: {listed}"
        );
        h.check_accessibility().await?;
        // The search's feed, as a feed reader would read it: the same offer, in her language.
        let feed = h
            .eval(
                r##"return (async () => {
                    const link = document.querySelector("#offers-feed").getAttribute("href");
                    return link + "\n" + await fetch(link).then(r => r.text());
                })()"##,
            )
            .await?;
        let feed = feed.as_str().unwrap_or_default();
        anyhow::ensure!(
            feed.contains("lang=ar")
                && feed.contains("<language>ar</language>")
                && feed.contains("مهندس مدني")
                && !feed.contains("Stage PFE"),
            "the search's feed reads {feed:?}"
        );
        // She keeps this search, to come back for what is new.
        h.find("#save-search").await?.click().await?;
        h.wait_text("#search-saved", "تم حفظ البحث").await?;
        // Its page: what, where, for whom, and where it comes from.
        h.find("#offer-list h2 a").await?.click().await?;
        h.wait_text("h1", "مهندس مدني").await?;
        h.wait_text(".facts", "عقد محدد المدة").await?;
        h.wait_text(".facts", "من 9000 إلى 12000 درهم شهرياً")
            .await?;
        h.wait_text("#provenance", "Chantiers du Détroit").await?;
        h.find("a[href='https://example.ma/offres/cd-1']").await?;
        h.check_accessibility().await?;
        // She saves the offer, and applies with a few words; her profile goes with them.
        h.find("#save-offer").await?.click().await?;
        h.wait_text("#save-offer", "عرض محفوظ").await?;
        h.fill(
            "#message",
            "متاحة ابتداءً من يناير، ولدي تدريب في تتبع الأوراش.",
        )
        .await?;
        h.find("#apply").await?.click().await?;
        h.wait_text("#my-application", "ترشحت لهذا العرض").await?;
        h.wait_text("#my-application-status", "مستلَم").await?;
        h.check_accessibility().await?;
        // The employer shortlists her: her applications say so, and a notice tells her.
        move_first_applicant(h, &key, "shortlisted").await?;
        // Back, the search as she left it.
        h.eval("history.back()").await?;
        h.wait_text("#offers-total", "عرض واحد").await?;
        // Her applications, opened by their address: once in a full run the menu's click here
        // landed on the entry two below ("appointments"), the cause not found yet.
        h.open("/applications").await?;
        h.wait_text("h1", "ترشيحاتي").await?;
        h.wait_text("#applications", "مهندس مدني").await?;
        h.wait_text("#applications", "في القائمة المختصرة").await?;
        h.check_accessibility().await?;
        // What she saved: the search, nothing new since, and the offer.
        h.menu("header a[href='/offers']").await?;
        h.find("#saved-link").await?.click().await?;
        h.wait_text("h1", "ما حفظته").await?;
        h.wait_text("#saved-searches", "لا جديد").await?;
        h.wait_text("#saved-offers", "مهندس مدني").await?;
        h.check_accessibility().await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn an_employer_posts_an_offer_an_admin_lets_it_live_and_the_employer_interviews_its_applicant()
 {
    journey("employer_offers", async |h: &Harness| {
        register_as(h, "rh@atlas-data.ma", "employer").await?;
        h.menu("header a[href='/organizations']").await?;
        h.fill("#name", "Atlas Data").await?;
        h.fill("#city", "Casablanca").await?;
        h.find("#organization-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("main .cards", "Atlas Data").await?;
        // Its offers: posted from the form; not verified yet, the organisation's wait.
        h.find("main .cards a").await?.click().await?;
        h.find("#org-offers-link").await?.click().await?;
        h.wait_text("h1", "Offres et candidatures").await?;
        h.wait_text("main", "Aucune offre pour l'instant").await?;
        h.choose("#kind", "internship").await?;
        h.choose("#internship", "end_of_studies").await?;
        h.choose("#region_code", "06").await?;
        h.choose("#sector", "offshoring").await?;
        h.fill("#title", "Stage PFE data").await?;
        h.fill(
            "#description",
            "Six mois dans l'équipe data : Python, SQL et tableaux de bord.",
        )
        .await?;
        h.find("#offer-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#offer-posted", "administrateur").await?;
        h.wait_text("#org-offers", "En attente de modération")
            .await?;
        h.check_accessibility().await?;
        logout(h).await?;

        // An admin lets it go live from the moderation queue.
        login(h, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        h.menu("header a[href='/admin/users']").await?;
        h.find("#admin-offers-tab").await?.click().await?;
        h.wait_text("#pending-offers", "Stage PFE data").await?;
        h.check_accessibility().await?;
        h.find("#pending-offers button.approve")
            .await?
            .click()
            .await?;
        h.wait_text("main", "Aucune offre en attente").await?;
        logout(h).await?;

        // A youth finds it, applies, and reports a doubt about it.
        register(h, "sara@example.ma").await?;
        h.open("/offers").await?;
        h.wait_text("#offer-list", "Stage PFE data").await?;
        h.find("#offer-list h2 a").await?.click().await?;
        h.wait_text("h1", "Stage PFE data").await?;
        h.fill(
            "#message",
            "Disponible dès février, je termine mon master en data.",
        )
        .await?;
        h.find("#apply").await?.click().await?;
        h.wait_text("#my-application", "Vous avez postulé").await?;
        h.find("#report summary").await?.click().await?;
        h.choose("#reason", "other").await?;
        h.fill("#report-comment", "Le lieu exact n'est pas indiqué.")
            .await?;
        h.find("#report button[type=submit]").await?.click().await?;
        h.wait_text("#report-sent", "administrateurs").await?;
        logout(h).await?;

        // The admin reads the report and dismisses it.
        login(h, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
        h.menu("header a[href='/admin/users']").await?;
        h.find("#admin-offers-tab").await?.click().await?;
        h.wait_text("#offer-reports", "Le lieu exact").await?;
        h.find("#offer-reports button.secondary")
            .await?
            .click()
            .await?;
        h.wait_text("main", "Aucun signalement ouvert").await?;
        logout(h).await?;

        // The employer reads her application and offers her an interview.
        login(h, "rh@atlas-data.ma", "tajine-au-citron-7").await?;
        h.menu("header a[href='/organizations']").await?;
        h.find("main .cards a").await?.click().await?;
        h.find("#org-offers-link").await?.click().await?;
        h.find("#org-offers a").await?.click().await?;
        h.wait_text("#applicants", "Amina El Idrissi").await?;
        h.wait_text("#applicants", "je termine mon master").await?;
        h.wait_text("#applicants .status", "Reçue").await?;
        h.check_accessibility().await?;
        h.find("#applicants button[data-to='interview']")
            .await?
            .click()
            .await?;
        h.wait_text("#applicants .status", "Entretien proposé")
            .await?;
        // Her applicants of one status: none rejected, one called to an interview.
        h.choose("#applicant-status", "rejected").await?;
        h.wait_text("main", "Aucune candidature pour l'instant")
            .await?;
        h.choose("#applicant-status", "interview").await?;
        h.wait_text("#applicants", "Amina El Idrissi").await?;
        // She says where exactly, and retitles it; not yet verified, the organisation's change
        // waits for the admins.
        h.find("#edit-offer summary").await?.click().await?;
        h.fill("#commune_code-words", "Casa").await?;
        h.find("#commune_code option[value='06.141.01.0']").await?;
        h.choose("#commune_code", "06.141.01.0").await?;
        h.fill("#title", "Stage PFE data (Casablanca)").await?;
        h.find("#offer-form button[type=submit]")
            .await?
            .click()
            .await?;
        h.wait_text("#offer-posted", "administrateur").await?;
        h.wait_text("h1", "Stage PFE data (Casablanca)").await?;
        h.wait_text("#offer-status", "En attente de modération")
            .await?;
        h.check_accessibility().await?;
        // The position is filled: the employer takes the offer down.
        h.find("main a[href$='/offers']").await?.click().await?;
        h.find("#org-offers button.withdraw").await?.click().await?;
        h.wait_text("#org-offers", "Retirée").await?;
        Ok(())
    })
    .await;
}

/// Serves one RSS feed of two offers on 127.0.0.1 (a board's), from a thread of its own; its
/// address.
fn board_feed() -> anyhow::Result<String> {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = format!("http://{}/rss", listener.local_addr()?);
    std::thread::spawn(move || {
        for stream in listener.incoming().take(50) {
            let Ok(mut stream) = stream else { continue };
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head);
            let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\"><channel><title>Board</title>\
<item><title>Comptable confirmé</title><link>https://board.example/offres/1</link>\
<description>Tenue de la comptabilité générale.</description><author>rh@atlas.example (Atlas Data)</author>\
<category>Casablanca</category><category>CDI</category></item>\
<item><title>Stage PFE développeur web</title><link>https://board.example/offres/2</link>\
<description>Projet de fin d'études.</description><category>Rabat</category></item></channel></rss>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Ok(address)
}

#[tokio::test]
async fn an_admin_adds_a_board_feed_and_youths_find_its_offers_with_where_they_were_published() {
    let feed = board_feed().expect("a feed server");
    journey_with(
        "gathered_offers",
        &[("JOB_TICK_SECONDS", "1")],
        async |h: &Harness| {
            login(h, ADMIN_EMAIL, ADMIN_PASSWORD).await?;
            h.open("/admin/sources").await?;
            h.wait_text("h1", "Sources des offres rassemblées").await?;
            h.wait_text("main", "Aucune source pour l'instant").await?;
            // Refused field by field, in French.
            h.fill("#name", "board.example").await?;
            h.fill("#url", "ftp://board.example/rss").await?;
            h.fill("#every_minutes", "5").await?;
            h.find("#source-form button[type=submit]")
                .await?
                .click()
                .await?;
            h.wait_text("#every_minutes-error", "Entre 15 minutes et 24 heures")
                .await?;
            h.wait_text("#url-error", "https://").await?;
            h.check_accessibility().await?;
            h.fill("#url", &feed).await?;
            h.fill("#every_minutes", "60").await?;
            h.find("#source-form button[type=submit]")
                .await?
                .click()
                .await?;
            h.wait_text("#sources", "board.example").await?;
            // The worker polls it within seconds: the page says so once read again.
            let mut read = false;
            for _ in 0..30 {
                tokio::time::sleep(Duration::from_secs(1)).await;
                h.driver.refresh().await?;
                h.wait_text("#sources", "board.example").await?;
                if h.find("#sources")
                    .await?
                    .text()
                    .await?
                    .contains("nouvelles : 2")
                {
                    read = true;
                    break;
                }
            }
            anyhow::ensure!(read, "the feed was not read within 30 s");
            h.wait_text("#sources", "Terminé").await?;
            h.wait_text("#sources", "Offres en ligne : 2").await?;
            h.find("#sources button.history").await?.click().await?;
            h.wait_text("#sources .runs", "Lues : 2").await?;
            h.check_accessibility().await?;
            // The admin changes its period: the form takes the source's values.
            h.find("#sources button.edit").await?.click().await?;
            h.wait_text("#source-form-title", "Modifier la source board.example")
                .await?;
            h.fill("#every_minutes", "30").await?;
            h.find("#source-form button[type=submit]")
                .await?
                .click()
                .await?;
            h.wait_text("#sources", "Toutes les 30 minutes").await?;
            h.wait_text("#source-form-title", "Ajouter une source")
                .await?;
            logout(h).await?;

            // A youth finds the offer, and where it was published.
            h.open("/offers?q=comptable").await?;
            h.wait_text("#offer-list", "Comptable confirmé").await?;
            h.find("#offer-list h2 a").await?.click().await?;
            h.wait_text("h1", "Comptable confirmé").await?;
            h.wait_text("#provenance", "Publiée sur board.example")
                .await?;
            h.wait_text("#offer-link", "Postuler").await?;
            h.check_accessibility().await?;
            Ok(())
        },
    )
    .await;
}
