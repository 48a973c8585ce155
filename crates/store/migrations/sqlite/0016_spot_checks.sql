-- 抽评 (issue 25): the finance bureau's spot checks of a year's submitted self-evaluations. A
-- spot check records how it was drawn — the share (`percent`, decimal text), the `seed` of the
-- draw (so it can be replayed), whether it was `stratified` by 主管部门, or chosen `by_hand` —
-- and one item per sampled form with the unit's total at the time of the draw. The reviewer's
-- scores are kept per item as JSON (jixiao_core::spot_check::Review) with the reviewed total
-- and the gap (unit's total minus the reviewer's), decimals as text. Every change is also in
-- the change log (entity 'spot_check'). Times are Unix milliseconds.
CREATE TABLE spot_checks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year BIGINT NOT NULL,
    percent TEXT NOT NULL,
    seed BIGINT NOT NULL,
    stratified BIGINT NOT NULL,
    by_hand BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE spot_check_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    spot_check_id INTEGER NOT NULL REFERENCES spot_checks(id),
    form_id INTEGER NOT NULL REFERENCES forms(id),
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    unit_total TEXT,
    review TEXT,
    reviewed_total TEXT,
    gap TEXT,
    reviewed_by TEXT,
    reviewed_at BIGINT,
    UNIQUE (spot_check_id, form_id)
);
CREATE INDEX spot_check_items_check ON spot_check_items(spot_check_id, id);
