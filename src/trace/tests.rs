use super::medians::medians;
use super::*;
use chrono::TimeDelta;
use std::time::Duration;

fn at(secs: i64) -> DateTime<Utc> {
    DateTime::UNIX_EPOCH + TimeDelta::seconds(1_000_000 + secs)
}

fn pace() -> Pace {
    Pace {
        cloudtrail: Duration::from_secs(900),
        eventbridge: Duration::from_secs(300),
        tracer_every: Duration::from_secs(15),
        metric_every: Duration::from_secs(60),
        alarm_every: Duration::from_secs(60),
        queue_every: Duration::from_secs(20),
        period: Duration::from_secs(300),
    }
}

fn trace() -> Trace {
    let shape = AlarmShape {
        period: Duration::from_secs(300),
        evaluation_periods: 1,
    };
    Trace::fired("m", "arn:s", "v1", at(0), Bounds::new(pace(), shape))
}

#[test]
fn bounds_follow_aws_the_alarm_and_how_often_secretwatch_looks() {
    let b = trace().bounds;
    assert_eq!(b.log_group, 900 + 30);
    assert_eq!(b.metric, 300 + 120);
    assert_eq!(b.alarm, 300 + 60 + 120);
    assert_eq!(b.notification, 60 + 40);
    let three = Bounds::new(
        pace(),
        AlarmShape {
            period: Duration::from_secs(60),
            evaluation_periods: 3,
        },
    );
    assert_eq!(three.alarm, 180 + 60 + 120);
}

#[test]
fn a_link_is_seen_only_after_the_one_it_follows_and_times_from_it() {
    let mut t = trace();
    assert!(
        !t.see(Link::Metric, at(10), "early".into()),
        "no log record yet"
    );
    assert!(t.see(Link::LogGroup, at(200), "record".into()));
    assert!(!t.see(Link::LogGroup, at(210), "again".into()), "once");
    assert!(t.see(Link::Metric, at(260), "rose".into()));
    assert_eq!(t.seen(Link::Metric).map(|s| s.after_secs), Some(60));
    assert!(t.see(Link::History, at(100), "event".into()));
    let order: Vec<Link> = t.links.iter().map(|s| s.link).collect();
    assert_eq!(
        order,
        [Link::Fired, Link::History, Link::LogGroup, Link::Metric],
        "in the chain's order, whatever the order seen"
    );
    assert!(t.see(Link::Alarm, at(500), "ALARM".into()));
    assert!(t.is_running());
    assert!(t.see(Link::Notification, at(505), "message".into()));
    assert_eq!(t.outcome, Outcome::Complete);
    assert_eq!(t.elapsed_secs(), 505);
    assert!(
        !t.see(Link::EventBridge, at(506), "after".into()),
        "finished"
    );
}

#[test]
fn the_first_link_on_the_chain_past_its_bound_is_where_it_stopped() {
    let mut t = trace();
    let why = |l: Link| format!("no {}", l.label());
    assert!(t.check(at(300), why).is_empty(), "within the bounds");
    // EventBridge is late after 330 s: marked, the trace goes on.
    assert_eq!(t.check(at(331), why), [Step::Late(Link::EventBridge)]);
    assert!(t.check(at(900), why).is_empty(), "late once");
    let steps = t.check(at(931), why);
    assert_eq!(
        steps,
        [Step::Late(Link::History), Step::Stopped(Link::LogGroup)]
    );
    assert_eq!(t.stopped_at(), Some(Link::LogGroup));
    assert!(matches!(&t.outcome, Outcome::Stopped { why, .. } if why == "no log group"));
    assert!(t.check(at(5000), why).is_empty(), "stopped once");
}

#[test]
fn the_metric_times_from_the_read_when_the_log_group_cannot_be_observed() {
    let mut t = trace();
    assert!(t.cannot_observe(Link::LogGroup, "FilterLogEvents refused".into()));
    assert!(t.see(Link::Metric, at(400), "rose".into()));
    assert_eq!(t.seen(Link::Metric).map(|s| s.after_secs), Some(400));
    // An alarm that never fires stops it at the alarm, after the metric's 480 s.
    let steps = t.check(at(400 + 481), |_| "quiet".into());
    assert_eq!(
        steps,
        [Step::Late(Link::EventBridge), Step::Stopped(Link::Alarm)]
    );
}

#[test]
fn no_way_to_see_the_notification_ends_the_trace_once_the_alarm_fired() {
    let mut t = trace();
    assert!(t.cannot_observe(Link::Notification, "no queue on the topic".into()));
    assert!(t.is_running(), "the rest of the chain is still followed");
    t.see(Link::LogGroup, at(100), String::new());
    t.see(Link::Metric, at(110), String::new());
    assert!(t.is_running());
    t.see(Link::Alarm, at(400), String::new());
    assert_eq!(t.stopped_at(), Some(Link::Notification));
    assert!(matches!(&t.outcome, Outcome::Stopped { why, .. } if why == "no queue on the topic"));
}

#[test]
fn medians_say_how_long_the_chain_takes_and_how_much_is_cloudtrail() {
    let run = |delivery: i64, rest: i64| {
        let mut t = trace();
        t.see(Link::LogGroup, at(delivery), String::new());
        t.see(Link::Metric, at(delivery + rest), String::new());
        t.see(Link::Alarm, at(delivery + 2 * rest), String::new());
        t.see(Link::Notification, at(delivery + 3 * rest), String::new());
        t
    };
    let mut stopped = trace();
    stopped.see(Link::LogGroup, at(100), String::new());
    stopped.check(at(10_000), |_| String::new());
    let traces = [run(200, 10), run(230, 20), run(260, 30), stopped, trace()];
    let m = medians(&traces).expect("finished ones");
    assert_eq!((m.traces, m.complete), (4, 3), "the running one left out");
    assert_eq!(m.to_notification, Some(230 + 60));
    assert_eq!(m.to_log_group, Some(215));
    assert_eq!(
        m.sentence(),
        "over 4 traces (3 complete), the alarm's message arrives 4 min 50 s after a read; \
         CloudTrail's delivery to the log group is 3 min 35 s of it"
    );
    assert!(
        m.per_link_words()
            .starts_with("log group +3 min 35 s, metric +20 s")
    );
    assert_eq!(medians(&[trace()]), None);
}

#[test]
fn spans_read_as_people_say_them() {
    assert_eq!(span(-3), "0 s");
    assert_eq!(span(59), "59 s");
    assert_eq!(span(252), "4 min 12 s");
    assert_eq!(span(3720), "1 h 02 min");
}

#[test]
fn finished_traces_survive_a_restart_and_a_torn_line_is_reported() {
    let dir = std::env::temp_dir().join(format!("secretwatch-traces-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("traces.jsonl");
    let mut book = book::TraceBook::open(Some(crate::state_file::StateFile::at(path.clone())));
    let mut done = trace();
    done.see(Link::LogGroup, at(5), "record".into());
    assert_eq!(book.keep(&done), Ok(()));
    let mut bytes = std::fs::read(&path).expect("written");
    bytes.extend_from_slice(b"{\"marker\":");
    std::fs::write(&path, bytes).expect("torn");
    let again = book::TraceBook::open(Some(crate::state_file::StateFile::at(path)));
    assert_eq!(again.past, [done]);
    assert!(
        again
            .trouble
            .as_deref()
            .is_some_and(|t| t.contains("1 unreadable"))
    );
    let _ = std::fs::remove_dir_all(&dir);
}
