//! The project's interest inventory, version `cc-riasec-2`: sixty work activities, ten per
//! RIASEC area, in French, Arabic and English.
//!
//! Written by the project on Holland's model and scored the way the O*NET Interest Profiler
//! short form is (five-point answers, 0–4); it is modelled on that instrument, not a validated
//! translation of it, and none of its items are copied. Activities are ones a Moroccan youth
//! recognises: OFPPT trades, university paths, services, crafts, and the production lines where
//! most young women in Moroccan industry work. Each item is an activity (an infinitive in
//! French, a verbal noun in Arabic), never a job title or a "you", so that it reads the same to
//! a young woman and a young man, and each belongs to one area only.
//!
//! Results keep the version, so a revision of the items never changes the meaning of a stored
//! result; what changed from `cc-riasec-1`, and why, is in `docs/orientation.md`.

use crate::orientation::RiasecArea;

/// Version stored with every result.
pub const INSTRUMENT_VERSION: &str = "cc-riasec-2";

/// One activity to rate from "strongly dislike" (0) to "strongly like" (4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Stable identifier, e.g. `r01`: answers refer to it.
    pub id: &'static str,
    pub area: RiasecArea,
    pub fr: &'static str,
    pub ar: &'static str,
    pub en: &'static str,
}

const fn item(
    id: &'static str,
    area: RiasecArea,
    fr: &'static str,
    ar: &'static str,
    en: &'static str,
) -> Item {
    Item {
        id,
        area,
        fr,
        ar,
        en,
    }
}

use RiasecArea::{
    Artistic as A, Conventional as C, Enterprising as E, Investigative as I, Realistic as R,
    Social as S,
};

/// The items, interleaved across areas so that a youth does not answer ten of a kind in a row.
pub const ITEMS: [Item; 60] = [
    item(
        "r01",
        R,
        "Coudre des vêtements sur une machine à coudre industrielle",
        "خياطة الملابس على آلة خياطة صناعية",
        "Sew garments on an industrial sewing machine",
    ),
    item(
        "i01",
        I,
        "Analyser des échantillons dans un laboratoire",
        "تحليل عينات في مختبر",
        "Analyse samples in a laboratory",
    ),
    item(
        "a01",
        A,
        "Dessiner les plans de décoration d'un riad",
        "رسم تصاميم لتزيين رياض",
        "Draw the decoration plans of a riad",
    ),
    item(
        "s01",
        S,
        "Aider des élèves en difficulté à réviser leurs cours",
        "مساعدة تلاميذ متعثرين على مراجعة دروسهم",
        "Help struggling pupils revise their lessons",
    ),
    item(
        "e01",
        E,
        "Créer et gérer sa propre petite entreprise",
        "إنشاء مقاولة صغيرة خاصة وتسييرها",
        "Start and run a small business",
    ),
    item(
        "c01",
        C,
        "Tenir la comptabilité d'une entreprise",
        "مسك محاسبة مقاولة",
        "Keep the accounts of a company",
    ),
    item(
        "r02",
        R,
        "Assembler des faisceaux de câbles électriques pour l'automobile",
        "تجميع حزم الأسلاك الكهربائية للسيارات",
        "Assemble wiring harnesses for cars",
    ),
    item(
        "i02",
        I,
        "Étudier pourquoi une récolte a été mauvaise",
        "دراسة أسباب ضعف محصول زراعي",
        "Study why a harvest was poor",
    ),
    item(
        "a02",
        A,
        "Photographier et filmer des événements",
        "التقاط الصور وتصوير الفيديو في الحفلات والتظاهرات",
        "Photograph and film events",
    ),
    item(
        "s02",
        S,
        "Accueillir et soigner des patients dans un centre de santé",
        "استقبال المرضى والعناية بهم في مركز صحي",
        "Welcome and care for patients in a health centre",
    ),
    item(
        "e02",
        E,
        "Vendre des produits à des clients dans un showroom",
        "بيع منتجات للزبناء في قاعة عرض",
        "Sell products to customers in a showroom",
    ),
    item(
        "c02",
        C,
        "Saisir et vérifier des données dans un logiciel",
        "إدخال المعطيات والتحقق منها في برنامج معلوماتي",
        "Enter and check data in software",
    ),
    item(
        "r03",
        R,
        "Conduire une machine d'emballage sur une ligne de production alimentaire",
        "تشغيل آلة للتعبئة والتغليف في خط لإنتاج المواد الغذائية",
        "Run a packing machine on a food production line",
    ),
    item(
        "i03",
        I,
        "Écrire un programme informatique qui résout un problème",
        "كتابة برنامج معلوماتي يحل مشكلة",
        "Write a computer program that solves a problem",
    ),
    item(
        "a03",
        A,
        "Créer des modèles de vêtements",
        "تصميم نماذج الملابس",
        "Design clothes",
    ),
    item(
        "s03",
        S,
        "Animer des activités pour des enfants dans une association",
        "تأطير أنشطة ترفيهية للأطفال في جمعية",
        "Lead activities for children in an association",
    ),
    item(
        "e03",
        E,
        "Négocier un contrat avec un fournisseur",
        "التفاوض على عقد مع مورد",
        "Negotiate a contract with a supplier",
    ),
    item(
        "c03",
        C,
        "Classer et archiver les dossiers d'une administration",
        "ترتيب ملفات إدارة وأرشفتها",
        "File and archive an administration's records",
    ),
    item(
        "r04",
        R,
        "Souder des composants sur des cartes électroniques",
        "تلحيم المكونات على البطاقات الإلكترونية",
        "Solder components onto circuit boards",
    ),
    item(
        "i04",
        I,
        "Faire des expériences de physique ou de chimie",
        "إجراء تجارب في الفيزياء أو الكيمياء",
        "Carry out physics or chemistry experiments",
    ),
    item(
        "a04",
        A,
        "Jouer de la musique ou chanter sur scène",
        "العزف أو الغناء على خشبة المسرح",
        "Play music or sing on stage",
    ),
    item(
        "s04",
        S,
        "Écouter et conseiller des jeunes sur leur avenir",
        "الإصغاء إلى الشباب وإرشادهم بشأن مستقبلهم",
        "Listen to young people and advise them on their future",
    ),
    item(
        "e04",
        E,
        "Diriger une équipe dans un hôtel",
        "قيادة فريق عمل في فندق",
        "Lead a team in a hotel",
    ),
    item(
        "c04",
        C,
        "Préparer les fiches de paie des employés",
        "إعداد أوراق الأداء للمستخدمين",
        "Prepare employees' payslips",
    ),
    item(
        "r05",
        R,
        "Réparer le moteur d'une voiture dans un garage",
        "إصلاح محرك سيارة في ورشة ميكانيك",
        "Repair a car engine in a garage",
    ),
    item(
        "i05",
        I,
        "Résoudre des problèmes de mathématiques difficiles",
        "حل مسائل رياضية صعبة",
        "Solve hard mathematics problems",
    ),
    item(
        "a05",
        A,
        "Écrire des histoires, des poèmes ou des chansons",
        "كتابة القصص أو القصائد أو كلمات الأغاني",
        "Write stories, poems or songs",
    ),
    item(
        "s05",
        S,
        "Former des adultes à un nouveau métier",
        "تكوين الراشدين في مهنة جديدة",
        "Train adults in a new trade",
    ),
    item(
        "e05",
        E,
        "Convaincre des partenaires de financer un projet",
        "إقناع شركاء بتمويل مشروع",
        "Convince partners to fund a project",
    ),
    item(
        "c05",
        C,
        "Gérer les stocks d'un entrepôt logistique",
        "تدبير مخزون مستودع لوجستيكي",
        "Manage the stock of a logistics warehouse",
    ),
    item(
        "r06",
        R,
        "Installer le câblage électrique d'un bâtiment",
        "تركيب الأسلاك الكهربائية في بناية",
        "Install the electrical wiring of a building",
    ),
    item(
        "i06",
        I,
        "Observer et classer des plantes ou des animaux",
        "ملاحظة النباتات أو الحيوانات وتصنيفها",
        "Observe and classify plants or animals",
    ),
    item(
        "a06",
        A,
        "Concevoir l'affiche et le logo d'une marque",
        "تصميم ملصق وشعار لعلامة تجارية",
        "Design a brand's poster and logo",
    ),
    item(
        "s06",
        S,
        "Accompagner des personnes âgées ou en situation de handicap",
        "مرافقة المسنين أو الأشخاص في وضعية إعاقة",
        "Support older or disabled people",
    ),
    item(
        "e06",
        E,
        "Organiser un salon ou une foire commerciale",
        "تنظيم معرض تجاري",
        "Organise a trade fair",
    ),
    item(
        "c06",
        C,
        "Vérifier que des factures sont justes et complètes",
        "التحقق من صحة الفواتير واكتمالها",
        "Check that invoices are correct and complete",
    ),
    item(
        "r07",
        R,
        "Installer des panneaux solaires sur des toits",
        "تركيب ألواح شمسية فوق الأسطح",
        "Install solar panels on roofs",
    ),
    item(
        "i07",
        I,
        "Analyser des statistiques pour comprendre une tendance",
        "تحليل الإحصائيات لفهم تطور ظاهرة ما",
        "Analyse statistics to understand a trend",
    ),
    item(
        "a07",
        A,
        "Imaginer de nouveaux motifs pour des tapis ou du zellige",
        "ابتكار زخارف جديدة للزرابي أو الزليج",
        "Invent new patterns for rugs or zellige",
    ),
    item(
        "s07",
        S,
        "Sensibiliser des familles à la santé et à l'hygiène",
        "توعية الأسر بقواعد الصحة والنظافة",
        "Teach families about health and hygiene",
    ),
    item(
        "e07",
        E,
        "Représenter une entreprise auprès de clients à l'étranger",
        "تمثيل مقاولة لدى زبناء في الخارج",
        "Represent a company to customers abroad",
    ),
    item(
        "c07",
        C,
        "Remplir des déclarations administratives et fiscales",
        "ملء التصريحات الإدارية والضريبية",
        "Fill in administrative and tax returns",
    ),
    item(
        "r08",
        R,
        "Cultiver et récolter des légumes sous serre",
        "زراعة الخضر وجنيها داخل البيوت المغطاة",
        "Grow and harvest vegetables in greenhouses",
    ),
    item(
        "i08",
        I,
        "Étudier le fonctionnement du corps humain",
        "دراسة كيفية عمل جسم الإنسان",
        "Study how the human body works",
    ),
    item(
        "a08",
        A,
        "Illustrer un livre ou une bande dessinée",
        "رسم الصور التوضيحية لكتاب أو لقصة مصورة",
        "Illustrate a book or a comic",
    ),
    item(
        "s08",
        S,
        "Guider des touristes et leur faire découvrir une ville",
        "إرشاد السياح وتعريفهم بمدينة",
        "Guide tourists around a city",
    ),
    item(
        "e08",
        E,
        "Défendre les intérêts d'un groupe dans une réunion",
        "الدفاع عن مصالح مجموعة في اجتماع",
        "Defend a group's interests in a meeting",
    ),
    item(
        "c08",
        C,
        "Planifier les horaires et les tournées de livraison",
        "تخطيط المواعيد وجولات التوصيل",
        "Plan schedules and delivery rounds",
    ),
    item(
        "r09",
        R,
        "Régler et réparer des machines industrielles",
        "ضبط الآلات الصناعية وإصلاحها",
        "Set up and repair industrial machines",
    ),
    item(
        "i09",
        I,
        "Étudier l'effet du climat sur les ressources en eau",
        "دراسة أثر المناخ على الموارد المائية",
        "Study how the climate affects water resources",
    ),
    item(
        "a09",
        A,
        "Jouer un rôle dans une pièce de théâtre ou un film",
        "أداء دور في مسرحية أو فيلم",
        "Act in a play or a film",
    ),
    item(
        "s09",
        S,
        "Aider des voisins à résoudre un conflit",
        "مساعدة الجيران على حل نزاع",
        "Help neighbours settle a dispute",
    ),
    item(
        "e09",
        E,
        "Prendre la parole en public pour présenter un projet",
        "التحدث أمام الجمهور لتقديم مشروع",
        "Speak in public to present a project",
    ),
    item(
        "c09",
        C,
        "Contrôler la qualité de produits selon une procédure",
        "مراقبة جودة المنتجات وفق مسطرة",
        "Check product quality against a procedure",
    ),
    item(
        "r10",
        R,
        "Poser du carrelage et faire de la maçonnerie",
        "تبليط الأرضيات والقيام بأشغال البناء",
        "Lay tiles and do masonry",
    ),
    item(
        "i10",
        I,
        "Lire des articles scientifiques pour en savoir plus",
        "قراءة مقالات علمية لمعرفة المزيد",
        "Read scientific articles to learn more",
    ),
    item(
        "a10",
        A,
        "Décorer la vitrine d'une boutique",
        "تزيين واجهة متجر",
        "Decorate a shop window",
    ),
    item(
        "s10",
        S,
        "S'occuper de jeunes enfants et les éveiller dans une crèche",
        "رعاية الأطفال الصغار وتنمية مداركهم في دار للحضانة",
        "Care for young children and help them learn in a nursery",
    ),
    item(
        "e10",
        E,
        "Gérer une agence de voyages",
        "تسيير وكالة أسفار",
        "Run a travel agency",
    ),
    item(
        "c10",
        C,
        "Tenir à jour un registre de rendez-vous et de paiements",
        "تحيين سجل المواعيد والأداءات",
        "Keep a register of appointments and payments up to date",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orientation::ITEMS_PER_AREA;
    use std::collections::HashSet;

    #[test]
    fn every_area_has_ten_items_with_unique_ids_in_three_languages() {
        for area in RiasecArea::ALL {
            let count = ITEMS.iter().filter(|i| i.area == area).count();
            assert_eq!(count, ITEMS_PER_AREA, "{area:?}");
        }
        let ids: HashSet<_> = ITEMS.iter().map(|i| i.id).collect();
        assert_eq!(ids.len(), ITEMS.len());
        for item in ITEMS {
            assert!(
                !item.fr.is_empty() && !item.ar.is_empty() && !item.en.is_empty(),
                "{}",
                item.id
            );
            let letter = item.area.letter().to_ascii_lowercase();
            assert!(
                item.id.starts_with(letter),
                "{} is filed under the wrong area",
                item.id
            );
            assert!(
                item.ar
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{} has no Arabic",
                item.id
            );
        }
    }

    #[test]
    fn no_two_consecutive_items_share_an_area() {
        for pair in ITEMS.windows(2) {
            assert_ne!(pair[0].area, pair[1].area);
        }
    }

    /// Realistic work is not only building and mechanics (all ten items of version 1 were):
    /// the machine work where most women in Moroccan industry are (industrial sewing, car
    /// wiring harnesses, food lines, electronics) is on the scale too, so that liking it raises
    /// the Realistic score and leads to the automotive, textile and agri-food sectors.
    #[test]
    fn realistic_items_include_the_production_lines_of_moroccan_industry() {
        let realistic: Vec<&str> = ITEMS
            .iter()
            .filter(|i| i.area == RiasecArea::Realistic)
            .map(|i| i.fr)
            .collect();
        for work in [
            "machine à coudre",
            "faisceaux de câbles",
            "production alimentaire",
            "cartes électroniques",
        ] {
            assert!(
                realistic.iter().any(|text| text.contains(work)),
                "no realistic item for {work}"
            );
        }
    }

    /// Items describe activities to every reader alike: none addresses the youth ("you",
    /// "votre", مقاولتك) or names a job in one gender.
    #[test]
    fn no_item_speaks_to_the_reader() {
        // Hyphenated words stay whole: "rendez-vous" does not say "vous".
        let words = |text: &str| -> Vec<String> {
            text.split(|c: char| c.is_whitespace() || c == '\'')
                .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
                .collect()
        };
        for item in ITEMS {
            assert!(
                !item.fr.starts_with("Travailler comme") && !item.en.starts_with("Work as"),
                "{} names a job, not an activity",
                item.id
            );
            for word in words(item.en) {
                assert!(!["you", "your"].contains(&word.as_str()), "{}", item.id);
            }
            for word in words(item.fr) {
                assert!(
                    !["vous", "votre", "vos", "tu", "ton", "tes"].contains(&word.as_str()),
                    "{}",
                    item.id
                );
            }
            for word in words(item.ar) {
                assert!(
                    !word.ends_with("تك") && !word.starts_with("أنت"),
                    "{}",
                    item.id
                );
            }
        }
    }

    #[test]
    fn a_full_answer_sheet_built_from_the_items_scores() {
        let answers: Vec<_> = ITEMS
            .iter()
            .map(|i| (i.area, if i.area == RiasecArea::Social { 4 } else { 1 }))
            .collect();
        let scores = crate::orientation::score(&answers).unwrap();
        assert_eq!(scores.code().0[0], RiasecArea::Social);
    }
}
