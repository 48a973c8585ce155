//! 项目支出绩效目标执行监控表: written as .xlsx, .docx and .html in its standard layout and read
//! back as the same typed form; the warning lights of the example are the ones the bands give.

mod support;

use jixiao_core::form::Form;
use jixiao_core::monitor::{Light, MonitoringPolicy, monitor};

fn example() -> Form {
    Form::from_json(include_str!(
        "../../../../testdata/forms/monitoring-example.json"
    ))
    .expect("example monitoring form")
}

#[test]
fn monitoring_forms_round_trip_through_every_format() {
    support::round_trips_through_every_format(&example(), "monitoring");
}

#[test]
fn the_example_turns_red_on_execution_and_asks_for_causes() {
    let Form::Monitoring(m) = example() else {
        panic!("not a monitoring form")
    };
    let r = monitor(&m, &MonitoringPolicy::default());
    // 2.1 / 12.8 = 16.41%; 序时进度 7/12 = 58.33%; ratio 28.13: red.
    assert_eq!(r.execution.light, Some(Light::Red));
    assert_eq!(
        r.execution.ratio.map(|d| d.to_string()),
        Some("28.13".into())
    );
    assert_eq!(r.light, Some(Light::Red));
    // 宣讲 2 of a pro-rata 7 and 有可能 without a written reason.
    assert_eq!(r.indicators[1].light, Some(Light::Yellow));
    assert!(r.indicators[1].needs_reason);
    assert!(!r.indicators[3].needs_reason, "a reason is written");
    assert!(r.missing.iter().any(|m| m.contains("拟采取的措施")));
}
