//! The filter line (`/`) and the principals view (`p`): the timeline follows as the
//! expression is typed, a mistake is
//! marked in the line, and what the filter found is underlined in each row.

use super::*;
use ratatui::style::Modifier;

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
}

#[tokio::test(start_paused = true)]
async fn filter_line_typing_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 40).await;
    typed(&mut app, "/type:human");
    assert_screen!("filter_line_typing_80x24", screen(&mut app, &view, 80, 24));
}

#[tokio::test(start_paused = true)]
async fn filter_line_with_a_mistake_160x48() {
    let (mut app, view) = app_after(Scenario::Healthy, 40).await;
    typed(&mut app, "/principal:bob ip:203.0.113/24");
    assert_screen!(
        "filter_line_with_a_mistake_160x48",
        screen(&mut app, &view, 160, 48)
    );
}

/// A filter that hides every access says so: the timeline never reads as "nothing read".
#[tokio::test(start_paused = true)]
async fn a_filter_that_hides_everything_says_so_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 40).await;
    typed(&mut app, "/principal:nobody");
    key(&mut app, KeyCode::Enter);
    assert_screen!(
        "a_filter_that_hides_everything_says_so_80x24",
        screen(&mut app, &view, 80, 24)
    );
}

/// Kept, the filter titles the timeline (`n of m · /expr`) and underlines what it found:
/// the principal's cell in bob's rows, the other cells not.
#[tokio::test(start_paused = true)]
async fn kept_filter_titles_the_timeline_and_underlines_what_it_found_160x48() {
    let (mut app, view) = app_after(Scenario::Healthy, 40).await;
    typed(&mut app, "/principal:bob");
    key(&mut app, KeyCode::Enter);
    let backend = screen(&mut app, &view, 160, 48);
    assert_screen!(
        "kept_filter_titles_the_timeline_and_underlines_what_it_found_160x48",
        backend.clone()
    );
    let buffer = backend.buffer();
    let row_of_bob = (0..48)
        .find(|&y| {
            let line: String = (0..160).map(|x| buffer[(x, y)].symbol()).collect();
            line.contains("user/bob")
        })
        .expect("a row of bob's");
    let line: String = (0..160).map(|x| buffer[(x, row_of_bob)].symbol()).collect();
    let at = line.find("user/bob").expect("bob") as u16;
    let underlined = |x: u16| {
        buffer[(x, row_of_bob)]
            .modifier
            .contains(Modifier::UNDERLINED)
    };
    assert!(underlined(at), "the principal is marked:\n{line}");
    assert!(!underlined(1), "the time is not:\n{line}");
}

#[tokio::test(start_paused = true)]
async fn principals_by_last_seen_80x24() {
    let (mut app, view) = app_after(Scenario::Healthy, 40).await;
    key(&mut app, KeyCode::Char('p'));
    assert_screen!(
        "principals_by_last_seen_80x24",
        screen(&mut app, &view, 80, 24)
    );
}

/// Ordered by reads, wide: from where and with what too; Enter on one filters the timeline
/// to its accesses.
#[tokio::test(start_paused = true)]
async fn principals_by_reads_160x48_and_enter_filters_to_one() {
    let (mut app, view) = app_after(Scenario::Healthy, 40).await;
    for c in ['p', 'o'] {
        key(&mut app, KeyCode::Char(c));
    }
    assert_screen!(
        "principals_by_reads_160x48",
        screen(&mut app, &view, 160, 48)
    );
    let top = app.store.readers(secretwatch::store::ReaderOrder::Reads)[0].clone();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.store.shown_len(), top.reads);
    assert!(app.store.shown().all(|e| e.principal == top.principal));
}
