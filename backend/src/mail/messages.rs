//! The texts of every message, in French, Arabic and English.
//!
//! Interface strings live in the web app's catalogues; mail is written by the server, so its
//! few texts live here, beside the code that fills them in. Names that users typed are escaped
//! in the HTML part.

use shared::Locale;

/// A message to send, with what it needs to be written.
#[derive(Debug, Clone)]
pub enum Mail {
    /// After registration, or when the user asks again: confirm the address.
    VerifyEmail { name: String, link: String },
    /// Someone asked to reset the password of this address.
    ResetPassword { name: String, link: String },
    /// The password was just reset: if it was not you, say so.
    PasswordChanged { name: String },
    /// An owner invites this address into an organisation.
    Invitation {
        organization: String,
        inviter: String,
        link: String,
    },
    /// An event she held a seat or a place in line for is called off.
    EventCancelled {
        name: String,
        title: String,
        when: String,
        link: String,
    },
    /// An event she holds a seat or a place in line for moved (its time or its place).
    EventMoved {
        name: String,
        title: String,
        when: String,
        place: String,
        link: String,
    },
    /// A seat was given up or added: she had the first place in line, it is hers.
    SeatGiven {
        name: String,
        title: String,
        when: String,
        link: String,
    },
    /// The center cancelled her appointment with a counselor.
    AppointmentCancelled {
        name: String,
        counselor: String,
        when: String,
        link: String,
    },
    /// A youth applied to one of the reader's organisation's offers.
    ApplicationReceived {
        name: String,
        title: String,
        applicant: String,
        link: String,
    },
    /// An employer moved her application (shortlisted, interview, rejected, hired).
    ApplicationMoved {
        name: String,
        title: String,
        employer: String,
        status: shared::ApplicationStatus,
        link: String,
    },
}

impl Mail {
    /// A short name for logs and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Mail::VerifyEmail { .. } => "verify_email",
            Mail::ResetPassword { .. } => "reset_password",
            Mail::PasswordChanged { .. } => "password_changed",
            Mail::Invitation { .. } => "invitation",
            Mail::EventCancelled { .. } => "event_cancelled",
            Mail::EventMoved { .. } => "event_moved",
            Mail::SeatGiven { .. } => "seat_given",
            Mail::AppointmentCancelled { .. } => "appointment_cancelled",
            Mail::ApplicationMoved { .. } => "application_moved",
            Mail::ApplicationReceived { .. } => "application_received",
        }
    }
}

pub struct Rendered {
    pub subject: String,
    pub plain: String,
    pub html: String,
}

/// One paragraph, or a button-like link.
enum Block {
    Text(String),
    Link { label: &'static str, href: String },
}

pub fn render(locale: Locale, mail: &Mail) -> Rendered {
    let (subject, greeting, blocks) = content(locale, mail);
    let mut plain = format!("{greeting}\n\n");
    let dir = if locale == Locale::Ar { "rtl" } else { "ltr" };
    let mut html = format!(
        "<!doctype html><html lang=\"{}\" dir=\"{dir}\"><body style=\"font-family:sans-serif;line-height:1.5\"><p>{}</p>",
        locale.as_str(),
        escape(&greeting)
    );
    for block in blocks {
        match block {
            Block::Text(text) => {
                plain.push_str(&text);
                plain.push_str("\n\n");
                html.push_str(&format!("<p>{}</p>", escape(&text)));
            }
            Block::Link { label, href } => {
                plain.push_str(&format!("{label}:\n{href}\n\n"));
                html.push_str(&format!(
                    "<p><a href=\"{}\" style=\"display:inline-block;padding:12px 20px;background:#0b5cad;color:#fff;text-decoration:none;border-radius:6px\">{}</a></p><p style=\"font-size:small\"><bdi>{}</bdi></p>",
                    escape(&href),
                    escape(label),
                    escape(&href)
                ));
            }
        }
    }
    let signature = match locale {
        Locale::Fr => "L'équipe Career Center",
        Locale::Ar => "فريق Career Center",
        Locale::En => "The Career Center team",
    };
    plain.push_str(&format!("— {signature}\n"));
    html.push_str(&format!("<p>— {}</p></body></html>", escape(signature)));
    Rendered {
        subject,
        plain,
        html,
    }
}

fn content(locale: Locale, mail: &Mail) -> (String, String, Vec<Block>) {
    use Block::{Link, Text};
    match (mail, locale) {
        (Mail::VerifyEmail { name, link }, Locale::Fr) => (
            "Confirmez votre adresse e-mail".into(),
            format!("Bonjour {name},"),
            vec![
                Text("Pour confirmer que cette adresse est bien la vôtre, ouvrez le lien ci-dessous. Il reste valable 48 heures.".into()),
                Link { label: "Confirmer mon adresse", href: link.clone() },
                Text("Si vous n'avez pas créé de compte Career Center, ignorez ce message.".into()),
            ],
        ),
        (Mail::VerifyEmail { name, link }, Locale::Ar) => (
            "أكِّد عنوان بريدك الإلكتروني".into(),
            format!("مرحبًا {name}،"),
            vec![
                Text("لتأكيد أن هذا العنوان عنوانك، افتح الرابط أدناه. يبقى صالحًا لمدة 48 ساعة.".into()),
                Link { label: "تأكيد عنواني", href: link.clone() },
                Text("إذا لم تُنشئ حسابًا في Career Center، فتجاهل هذه الرسالة.".into()),
            ],
        ),
        (Mail::VerifyEmail { name, link }, Locale::En) => (
            "Confirm your e-mail address".into(),
            format!("Hello {name},"),
            vec![
                Text("To confirm that this address is yours, open the link below. It stays valid for 48 hours.".into()),
                Link { label: "Confirm my address", href: link.clone() },
                Text("If you did not create a Career Center account, ignore this message.".into()),
            ],
        ),
        (Mail::ResetPassword { name, link }, Locale::Fr) => (
            "Choisissez un nouveau mot de passe".into(),
            format!("Bonjour {name},"),
            vec![
                Text("Quelqu'un (vous, sans doute) a demandé à changer le mot de passe de votre compte Career Center. Ce lien sert une seule fois et reste valable 30 minutes.".into()),
                Link { label: "Choisir un nouveau mot de passe", href: link.clone() },
                Text("Si vous n'avez rien demandé, ignorez ce message : votre mot de passe ne change pas.".into()),
            ],
        ),
        (Mail::ResetPassword { name, link }, Locale::Ar) => (
            "اختر كلمة مرور جديدة".into(),
            format!("مرحبًا {name}،"),
            vec![
                Text("طلب أحدهم (أنت على الأرجح) تغيير كلمة مرور حسابك في Career Center. يُستعمل هذا الرابط مرة واحدة ويبقى صالحًا لمدة 30 دقيقة.".into()),
                Link { label: "اختيار كلمة مرور جديدة", href: link.clone() },
                Text("إذا لم تطلب شيئًا، فتجاهل هذه الرسالة: لن تتغير كلمة مرورك.".into()),
            ],
        ),
        (Mail::ResetPassword { name, link }, Locale::En) => (
            "Choose a new password".into(),
            format!("Hello {name},"),
            vec![
                Text("Someone (probably you) asked to change the password of your Career Center account. This link works once and stays valid for 30 minutes.".into()),
                Link { label: "Choose a new password", href: link.clone() },
                Text("If you asked for nothing, ignore this message: your password does not change.".into()),
            ],
        ),
        (Mail::PasswordChanged { name }, Locale::Fr) => (
            "Votre mot de passe a été changé".into(),
            format!("Bonjour {name},"),
            vec![Text("Le mot de passe de votre compte Career Center vient d'être changé et toutes vos sessions ont été fermées. Si ce n'était pas vous, demandez tout de suite un nouveau mot de passe et prévenez votre centre.".into())],
        ),
        (Mail::PasswordChanged { name }, Locale::Ar) => (
            "تم تغيير كلمة مرورك".into(),
            format!("مرحبًا {name}،"),
            vec![Text("تم للتو تغيير كلمة مرور حسابك في Career Center وأُغلقت كل جلساتك. إذا لم تكن أنت، فاطلب كلمة مرور جديدة فورًا وأخبر مركزك.".into())],
        ),
        (Mail::PasswordChanged { name }, Locale::En) => (
            "Your password was changed".into(),
            format!("Hello {name},"),
            vec![Text("The password of your Career Center account was just changed and every session was closed. If this was not you, ask for a new password at once and tell your center.".into())],
        ),
        (Mail::Invitation { organization, inviter, link }, Locale::Fr) => (
            format!("{inviter} vous invite à rejoindre {organization}"),
            "Bonjour,".into(),
            vec![
                Text(format!("{inviter} vous invite à rejoindre l'organisation « {organization} » sur Career Center. L'invitation reste valable 7 jours.")),
                Text("Connectez-vous avec cette adresse (ou créez un compte employeur ou partenaire avec elle), puis ouvrez le lien :".into()),
                Link { label: "Voir l'invitation", href: link.clone() },
                Text("Si vous ne connaissez pas cette organisation, ignorez ce message.".into()),
            ],
        ),
        (Mail::Invitation { organization, inviter, link }, Locale::Ar) => (
            format!("يدعوك {inviter} للانضمام إلى {organization}"),
            "مرحبًا،".into(),
            vec![
                Text(format!("يدعوك {inviter} للانضمام إلى المؤسسة «{organization}» على Career Center. تبقى الدعوة صالحة لمدة 7 أيام.")),
                Text("سجّل الدخول بهذا العنوان (أو أنشئ به حساب مشغِّل أو شريك)، ثم افتح الرابط:".into()),
                Link { label: "عرض الدعوة", href: link.clone() },
                Text("إذا كنت لا تعرف هذه المؤسسة، فتجاهل هذه الرسالة.".into()),
            ],
        ),
        (Mail::Invitation { organization, inviter, link }, Locale::En) => (
            format!("{inviter} invites you to join {organization}"),
            "Hello,".into(),
            vec![
                Text(format!("{inviter} invites you to join the organisation \u{201c}{organization}\u{201d} on Career Center. The invitation stays valid for 7 days.")),
                Text("Sign in with this address (or create an employer or partner account with it), then open the link:".into()),
                Link { label: "See the invitation", href: link.clone() },
                Text("If you do not know this organisation, ignore this message.".into()),
            ],
        ),
        (Mail::EventCancelled { name, title, when, link }, Locale::Fr) => (
            format!("Annulé : {title}"),
            format!("Bonjour {name},"),
            vec![
                Text(format!("L'événement « {title} » du {when}, auquel vous étiez inscrit·e ou en liste d'attente, est annulé par ses organisateurs. Votre inscription prend fin.")),
                Link { label: "Voir les autres événements", href: link.clone() },
            ],
        ),
        (Mail::EventCancelled { name, title, when, link }, Locale::Ar) => (
            format!("أُلغي: {title}"),
            format!("مرحبًا {name}،"),
            vec![
                Text(format!("ألغى المنظمون النشاط «{title}» المقرر يوم {when}، الذي كنت مسجلًا فيه أو في لائحة انتظاره. ينتهي تسجيلك.")),
                Link { label: "عرض الأنشطة الأخرى", href: link.clone() },
            ],
        ),
        (Mail::EventCancelled { name, title, when, link }, Locale::En) => (
            format!("Cancelled: {title}"),
            format!("Hello {name},"),
            vec![
                Text(format!("The event \u{201c}{title}\u{201d} of {when}, which you were registered or waiting for, is cancelled by its organisers. Your registration ends.")),
                Link { label: "See the other events", href: link.clone() },
            ],
        ),
        (Mail::EventMoved { name, title, when, place, link }, Locale::Fr) => (
            format!("Changement : {title}"),
            format!("Bonjour {name},"),
            vec![
                Text(format!("L'événement « {title} », auquel vous êtes inscrit·e ou en liste d'attente, a changé. Il a lieu désormais le {when}, {place}.")),
                Text("Si vous ne pouvez plus venir, libérez votre place pour quelqu'un d'autre :".into()),
                Link { label: "Voir l'événement", href: link.clone() },
            ],
        ),
        (Mail::EventMoved { name, title, when, place, link }, Locale::Ar) => (
            format!("تغيير: {title}"),
            format!("مرحبًا {name}،"),
            vec![
                Text(format!("تغيّر النشاط «{title}» الذي أنت مسجل فيه أو في لائحة انتظاره. سيُقام الآن يوم {when}، {place}.")),
                Text("إذا لم تعد تستطيع الحضور، فاترك مكانك لغيرك:".into()),
                Link { label: "عرض النشاط", href: link.clone() },
            ],
        ),
        (Mail::EventMoved { name, title, when, place, link }, Locale::En) => (
            format!("Change: {title}"),
            format!("Hello {name},"),
            vec![
                Text(format!("The event \u{201c}{title}\u{201d}, which you are registered or waiting for, has changed. It now takes place on {when}, {place}.")),
                Text("If you can no longer come, give your place to someone else:".into()),
                Link { label: "See the event", href: link.clone() },
            ],
        ),
        (Mail::SeatGiven { name, title, when, link }, Locale::Fr) => (
            format!("Une place pour vous : {title}"),
            format!("Bonjour {name},"),
            vec![
                Text(format!("Une place s'est libérée à « {title} », le {when} : vous étiez la première personne en liste d'attente, elle est à vous. Votre billet d'entrée est sur la page de l'événement.")),
                Link { label: "Voir mon billet", href: link.clone() },
                Text("Si vous ne pouvez pas venir, libérez-la sur la même page.".into()),
            ],
        ),
        (Mail::SeatGiven { name, title, when, link }, Locale::Ar) => (
            format!("مقعد لك: {title}"),
            format!("مرحبًا {name}،"),
            vec![
                Text(format!("تحرر مقعد في «{title}» يوم {when}: كنت الأول في لائحة الانتظار، فصار المقعد لك. تذكرة دخولك في صفحة النشاط.")),
                Link { label: "عرض تذكرتي", href: link.clone() },
                Text("إذا لم تستطع الحضور، فاترك المقعد من الصفحة نفسها.".into()),
            ],
        ),
        (Mail::SeatGiven { name, title, when, link }, Locale::En) => (
            format!("A seat for you: {title}"),
            format!("Hello {name},"),
            vec![
                Text(format!("A seat came free at \u{201c}{title}\u{201d} on {when}: you were first in line, it is yours. Your entry ticket is on the event's page.")),
                Link { label: "See my ticket", href: link.clone() },
                Text("If you cannot come, give it up on the same page.".into()),
            ],
        ),
        (Mail::AppointmentCancelled { name, counselor, when, link }, Locale::Fr) => (
            "Votre rendez-vous est annulé".into(),
            format!("Bonjour {name},"),
            vec![
                Text(format!("Votre centre a annulé votre rendez-vous du {when} avec {counselor}. Nous en sommes désolés : choisissez un autre créneau.")),
                Link { label: "Prendre un autre rendez-vous", href: link.clone() },
            ],
        ),
        (Mail::AppointmentCancelled { name, counselor, when, link }, Locale::Ar) => (
            "أُلغي موعدك".into(),
            format!("مرحبًا {name}،"),
            vec![
                Text(format!("ألغى مركزك موعدك يوم {when} مع {counselor}. نعتذر عن ذلك: اختر موعدًا آخر.")),
                Link { label: "حجز موعد آخر", href: link.clone() },
            ],
        ),
        (Mail::AppointmentCancelled { name, counselor, when, link }, Locale::En) => (
            "Your appointment is cancelled".into(),
            format!("Hello {name},"),
            vec![
                Text(format!("Your center cancelled your appointment of {when} with {counselor}. We are sorry: pick another slot.")),
                Link { label: "Book another appointment", href: link.clone() },
            ],
        ),
        (Mail::ApplicationReceived { name, title, applicant, link }, Locale::Fr) => (
            format!("Nouvelle candidature : {title}"),
            format!("Bonjour {name},"),
            vec![
                Text(format!("{applicant} a postulé à votre offre « {title} » sur la plateforme. Son message et son profil vous attendent avec les autres candidatures.")),
                Link { label: "Voir les candidatures", href: link.clone() },
            ],
        ),
        (Mail::ApplicationReceived { name, title, applicant, link }, Locale::Ar) => (
            format!("ترشيح جديد: {title}"),
            format!("مرحبًا {name}،"),
            vec![
                Text(format!("ترشح {applicant} لعرضكم «{title}» عبر المنصة. رسالته وملفه في انتظاركم مع باقي الترشيحات.")),
                Link { label: "عرض الترشيحات", href: link.clone() },
            ],
        ),
        (Mail::ApplicationReceived { name, title, applicant, link }, Locale::En) => (
            format!("New application: {title}"),
            format!("Hello {name},"),
            vec![
                Text(format!("{applicant} applied to your offer \u{201c}{title}\u{201d} on the platform. Their message and profile are waiting with the other applications.")),
                Link { label: "See the applications", href: link.clone() },
            ],
        ),
        (Mail::ApplicationMoved { name, title, employer, status, link }, Locale::Fr) => (
            format!("Votre candidature : {title}"),
            format!("Bonjour {name},"),
            vec![
                Text(format!("{employer} a donné suite à votre candidature à « {title} » : {}.", status_word(*status, locale))),
                Link { label: "Voir mes candidatures", href: link.clone() },
            ],
        ),
        (Mail::ApplicationMoved { name, title, employer, status, link }, Locale::Ar) => (
            format!("ترشيحك: {title}"),
            format!("مرحبًا {name}،"),
            vec![
                Text(format!("ردّ {employer} على ترشيحك لعرض «{title}»: {}.", status_word(*status, locale))),
                Link { label: "عرض ترشيحاتي", href: link.clone() },
            ],
        ),
        (Mail::ApplicationMoved { name, title, employer, status, link }, Locale::En) => (
            format!("Your application: {title}"),
            format!("Hello {name},"),
            vec![
                Text(format!("{employer} moved your application to \u{201c}{title}\u{201d}: {}.", status_word(*status, locale))),
                Link { label: "See my applications", href: link.clone() },
            ],
        ),
    }
}

/// Where an application stands, in words (the web app's catalogues say the same).
fn status_word(status: shared::ApplicationStatus, locale: Locale) -> &'static str {
    use shared::ApplicationStatus::*;
    match (status, locale) {
        (Received, Locale::Fr) => "reçue",
        (Received, Locale::Ar) => "مستلَم",
        (Received, Locale::En) => "received",
        (Shortlisted, Locale::Fr) => "présélectionnée",
        (Shortlisted, Locale::Ar) => "في القائمة المختصرة",
        (Shortlisted, Locale::En) => "shortlisted",
        (Interview, Locale::Fr) => "un entretien vous est proposé",
        (Interview, Locale::Ar) => "أنت مدعو لمقابلة",
        (Interview, Locale::En) => "you are offered an interview",
        (Rejected, Locale::Fr) => "non retenue cette fois",
        (Rejected, Locale::Ar) => "غير مقبول هذه المرة",
        (Rejected, Locale::En) => "not selected this time",
        (Hired, Locale::Fr) => "retenue, félicitations",
        (Hired, Locale::Ar) => "مقبول، تهانينا",
        (Hired, Locale::En) => "you are hired, congratulations",
        (Withdrawn, Locale::Fr) => "retirée",
        (Withdrawn, Locale::Ar) => "مسحوب",
        (Withdrawn, Locale::En) => "withdrawn",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_is_written_in_each_language_with_its_link() {
        let mails = [
            Mail::VerifyEmail {
                name: "Amina".into(),
                link: "http://x/verify-email#token=t1".into(),
            },
            Mail::ResetPassword {
                name: "Amina".into(),
                link: "http://x/reset-password#token=t2".into(),
            },
            Mail::PasswordChanged {
                name: "Amina".into(),
            },
            Mail::Invitation {
                organization: "Atlas".into(),
                inviter: "Leila".into(),
                link: "http://x/invitations#token=t3".into(),
            },
            Mail::EventCancelled {
                name: "Amina".into(),
                title: "Atelier CV".into(),
                when: "10/12/2026 10:00".into(),
                link: "http://x/events".into(),
            },
            Mail::EventMoved {
                name: "Amina".into(),
                title: "Atelier CV".into(),
                when: "10/12/2026 10:00".into(),
                place: "Marrakech".into(),
                link: "http://x/events/4".into(),
            },
            Mail::SeatGiven {
                name: "Amina".into(),
                title: "Atelier CV".into(),
                when: "10/12/2026 10:00".into(),
                link: "http://x/events/4".into(),
            },
            Mail::AppointmentCancelled {
                name: "Amina".into(),
                counselor: "Karima Bennani".into(),
                when: "10/12/2026 10:00".into(),
                link: "http://x/appointments".into(),
            },
            Mail::ApplicationReceived {
                name: "Leila".into(),
                title: "Stage PFE data".into(),
                applicant: "Amina El Idrissi".into(),
                link: "http://x/organizations/1/offers/2".into(),
            },
            Mail::ApplicationMoved {
                name: "Amina".into(),
                title: "Stage PFE data".into(),
                employer: "Atlas".into(),
                status: shared::ApplicationStatus::Interview,
                link: "http://x/applications".into(),
            },
        ];
        for mail in &mails {
            let subjects: Vec<String> = [Locale::Fr, Locale::Ar, Locale::En]
                .into_iter()
                .map(|locale| {
                    let text = render(locale, mail);
                    if let Mail::VerifyEmail { link, .. }
                    | Mail::ResetPassword { link, .. }
                    | Mail::Invitation { link, .. }
                    | Mail::EventCancelled { link, .. }
                    | Mail::EventMoved { link, .. }
                    | Mail::SeatGiven { link, .. }
                    | Mail::AppointmentCancelled { link, .. }
                    | Mail::ApplicationMoved { link, .. }
                    | Mail::ApplicationReceived { link, .. } = mail
                    {
                        assert!(text.plain.contains(link.as_str()), "{}", text.plain);
                        assert!(text.html.contains(link.as_str()));
                    }
                    assert_eq!(text.html.contains("dir=\"rtl\""), locale == Locale::Ar);
                    text.subject
                })
                .collect();
            assert_eq!(subjects.len(), 3);
            assert!(
                subjects[0] != subjects[1] && subjects[1] != subjects[2],
                "{subjects:?}"
            );
        }
    }

    #[test]
    fn names_typed_by_users_cannot_inject_html() {
        let mail = Mail::Invitation {
            organization: "<script>alert(1)</script>".into(),
            inviter: "Eve".into(),
            link: "http://x/invitations#token=t".into(),
        };
        let text = render(Locale::En, &mail);
        assert!(!text.html.contains("<script>"));
        assert!(text.html.contains("&lt;script&gt;"));
    }
}
