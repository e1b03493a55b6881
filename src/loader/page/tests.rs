//! The page parser, on pages in the shape of the seed and of other sites and languages.

use super::*;
use chrono::{TimeZone, Utc};

fn ctx() -> FileContext {
    FileContext {
        modified: Utc.with_ymd_and_hms(2026, 11, 20, 12, 0, 0).unwrap(),
        folder: Some("inbox".into()),
        extension: Some("txt".into()),
        stem: Some("page".into()),
    }
}

const PAGE: &str = "\
Harbour town votes to raise its sea wall
Residents backed the plan by a wide margin. PHOTO: REUTERS
The vote was held on Sunday after months of debate.
Residents backed the plan by a wide margin.
'We cannot wait for the next storm,' said Mayor Ana Ruiz.
Work starts in March. AFP
Join ST's Telegram channel and get the latest breaking news delivered to you.

Try Our AI Features
Explore what Daily8 AI can do for you:
Comments
No comments yet...
Related Articles

Straits Times
10 minutes ago
- Straits Times
Storm season arrives early on the coast
FILE PHOTO: Waves hit a pier. REUTERS/Jo Lee/File Photo Storm season arrives early on the coast PORTVILLE - Forecasters said the first storm came early. It brought high winds. 'Stay indoors,' they said. REUTERS Join ST's Telegram channel and get the latest breaking news delivered to you.
Business Times
an hour ago
- Business Times
Insurers weigh flood cover costs
Premiums may rise as insurers count the cost of floods along the coast and
";

#[test]
fn main_story_is_clean() {
    let loaded = parse(PAGE, &ctx());
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let main = &loaded.articles[0];
    assert_eq!(main.title, "Harbour town votes to raise its sea wall");
    assert_eq!(
        main.standfirst.as_deref(),
        Some("Residents backed the plan by a wide margin.")
    );
    assert_eq!(main.caption.as_deref(), Some("PHOTO: REUTERS"));
    assert_eq!(main.credit.as_deref(), Some("AFP"));
    assert_eq!(main.source.as_deref(), Some("The Straits Times"));
    assert_eq!(
        main.paragraphs,
        vec![
            "The vote was held on Sunday after months of debate.",
            "'We cannot wait for the next storm,' said Mayor Ana Ruiz.",
            "Work starts in March.",
        ]
    );
    assert_eq!(
        main.related_on_page,
        vec![loaded.articles[1].id.clone(), loaded.articles[2].id.clone()]
    );
}

#[test]
fn related_items_are_stories_of_their_own() {
    let loaded = parse(PAGE, &ctx());
    assert_eq!(loaded.articles.len(), 3);
    let storm = &loaded.articles[1];
    assert_eq!(storm.role, Role::Listed);
    assert_eq!(storm.title, "Storm season arrives early on the coast");
    assert_eq!(storm.source.as_deref(), Some("The Straits Times"));
    assert_eq!(
        storm.caption.as_deref(),
        Some("FILE PHOTO: Waves hit a pier. REUTERS/Jo Lee/File Photo")
    );
    assert_eq!(storm.credit.as_deref(), Some("REUTERS"));
    assert_eq!(storm.standfirst, None);
    assert_eq!(
        storm.paragraphs[0],
        "PORTVILLE - Forecasters said the first storm came early. It brought high winds."
    );
    assert_eq!(storm.paragraphs[1], "'Stay indoors,' they said.");
    assert_eq!(
        storm.published.unwrap(),
        Utc.with_ymd_and_hms(2026, 11, 20, 11, 50, 0).unwrap()
    );
    let insurers = &loaded.articles[2];
    assert_eq!(insurers.source.as_deref(), Some("The Business Times"));
    assert_eq!(insurers.paragraphs.len(), 1);
    assert!(insurers.paragraphs[0].ends_with("along the coast and"));
}

#[test]
fn items_without_blank_lines_and_a_page_without_block() {
    let loaded = parse("Title here\nStandfirst.\nBody one.\n", &ctx());
    assert_eq!(loaded.articles.len(), 1);
    assert_eq!(loaded.articles[0].source.as_deref(), Some("inbox"));
    assert!(looks_like_page("Title\nSecond line\n"));
    assert!(!looks_like_page("Title\n\nParagraph\n"));
}

/// A page in French, with its related block under a French heading and
/// French ages, and a caption with a space before the colon.
const FRENCH: &str = "\
La digue du port sera rehaussée
Les travaux commencent au printemps. PHOTO : AFP
La mairie a voté lundi le rehaussement de la digue, après trois tempêtes en un hiver.
Les pêcheurs craignent de perdre leur quai pendant deux ans. AFP
À lire aussi
Le Courrier du Port
il y a 3 heures
- Le Courrier du Port
Les ferries reprennent leur service
Les ferries reprennent leur service Après une semaine d'arrêt, les bateaux circulent de nouveau. La compagnie promet des horaires normaux.
Le Courrier du Port
il y a 2 jours
- Le Courrier du Port
Un phare repeint en rouge
Le vieux phare de la jetée a retrouvé sa couleur d'origine. Les habitants ont voté pour le rouge.
";

#[test]
fn a_french_block_is_found_by_its_shape() {
    let loaded = parse(FRENCH, &ctx());
    assert_eq!(loaded.articles.len(), 3, "{:?}", loaded.articles);
    let main = &loaded.articles[0];
    assert_eq!(main.caption.as_deref(), Some("PHOTO : AFP"));
    assert_eq!(
        main.standfirst.as_deref(),
        Some("Les travaux commencent au printemps.")
    );
    assert_eq!(main.credit.as_deref(), Some("AFP"));
    assert_eq!(main.paragraphs.len(), 2, "{:?}", main.paragraphs);
    assert!(!main.paragraphs.iter().any(|p| p.contains("lire aussi")));
    let ferries = &loaded.articles[1];
    assert_eq!(ferries.title, "Les ferries reprennent leur service");
    assert_eq!(ferries.source.as_deref(), Some("Le Courrier du Port"));
    assert_eq!(
        ferries.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap())
    );
    assert!(ferries.paragraphs[0].starts_with("Après une semaine"));
    let phare = &loaded.articles[2];
    assert_eq!(
        phare.published,
        Some(Utc.with_ymd_and_hms(2026, 11, 18, 12, 0, 0).unwrap())
    );
    assert_eq!(
        main.related_on_page,
        vec![ferries.id.clone(), phare.id.clone()]
    );
}

#[test]
fn german_and_chinese_blocks_and_captions() {
    let german = "Sturmflut erreicht den Hafen\nDie Deiche hielten stand. FOTO: DPA\n\
                  Das Wasser stieg in der Nacht um zwei Meter.\nMehr zum Thema\nHafenbote\nvor 2 Stunden\n\
                  - Hafenbote\nFähren fahren wieder\nDer Betrieb läuft seit dem Morgen.\n";
    let loaded = parse(german, &ctx());
    assert_eq!(loaded.articles.len(), 2);
    assert_eq!(loaded.articles[0].caption.as_deref(), Some("FOTO: DPA"));
    assert_eq!(
        loaded.articles[0].paragraphs,
        vec!["Das Wasser stieg in der Nacht um zwei Meter."]
    );
    assert_eq!(
        loaded.articles[1].published,
        Some(Utc.with_ymd_and_hms(2026, 11, 20, 10, 0, 0).unwrap())
    );
    let chinese = "深圳发生洪水\n暴雨持续两天。图：新华社\n深圳发生洪水，居民连夜撤离。交通部门关闭了隧道。\n\
                   相关文章\n港口日报\n3 小时前\n- 港口日报\n地铁恢复运营\n地铁恢复运营 今天早上地铁恢复运营。乘客排起长队。\n";
    let loaded = parse(chinese, &ctx());
    assert_eq!(loaded.articles.len(), 2, "{:?}", loaded.articles);
    let main = &loaded.articles[0];
    assert_eq!(main.caption.as_deref(), Some("图：新华社"));
    assert_eq!(main.standfirst.as_deref(), Some("暴雨持续两天。"));
    assert_eq!(main.paragraphs.len(), 1);
    let listed = &loaded.articles[1];
    assert_eq!(listed.title, "地铁恢复运营");
    assert_eq!(
        listed.paragraphs,
        vec!["今天早上地铁恢复运营。乘客排起长队。"]
    );
}

#[test]
fn a_block_with_no_heading_and_a_date_line() {
    let page = "Main story here\nA standfirst.\nThe body of the main story.\n\
                Coast Wire\n2026-11-20 08:30\n- Coast Wire\nPier reopens\nThe pier reopened today.\n\
                Coast Wire\nYesterday\n- Coast Wire\nBoats return\nThe boats came back.\n";
    let loaded = parse(page, &ctx());
    assert_eq!(loaded.articles.len(), 3);
    assert_eq!(
        loaded.articles[0].paragraphs,
        vec!["The body of the main story."]
    );
    assert_eq!(
        loaded.articles[1]
            .published
            .unwrap()
            .format("%H:%M")
            .to_string()
            .len(),
        5
    );
    assert_eq!(
        loaded.articles[2].published,
        Some(Utc.with_ymd_and_hms(2026, 11, 19, 12, 0, 0).unwrap())
    );
    // An unknown time line between two copies of the source still counts.
    let page =
        "Main\nStandfirst.\nBody.\nCoast Wire\nsometime\n- Coast Wire\nListed one\nIts body.\n";
    assert_eq!(parse(page, &ctx()).articles.len(), 2);
}

#[test]
fn case_folding_that_changes_length_does_not_panic() {
    let page = "Main story\nStandfirst.\nBody.\nRelated Articles\nCoast Wire\n2 hours ago\n- Coast Wire\n\
                Storm\n\u{212A} STORM \u{130}\u{130} \u{1E9E} \u{1C5} \u{FB03} \u{3A3} Storm the storm reached the coast. COASTAL WIRE\n\
                Coast Wire\n2 hours ago\n- Coast Wire\nstorm \u{130}\n\u{130}\u{130}STORM \u{130} rest of it.\n";
    let loaded = parse(page, &ctx());
    assert_eq!(loaded.articles.len(), 3);
    let storm = &loaded.articles[1];
    assert_eq!(
        storm.standfirst.as_deref(),
        Some("\u{212A} STORM \u{130}\u{130} \u{1E9E} \u{1C5} \u{FB03} \u{3A3}")
    );
    assert_eq!(storm.paragraphs, vec!["the storm reached the coast."]);
    assert_eq!(storm.credit.as_deref(), Some("COASTAL WIRE"));
}

#[test]
fn the_quick_headlines_agree_with_the_full_parse() {
    for page in [PAGE, FRENCH] {
        let quick = headlines(page, &ctx());
        let full = parse(page, &ctx()).articles;
        assert_eq!(quick.len(), full.len());
        for (q, f) in quick.iter().zip(&full) {
            assert_eq!(
                (&q.title, &q.source, q.published, q.role),
                (&f.title, &f.source, f.published, f.role)
            );
        }
    }
}
