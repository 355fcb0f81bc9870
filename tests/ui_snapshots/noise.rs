//! Less noise: the principals view marks the billing service expected (`e`), and the
//! doctor's noise finding then proposes a filter pattern without it, with the firings a
//! day before and after.

use super::*;
use secretwatch::chain::ChainLink;

#[tokio::test(start_paused = true)]
async fn marked_expected_in_the_principals_then_the_doctors_proposal() {
    let (mut app, view) = app_after(Scenario::Healthy, 3).await;
    key(&mut app, KeyCode::Char('p'));
    let readers = app
        .store
        .readers(secretwatch::store::ReaderOrder::default());
    let billing = readers
        .iter()
        .position(|r| r.principal.contains("billing-service"))
        .expect("the billing service reads");
    for _ in 0..billing {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Char('e'));
    assert_eq!(
        app.store.expected.principals(),
        ["arn:aws:sts::123456789012:assumed-role/billing-service/*"]
    );
    let shown = screen(&mut app, &view, 160, 48);
    assert!(
        format!("{shown}").contains("✓ role/billing-service"),
        "{shown}"
    );
    assert_screen!("principals_expected_160x48", shown);

    key(&mut app, KeyCode::Esc);
    app.on_key(KeyEvent::from(KeyCode::Char('d')));
    app.on_update(Update::Chain(doctor_report(Scenario::Healthy).await));
    let report = app.store.chain.as_ref().expect("a report");
    let noise = report
        .findings
        .iter()
        .position(|f| f.link == ChainLink::Noise)
        .expect("a noise finding");
    // A healthy chain: the doctor opens on the one finding that is not ok, the noise.
    assert_eq!(
        app.mode,
        secretwatch::ui::app::Mode::Doctor {
            selected: noise,
            open: false
        }
    );
    key(&mut app, KeyCode::Enter);
    let shown = screen(&mut app, &view, 80, 24);
    let text = format!("{shown}");
    assert!(text.contains("billing-service/*"), "{text}");
    assert_screen!("doctor_noise_80x24", shown);
}
